"""Render the application icon from its SVG master for every desktop.

    python scripts/build_icons.py          # rewrite resources/ from resources/cmio-desktop.svg

Writes the freedesktop PNG sizes (``resources/icons/hicolor/NxN/apps/``), a Windows ``.ico``
and a macOS ``.icns`` (both with Pillow, from the PNGs Qt rendered), and copies the SVG into
the package so the running app shows the same icon. Qt's ``QSvgRenderer`` does the
rasterising, so no SVG library beyond the GUI toolkit is needed.
"""

from __future__ import annotations

import io
import os
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP_ID = "cmio-desktop"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)  # .ico stops at 256
ICNS_SIZES = (16, 32, 64, 128, 256, 512)


def render_png(svg: Path, size: int) -> bytes:
    """The SVG rasterised at ``size`` × ``size`` pixels, antialiased, as PNG bytes."""
    from PySide6.QtCore import QBuffer, QIODevice, Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise ValueError(f"{svg} is not a valid SVG file")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(buffer.data().data())


def _write(path: Path, data: bytes) -> None:
    """Write through a temporary file, so an interrupted build leaves the old icon intact."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def build(svg: Path, out: Path, package_copy: Path | None = None) -> list[Path]:
    """Every icon file under ``out``; returns the paths written."""
    from PIL import Image

    pngs = {size: render_png(svg, size) for size in SIZES}
    written = []
    for size, data in pngs.items():
        path = out / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        _write(path, data)
        written.append(path)
    scalable = out / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"
    _write(scalable, svg.read_bytes())
    written.append(scalable)
    images = {size: Image.open(io.BytesIO(data)) for size, data in pngs.items()}
    for suffix, sizes, fmt in (("ico", ICO_SIZES, "ICO"), ("icns", ICNS_SIZES, "ICNS")):
        buffer = io.BytesIO()
        largest = images[max(sizes)]
        if fmt == "ICO":
            largest.save(buffer, fmt, sizes=[(s, s) for s in sizes])
        else:
            largest.save(buffer, fmt, append_images=[images[s] for s in sizes[:-1]])
        path = out / f"{APP_ID}.{suffix}"
        _write(path, buffer.getvalue())
        written.append(path)
    if package_copy is not None:
        shutil.copyfile(svg, package_copy)
        written.append(package_copy)
    return written


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    resources = ROOT / "resources"
    written = build(
        resources / f"{APP_ID}.svg", resources, ROOT / "cmio_desktop" / "resources" / "app-icon.svg"
    )
    for path in written:
        print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
