"""Reading workbooks, and refusing files that are not (safe) workbooks, with clear messages."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from defusedxml import DefusedXmlException

from cmio_desktop.io import read_xlsx
from cmio_desktop.io.tabular import MAX_COLUMNS, ImportFileError, list_sheets, read_table
from tests.unit.io.files import (
    MAIN_NS,
    SHARED_STRINGS,
    SHEET1,
    SHEET_BOMB,
    SST_BOMB,
    WORKBOOK,
    entity_bomb,
    ole2_file,
    rewrite_member,
    with_shared_strings,
    write_xlsx,
)

ROOT = Path(__file__).resolve().parents[3]


def test_reads_values_types_and_row_numbers(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "staff.xlsx",
        [
            ["Riverside Health — staff list"],
            [],
            ["ID", "Name", "Influence", "Score", "Since", "Flag", None, None],
            [1001, "  Zoë Ødegård ", 3, 2.5, date(2024, 5, 1), True],
            [None, None, None],
            ["E-2", "=1+2", "4", None, datetime(2024, 5, 1, 13, 30)],
        ],
    )
    table = read_table(path)
    assert table.sheet == "Staff"
    assert table.source == path
    assert table.row_numbers == [1, 3, 4, 6]
    assert table.rows[0] == ["Riverside Health — staff list"]
    assert table.rows[1] == ["ID", "Name", "Influence", "Score", "Since", "Flag"]
    ident, name, influence, score, since, flag = table.rows[2]
    assert (ident, name, influence, score, flag) == (1001, "  Zoë Ødegård ", 3, 2.5, True)
    assert since.date() == date(2024, 5, 1)  # openpyxl gives dates as datetimes
    assert table.rows[3] == ["E-2", "=1+2", "4", None, datetime(2024, 5, 1, 13, 30)]
    assert table.width == 6 and len(table) == 4
    assert table.encoding is None and table.delimiter is None


def test_sheet_choice_and_listing(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "book.xlsx", [["Name"], ["Ann"]], extra_sheets=["Ties", "Notes"])
    assert list_sheets(path) == ["Staff", "Ties", "Notes"]
    assert read_table(path, sheet="Ties").rows == []
    assert read_table(path, sheet="  staff ").sheet == "Staff"  # forgiving about case/spaces
    with pytest.raises(ImportFileError) as error:
        read_table(path, sheet="People")
    message = str(error.value)
    assert "“book.xlsx” has no sheet named “People”" in message
    assert "“Staff”, “Ties”, “Notes”" in message


def test_default_sheet_is_the_active_one(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.title = "Cover"
    book.create_sheet("Data")["A1"] = "Name"
    book.active = 1
    book.save(tmp_path / "active.xlsx")
    assert read_table(tmp_path / "active.xlsx").sheet == "Data"


def test_header_only_and_empty_sheet(tmp_path: Path) -> None:
    only = read_table(write_xlsx(tmp_path / "h.xlsx", [["Name", "Email"]]))
    assert only.rows == [["Name", "Email"]] and only.row_numbers == [1]
    assert read_table(write_xlsx(tmp_path / "e.xlsx", [])).rows == []


def test_xlsm_and_a_workbook_misnamed_csv_are_read_as_workbooks(tmp_path: Path) -> None:
    write_xlsx(tmp_path / "a.xlsx", [["Name"], ["Ann"]])
    for name in ("macro.xlsm", "export.csv"):
        (tmp_path / name).write_bytes((tmp_path / "a.xlsx").read_bytes())
        assert read_table(tmp_path / name).rows == [["Name"], ["Ann"]]


def test_declared_dimension_is_not_trusted(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "dim.xlsx", [["Name", "Role"], ["Ann", "Nurse"], ["Bo", "MD"]])
    rewrite_member(
        path,
        SHEET1,
        lambda xml: xml.replace(b'<dimension ref="A1:B3"', b'<dimension ref="A1:Z1048576"'),
    )
    raw = openpyxl.load_workbook(path, read_only=True)
    assert raw.active.max_row == 1048576  # the lie is really in the file
    raw.close()
    table = read_table(path)
    assert table.rows == [["Name", "Role"], ["Ann", "Nurse"], ["Bo", "MD"]]


def test_row_cap(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "big.xlsx", [["Name"]] + [[f"P{i}"] for i in range(30)])
    assert len(read_table(path, max_rows=31)) == 31
    with pytest.raises(ImportFileError, match="more than 30 rows of data; at most 30 rows"):
        read_table(path, max_rows=30)
    with pytest.raises(ValueError):
        read_table(path, max_rows=0)


def test_column_cap(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.cell(row=2, column=MAX_COLUMNS + 1, value="far away")
    book.save(tmp_path / "wide.xlsx")
    with pytest.raises(ImportFileError, match=f"column {MAX_COLUMNS + 1} on row 2"):
        read_table(tmp_path / "wide.xlsx")


def test_defusedxml_is_active() -> None:
    assert openpyxl.DEFUSEDXML is True


def test_reader_refuses_to_load_without_defusedxml(tmp_path: Path) -> None:
    env = {**os.environ, "OPENPYXL_DEFUSEDXML": "False"}
    done = subprocess.run(
        [sys.executable, "-c", "import cmio_desktop.io.read_xlsx"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0
    assert "RuntimeError" in done.stderr and "defusedxml" in done.stderr


def _bomb_in(path: Path, member: str) -> Path:
    write_xlsx(path, [["Name"], ["Ann"]])
    if member == SHARED_STRINGS:
        return with_shared_strings(path, SST_BOMB)
    return rewrite_member(path, member, lambda _: SHEET_BOMB)


def test_shared_strings_wiring_works(tmp_path: Path) -> None:
    sst = f'<sst xmlns="{MAIN_NS}" count="1" uniqueCount="1"><si><t>Shared</t></si></sst>'
    path = with_shared_strings(write_xlsx(tmp_path / "s.xlsx", [["x"]]), sst.encode())
    assert read_table(path).rows == [["Shared"]]


@pytest.mark.parametrize("member", [SHARED_STRINGS, SHEET1], ids=["sharedStrings", "sheet"])
def test_entity_bomb_is_refused(tmp_path: Path, member: str) -> None:
    path = _bomb_in(tmp_path / "bomb.xlsx", member)
    with pytest.raises(ImportFileError) as error:
        read_table(path)
    message = str(error.value)
    assert message.startswith("“bomb.xlsx” was refused")
    assert member in message and "billion laughs" in message
    with pytest.raises(ImportFileError, match="refused"):
        list_sheets(path)


def test_entity_bomb_in_workbook_part_is_refused(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "bomb.xlsx", [["Name"]])
    doctype = entity_bomb("workbook", "").split(b"\n", 1)[1]  # the DTD, no declaration
    rewrite_member(path, WORKBOOK, lambda xml: doctype + xml)
    assert b"<!DOCTYPE" in zipfile.ZipFile(path).read(WORKBOOK)
    with pytest.raises(ImportFileError, match=f"{WORKBOOK} contains an XML document type"):
        read_table(path)


def test_openpyxl_itself_refuses_the_bombs_too(tmp_path: Path) -> None:
    """The second line of defence, below our own check: openpyxl parsing via defusedxml."""
    for member in (SHARED_STRINGS, SHEET1):
        path = _bomb_in(tmp_path / f"{member.split('/')[-1]}.xlsx", member)
        # Our own handle: openpyxl leaves the file it opened unclosed when loading fails.
        with path.open("rb") as handle, pytest.raises(ValueError) as error:
            openpyxl.load_workbook(handle, read_only=True)  # it wraps the error in a ValueError
        assert isinstance(error.value.__cause__, DefusedXmlException)


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b'<?xml version="1.0"?><sst/>', False),
        (b"\xef\xbb\xbf<?xml version='1.0'?>\r\n<!-- c --><worksheet>", False),
        (b"<worksheet><t>&lt;!DOCTYPE</t></worksheet>", False),
        (b'<?xml version="1.0"?><!-- <a --><!DOCTYPE x [<!ENTITY a "b">]><x/>', True),
        (b"<!DOCTYPE x><x/>", True),
        ('<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x><x/>'.encode("utf-16"), True),
        (b"<?xml version='1.0'", True),  # unterminated prolog within the window
        (b" " * 70_000, True),  # a prolog longer than the scan window
    ],
)
def test_prolog_scan(head: bytes, expected: bool) -> None:
    assert read_xlsx._prolog_declares_dtd(head[: read_xlsx._PROLOG_SCAN_BYTES]) is expected


def test_entity_bomb_builder_is_a_real_bomb() -> None:
    doc = entity_bomb("x", "<x>BOMB</x>", levels=2)
    assert b'<!ENTITY lol2 "&lol1;&lol1;' in doc and b"<x>&lol2;</x>" in doc


def test_old_xls_file(tmp_path: Path) -> None:
    for name in ("legacy.xls", "legacy.csv", "noext"):
        with pytest.raises(ImportFileError) as error:
            read_table(ole2_file(tmp_path / name))
        assert str(error.value) == (
            f"“{name}” is an old Excel 97–2003 .xls file; open it in Excel and save it as .xlsx."
        )


def test_password_protected_workbook(tmp_path: Path) -> None:
    with pytest.raises(ImportFileError, match="“secret.xlsx” is password protected"):
        read_table(ole2_file(tmp_path / "secret.xlsx"))
    with pytest.raises(ImportFileError, match="password protected"):
        list_sheets(ole2_file(tmp_path / "secret.xlsm"))
    renamed = ole2_file(tmp_path / "secret.xls", "EncryptionInfo".encode("utf-16-le"))
    with pytest.raises(ImportFileError, match="password protected"):
        read_table(renamed)


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.xlsx", b"", "“empty.xlsx” is empty."),
        ("empty.csv", b"", "“empty.csv” is empty."),
        ("noise.xlsx", bytes(range(256)) * 4, "“noise.xlsx” is not an Excel workbook"),
        ("noise.xls", b"\x01\x02garbage", "“noise.xls” is not a readable Excel file"),
        ("report.pdf", b"%PDF-1.7\n", "“report.pdf” is not a supported file type"),
    ],
)
def test_not_a_workbook(tmp_path: Path, name: str, content: bytes, reason: str) -> None:
    (tmp_path / name).write_bytes(content)
    with pytest.raises(ImportFileError) as error:
        read_table(tmp_path / name)
    assert str(error.value).startswith(reason)


def test_zip_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "photos.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("holiday.txt", "not a spreadsheet")
    with pytest.raises(ImportFileError, match="“photos.xlsx” is a ZIP archive but not an Excel"):
        read_table(path)
    ods = tmp_path / "calc.ods"
    with zipfile.ZipFile(ods, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
    with pytest.raises(ImportFileError, match="OpenDocument spreadsheet"):
        read_table(ods)
    xlsb = tmp_path / "binary.xlsb"
    with zipfile.ZipFile(xlsb, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.bin", b"\x83\x01")
    with pytest.raises(ImportFileError, match="binary workbook \\(.xlsb\\); open it in Excel"):
        read_table(xlsb)


def test_damaged_workbooks(tmp_path: Path) -> None:
    good = write_xlsx(tmp_path / "good.xlsx", [["Name"], ["Ann"]]).read_bytes()
    (tmp_path / "cut.xlsx").write_bytes(good[: len(good) // 2])
    with pytest.raises(ImportFileError, match="“cut.xlsx” is a damaged"):
        read_table(tmp_path / "cut.xlsx")
    broken = rewrite_member(
        write_xlsx(tmp_path / "broken.xlsx", [["Name"]]), WORKBOOK, lambda _: b"<not-a-workbook"
    )
    with pytest.raises(ImportFileError, match="“broken.xlsx” is not a readable Excel workbook"):
        read_table(broken)
    bad_sheet = rewrite_member(
        write_xlsx(tmp_path / "sheet.xlsx", [["Name"]]), SHEET1, lambda xml: xml[: len(xml) // 2]
    )
    with pytest.raises(ImportFileError, match="sheet “Staff” is damaged"):
        read_table(bad_sheet)


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(ImportFileError, match="“nope.xlsx” was not found"):
        read_table(tmp_path / "nope.xlsx")
    with pytest.raises(ImportFileError, match="is a folder"):
        read_table(tmp_path)


def test_strict_open_xml_workbook_gets_the_save_as_message(tmp_path: Path) -> None:
    """Strict OOXML changes the namespaces, so openpyxl would read it as empty, silently."""
    path = write_xlsx(tmp_path / "strict.xlsx", [["Name"], ["Ann"]])
    strict = b"http://purl.oclc.org/ooxml/spreadsheetml/main"
    for member in (WORKBOOK, SHEET1):
        rewrite_member(path, member, lambda xml: xml.replace(MAIN_NS.encode(), strict))
    with pytest.raises(ImportFileError, match="Strict Open XML Spreadsheet.*Excel Workbook"):
        read_table(path)
