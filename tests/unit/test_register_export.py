"""The register export: a tidy, safe workbook that imports straight back (round trip)."""

from __future__ import annotations

import os
from pathlib import Path

import openpyxl
import pytest

from cmio_desktop import models as m
from cmio_desktop.cli import main
from cmio_desktop.io.mapping import auto_map
from cmio_desktop.io.register_export import REGISTER_HEADERS, ExportError, write_register
from cmio_desktop.io.xlsx_safety import clean_text, is_risky, set_text
from cmio_desktop.services import crud
from cmio_desktop.services.import_register import export_register

from .test_importing_helpers import plan_file

RISKY = {
    "notes": '=HYPERLINK("http://evil.example","click")',
    "title": "+44 20 7946 0000",
    "department": "@home",
    "site": "-North",
}


def test_headers_map_back_to_every_register_field() -> None:
    mapping = auto_map(list(REGISTER_HEADERS), "stakeholders")
    assert len(mapping) == len(REGISTER_HEADERS)
    assert set(mapping) == {
        "external_id",
        "name",
        "title",
        "role",
        "group",
        "department",
        "site",
        "email",
        "phone",
        "influence",
        "interest",
        "attitude",
        "desired_attitude",
        "champion",
        "super_user",
        "notes",
    }


def test_export_is_styled_filtered_frozen_and_neutralised(sample_ws, tmp_path) -> None:
    crud.update(sample_ws, m.Stakeholder, 1, **RISKY)
    (tmp_path / "out").mkdir()
    path = tmp_path / "out" / "register.xlsx"
    assert export_register(sample_ws, path) == 120
    assert (path.stat().st_mode & 0o777) == 0o600  # exports stay private, like workspaces
    assert [p.name for p in path.parent.iterdir()] == ["register.xlsx"]  # no temp file left
    book = openpyxl.load_workbook(path)
    ws = book["Register"]
    assert [c.value for c in ws[1]] == list(REGISTER_HEADERS)
    assert ws["A1"].font.b and ws["A1"].fill.fgColor.rgb.endswith("1F5F6B")
    assert ws.freeze_panes == "C2"
    assert ws.auto_filter.ref == "A1:P121"
    assert ws.column_dimensions["B"].width == 26
    assert ws.max_row == 121
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "RH100001")
    cells = {REGISTER_HEADERS[i]: c for i, c in enumerate(row)}
    for header, field in (
        ("Notes", "notes"),
        ("Title", "title"),
        ("Department", "department"),
        ("Site", "site"),
    ):
        cell = cells[header]
        assert cell.value == RISKY[field]  # the same text, never a formula
        assert cell.data_type == "s" and cell.quotePrefix
    assert cells["Name"].quotePrefix is False  # ordinary text is left alone
    assert cells["Power (rated)"].data_type == "n"
    assert cells["Physician champion"].value in ("Yes", "No")


def test_round_trip_shows_exactly_the_cells_edited_in_excel(sample_ws, tmp_path) -> None:
    crud.update(sample_ws, m.Stakeholder, 1, **RISKY)
    path = tmp_path / "register.xlsx"
    export_register(sample_ws, path)
    book = openpyxl.load_workbook(path)  # what Excel does: open, edit some cells, save
    ws = book["Register"]
    by_id = {r[0].value: r for r in ws.iter_rows(min_row=2)}
    column = {h: i for i, h in enumerate(REGISTER_HEADERS)}
    edits = {
        ("RH100002", "Title"): "Chief of Surgery",
        ("RH100003", "Power (rated)"): (
            5 if by_id["RH100003"][column["Power (rated)"]].value != 5 else 1
        ),
        ("RH100004", "Phone"): None,
        ("RH100005", "Role"): "Pharmacist",
        ("RH100006", "Notes"): "=2+2 is what they said",
    }
    if by_id["RH100005"][column["Role"]].value == "Pharmacist":
        edits[("RH100005", "Role")] = "Nurse"
    for (ident, header), value in edits.items():
        cell = by_id[ident][column[header]]
        if isinstance(value, str):
            set_text(cell, value)
        else:
            cell.value = value
    edited = tmp_path / "edited.xlsx"
    book.save(edited)

    plan = plan_file(sample_ws, edited, "stakeholders")
    assert plan.rejected == [] and plan.new == []
    assert len(plan.unchanged) == 120 - len(edits)
    labels = {
        "Title": "title",
        "Power (rated)": "power (rated)",
        "Phone": "phone",
        "Role": "role",
        "Notes": "notes",
    }
    seen = {}
    for planned in plan.updated:
        (change,) = planned.changes
        ident = planned.label.rsplit("(", 1)[1].rstrip(")")
        seen[(ident, change.label)] = change.new
    expected = {}
    for (ident, header), value in edits.items():
        new = value if value is not None else ""
        expected[(ident, labels[header])] = new
    assert {k: str(getattr(v, "label", v)) for k, v in seen.items()} == {
        k: str(v) for k, v in expected.items()
    }


def test_cli_export_register(sample_ws, tmp_path, capsys) -> None:
    out = tmp_path / "reg.xlsx"
    assert main(["export-register", str(sample_ws.path), str(out)]) == 0
    assert capsys.readouterr().out == f"Exported 120 people to {out}.\n"
    assert main(["export-register", str(sample_ws.path), str(tmp_path)]) == 1
    assert "is a folder" in capsys.readouterr().err


def test_export_failures_are_clear_and_leave_the_old_file(tmp_path, monkeypatch) -> None:
    target = tmp_path / "register.xlsx"
    target.write_bytes(b"the earlier export")
    with pytest.raises(ExportError, match="does not exist"):
        write_register(tmp_path / "missing" / "r.xlsx", [])
    with pytest.raises(ExportError, match="saved as a .xlsx file"):
        write_register(tmp_path / "r.csv", [])

    def locked(src, dst):  # what Windows does while Excel has the file open
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(ExportError, match="open in another program .such as Excel. or read-only"):
        write_register(target, [])
    assert target.read_bytes() == b"the earlier export"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["register.xlsx"]


def test_text_safety_helpers() -> None:
    for text in ("=1+2", "+1 555", "-x", "@SUM(A1)", "\tx", "\rx", "\nx", "＝1"):
        assert is_risky(text), text
    for text in ("Ada", " =1", "1-2", "a@b.org", ""):
        assert not is_risky(text), text
    assert clean_text("a\x00b\x07c\ud800d\ufffe") == "abcd"
    assert clean_text("x" * 40_000) == "x" * 32_767
    book = openpyxl.Workbook()
    cell = book.active["A1"]
    set_text(cell, "=cmd|' /C calc'!A0")
    assert cell.data_type == "s" and cell.quotePrefix and cell.value.startswith("=cmd")


def test_illegal_characters_are_dropped_not_fatal(tmp_path) -> None:
    from cmio_desktop.io.register_export import register_row

    row = register_row(
        "X1",
        "Bell\x07 Person",
        None,
        "it",
        "it",
        None,
        None,
        None,
        None,
        3,
        3,
        "neutral",
        "supportive",
        False,
        False,
        "=note\x00",
    )
    path = tmp_path / "r.xlsx"
    assert write_register(path, [row]) == 1
    ws = openpyxl.load_workbook(path).active
    assert ws["B2"].value == "Bell Person" and ws["P2"].value == "=note"
    assert ws["D2"].value == "IT" and ws["L2"].value == "Neutral"


def test_folder_paths_are_not_overwritten(tmp_path: Path) -> None:
    folder = tmp_path / "out.xlsx"
    folder.mkdir()
    with pytest.raises(ExportError, match="is a folder"):
        write_register(folder, [])
