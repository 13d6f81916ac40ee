"""The register export: a tidy, safe workbook that imports straight back (round trip)."""

from __future__ import annotations

import os
from pathlib import Path

import openpyxl
import pytest

from cmio_desktop import models as m
from cmio_desktop.cli import main
from cmio_desktop.io.export_target import ExportError
from cmio_desktop.io.mapping import auto_map
from cmio_desktop.io.register_export import READ_ONLY_HEADERS, REGISTER_HEADERS, write_register
from cmio_desktop.io.xlsx_safety import clean_text, is_risky, set_text
from cmio_desktop.services import crud
from cmio_desktop.services.stakeholders.register_export import export_register
from tests.unit.test_importing_helpers import plan_file

RISKY = {
    "notes": '=HYPERLINK("http://evil.example","click")',
    "title": "+44 20 7946 0000",
    "department": "@home",
    "site": "-North",
}


def test_headers_map_back_to_every_register_field() -> None:
    mapping = auto_map(list(REGISTER_HEADERS), "stakeholders")
    # Every column but the computed, read-only network influence and contact dates.
    assert len(mapping) == len(REGISTER_HEADERS) - len(READ_ONLY_HEADERS)
    assert REGISTER_HEADERS[-3:] == (
        "Network influence (read-only)", "Last contact (read-only)", "Next contact (read-only)",
    )  # fmt: skip
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
        "power",
        "interest",
        "attitude",
        "desired_attitude",
        "champion",
        "super_user",
        "notes",
        "is_body",
        "salience_power",
        "salience_legitimacy",
        "salience_urgency",
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
    assert ws.auto_filter.ref == "A1:W121"  # no custom fields in the sample
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
        {
            "external_id": "X1",
            "name": "Bell\x07 Person",
            "role": "it",
            "group": "it",
            "power": 3,
            "interest": 3,
            "attitude": "neutral",
            "desired_attitude": "supportive",
            "physician_champion": False,
            "super_user": False,
            "notes": "=note\x00",
        }
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


def _people(ws, sql: str) -> list[tuple]:
    from tests.unit.test_importing_helpers import table_rows

    return table_rows(ws, sql)


def test_round_trip_carries_every_field_and_reports_what_the_file_leaves_out(
    sample_ws, tmp_path, capsys
) -> None:
    from cmio_desktop.services.importing.pipeline import prepare_import
    from cmio_desktop.services.importing.run import (
        ImportOptions,
        commit_import,
        redo_import,
        undo_import,
    )
    from cmio_desktop.services.network.analysis import analyze
    from tests.unit.test_importing_helpers import fingerprint

    crud.update(sample_ws, m.Stakeholder, 1, custom_fields={"Badge": "B-12", "Locker": 7})
    crud.update(sample_ws, m.Stakeholder, 2, is_body=True, salience_urgency=True)
    crud.update(
        sample_ws,
        m.Stakeholder,
        3,
        salience_power=True,
        salience_legitimacy=True,
        salience_urgency=False,
    )
    path = tmp_path / "register.xlsx"
    export_register(sample_ws, path)

    book = openpyxl.load_workbook(path)
    sheet = book["Register"]
    headers = [c.value for c in sheet[1]]
    assert headers == [*REGISTER_HEADERS, "Custom: Badge", "Custom: Locker"]
    col = {h: i for i, h in enumerate(headers)}
    rows = {r[0].value: r for r in sheet.iter_rows(min_row=2)}
    ids = dict(_people(sample_ws, "SELECT external_id, id FROM stakeholder"))
    first, second, third = (rows[e] for e in sorted(ids, key=ids.get)[:3])  # people 1, 2 and 3
    assert (first[col["Custom: Badge"]].value, first[col["Custom: Locker"]].value) == ("B-12", 7)
    assert rows["RH100004"][col["Custom: Badge"]].value is None
    assert (
        second[col["Committee"]].value == "Yes" and second[col["Salience: urgency"]].value == "Yes"
    )
    assert third[col["Salience: power"]].value == third[col["Salience: legitimacy"]].value == "Yes"
    assert third[col["Salience: urgency"]].value == "No"
    analysis = analyze(sample_ws)
    influence = dict(zip(analysis.ids.tolist(), analysis.influence.tolist(), strict=True))
    assert first[col["Network influence (read-only)"]].value == round(influence[1], 1)
    from cmio_desktop.services.engagement.log import contact_dates

    logged = next(iter(contact_dates(sample_ws).items()))  # a person with an engagement log
    ext = next(e for e, i in ids.items() if i == logged[0])
    shown = rows[ext][col["Last contact (read-only)"]].value
    assert shown is not None and shown.date() == logged[1].last

    # Unchanged, the file imports back as exactly what is stored.
    _s, _v, plan = prepare_import(sample_ws, path, "stakeholders")
    assert (len(plan.unchanged), plan.updated, plan.new, plan.missing) == (120, [], [], [])
    assert plan.unused_columns == []
    assert plan.read_only_columns == sorted(READ_ONLY_HEADERS, key=REGISTER_HEADERS.index)

    # In Excel: a row deleted, a "Pager" column added, custom fields and a flag edited, and
    # the read-only network influence overwritten (which the import ignores).
    gone = rows["RH100010"]
    gone_id = ids["RH100010"]
    gone_name = gone[col["Name"]].value
    sheet.delete_rows(gone[0].row)
    pager = len(headers) + 1
    sheet.cell(row=1, column=pager, value="Pager")
    for r in range(2, sheet.max_row + 1):
        sheet.cell(row=r, column=pager, value=f"#{r:04d}")
    rows = {r[0].value: r for r in sheet.iter_rows(min_row=2)}
    first = rows[first[0].value]
    first[col["Custom: Badge"]].value = "B-99"
    first[col["Custom: Locker"]].value = None
    first[col["Network influence (read-only)"]].value = 1.0
    rows["RH100004"][col["Custom: Badge"]].value = "Z-1"
    rows["RH100005"][col["Committee"]].value = "Yes"
    edited = tmp_path / "edited.xlsx"
    book.save(edited)

    ties_before = _people(
        sample_ws, f"SELECT count(*) FROM relationship WHERE {gone_id} IN (source_id, target_id)"
    )[0][0]
    assert ties_before > 0
    before = fingerprint(sample_ws)
    assert main(["import", str(sample_ws.path), str(edited), "--kind", "stakeholders"]) == 0
    out = capsys.readouterr().out
    assert (
        f"  not in the file: 1 person ({gone_name} (ID RH100010)) — they are kept; "
        "use --delete-missing to remove them"
    ) in out
    assert "  columns not used: Pager\n" in out
    assert "  read-only columns ignored: Network influence (read-only)" in out
    assert "custom fields: Badge: B-12; Locker: 7 → Badge: B-99" in out
    assert "committee: No → Yes" in out
    assert fingerprint(sample_ws) != before  # the edits were imported, the person kept
    assert _people(sample_ws, f"SELECT count(*) FROM stakeholder WHERE id = {gone_id}") == [(1,)]
    assert _people(sample_ws, "SELECT custom_fields FROM stakeholder WHERE id = 1") == [
        ('{"Badge": "B-99"}',)
    ]
    assert _people(
        sample_ws, "SELECT custom_fields FROM stakeholder WHERE external_id = 'RH100004'"
    ) == [('{"Badge": "Z-1"}',)]

    # Again with --delete-missing: the person and their ties go, as one undo step.
    before = fingerprint(sample_ws)
    options = ImportOptions(delete_missing=True)
    _s, _v, plan = prepare_import(sample_ws, edited, "stakeholders", options=options)
    assert plan.deletes == [(gone_id, f"{gone_name} (ID RH100010)")] and not plan.updated
    outcome = commit_import(sample_ws, plan)
    assert outcome.deleted == 1 and outcome.token.description.startswith("remove 1 person")
    assert _people(sample_ws, f"SELECT count(*) FROM stakeholder WHERE id = {gone_id}") == [(0,)]
    assert _people(
        sample_ws, f"SELECT count(*) FROM relationship WHERE {gone_id} IN (source_id, target_id)"
    ) == [(0,)]
    assert _people(
        sample_ws,
        f"SELECT count(*) FROM audit_event WHERE action = 'delete' AND entity_id = {gone_id}",
    ) == [(1,)]
    undo_import(sample_ws, outcome.token)
    assert _people(
        sample_ws, f"SELECT count(*) FROM relationship WHERE {gone_id} IN (source_id, target_id)"
    ) == [(ties_before,)]
    assert _people(sample_ws, f"SELECT name FROM stakeholder WHERE id = {gone_id}") == [
        (gone_name,)
    ]
    redo_import(sample_ws, outcome.token)
    assert _people(sample_ws, f"SELECT count(*) FROM stakeholder WHERE id = {gone_id}") == [(0,)]
    assert fingerprint(sample_ws) != before


def test_delete_missing_is_refused_with_rejected_rows_or_an_unrelated_file(
    sample_ws, tmp_path, capsys
) -> None:
    from tests.unit.test_importing_helpers import fingerprint, write_xlsx

    path = tmp_path / "register.xlsx"
    export_register(sample_ws, path)
    book = openpyxl.load_workbook(path)
    sheet = book["Register"]
    sheet.cell(row=5, column=REGISTER_HEADERS.index("Email") + 1, value="not-an-email")
    sheet.delete_rows(9)
    bad = tmp_path / "bad.xlsx"
    book.save(bad)
    before = fingerprint(sample_ws)
    args = ["import", str(sample_ws.path), str(bad), "--kind", "stakeholders", "--delete-missing"]
    assert main([*args, "--valid-rows-only"]) == 1
    err = capsys.readouterr().err
    assert "a rejected row may be one of the people who would be removed" in err
    assert err.count("\n") == 1

    other = write_xlsx(
        tmp_path / "other.xlsx",
        [["Name", "Role", "Group"], ["Somebody New", "Nurse", "Frontline clinician"]],
    )
    args[2] = str(other)
    assert main(args) == 1
    assert "would remove all 120 people" in capsys.readouterr().err
    assert fingerprint(sample_ws) == before

    ties = tmp_path / "ties.csv"
    ties.write_text("Source,Target\nA,B\n", encoding="utf-8")
    assert main(["import", str(sample_ws.path), str(ties), "--kind", "relationships",
                 "--delete-missing"]) == 1  # fmt: skip
    assert "--delete-missing applies to --kind stakeholders only" in capsys.readouterr().err


def test_people_on_rejected_rows_are_not_called_missing_from_the_file(
    sample_ws, tmp_path, capsys
) -> None:
    path = tmp_path / "register.xlsx"
    export_register(sample_ws, path)
    book = openpyxl.load_workbook(path)
    sheet = book["Register"]
    sheet.cell(row=5, column=REGISTER_HEADERS.index("Email") + 1, value="not-an-email")
    sheet.delete_rows(9)
    bad = tmp_path / "bad.xlsx"
    book.save(bad)
    args = ["import", str(sample_ws.path), str(bad), "--kind", "stakeholders", "--dry-run"]
    main(args)
    out = capsys.readouterr().out
    assert "not in the file" not in out
    assert "  not matched by an accepted row (the rejected row may name some): 2 people" in out
