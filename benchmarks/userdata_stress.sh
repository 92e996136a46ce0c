#!/bin/bash
# Two processes x 150 `reader notes add`, then 60 `kill -9` at random moments of a
# `reader notes add`, then a corrupt bookmarks.toml; prints what survived. Uses /tmp/stress.
export READER_CONFIG_DIR=/tmp/stress/cfg READER_CACHE_DIR=/tmp/stress/cache
R=/work/main/.venv/bin/reader
$R index --quiet >/dev/null
start=$(date +%s.%N)
for p in A B; do ( for i in $(seq 1 150); do $R notes add gpu-training-dilemma "note $p $i" >/dev/null || echo FAIL; done ) & done
wait
end=$(date +%s.%N)
python3 -c "
import tomllib; d=tomllib.load(open('/tmp/stress/cfg/notes.toml','rb')); n=d['note']
print('concurrent: notes kept', len(n), 'distinct texts', len({x['text'] for x in n}), 'ids', len({x['id'] for x in n}))"
echo "seconds $(echo "$end - $start" | bc)"
# 60 kill -9 at random moments
kills=0; lost=0; torn=0
for k in $(seq 1 60); do
  before=$(python3 -c "import tomllib; print(len(tomllib.load(open('/tmp/stress/cfg/notes.toml','rb'))['note']))")
  $R notes add huang-zuckerberg-open-source "kill $k" >/dev/null 2>&1 &
  pid=$!
  sleep 0.0$(( RANDOM % 8 ))$(( RANDOM % 10 ))
  kill -9 $pid 2>/dev/null && kills=$((kills+1))
  wait $pid 2>/dev/null
  after=$(python3 -c "
import tomllib
try:
    print(len(tomllib.load(open('/tmp/stress/cfg/notes.toml','rb'))['note']))
except Exception as e:
    print('TORN')")
  if [ "$after" = "TORN" ]; then torn=$((torn+1)); elif [ "$after" -lt "$before" ]; then lost=$((lost+1)); fi
done
python3 -c "
import tomllib; d=tomllib.load(open('/tmp/stress/cfg/notes.toml','rb')); n=d['note']
print('after kills: notes', len(n), 'of which kill-notes', sum(1 for x in n if x['text'].startswith('kill')), 'concurrent notes still all there:', sum(1 for x in n if x['text'].startswith('note '))==300)"
echo "kill -9 delivered: $kills, torn files: $torn, runs that lost notes: $lost"
cp /tmp/stress/cfg/notes.toml /tmp/stress/keep.toml
printf 'version = 1\n[[bookmark]\nkey = \n' > /tmp/stress/cfg/bookmarks.toml; cp /tmp/stress/cfg/bookmarks.toml /tmp/stress/bm.orig
$R bookmarks add gpu-training-dilemma; echo "exit $?"
cmp /tmp/stress/cfg/bookmarks.toml /tmp/stress/bm.orig && echo "corrupt bookmarks.toml byte-identical"
