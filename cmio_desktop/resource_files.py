"""Files shipped with the app (style sheet, icons), found inside the installed package.

They live in ``cmio_desktop/resources/`` rather than a top-level folder so that they install
as ordinary package data with the wheel and editable installs alike.
"""

from __future__ import annotations

from pathlib import Path

RESOURCES = Path(__file__).resolve().with_name("resources")


def resource_path(name: str) -> Path:
    path = RESOURCES / name
    if not path.exists():
        raise FileNotFoundError(f"Resource not found: {name}")
    return path
