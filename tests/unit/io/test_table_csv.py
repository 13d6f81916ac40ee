"""A list saved as CSV: read back as written, formulas disarmed, nothing half-written."""

from __future__ import annotations

import csv
import os

import pytest

from cmio_desktop.io.export_target import ExportError
from cmio_desktop.io.table_csv import write_table_csv


def read(path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def test_rows_read_back_and_formulas_are_disarmed(tmp_path) -> None:
    target = tmp_path / "list.csv"
    rows = [("Ana Wong", "neutral → resistant", '=HYPERLINK("x")'), ("Zoë", "+44 20", None)]
    assert write_table_csv(target, ("Who", "Change", "Note"), rows) == 2
    assert read(target) == [
        ["Who", "Change", "Note"],
        ["Ana Wong", "neutral → resistant", '\'=HYPERLINK("x")'],
        ["Zoë", "'+44 20", ""],
    ]


def test_a_failed_write_leaves_the_old_file(tmp_path) -> None:
    target = tmp_path / "list.csv"
    target.write_text("old", encoding="utf-8")

    def stop(_done: int, _total: int) -> None:
        raise ExportError("The export was cancelled; no file was written.")

    with pytest.raises(ExportError):
        write_table_csv(target, ("n",), [(i,) for i in range(6000)], progress=stop)
    assert target.read_text(encoding="utf-8") == "old"
    assert sorted(os.listdir(tmp_path)) == ["list.csv"]


def test_wrong_suffix_and_missing_folder_say_so(tmp_path) -> None:
    with pytest.raises(ExportError, match="saved as a .csv file"):
        write_table_csv(tmp_path / "list.txt", ("n",), [])
    with pytest.raises(ExportError, match="does not exist"):
        write_table_csv(tmp_path / "gone" / "list.csv", ("n",), [])
    assert os.listdir(tmp_path) == []
