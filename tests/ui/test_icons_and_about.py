"""The icon build script and the About box."""

from __future__ import annotations

import importlib.util
import io
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtWidgets import QMessageBox

from cmio_desktop import __version__
from cmio_desktop.ui.facade import WorkspaceFacade
from cmio_desktop.ui.main_window import MainWindow
from cmio_desktop.ui.settings import AppSettings

ROOT = Path(__file__).resolve().parents[2]


def load_build_icons():
    spec = importlib.util.spec_from_file_location("build_icons", ROOT / "scripts/build_icons.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_build_icons_renders_every_size_and_the_ico_and_icns(qapp, tmp_path: Path):
    build_icons = load_build_icons()
    written = build_icons.build(ROOT / "resources" / "cmio-desktop.svg", tmp_path)
    assert len(written) == len(build_icons.SIZES) + 3
    with Image.open(tmp_path / "icons/hicolor/512x512/apps/cmio-desktop.png") as big:
        assert big.size == (512, 512) and big.mode == "RGBA"
        assert big.getpixel((0, 0))[3] == 0  # transparent corner outside the rounded tile
        assert big.getpixel((256, 480))[3] == 255  # opaque tile
    ico = Image.open(io.BytesIO((tmp_path / "cmio-desktop.ico").read_bytes()))
    assert set(ico.info["sizes"]) == {(s, s) for s in build_icons.ICO_SIZES}
    with Image.open(tmp_path / "cmio-desktop.icns") as icns:
        assert {s[0] for s in icns.info["sizes"]} >= set(build_icons.ICNS_SIZES) - {64}


# Qt's SVG reader reports the broken file before the script turns it into a ValueError.
@pytest.mark.qt_log_ignore(r"Cannot read file .*broken\.svg")
def test_build_icons_rejects_a_broken_svg(qapp, tmp_path: Path):
    build_icons = load_build_icons()
    broken = tmp_path / "broken.svg"
    broken.write_text("<svg", encoding="utf-8")
    try:
        build_icons.build(broken, tmp_path / "out")
    except ValueError as exc:
        assert "not a valid SVG" in str(exc)
    else:
        raise AssertionError("a broken SVG was accepted")
    assert not (tmp_path / "out").exists()  # nothing written


def test_about_shows_the_version(qtbot, tmp_path: Path, monkeypatch):
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "about", lambda _parent, _title, text: shown.append(text))
    window = MainWindow(WorkspaceFacade(), AppSettings(tmp_path / "settings.json"))
    qtbot.addWidget(window)
    window.file_actions.show_about()
    assert len(shown) == 1 and f"CMIO Desktop {__version__}" in shown[0]
