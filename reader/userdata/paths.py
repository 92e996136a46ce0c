"""Where the reader keeps its configuration and its cache."""

from __future__ import annotations

import os
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
    if cli_value is not None and str(cli_value) != "":
        return Path(cli_value).expanduser()
    from_env = os.environ.get("READER_CONFIG_DIR")
    if from_env:
        return Path(from_env).expanduser()
    import platformdirs

    return platformdirs.user_config_path(APP_NAME)


def resolve_cache_dir() -> Path:
    """Decide which directory holds the reader's caches.

    ``READER_CACHE_DIR`` wins over the platform's user cache directory.

    Returns:
        The cache directory with ``~`` expanded. It is not created here.
    """
    from_env = os.environ.get("READER_CACHE_DIR")
    if from_env:
        return Path(from_env).expanduser()
    import platformdirs

    return platformdirs.user_cache_path(APP_NAME)
