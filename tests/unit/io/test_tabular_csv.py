"""Reading delimited text: encodings, delimiters, line numbers and refusals."""

from __future__ import annotations

from pathlib import Path

import pytest

from cmio_desktop.io.read_csv import decode_text, detect_delimiter
from cmio_desktop.io.tabular import MAX_COLUMNS, ImportFileError, list_sheets, read_table
from tests.unit.io.files import write_csv

STAFF = "Name,Role,Notes\nZoë Ødegård,Nurse,café ‘quoted’ €5\nBo,MD,\n"


@pytest.mark.parametrize(
    ("encoding", "detected"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("cp1252", "cp1252"), ("utf-16", "utf-16")],
)
def test_encodings(tmp_path: Path, encoding: str, detected: str) -> None:
    table = read_table(write_csv(tmp_path / "staff.csv", STAFF, encoding))
    assert table.encoding == detected
    assert table.rows == [
        ["Name", "Role", "Notes"],
        ["Zoë Ødegård", "Nurse", "café ‘quoted’ €5"],
        ["Bo", "MD"],
    ]
    assert table.sheet is None and table.row_numbers == [1, 2, 3]


def test_cp1252_undefined_bytes_do_not_fail() -> None:
    text, encoding = decode_text("Name\nAnn\x81".encode("latin-1"))
    assert (text, encoding) == ("Name\nAnn\x81", "cp1252")


def test_utf8_is_tried_strictly_first() -> None:
    # "Ã©" in cp1252 is the UTF-8 encoding of "é": valid UTF-8 wins.
    assert decode_text("é".encode()) == ("é", "utf-8")
    assert decode_text(b"\xe9") == ("é", "cp1252")


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_delimiters(tmp_path: Path, delimiter: str) -> None:
    text = "\n".join(
        delimiter.join(row)
        for row in [
            ["Name", "Role", "Influence"],
            ['"Lee, Ann; RN"', "Nurse", "3,5"],
            ["Bo", "MD", "4"],
        ]
    )
    table = read_table(write_csv(tmp_path / "t.csv", text + "\n"))
    assert table.delimiter == delimiter
    assert table.rows[0] == ["Name", "Role", "Influence"]
    assert table.rows[1][0] == "Lee, Ann; RN"
    assert table.rows[2] == ["Bo", "MD", "4"]


def test_semicolons_with_decimal_commas_and_title_rows(tmp_path: Path) -> None:
    text = (
        "Riverside Health — staff list, March\n"
        "\n"
        "Name;Department;Influence;Notes\n"
        "Lee, Ann;4B, east;3,0;likes it, mostly\n"
        "Bo;ICU;4;\n"
        "Cy;ED;2;a, b, c, d\n"
    )
    table = read_table(write_csv(tmp_path / "eu.csv", text))
    assert table.delimiter == ";"
    assert table.rows[2] == ["Lee, Ann", "4B, east", "3,0", "likes it, mostly"]
    assert table.row_numbers == [1, 3, 4, 5, 6]


def test_tsv_and_single_column(tmp_path: Path) -> None:
    assert read_table(write_csv(tmp_path / "a.tsv", "Name\tRole\nAnn\tRN\n")).delimiter == "\t"
    single = read_table(write_csv(tmp_path / "one.txt", "Name\nAnn\nBo\n"))
    assert single.delimiter == "," and single.rows == [["Name"], ["Ann"], ["Bo"]]


def test_tie_broken_by_sniffer_then_order() -> None:
    assert detect_delimiter("a;b\nc;d\n") == ";"
    assert detect_delimiter("a,b;c\nd,e;f\n") in {",", ";"}
    assert detect_delimiter("a\tb\n", prefer_tab=True) == "\t"


def test_line_numbers_follow_the_file(tmp_path: Path) -> None:
    text = 'Name,Notes\r\n\r\nAnn,"two\r\nlines"\r\n,\r\nBo,x\r\n'
    table = read_table(write_csv(tmp_path / "lines.csv", text))
    assert table.rows == [["Name", "Notes"], ["Ann", "two\r\nlines"], ["Bo", "x"]]
    assert table.row_numbers == [1, 3, 6]


def test_spaces_are_kept_and_empty_fields_become_none(tmp_path: Path) -> None:
    table = read_table(write_csv(tmp_path / "s.csv", "Name,Role,Site\n  Ann , ,\n"))
    assert table.rows[1] == ["  Ann ", " "]
    assert list_sheets(tmp_path / "s.csv") == []


def test_sheet_argument_is_ignored_for_text(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "s.csv", "Name\nAnn\n")
    assert read_table(path, sheet="Anything").rows == [["Name"], ["Ann"]]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "“bad.csv” is empty."),
        (b"  \r\n\t\n", "“bad.csv” is empty (it contains no text)."),
        (b"Name\x00\x01\x02\x00", "“bad.csv” does not look like a text (CSV) file"),
        (b"\xff\xfeN\x00\x00\xd8", "“bad.csv” starts like a UTF-16 (Unicode Text) file"),
    ],
)
def test_refused_text(tmp_path: Path, content: bytes, reason: str) -> None:
    (tmp_path / "bad.csv").write_bytes(content)
    with pytest.raises(ImportFileError) as error:
        read_table(tmp_path / "bad.csv")
    assert str(error.value).startswith(reason)


def test_caps(tmp_path: Path) -> None:
    rows = write_csv(tmp_path / "rows.csv", "Name\n" + "".join(f"P{i}\n" for i in range(10)))
    with pytest.raises(ImportFileError, match="“rows.csv” has more than 5 rows of data"):
        read_table(rows, max_rows=5)
    wide = write_csv(tmp_path / "wide.csv", "Name\n" + "x," * MAX_COLUMNS + "x\n")
    with pytest.raises(ImportFileError, match=f"line 2 has {MAX_COLUMNS + 1} fields"):
        read_table(wide)


def test_csv_parse_error_names_the_line(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "huge.csv", 'Name,Notes\nAnn,"' + "x" * 200_000 + '"\n')
    with pytest.raises(ImportFileError, match="“huge.csv” cannot be read as CSV near line"):
        read_table(path)
