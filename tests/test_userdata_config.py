"""config.toml: read and checked, errors that point at the line, a template written once."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reader.userdata import Config, ConfigError, load_config, write_config_template


def write_config(config_dir: Path, text: str) -> Path:
    config_dir.mkdir(parents=True, exist_ok=True)
    path = config_dir / "config.toml"
    path.write_text(text, "utf-8")
    return path


def test_no_file_means_the_defaults(config_dir: Path) -> None:
    assert load_config(config_dir) == Config()
    assert Config().keys == {}
    assert not config_dir.exists()


def test_a_good_file_is_read(config_dir: Path, isolated_home: Path) -> None:
    write_config(
        config_dir,
        'libraries = ["~/Articles", "/srv/library", "shared/lib"]\n'
        'languages = ["fi", "de", "en"]\n'
        'theme = "nord"\n'
        "reading_width = 72\n"
        'default_language = "de"\n'
        "max_file_kib = 512\n"
        "some_future_setting = true\n"
        "[keys]\n"
        '"article.bookmark" = "m"\n',
    )
    assert load_config(config_dir) == Config(
        libraries=(
            isolated_home / "Articles",
            Path("/srv/library"),
            config_dir / "shared" / "lib",
        ),
        languages=("fi", "de", "en"),
        theme="nord",
        reading_width=72,
        default_language="de",
        max_file_kib=512,
        keys={"article.bookmark": "m"},
    )


def test_a_syntax_error_names_the_file_and_line(config_dir: Path) -> None:
    path = write_config(config_dir, 'languages = ["fi"]\ntheme = nord\n')
    with pytest.raises(ConfigError) as caught:
        load_config(config_dir)
    error = caught.value
    assert (error.path, error.line, error.column) == (path, 2, 9)
    assert str(error) == f"{path} line 2, column 9: Invalid value"


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        ('theme = "nord"\nlibraries = "~/Articles"\n', 2, "libraries must be a list of folders"),
        ("\n\nlanguages = [1, 2]\n", 3, "languages must be a list of language tags"),
        ("reading_width = 39\n", 1, "reading_width must be a whole number from 40 to 200"),
        ("reading_width = 201\n", 1, "reading_width must be a whole number from 40 to 200"),
        ("reading_width = true\n", 1, "reading_width must be a whole number from 40 to 200"),
        ('reading_width = "80"\n', 1, "reading_width must be a whole number from 40 to 200"),
        ("max_file_kib = 0\n", 1, "max_file_kib must be a whole number above 0"),
        ("theme = 3\n", 1, "theme must be the name of a theme"),
        ("default_language = []\n", 1, "default_language must be a language tag"),
    ],
)
def test_a_wrong_type_names_the_setting_and_its_line(
    config_dir: Path, text: str, line: int, reason: str
) -> None:
    path = write_config(config_dir, text)
    with pytest.raises(ConfigError) as caught:
        load_config(config_dir)
    assert caught.value.line == line
    assert str(caught.value).startswith(f"{path} line {line}: {reason}")
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('theme = "nord"\nkeys = "m"\n', "[keys] must be a table"),
        ('theme = "nord"\n[keys]\n"app.help" = "h"\n"app.notes" = 1\n', "[keys] app.notes must be"),
        ('theme = "nord"\nkeys = { "app.notes" = "" }\n', "[keys] app.notes must be"),
    ],
)
def test_a_bad_key_entry_costs_that_key_only(config_dir: Path, text: str, problem: str) -> None:
    write_config(config_dir, text)
    config = load_config(config_dir)
    assert config.theme == "nord"  # the rest of the file still applies
    assert len(config.key_problems) == 1
    assert config.key_problems[0].startswith(problem)
    assert "\n" not in config.key_problems[0]
    assert "app.notes" not in config.keys


def test_a_file_that_is_not_utf8_is_a_config_error(config_dir: Path) -> None:
    config_dir.mkdir()
    (config_dir / "config.toml").write_bytes(b'theme = "caf\xe9"\n')
    with pytest.raises(ConfigError, match=r"line 1, column 13: not valid UTF-8"):
        load_config(config_dir)


def test_the_template_is_written_once_and_never_again(config_dir: Path) -> None:
    path = write_config_template(config_dir)
    assert path == config_dir / "config.toml"
    first = path.read_bytes()
    assert write_config_template(config_dir) is None
    assert path.read_bytes() == first
    path.write_text("# mine\n", "utf-8")
    assert write_config_template(config_dir) is None
    assert path.read_text("utf-8") == "# mine\n"


def test_the_template_changes_nothing_and_documents_every_setting(config_dir: Path) -> None:
    path = write_config_template(config_dir)
    assert path is not None
    assert load_config(config_dir) == Config()
    text = path.read_text("utf-8")
    assert all(line == "" or line.startswith("#") for line in text.splitlines())
    for setting in (
        "libraries",
        "languages",
        "default_language",
        "theme",
        "reading_width",
        "max_file_kib",
    ):
        assert re.search(rf"^# {setting} = ", text, re.MULTILINE), setting
    assert '# languages = ["fi", "de", "en"]' in text
    assert "# [keys]" in text


def test_the_template_examples_are_valid_when_uncommented(config_dir: Path) -> None:
    path = write_config_template(config_dir)
    assert path is not None
    settings = [
        line[2:]
        for line in path.read_text("utf-8").splitlines()
        if re.match(r'# (\[keys\]|[a-z_]+ = |"[a-z_.]+" = )', line)
    ]
    write_config(config_dir, "\n".join(settings) + "\n")
    config = load_config(config_dir)
    assert config.languages == ("fi", "de", "en")
    assert config.keys["article.bookmark"] == "m"
    assert config.key_problems == ()
    assert len(config.libraries) == 2


def test_the_template_holds_no_settings(tmp_path: Path) -> None:
    from reader.userdata.config_text import holds_no_settings

    path = write_config_template(tmp_path)
    assert path is not None
    assert holds_no_settings(path.read_bytes())
    assert load_config(tmp_path) == Config()


@given(
    st.lists(
        st.one_of(
            st.just(""),
            st.text(alphabet=" \t", max_size=3),
            st.text(max_size=20).map(lambda text: "# " + text),
            st.text(max_size=20),
            st.sampled_from(['theme = "nord"', "# a\r# b", "#\x01", "  # ok\r", "\ufeff# x"]),
        ),
        max_size=6,
    ).map("\n".join)
)
def test_text_said_to_hold_no_settings_is_empty_valid_toml(text: str) -> None:
    """The shortcut never hides a setting or an error the parser would find."""
    import tomllib

    from reader.userdata.config_text import holds_no_settings

    if holds_no_settings(text.encode("utf-8", "surrogatepass")):
        assert tomllib.loads(text) == {}
