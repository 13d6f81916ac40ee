"""The streaming cell reader gives exactly what openpyxl's own read-only rows give."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime, time, timedelta
from pathlib import Path

import openpyxl
import pytest
from defusedxml import DTDForbidden, EntitiesForbidden
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.reader.strings import read_string_table
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from cmio_desktop.io import read_xlsx
from cmio_desktop.io.tabular import ImportFileError, read_table
from cmio_desktop.io.xlsx_cells import (
    MAX_COLUMN,
    _column_of,
    _SheetParser,
    iter_sheet_values,
    read_shared_strings,
)
from tests.unit.io.files import MAIN_NS, SHEET1, excel_shaped, rewrite_member, wire_shared_strings


def openpyxl_rows(path: Path) -> list[tuple[int, list[object]]]:
    """Reference: openpyxl's read-only values, numbered, trailing blanks and empty rows dropped."""
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        ws = book.worksheets[0]
        ws.reset_dimensions()
        rows = []
        for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
            row = list(values)
            while row and row[-1] is None:
                row.pop()
            if row:
                rows.append((number, row))
        return rows
    finally:
        book.close()


def streamed_rows(path: Path) -> list[tuple[int, list[object]]]:
    with read_xlsx._open_workbook(path) as book:
        return list(iter_sheet_values(book.workbook.worksheets[0]))  # type: ignore[attr-defined]


def typed_workbook(path: Path, *, write_only: bool = False, epoch: object = None) -> Path:
    book = openpyxl.Workbook(write_only=write_only)
    if epoch is not None:
        book.epoch = epoch
    ws = book.create_sheet("People") if write_only else book.active
    rows: list[list[object]] = [
        ["ID", "Name", "Score", "Ratio", "Flag", "When", "Day", "At", "Took", "Err"],
        [
            "E1",
            "  Zoë Ødegård ",
            3,
            2.5,
            True,
            datetime(2026, 3, 4, 9, 30),
            date(2025, 12, 31),
            time(7, 15),
            timedelta(hours=30, minutes=5),
            "#N/A",
        ],
        [
            None,
            "=1+2",
            -7,
            1e-5,
            False,
            datetime(1900, 1, 1),
            date(1904, 1, 2),
            time(0, 0, 1),
            timedelta(0),
            "#DIV/0!",
        ],
        [],
        ["E3", "多言語 テキスト", 12345678901234, -0.0, None, None, None, None, None, None],
        [None, None, None, None, None, None, None, None, None, "trailing"],
    ]
    if write_only:
        for row in rows:
            ws.append(row)
    else:
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    cell = ws.cell(r, c, value)
                    if value == "=1+2":
                        cell.data_type = "s"
        ws.cell(9, 3, "after a gap")
        ws.cell(9, 12).number_format = "0.00"  # a styled empty cell beyond the last value
        ws.cell(10, 2).value = CellRichText(["plain ", TextBlock(InlineFont(b=True), "bold")])
    book.save(path)
    return path


@pytest.mark.parametrize(
    ("write_only", "shared"),
    [(False, False), (True, False), (False, True)],
    ids=["openpyxl", "openpyxl-write-only", "excel-like-shared-strings"],
)
def test_typed_values_match_openpyxl(tmp_path: Path, write_only: bool, shared: bool) -> None:
    path = typed_workbook(tmp_path / "typed.xlsx", write_only=write_only)
    if shared:
        excel_shaped(path)
        with zipfile.ZipFile(path) as archive:
            assert archive.read(SHEET1).count(b't="s"') >= 8
        declared = openpyxl.load_workbook(path, read_only=True)
        assert (declared.worksheets[0].max_row, declared.worksheets[0].max_column) == (10, 12)
        declared.close()
    expected = openpyxl_rows(path)
    assert len(expected) >= 5  # the fixture really has rows, types and gaps
    assert expected[1][1][1] == "  Zoë Ødegård "
    assert streamed_rows(path) == expected


def test_1904_workbook_dates_match_openpyxl(tmp_path: Path) -> None:
    path = typed_workbook(tmp_path / "mac.xlsx", epoch=CALENDAR_MAC_1904)
    rows = streamed_rows(path)
    assert rows == openpyxl_rows(path)
    assert rows[1][1][5] == datetime(2026, 3, 4, 9, 30)


SHARED = (
    f'<sst xmlns="{MAIN_NS}" count="2" uniqueCount="2"><si><t>shared zero</t></si>'
    '<si><r><t>Dr </t></r><r><rPr><b/></rPr><t>Who</t></r><rPh sb="0" eb="1"><t>ドク</t></rPh></si>'
    "</sst>"
)


def hand_written(path: Path, sheet_data: str, prefix: str = "") -> Path:
    """A workbook whose first sheet is ``sheet_data`` (inside sheetData), with two shared
    strings: "shared zero" and a rich text "Dr Who" with a phonetic run."""
    openpyxl.Workbook().save(path)
    p = f"{prefix}:" if prefix else ""
    sheet_data = re.sub(r"<(/?)(\w+)", rf"<\1{p}\2", sheet_data)
    xmlns = f"xmlns:{prefix}" if prefix else "xmlns"
    xml = (
        f'<?xml version="1.0" encoding="UTF-8"?><{p}worksheet {xmlns}="{MAIN_NS}">'
        f"<{p}sheetData>{sheet_data}</{p}sheetData></{p}worksheet>"
    )
    wire_shared_strings(path, SHARED.encode())
    return rewrite_member(path, SHEET1, lambda _old: xml.encode())


HAND_WRITTEN = (
    # cells and rows without references count on from the previous one
    '<row><c t="inlineStr"><is><t>a</t></is></c><c><v>2</v></c><c r="E1"><v>5</v></c>'
    "<c><v>6.0</v></c></row>"
    # rich inline text with a phonetic run (left out), a formula's cached text result
    '<row r="3"><c r="A3" t="inlineStr"><is><r><t xml:space="preserve">Dr </t></r>'
    '<r><t>Okafor</t></r><rPh sb="0" eb="1"><t>おかふぉ</t></rPh></is></c>'
    '<c r="B3" t="str"><f>A3&amp;"!"</f><v>Dr Okafor!</v></c>'
    '<c r="C3" t="d"><v>2026-01-02T03:04:05</v></c><c r="D3" t="e"><v>#REF!</v></c>'
    '<c r="E3" t="b"><v>1</v></c><c r="F3" t="s"><v>1</v></c><c r="G3"><v></v></c>'
    '<c r="H3" t="s"><v>0</v></c><c r="I3"><v>1E3</v></c></row>'
    # an empty inline string, a row number written as a float, a repeated row (skipped)
    '<row r="5.0"><c r="B5" t="inlineStr"><is/></c><c r="C5" t="inlineStr"><is><t/></is></c>'
    '<c r="D5"><v>4</v></c></row>'
    '<row r="4"><c r="A4"><v>9</v></c></row>'
    '<row r="7"><c r="ZZ7" t="inlineStr"><is><t>far</t></is></c></row>'
)


@pytest.mark.parametrize("prefix", ["", "x"], ids=["default-namespace", "prefixed"])
def test_hand_written_sheet_matches_openpyxl(tmp_path: Path, prefix: str) -> None:
    path = hand_written(tmp_path / "hand.xlsx", HAND_WRITTEN, prefix)
    rows = streamed_rows(path)
    assert rows == openpyxl_rows(path)
    assert rows[0] == (1, ["a", 2, None, None, 5, 6.0])
    assert rows[1][1][:2] == ["Dr Okafor", "Dr Okafor!"]
    assert rows[1][1][5] == "Dr Who" and rows[1][1][7] == "shared zero"
    assert [number for number, _ in rows] == [1, 3, 5, 7]
    assert len(rows[3][1]) == _column_of("ZZ")


def test_import_reader_uses_the_spreadsheet_row_numbers(tmp_path: Path) -> None:
    path = hand_written(tmp_path / "numbers.xlsx", HAND_WRITTEN)
    table = read_table(path)
    assert table.row_numbers == [1, 3, 5, 7]
    assert table.rows[2] == [None, "", "", 4]


def test_a_sheet_without_a_dimension_is_read_once(tmp_path: Path) -> None:
    """openpyxl's size pre-scan would parse the whole sheet; ours never asks for the size."""
    path = typed_workbook(tmp_path / "stream.xlsx", write_only=True)
    with read_xlsx._open_workbook(path) as book:
        ws = book.workbook.worksheets[0]  # type: ignore[attr-defined]
        assert ws.max_row is None and ws.max_column is None
    plain = openpyxl.load_workbook(path, read_only=True)
    assert plain.worksheets[0].max_row is None  # the file has no <dimension> at all
    plain.close()


@pytest.mark.parametrize(
    ("reference", "column"), [("A1", 1), ("Z9", 26), ("AA10", 27), ("XFD1048576", MAX_COLUMN)]
)
def test_column_of(reference: str, column: int) -> None:
    assert _column_of(reference) == column


@pytest.mark.parametrize("reference", ["12", "a1", "ABCD1", "A-1"])
def test_bad_cell_references(reference: str) -> None:
    with pytest.raises(ValueError, match="not a cell reference"):
        _column_of(reference)


def test_a_value_beyond_column_xfd_is_refused_as_damaged(tmp_path: Path) -> None:
    path = hand_written(tmp_path / "wide.xlsx", '<row r="1"><c r="ZZZ1"><v>1</v></c></row>')
    with pytest.raises(ImportFileError, match="damaged.*beyond column XFD"):
        read_table(path)


def test_bad_cell_reference_is_reported_as_damaged(tmp_path: Path) -> None:
    path = hand_written(tmp_path / "ref.xlsx", '<row r="1"><c r="1A"><v>1</v></c></row>')
    with pytest.raises(ImportFileError, match="damaged"):
        read_table(path)


def test_parser_refuses_document_type_declarations_and_entities() -> None:
    doctype = b'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY a "x">]><worksheet/>'
    with pytest.raises((DTDForbidden, EntitiesForbidden)):
        _SheetParser(None).feed(doctype)  # type: ignore[arg-type]


def test_shared_strings_match_openpyxl() -> None:
    sst = (
        f'<sst xmlns="{MAIN_NS}"><si><t xml:space="preserve"> padded </t></si><si><t/></si>'
        "<si><r><t>Dr </t></r><r><rPr><b/></rPr><t>Who</t></r>"
        '<rPh sb="0" eb="1"><t>ドク</t></rPh><phoneticPr fontId="1"/></si>'
        "<si><t>escaped _x005F_x000D_ and &amp; &lt;</t></si><si><t>Zoë\n多言語</t></si></sst>"
    ).encode()
    expected = read_string_table(io.BytesIO(sst))
    assert expected[2] == "Dr Who" and len(expected) == 5
    assert read_shared_strings(io.BytesIO(sst)) == expected


def test_shared_strings_refuse_entities() -> None:
    sst = f'<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY a "x">]><sst xmlns="{MAIN_NS}"/>'
    with pytest.raises((DTDForbidden, EntitiesForbidden)):
        read_shared_strings(io.BytesIO(sst.encode()))


def test_style_zero_and_padded_style_numbers_can_be_dates(tmp_path: Path) -> None:
    """A cell without ``s`` has style 0, and ``s="01"`` is style 1: both dates here."""
    path = hand_written(
        tmp_path / "styles.xlsx",
        '<row r="1"><c r="A1"><v>45000</v></c><c r="B1" s="01"><v>45000.5</v></c>'
        '<c r="C1" s="2"><v>1.25</v></c><c r="D1" s="3"><v>7</v></c></row>',
    )
    xfs = (
        '<cellXfs count="4"><xf numFmtId="14" xfId="0"/><xf numFmtId="22" xfId="0"/>'
        '<xf numFmtId="46" xfId="0"/><xf numFmtId="0" xfId="0"/></cellXfs>'
    )
    rewrite_member(
        path,
        "xl/styles.xml",
        lambda xml: re.sub(rb"<cellXfs.*</cellXfs>", xfs.encode(), xml, flags=re.S),
    )
    rows = streamed_rows(path)
    assert rows == openpyxl_rows(path)
    assert rows[0][1] == [
        datetime(2023, 3, 15),
        datetime(2023, 3, 15, 12),
        timedelta(days=1, hours=6),
        7,
    ]


def test_a_reference_of_a_million_letters_is_refused_at_once(tmp_path: Path) -> None:
    """Checked by length before any arithmetic (a 6 kB file must not keep the import busy)."""
    path = hand_written(tmp_path / "long.xlsx", f'<row r="1"><c r="{"A" * 1_000_000}1"/></row>')
    with pytest.raises(ImportFileError, match="damaged.*not a cell reference"):
        read_table(path)


def test_spaces_around_a_reference_are_accepted_as_openpyxl_does(tmp_path: Path) -> None:
    path = hand_written(tmp_path / "spaced.xlsx", '<row r="1"><c r="B1 "><v>2</v></c></row>')
    assert streamed_rows(path) == openpyxl_rows(path) == [(1, [None, 2])]
