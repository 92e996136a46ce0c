"""Time ``Library.search`` in-process against a catalog that is already built.

Run by ``run.py`` with the reader's interpreter (it imports ``reader``):

    .venv/bin/python benchmarks/search_latency.py --library LIB --cache-dir CACHE \\
        --languages en,de,ru,zh,el --reps 7

prints one JSON object on stdout: how long opening the library and the first search
took, every timed sample per query (the queries of ``queries.py`` for the library's
languages, ``--reps`` rounds, interleaved), and two correctness checks whose answer
is known from the generator: spellings with and without accents find the same
variants, and each language's rare word finds exactly the articles that carry it.

For a library of random words (``generate.py --vocabulary random``) ``--samples`` adds
queries that occur in it, and ``--random`` lets an accent check pass with no hit on
both sides (its words are not in that library).
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from queries import Query, queries_for
from wordlists import vocabulary

#: Hits asked for by the timed searches (what the search screen and the CLI show).
LIMIT = 20
#: Hits asked for by the equivalence checks (enough to compare whole result sets).
CHECK_LIMIT = 500


def _ms(start: int) -> float:
    return (time.perf_counter_ns() - start) / 1e6


def measure(
    library_dir: Path,
    cache_dir: Path,
    queries: Sequence[Query],
    reps: int,
    rare_words: dict[str, str],
    rare_articles: int | None,
    allow_empty: bool = False,
) -> dict[str, Any]:
    """Open the library on its catalog, time the queries and run the checks."""
    started = time.perf_counter_ns()
    from reader.library import Library
    from reader.library.catalog import Catalog

    roots = [library_dir]
    library = Library(roots, catalog=Catalog.for_roots(roots, cache_dir=cache_dir))
    open_ms = _ms(started)
    if library.catalog is None or library.catalog.is_empty():
        raise SystemExit("search_latency.py: the catalog is empty; run 'reader index' first")
    started = time.perf_counter_ns()
    if queries:
        library.search(queries[0].text, None, LIMIT)
    first_ms = _ms(started)

    samples: dict[str, dict[str, Any]] = {
        query.text: {"query": query.text, "script": query.script, "ms": []} for query in queries
    }
    hits: dict[str, int] = {}
    for _ in range(reps):
        for query in queries:
            started = time.perf_counter_ns()
            results = library.search(query.text, None, LIMIT)
            samples[query.text]["ms"].append(_ms(started))
            hits[query.text] = len(results)
    for text, count in hits.items():
        samples[text]["hits"] = count

    def variants(text: str, language: str | None = None, limit: int = CHECK_LIMIT) -> set[str]:
        return {f"{hit.key} {hit.language}" for hit in library.search(text, language, limit)}

    checks: list[dict[str, Any]] = []
    for query in queries:
        if query.same_as is not None:
            expected, found = variants(query.same_as), variants(query.text)
            checks.append(
                {
                    "check": f"{query.text!r} finds what {query.same_as!r} finds",
                    "expected": len(expected),
                    "found": len(found),
                    "ok": expected == found and (bool(expected) or allow_empty),
                }
            )
    if rare_articles is not None:
        for language, word in rare_words.items():
            found = variants(word, language, rare_articles + 10)
            checks.append(
                {
                    "check": f"{word!r} ({language}) finds the articles that have it",
                    "expected": rare_articles,
                    "found": len(found),
                    "ok": len(found) == rare_articles,
                }
            )
    if library.catalog is not None:
        library.catalog.close()
    return {
        "open_ms": open_ms,
        "first_ms": first_ms,
        "limit": LIMIT,
        "samples": list(samples.values()),
        "checks": checks,
        "maxrss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Command line entry point; prints the JSON result."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--library", type=Path, required=True, metavar="DIR")
    parser.add_argument("--cache-dir", type=Path, required=True, metavar="DIR")
    parser.add_argument("--languages", required=True, metavar="TAGS", help="en,de,…")
    parser.add_argument("--reps", type=int, default=5, metavar="N", help="rounds (5)")
    parser.add_argument(
        "--rare", metavar="JSON", help='{"words": {"de": "Überraschung"}, "articles": 24}'
    )
    parser.add_argument(
        "--samples", metavar="JSON", help='more queries: {"en": ["qwzrtx", "abc"], "zh": [...]}'
    )
    parser.add_argument(
        "--random",
        action="store_true",
        help="a random-word library: accent checks may find nothing",
    )
    args = parser.parse_args(argv)
    rare: dict[str, Any] = json.loads(args.rare) if args.rare else {}
    queries = queries_for(args.languages.split(","))
    samples: dict[str, list[str]] = json.loads(args.samples) if args.samples else {}
    for language, texts in samples.items():
        script = vocabulary(language).script
        queries += [Query(script, language, text) for text in dict.fromkeys(texts)]
    result = measure(
        args.library,
        args.cache_dir,
        queries,
        max(1, args.reps),
        rare.get("words", {}),
        rare.get("articles"),
        args.random,
    )
    json.dump(result, sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
