"""Where the app keeps its data, settings and logs (overridable for tests and portable use)."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "CMIO Desktop"
DATA_DIR_ENV = "CMIO_DESKTOP_DATA_DIR"
SAMPLE_FILE_NAME = "Riverside Health sample.cmio"


def data_dir() -> Path:
    """The user data directory; ``CMIO_DESKTOP_DATA_DIR`` overrides it (tests, portable use)."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        path = Path(override)
    else:
        from platformdirs import user_data_dir

        path = Path(user_data_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def settings_file() -> Path:
    return data_dir() / "settings.ini"


def log_file() -> Path:
    logs = data_dir() / "logs"
    logs.mkdir(exist_ok=True, mode=0o700)
    return logs / "cmio-desktop.log"


def sample_workspace() -> Path:
    return data_dir() / SAMPLE_FILE_NAME


def cache_dir() -> Path:
    """Files that are safe to delete (cached analysis results): the user cache directory, or
    ``cache`` inside the overridden data directory (tests and portable use keep it there)."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override) / "cache"
    from platformdirs import user_cache_dir

    return Path(user_cache_dir(APP_NAME, appauthor=False))


def backups_dir() -> Path:
    return data_dir() / "backups"
