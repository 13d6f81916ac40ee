"""What import-linter cannot check: it names external packages only at the top level, so the
rule "matplotlib's Qt backends only in ui/" is read here. The other layer contracts are in
pyproject.toml ([tool.importlinter], run by `lint-imports` in `make lint`)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "cmio_desktop"


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_matplotlib_qt_backends_only_in_ui() -> None:
    offenders = [
        f"{path.relative_to(PACKAGE)} imports {name}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if path.relative_to(PACKAGE).parts[0] != "ui"
        for name in imported_modules(path)
        if name.startswith("matplotlib.backends.backend_qt")
    ]
    assert offenders == []


def test_the_check_sees_the_qt_canvas_in_ui() -> None:
    """Guards the test above against passing because it reads nothing."""
    assert any(
        name.startswith("matplotlib.backends.backend_qt")
        for path in (PACKAGE / "ui").rglob("*.py")
        for name in imported_modules(path)
    )
