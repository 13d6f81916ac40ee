"""The board pack as printed by a real spreadsheet program: LibreOffice converts it to PDF and
``pdftotext -layout`` reads it back. No header word may be split across lines ("Readine ss")
and no department name may be cut ("Emergency Departme"). Skipped when ``soffice`` or
``pdftotext`` is not installed (``.ci/run`` installs libreoffice-calc-nogui, poppler-utils and
fonts-crosextra-carlito)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOTEXT = shutil.which("pdftotext")
if SOFFICE is None or PDFTOTEXT is None:
    pytest.skip("LibreOffice (soffice) or pdftotext is not installed", allow_module_level=True)

TIMEOUT_S = 180
HEADER_ROW = 4
WORD = re.compile(r"[A-Za-z]+")


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, list[str]]:
    """The board pack with the register appendix (the sheet with the most columns), its PDF
    text page by page."""
    from cmio_desktop.cli import main
    from cmio_desktop.sample import generate_sample
    from cmio_desktop.store import create_workspace
    from tests.conftest import SAMPLE_TODAY

    folder = tmp_path_factory.mktemp("boardpack")
    ws = create_workspace(folder / "s.cmio", organisation="Riverside Health")
    try:
        generate_sample(ws, people=120, seed=3, today=SAMPLE_TODAY)
    finally:
        ws.close()
    book = folder / "pack.xlsx"
    args = ["export", str(folder / "s.cmio"), str(book), "--today", str(SAMPLE_TODAY),
            "--appendix-register"]  # fmt: skip
    assert main(args) == 0
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless",
         "--norestore", "--convert-to", "pdf", "--outdir", str(folder), str(book)],
        check=True, capture_output=True, timeout=TIMEOUT_S,
    )  # fmt: skip
    text = subprocess.run(
        [PDFTOTEXT, "-layout", str(folder / "pack.pdf"), "-"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    return book, text, text.split("\f")


def _book_words(book: Path) -> set[str]:
    words: set[str] = set()
    for ws in load_workbook(book):
        for row in ws.iter_rows(values_only=True):
            for value in row:
                if isinstance(value, str):
                    words.update(WORD.findall(value))
    return words


def test_no_header_word_is_split_across_lines(printed: tuple[Path, str, list[str]]) -> None:
    book, text, _pages = printed
    headers: set[str] = set()
    for ws in load_workbook(book):
        if ws.title in ("Summary", "Notes"):
            continue
        for row in ws.iter_rows(min_row=HEADER_ROW, max_row=HEADER_ROW, values_only=True):
            headers.update(w for v in row if isinstance(v, str) for w in WORD.findall(v))
    assert {"Readiness", "Reinforcement", "Likelihood", "Power"} <= headers
    known = _book_words(book)
    printed_words = set(WORD.findall(text))
    broken = sorted(
        f"{word} (printed as {word[:cut]!r})"
        for word in headers
        if len(word) >= 5
        for cut in range(3, len(word))
        if word[:cut] in printed_words and word[:cut] not in known
    )
    assert not broken, f"header words broken across lines: {broken}"


def test_no_department_name_is_cut(printed: tuple[Path, str, list[str]]) -> None:
    book, text, pages = printed
    heat = load_workbook(book)["ADKAR heat map"]
    departments = [
        r[0]
        for r in heat.iter_rows(min_row=HEADER_ROW + 1, values_only=True)
        if isinstance(r[0], str) and r[0]
    ]
    assert "Emergency Department" in departments and len(departments) >= 8
    heat_page = next(p for p in pages if "ADKAR readiness heat map" in p)
    for name in departments:
        assert name in heat_page, f"{name!r} is not printed in full on the heat map"
        rest = text.replace(name, "")
        for cut in range(max(3, len(name) - 6), len(name)):
            stub = name[:cut]
            if stub[-1] in " -":  # a wrapping column may break there
                continue
            # a cut name ends at a column gap or the line's end, mid-word
            cut_off = re.search(re.escape(stub) + r"(?=  |$)", rest, re.MULTILINE)
            assert not cut_off, f"{name!r} printed cut as {stub!r}"


def test_board_order_and_page_count(printed: tuple[Path, str, list[str]]) -> None:
    _book, _text, pages = printed
    firsts = [p.strip().split("  ")[0] for p in pages if p.strip()]
    order = list(dict.fromkeys(firsts))
    assert order[:8] == [
        "Summary", "ADKAR heat map", "Red zone", "Network influence", "Engagement plan",
        "Saturation", "Go-no-go", "Risks",
    ]  # fmt: skip
    assert firsts.count("Red zone") == 1 and firsts.count("Saturation") == 1  # a page each
    assert order.index("Stakeholders") > order.index("Risks")  # the register is an appendix
    board = sum(1 for f in firsts if f != "Stakeholders")
    # a 10-minute slot: the register's pages are an appendix; the Red zone and Saturation pages
    # joined the pack and the Network influence sheet's one-line rows took two pages off it
    assert board <= 18, board
    assert "Plan timeline (red = overdue)" in pages[firsts.index("Engagement plan") + 1] or any(
        "Plan timeline" in p for p in pages
    )
    assert any("Risk matrix" in p for p in pages)
