"""Property: any text in a cell comes back from write → read → validate unchanged but trimmed."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from cmio_desktop.io.mapping import auto_map
from cmio_desktop.io.tabular import read_table
from cmio_desktop.io.validation import validate_stakeholders
from tests.unit.io.files import write_xlsx

HEADERS = ["Name", "Notes", "Title", "Department"]

# Text a workbook can hold: no surrogates, none of the control characters XML 1.0 forbids.
workbook_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40).filter(
    lambda s: not ILLEGAL_CHARACTERS_RE.search(s) and "\ufffe" not in s and "\uffff" not in s
)
# Text a CSV can hold: anything but NUL (which marks a file as binary) and surrogates.
csv_text = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40
)


def _check(path: Path, text: str) -> None:
    table = read_table(path)
    result = validate_stakeholders(table, 0, auto_map(table.rows[0], "stakeholders"))
    assert result.issues == []
    (record,) = result.records
    assert record.name == ("N" + text).strip()
    assert record.notes == (text.strip() or None)
    assert record.title == (("=" + text).strip() or None)
    assert record.department == ((text + " ").strip() or None)


def _row(text: str) -> list[str]:
    return ["N" + text, text, "=" + text, text + " "]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=workbook_text)
def test_text_roundtrips_through_xlsx(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = write_xlsx(Path(folder) / "t.xlsx", [HEADERS, _row(text)])
        _check(path, text)


@settings(max_examples=150, deadline=None)
@given(
    text=csv_text,
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]),
    delimiter=st.sampled_from([",", ";", "\t"]),
)
def test_text_roundtrips_through_csv(text: str, encoding: str, delimiter: str) -> None:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerows([HEADERS, _row(text)])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "t.csv"
        path.write_bytes(buffer.getvalue().encode(encoding))
        _check(path, text)
