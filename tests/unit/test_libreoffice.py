"""A real spreadsheet program opens the workbook: LibreOffice (headless) converts it to PDF and
to CSV. Skipped only when ``soffice`` is not installed (Debian/Ubuntu packages:
``libreoffice-calc-nogui`` for soffice, ``poppler-utils`` for pdfinfo/pdftotext)."""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
if SOFFICE is None:
    pytest.skip("LibreOffice (soffice) is not installed", allow_module_level=True)

TIMEOUT_S = 180
# Text CSV filter: comma, double quote, UTF-8, start row 1, default column formats, …,
# 12th token -1 = every sheet to its own file "<name>-<sheet>.csv" (LibreOffice ≥ 7.2).
CSV_ALL_SHEETS = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"


def _soffice(profile: Path, outdir: Path, target: str, source: Path) -> None:
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            target,
            "--outdir",
            str(outdir),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=TIMEOUT_S,
    )


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    from cmio_desktop.sample import generate_sample
    from cmio_desktop.services.stakeholders.edits import create_stakeholder
    from cmio_desktop.services.workbook.data import export_workbook
    from cmio_desktop.store import create_workspace
    from tests.conftest import SAMPLE_TODAY

    folder = tmp_path_factory.mktemp("libreoffice")
    ws = create_workspace(folder / "s.cmio", organisation="Riverside Health")
    try:
        generate_sample(ws, people=120, seed=3, today=SAMPLE_TODAY)
        create_stakeholder(ws, name="=1+1", title='=HYPERLINK("http://x.example","click")',
                           department="@SUM(9)", phone="+44 20 7946 0000")  # fmt: skip
        book = folder / "briefing.xlsx"
        export_workbook(ws, book, today=SAMPLE_TODAY)
    finally:
        ws.close()
    return folder, book


def test_libreoffice_prints_the_workbook_to_pdf(exported: tuple[Path, Path]) -> None:
    folder, book = exported
    out = folder / "pdf"
    out.mkdir()
    _soffice(folder / "profile-pdf", out, "pdf", book)
    pdf = out / "briefing.pdf"
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page\b", data))
    assert pages >= 11  # every sheet prints, none is empty
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "Go-live readiness briefing" in text
        assert "Confidential" in text and "Riverside Health" in text
        assert "###" not in text  # no column too narrow for its numbers or dates
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
        width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
        assert width > height  # landscape


def test_libreoffice_reads_every_sheet_and_keeps_text_as_text(
    exported: tuple[Path, Path],
) -> None:
    folder, book = exported
    out = folder / "csv"
    out.mkdir()
    _soffice(folder / "profile-csv", out, CSV_ALL_SHEETS, book)
    files = {p.stem.removeprefix("briefing-"): p for p in out.glob("*.csv")}
    assert {"Summary", "Stakeholders", "ADKAR heat map", "Go-no-go", "Notes"} <= set(files)
    with files["Stakeholders"].open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header = next(i for i, row in enumerate(rows) if row[:2] == ["Name", "Title"])
    people = {row[0]: row for row in rows[header + 1 :]}
    assert len(people) == 121
    assert "Dr. Kwame Hall" in people
    injected = people["=1+1"]  # shown as typed: not evaluated to 2
    assert injected[1] == '=HYPERLINK("http://x.example","click")'
    assert injected[3] == "@SUM(9)"
    summary = files["Summary"].read_text(encoding="utf-8")
    assert "Riverside Health — Ambulatory EHR go-live" in summary
    heat = files["ADKAR heat map"].read_text(encoding="utf-8")
    assert "Periop" in heat and "Awareness" in heat
    red_zone = files["Red zone"].read_text(encoding="utf-8")
    assert "Periop" in red_zone and "Red zone" in red_zone and "Training hours" in red_zone
    saturation = files["Saturation"].read_text(encoding="utf-8")
    assert "Threshold" in saturation and "Clashes" in saturation
    assert "History" not in files  # opt-in: never in a default export


def test_import_reader_matches_openpyxl_on_a_libreoffice_saved_workbook(tmp_path: Path) -> None:
    """A workbook saved by a real spreadsheet program (shared strings, declared size, its own
    number formats) reads the same through the import's streaming reader as through openpyxl."""
    from tests.unit.io.test_xlsx_cells import openpyxl_rows, streamed_rows, typed_workbook

    source = typed_workbook(tmp_path / "typed.xlsx")
    outdir = tmp_path / "saved"
    _soffice(tmp_path / "profile", outdir, "xlsx:Calc MS Excel 2007 XML", source)
    saved = outdir / "typed.xlsx"
    with zipfile.ZipFile(saved) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml")
    assert b't="s"' in sheet and b"<dimension " in sheet  # shaped as Excel saves
    expected = openpyxl_rows(saved)
    assert len(expected) >= 5 and expected[1][1][1] == "  Zoë Ødegård "
    assert streamed_rows(saved) == expected
