"""Locate files under the project's ``resources/`` folder (icons, style sheet, sample data)."""

from __future__ import annotations

from pathlib import Path

_CANDIDATES = (
    Path(__file__).resolve().parents[1] / "resources",  # source checkout / editable install
    Path(__file__).resolve().parent / "resources",  # installed as package data
)


def resource_path(name: str) -> Path:
    for folder in _CANDIDATES:
        path = folder / name
        if path.exists():
            return path
    raise FileNotFoundError(f"Resource not found: {name}")
