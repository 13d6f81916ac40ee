"""The calamine fast path gives exactly what the expat reader gives, or declines.

Every workbook the io tests build is read both ways: where the fast path takes a sheet its rows
must equal the expat reader's (which ``test_xlsx_cells`` holds equal to openpyxl's); the
sheets it must decline (error, date and boolean cells, ``3.0``, empty text, odd structure,
archives that lie about their sizes, grids too large) are declined.
"""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from cmio_desktop.io import read_xlsx, xlsx_calamine
from cmio_desktop.io.tabular import ImportFileError, read_table
from cmio_desktop.io.xlsx_calamine import calamine_rows
from cmio_desktop.io.xlsx_cells import iter_sheet_values
from tests.unit.io.files import (
    MAIN_NS,
    SHEET1,
    excel_shaped,
    rewrite_member,
    wire_shared_strings,
)
from tests.unit.io.test_xlsx_cells import HAND_WRITTEN, hand_written, openpyxl_rows, typed_workbook

Rows = list[tuple[int, list[object]]]


def both_readers(path: Path, max_rows: int = 200_000) -> tuple[Rows | None, Rows]:
    with read_xlsx._open_workbook(path) as book:
        ws = book.workbook.worksheets[0]  # type: ignore[attr-defined]
        fast = calamine_rows(path, ws, max_rows)
        fast_rows = None if fast is None else list(fast)
        return fast_rows, list(iter_sheet_values(ws))


def text_and_numbers(path: Path, *, write_only: bool = False, shared: bool = False) -> Path:
    """A register-like table: text (unicode, spaces kept, formula-like, rich), whole and
    decimal numbers, gaps, a blank row and a row far down."""
    book = openpyxl.Workbook(write_only=write_only)
    ws = book.create_sheet("People") if write_only else book.active
    rows: list[list[object]] = [
        ["External ID", "Name", "Power (rated)", "Ratio", "Notes", "Phone"],
        ["E1", "  Zoë Ødegård ", 3, 2.5, "=1+2", "+1 555 0100"],
        ["E2", "多言語 テキスト", -7, -0.125, None, 5550100],
        [],
        [None, "O'Brien & <Sons>", 12345678901234, 1e-05, "tab\there", None],
        ["E4", " ", 0, 2.5e-7, "line\nbreak", None],
        [None, None, None, None, None, None, "far right"],
    ]
    for row in rows:
        ws.append(row)
    if not write_only:
        ws.cell(40, 2, "after a gap")
    book.save(path)
    if shared:
        excel_shaped(path)
    return path


@pytest.mark.parametrize(
    ("write_only", "shared"),
    [(False, False), (True, False), (False, True)],
    ids=["openpyxl", "openpyxl-write-only", "excel-like-shared-strings"],
)
def test_text_and_number_tables_take_the_fast_path_and_agree(
    tmp_path: Path, write_only: bool, shared: bool
) -> None:
    path = text_and_numbers(tmp_path / "plain.xlsx", write_only=write_only, shared=shared)
    fast, streamed = both_readers(path)
    assert fast is not None, "the fast path declined a plain text and number table"
    assert fast == streamed == openpyxl_rows(path)
    assert fast[1][1][1] == "  Zoë Ødegård " and fast[1][1][2] == 3
    assert type(fast[1][1][2]) is int and type(fast[1][1][3]) is float
    assert read_table(path).rows[1][:3] == ["E1", "  Zoë Ødegård ", 3]


def every_fixture(tmp: Path) -> dict[str, Path]:
    return {
        "typed": typed_workbook(tmp / "typed.xlsx"),
        "typed-write-only": typed_workbook(tmp / "typed-wo.xlsx", write_only=True),
        "typed-excel-shaped": excel_shaped(typed_workbook(tmp / "typed-x.xlsx")),
        "1904": typed_workbook(tmp / "mac.xlsx", epoch=CALENDAR_MAC_1904),
        "hand-written": hand_written(tmp / "hand.xlsx", HAND_WRITTEN),
        "hand-written-prefixed": hand_written(tmp / "hand-x.xlsx", HAND_WRITTEN, "x"),
        "plain": text_and_numbers(tmp / "plain.xlsx"),
        "plain-shared": text_and_numbers(tmp / "plain-s.xlsx", shared=True),
    }


def test_every_fixture_workbook_reads_the_same_either_way(tmp_path: Path) -> None:
    taken = []
    for name, path in every_fixture(tmp_path).items():
        fast, streamed = both_readers(path)
        assert streamed == openpyxl_rows(path), name
        if fast is not None:
            assert fast == streamed, name
            taken.append(name)
    # The typed workbooks hold error and date cells, the hand-written ones rows without numbers.
    assert taken == ["plain", "plain-shared"]


PLAIN_SHARED = (
    f'<sst xmlns="{MAIN_NS}" count="2" uniqueCount="2"><si><t>shared zero</t></si>'
    '<si><r><t xml:space="preserve">Dr </t></r><r><rPr><b/></rPr><t>Who</t></r></si></sst>'
).encode()


def plain_sheet(path: Path, sheet_data: str) -> Path:
    """A workbook whose first sheet is ``sheet_data``, with :data:`PLAIN_SHARED`."""
    return wire_shared_strings(hand_written(path, sheet_data), PLAIN_SHARED)


def sheet_with(path: Path, cells: str) -> Path:
    """A one-row sheet whose row 1 is ``cells`` (written by hand), with two shared strings:
    "shared zero" and a rich text "Dr Who" (no phonetic run)."""
    row = f'<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c>{cells}</row>'
    return plain_sheet(path, row)


@pytest.mark.parametrize(
    ("cells", "why"),
    [
        ('<c r="B1" t="e"><v>#N/A</v></c>', "an error cell comes back blank"),
        ('<c r="B1" t="b"><v>1</v></c>', "booleans"),
        ('<c r="B1" t="d"><v>2026-01-02</v></c>', "ISO date cells"),
        ('<c r="B1"><v>3.0</v></c>', "openpyxl keeps 3.0 a float"),
        ('<c r="B1"><v>1E3</v></c>', "an exponent"),
        ('<c r="B1"><v>12345678901234567890</v></c>', "beyond a float's 53 bits"),
        ('<c r="B1" t="str"><f>A1</f><v>x</v></c>', "a formula's text result"),
        ('<c r="B1" t="inlineStr"><is><t></t></is></c>', "empty text is not a blank"),
        ('<c r="B1" t="inlineStr"><is/></c>', "empty text is not a blank"),
        ('<c r="B1" t="inlineStr"><is><t>a_x000D_b</t></is></c>', "escapes"),
        ('<c r="B1" t="inlineStr"><is><t>a&#10;b</t></is></c>', "references to controls"),
        ('<c r="B1" t="inlineStr"><is><t> b</t></is></c>', "calamine trims spaces"),
        ('<c r="B1" t="inlineStr"><is><t>b </t></is></c>', "calamine trims spaces"),
        ('<c r="B1" t="inlineStr"><is><t xml:space="default">b</t></is></c>', "trims"),
        ('<c r="B1" t="inlineStr"><is><t>a</t><rPh><t>b</t></rPh></is></c>', "phonetic runs"),
        ('<c t="inlineStr"><is><t>b</t></is></c>', "a cell without a reference"),
        ('<c r="AAA1"><v>1</v></c>', "beyond column ZZ"),
    ],
)
def test_cells_calamine_reads_differently_are_declined(
    tmp_path: Path, cells: str, why: str
) -> None:
    path = sheet_with(tmp_path / "odd.xlsx", cells)
    fast, streamed = both_readers(path)
    assert fast is None, why
    assert streamed[0][1][0] == "x"


def test_the_plain_hand_written_sheet_is_taken(tmp_path: Path) -> None:
    cells = (
        '<c r="B1"><v>2</v></c><c r="C1" t="inlineStr"><is><t>Zo&#235;&#x1F600;</t></is></c>'
        '<c r="D1" t="s"><v>1</v></c><c r="E1" t="s"><v>0</v></c>'
    )
    fast, streamed = both_readers(sheet_with(tmp_path / "ok.xlsx", cells))
    assert fast == streamed == [(1, ["x", 2, "Zoë\U0001f600", "Dr Who", "shared zero"])]


def test_rows_out_of_order_and_far_apart_are_declined(tmp_path: Path) -> None:
    backwards = plain_sheet(
        tmp_path / "back.xlsx",
        '<row r="3"><c r="A3"><v>1</v></c></row><row r="2"><c r="A2"><v>2</v></c></row>',
    )
    assert both_readers(backwards)[0] is None
    mismatched = plain_sheet(tmp_path / "mis.xlsx", '<row r="2"><c r="A5"><v>1</v></c></row>')
    assert both_readers(mismatched)[0] is None
    # Two cells: calamine's grid would be 1,000,000 rows × 702 columns.
    far = plain_sheet(
        tmp_path / "far.xlsx",
        '<row r="1"><c r="A1"><v>1</v></c></row>'
        '<row r="1000000"><c r="ZZ1000000"><v>2</v></c></row>',
    )
    fast, streamed = both_readers(far)
    assert fast is None and len(streamed) == 2
    near = plain_sheet(tmp_path / "near.xlsx", '<row r="1"><c r="A1"><v>1</v></c></row>')
    assert both_readers(near)[0] == [(1, [1])]


def test_date_styled_cells_are_declined(tmp_path: Path) -> None:
    path = tmp_path / "dated.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["When", 45000])
    book.active["B1"].number_format = "yyyy-mm-dd"
    book.save(path)
    fast, streamed = both_readers(path)
    assert fast is None and streamed[0][1][1].year == 2023


def test_archives_too_big_for_the_fast_path_stream_with_expat(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = text_and_numbers(tmp_path / "plain.xlsx")
    monkeypatch.setattr(xlsx_calamine, "FAST_PATH_BYTES", 1000)
    fast, streamed = both_readers(path)
    assert fast is None and streamed == openpyxl_rows(path)
    monkeypatch.setattr(xlsx_calamine, "FAST_PATH_BYTES", 256 * 1024**2)
    monkeypatch.setattr(xlsx_calamine, "FAST_PATH_CELLS", 10)
    assert both_readers(path)[0] is None


def _lie_about_size(path: Path, member: str, size: int) -> None:
    """Rewrite ``member``'s declared size (local header and central directory) and its CRC
    to match only its first ``size`` bytes, as a zip bomb hiding its real size would."""
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(member)
        head = archive.read(member)[:size]
    data = bytearray(path.read_bytes())
    crc = zipfile.crc32(head)  # type: ignore[attr-defined]
    struct.pack_into("<LLL", data, info.header_offset + 14, crc, info.compress_size, size)
    end = data.rfind(b"PK\x05\x06")
    entry = struct.unpack_from("<L", data, end + 16)[0]
    while data[entry : entry + 4] == b"PK\x01\x02":
        name_len, extra_len, comment_len = struct.unpack_from("<3H", data, entry + 28)
        if data[entry + 46 : entry + 46 + name_len] == member.encode():
            struct.pack_into("<LLL", data, entry + 16, crc, info.compress_size, size)
        entry += 46 + name_len + extra_len + comment_len
    path.write_bytes(bytes(data))


def test_a_sheet_that_lies_about_its_size_never_reaches_calamine(tmp_path: Path) -> None:
    path = text_and_numbers(tmp_path / "liar.xlsx")
    _lie_about_size(path, SHEET1, 100)
    with zipfile.ZipFile(path) as archive:
        assert archive.getinfo(SHEET1).file_size == 100  # the lie is in place
    assert xlsx_calamine._verified_parts(path, SHEET1) is None
    with pytest.raises(ImportFileError):
        read_table(path)  # the expat path refuses the damaged sheet


def test_shared_strings_calamine_reads_differently_are_declined(tmp_path: Path) -> None:
    path = text_and_numbers(tmp_path / "sst.xlsx", shared=True)
    rewrite_member(path, "xl/sharedStrings.xml", lambda xml: xml.replace(b"E1", b"E_x0031_"))
    fast, streamed = both_readers(path)
    assert fast is None and streamed == openpyxl_rows(path)


@pytest.mark.parametrize("text", ["a\x01b", "a\rb"], ids=["control", "carriage-return"])
def test_control_characters_and_carriage_returns_are_left_to_expat(
    tmp_path: Path, text: str
) -> None:
    path = sheet_with(tmp_path / "ctl.xlsx", f'<c r="B1" t="inlineStr"><is><t>{text}</t></is></c>')
    with read_xlsx._open_workbook(path) as book:
        assert calamine_rows(path, book.workbook.worksheets[0], 10) is None  # type: ignore[attr-defined]
    if text == "a\x01b":  # not XML: the expat reader refuses the sheet
        with pytest.raises(ImportFileError, match="is damaged"):
            read_table(path)
    else:
        assert read_table(path).rows == [["x", "a\nb"]]


def test_shared_strings_are_read_only_when_the_expat_reader_needs_them(tmp_path: Path) -> None:
    path = text_and_numbers(tmp_path / "lazy.xlsx", shared=True)
    with read_xlsx._open_workbook(path) as book:
        strings = book.workbook.worksheets[0]._shared_strings  # type: ignore[attr-defined]
        assert strings.strings is None  # not read by opening the workbook
        assert calamine_rows(path, book.workbook.worksheets[0], 100) is not None
        assert strings.strings is None  # nor by the fast path
        assert "E1" in list(strings)


def test_a_table_that_starts_below_and_right_of_a1_keeps_its_places(tmp_path: Path) -> None:
    sheet = (
        '<row r="5"><c r="C5"><v>1</v></c><c r="E5" t="inlineStr"><is><t>x</t></is></c></row>'
        '<row r="7"><c r="D7"><v>2.5</v></c></row>'
    )
    fast, streamed = both_readers(plain_sheet(tmp_path / "offset.xlsx", sheet))
    assert fast == streamed == [(5, [None, None, 1, None, "x"]), (7, [None, None, None, 2.5])]
