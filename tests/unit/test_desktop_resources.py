"""Desktop integration files in resources/: icon set, .desktop entry, AppStream metainfo and
the .cmio file type agree with each other and with the app."""

from __future__ import annotations

import configparser
import importlib.metadata
import struct
from pathlib import Path

import pytest
from lxml import etree

from cmio_desktop import __version__
from cmio_desktop.app import DESKTOP_ID
from cmio_desktop.resource_files import resource_path

ROOT = Path(__file__).resolve().parents[2]
RESOURCES = ROOT / "resources"
ICON = "cmio-desktop"
MIME = "application/x-cmio-workspace"


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", data[16:24])


@pytest.mark.parametrize("size", [16, 24, 32, 48, 64, 128, 256, 512])
def test_icon_png_sizes_are_in_the_freedesktop_layout(size: int):
    path = RESOURCES / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{ICON}.png"
    assert png_size(path) == (size, size)


def test_windows_and_macos_icons_are_present():
    assert (RESOURCES / f"{ICON}.ico").read_bytes()[:4] == b"\x00\x00\x01\x00"
    assert (RESOURCES / f"{ICON}.icns").read_bytes()[:4] == b"icns"


def test_the_running_app_uses_the_same_svg_as_the_desktop():
    master = (RESOURCES / f"{ICON}.svg").read_bytes()
    assert resource_path("app-icon.svg").read_bytes() == master
    scalable = RESOURCES / "icons" / "hicolor" / "scalable" / "apps" / f"{ICON}.svg"
    assert scalable.read_bytes() == master


def test_desktop_entry_opens_cmio_files_with_the_icon():
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # keys are case-sensitive
    entry.read(RESOURCES / f"{DESKTOP_ID}.desktop", encoding="utf-8")
    section = entry["Desktop Entry"]
    assert section["Type"] == "Application"
    assert section["Exec"].split() == ["cmio-desktop", "%f"]  # the file arrives as argv[1]
    assert section["Icon"] == ICON
    assert section["MimeType"] == f"{MIME};"


def test_metainfo_names_the_desktop_entry_and_the_file_type():
    tree = etree.parse(str(RESOURCES / f"{DESKTOP_ID}.metainfo.xml"))
    assert tree.findtext("id") == DESKTOP_ID
    assert tree.findtext("launchable") == f"{DESKTOP_ID}.desktop"
    assert tree.findtext("provides/mediatype") == MIME
    assert tree.find("releases/release").get("version") == __version__


def test_mime_type_claims_the_cmio_suffix():
    ns = {"m": "http://www.freedesktop.org/standards/shared-mime-info"}
    tree = etree.parse(str(RESOURCES / f"{DESKTOP_ID}.mime.xml"))
    (mime,) = tree.findall("m:mime-type", ns)
    assert mime.get("type") == MIME
    assert [g.get("pattern") for g in mime.findall("m:glob", ns)] == ["*.cmio"]


def test_installed_version_is_the_package_version():
    """pyproject reads its version from cmio_desktop.__version__, so About and metadata agree."""
    assert importlib.metadata.version("cmio-desktop") == __version__
    assert 'attr = "cmio_desktop.__version__"' in (ROOT / "pyproject.toml").read_text()
