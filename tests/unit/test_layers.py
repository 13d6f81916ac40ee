"""The layer contract: no Qt below ui/, no SQLAlchemy in ui/, analysis/ self-contained."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "cmio_desktop"
NON_UI_LAYERS = ("models", "store", "analysis", "services", "io", "sample", "commands")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            prefix = "." * node.level
            names.add(prefix + (node.module or ""))
    return names


def files_in(layer: str) -> list[Path]:
    return sorted((PACKAGE / layer).rglob("*.py"))


@pytest.mark.parametrize("layer", NON_UI_LAYERS)
def test_no_qt_below_ui(layer: str) -> None:
    offenders = [
        f"{path.relative_to(PACKAGE)} imports {name}"
        for path in files_in(layer)
        for name in imported_modules(path)
        if name.split(".")[0] in {"PySide6", "PyQt5", "PyQt6", "shiboken6"}
    ]
    assert offenders == []


def test_no_sqlalchemy_in_ui() -> None:
    offenders = [
        f"{path.relative_to(PACKAGE)} imports {name}"
        for path in files_in("ui")
        for name in imported_modules(path)
        if name.split(".")[0] in {"sqlalchemy", "alembic"}
    ]
    assert offenders == []


def test_analysis_imports_nothing_from_the_project_but_itself_and_enums() -> None:
    allowed_relative = {".", ".."}  # its own modules; ..models.enums checked below
    offenders = []
    for path in files_in("analysis"):
        for name in imported_modules(path):
            if name.startswith("cmio_desktop") and not name.startswith(
                ("cmio_desktop.analysis", "cmio_desktop.enums")
            ):
                offenders.append(f"{path.name}: {name}")
            if name.startswith("..") and name not in {"..models.enums"}:
                offenders.append(f"{path.name}: {name}")
            if name.startswith(".") and not name.startswith("..") and name not in allowed_relative:
                continue
    assert offenders == []
