"""Where the reader keeps its configuration, its cache and the articles it imported."""

from __future__ import annotations

import os

# `reader search` asks for these directories: no pathlib (~5 ms) unless a Path is asked for.
TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from pathlib import Path

APP_NAME = "polyglot-reader"
"""The application name used for the platform's config and cache directories."""


def resolve_config_dir(cli_value: str | Path | None = None) -> Path:
    """Decide which directory holds ``config.toml`` and the app-written data files.

    The first of these that is given wins: the ``--config-dir`` command line value,
    the ``READER_CONFIG_DIR`` environment variable, the platform's user config directory.

    Args:
        cli_value: The value of ``--config-dir``, if the user gave one.

    Returns:
        The config directory with ``~`` expanded. It is not created here.
    """
    from pathlib import Path

    return Path(config_dir_name(cli_value))


def config_dir_name(cli_value: str | Path | None = None) -> str:
    """:func:`resolve_config_dir` as a string (pathlib is imported only if the platform's
    directory is asked for)."""
    if cli_value is not None and str(cli_value) != "":
        return os.path.expanduser(cli_value)
    from_env = os.environ.get("READER_CONFIG_DIR")
    if from_env:
        return os.path.expanduser(from_env)
    import platformdirs

    return platformdirs.user_config_dir(APP_NAME)


def resolve_cache_dir() -> Path:
    """Decide which directory holds the reader's caches.

    ``READER_CACHE_DIR`` wins over the platform's user cache directory.

    Returns:
        The cache directory with ``~`` expanded. It is not created here.
    """
    from pathlib import Path

    return Path(cache_dir_name())


def cache_dir_name() -> str:
    """:func:`resolve_cache_dir` as a string (pathlib is imported only if the platform's
    directory is asked for)."""
    from_env = os.environ.get("READER_CACHE_DIR")
    if from_env:
        return os.path.expanduser(from_env)
    import platformdirs

    return platformdirs.user_cache_dir(APP_NAME)


def data_dir_name() -> str:
    """The reader's data directory: ``READER_DATA_DIR``, else the platform's user data
    directory (``~/.local/share/polyglot-reader`` on Linux). Not created here."""
    from_env = os.environ.get("READER_DATA_DIR")
    if from_env:
        return os.path.expanduser(from_env)
    import platformdirs

    return platformdirs.user_data_dir(APP_NAME)


def imported_library_name() -> str:
    """Where ``reader add`` puts articles by default: ``<data dir>/library``.

    It is part of the Library alongside the configured libraries (see
    ``reader.cli._root_names``).
    """
    return os.path.join(data_dir_name(), "library")


def resolve_imported_library() -> Path:
    """:func:`imported_library_name` as a :class:`~pathlib.Path`."""
    from pathlib import Path

    return Path(imported_library_name())


def resolve_data_dir() -> Path:
    """:func:`data_dir_name` as a :class:`~pathlib.Path`: where imported articles, the
    feeds' fetch state and the "new" marks live."""
    from pathlib import Path

    return Path(data_dir_name())
