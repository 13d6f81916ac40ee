"""The executive workbook's io layer, from hand-built plain data, read back with openpyxl."""

from __future__ import annotations

import os
import zipfile
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from cmio_desktop.io.export_target import ExportCancelled, ExportError
from cmio_desktop.io.workbook import (
    ActivityRow,
    AttitudeCount,
    CommunicationRow,
    CriterionRow,
    DepartmentReadiness,
    GoNoGo,
    InfluenceRow,
    Kpi,
    PersonName,
    QuadrantRow,
    RegisterRow,
    RiskRow,
    TrainingRow,
    TrendPoint,
    WorkbookData,
    WorkbookMeta,
)
from cmio_desktop.io.workbook.anonymise import NameScrubber, pseudonyms
from cmio_desktop.io.workbook.layout import HEADER_ROW, header_footer_text
from cmio_desktop.io.workbook.writer import DEFAULT_SHEETS, SHEETS, write_workbook

TODAY = date(2026, 11, 2)
ROLES = ("Physician", "Nurse", "Pharmacist")


def make_register(n: int = 30) -> list[RegisterRow]:
    return [
        RegisterRow(
            person_id=i,
            name=f"Alex Person{i}",
            title="Consultant",
            role=ROLES[i % 3],
            group="Frontline clinician",
            department=("ED", "ICU", "Periop")[i % 3],
            site="Main campus",
            email=f"p{i}@example.org",
            power=1 + i % 5,
            interest=1 + (i * 2) % 5,
            quadrant="Key player" if i % 4 == 0 else "Monitor",
            attitude="Resistant" if i % 7 == 0 else "Neutral",
            desired_attitude="Supportive",
            readiness=None if i % 5 == 0 else 2.0 + (i % 15) / 5,
            barrier="Desire" if i % 2 else "",
            flags="Champion" if i == 3 else "",
            external_id=f"E{i:04d}",
            network_influence=100.0 / i,
        )
        for i in range(1, n + 1)
    ]


def make_data(register: list[RegisterRow] | None = None, **changes: object) -> WorkbookData:
    register = make_register() if register is None else register
    meta = WorkbookMeta("Riverside & Co Health", "Ambulatory EHR go-live", TODAY,
                        TODAY + timedelta(days=91))  # fmt: skip
    data = WorkbookData(
        meta=meta,
        kpis=[
            Kpi("People in the register", len(register), "#,##0", "all assessed"),
            Kpi("Mean readiness (1–5)", 3.42, "0.0"),
            Kpi("Training completion", 0.81, "0%", "People trained", "amber"),
        ],
        go_no_go=GoNoGo(
            "conditional",
            "Critical criterion amber: Physician training",
            (
                CriterionRow(
                    "Physician training ≥ 90 %",
                    "Critical",
                    "Physicians",
                    "≥ 90 %",
                    "81 %",
                    "amber",
                    "ED: 70 %\nPeriop: 45 % (Alex Person3)",
                ),
                CriterionRow(
                    "No open critical risk", "Critical", "Everyone", "≤ 0", "0", "green", ""
                ),
                CriterionRow(
                    "Super users per unit",
                    "Major",
                    "Each unit",
                    "≥ 1 per 10",
                    "none",
                    "red",
                    "ICU: none",
                ),
            ),
        ),  # fmt: skip
        departments=[
            DepartmentReadiness("ED", 10, 8, (4.1, 3.2, 3.0, 2.8, 2.5), 3.1, 3.3, 0.2, "Desire"),
            DepartmentReadiness("ICU", 10, 9, (4.4, 3.9, 3.6, 3.3, 3.0), 3.6, 3.5, 0.4, "Ability"),
            DepartmentReadiness("Periop", 10, 7, (3.1, 2.2, 2.0, 2.8, 2.5), 2.5, None, 0.0, ""),
        ],
        trend=[
            TrendPoint("Round 1", TODAY - timedelta(days=84), 25, 2.8),
            TrendPoint("Round 2", TODAY - timedelta(days=56), 26, 3.0),
            TrendPoint("Round 3", TODAY - timedelta(days=28), 24, 3.2),
        ],
        attitudes=[
            AttitudeCount(a, n)
            for a, n in (
                ("Unaware", 3),
                ("Resistant", 4),
                ("Neutral", 15),
                ("Supportive", 6),
                ("Leading", 2),
            )
        ],  # fmt: skip
        register=register,
        quadrants=[
            QuadrantRow(
                "Key player",
                "Manage closely",
                7,
                2,
                3.1,
                1,
                (PersonName(4, "Alex Person4"), PersonName(8, "Alex Person8")),
            ),
            QuadrantRow("Keep satisfied", "Keep satisfied", 3, 0, 3.3, 0),
            QuadrantRow("Keep informed", "Keep informed", 8, 1, 3.0, 0),
            QuadrantRow("Monitor", "Monitor with minimum effort", 12, 3, 3.5, 0),
        ],  # fmt: skip
        grid_counts=tuple(tuple((p + i) % 4 for i in range(5)) for p in range(5)),
        influence=[
            InfluenceRow(
                "Top influencer",
                1,
                4,
                "Alex Person4",
                "Physician",
                "ED",
                100.0,
                0.12,
                0.4,
                3.4,
                "Neutral",
                "reaches 40% within two steps",
            ),
            InfluenceRow(
                "Hot spot",
                1,
                7,
                "Alex Person7",
                "Physician",
                "ICU",
                61.0,
                0.05,
                0.2,
                2.2,
                "Resistant",
                "influence 61, readiness 2.2, resistant",
            ),
        ],  # fmt: skip
        activities=[
            ActivityRow(
                "Surgeon 1:1s",
                "Sponsor 1:1",
                "Desire",
                "Periop",
                "CMO",
                TODAY - timedelta(days=30),
                TODAY + timedelta(days=10),
                "In progress",
                False,
            ),
            ActivityRow(
                "Town hall",
                "Town hall",
                "Awareness",
                "ED, ICU",
                "CMIO",
                TODAY - timedelta(days=20),
                TODAY - timedelta(days=5),
                "In progress",
                False,
            ),
            ActivityRow(
                "Roadmap briefing",
                "Briefing",
                "Awareness",
                "Executive",
                "CMIO",
                TODAY - timedelta(days=80),
                TODAY - timedelta(days=78),
                "Done",
                True,
                "Well attended",
            ),
            ActivityRow("Undated idea", "Demo", "", "", "", None, None, "Planned", False),
        ],  # fmt: skip
        communications=[
            CommunicationRow(
                "All staff",
                "Countdown",
                "Email",
                "CMIO",
                "Weekly",
                TODAY - timedelta(days=60),
                TODAY + timedelta(days=91),
            ),
        ],  # fmt: skip
        training=[
            TrainingRow("Physician", "", "CPOE", 20, 15, TODAY + timedelta(days=77)),
            TrainingRow("Physician", "ED", "CPOE", 10, 9, TODAY + timedelta(days=77)),
            TrainingRow("Physician", "Periop", "CPOE", 10, 6, TODAY + timedelta(days=77)),
        ],
        risks=[
            RiskRow(
                "Interface not validated",
                3,
                5,
                "Critical",
                "Open",
                "Integration",
                "Extra test cycle",
            ),
            RiskRow(
                "Surgeons boycott build sessions",
                4,
                5,
                "Critical",
                "Open",
                "CMO",
                "1:1s with Alex Person7",
                (PersonName(7, "Alex Person7"),),
            ),
        ],  # fmt: skip
        definitions=[("Readiness", "Mean of the five ADKAR scores.")],
    )
    return replace(data, **changes) if changes else data


def cells_of(ws) -> list:  # type: ignore[no-untyped-def]
    return [c for row in ws.iter_rows() for c in row if c.value is not None]


@pytest.fixture(scope="module")
def book_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("wb") / "briefing.xlsx"
    write_workbook(path, make_data())
    return path


@pytest.fixture(scope="module")
def book(book_path: Path):  # type: ignore[no-untyped-def]
    return load_workbook(book_path)


def test_every_sheet_is_there_in_order(book) -> None:  # type: ignore[no-untyped-def]
    # every sheet but the opt-in History (written only when named)
    assert book.sheetnames == [s.title for s in SHEETS if s.key in DEFAULT_SHEETS] + ["Notes"]


def test_summary_has_heading_status_kpis_and_three_charts(book) -> None:  # type: ignore[no-untyped-def]
    ws = book["Summary"]
    values = [c.value for c in cells_of(ws)]
    assert values[0] == "Go-live readiness briefing"
    assert "Riverside & Co Health — Ambulatory EHR go-live" in values
    assert any(isinstance(v, str) and "91 days to go-live" in v for v in values)
    assert "CONDITIONAL GO" in values
    kpi = next(c for c in cells_of(ws) if c.value == "Training completion")
    value = ws.cell(kpi.row, 2)
    assert value.value == pytest.approx(0.81) and value.number_format == "0%"
    assert value.fill.fgColor.rgb.endswith("FFEB9C")  # amber
    kinds = sorted(type(chart).__name__ for chart in ws._charts)
    assert kinds == ["BarChart", "DoughnutChart", "LineChart"]
    # page 1 is the briefing; the chart data follows after a page break
    assert ws.page_setup.fitToHeight == 0 and ws.page_setup.fitToWidth == 1
    assert len(ws.row_breaks.brk) == 1
    data_start = ws.row_breaks.brk[0].id
    sections = [r for r in range(1, ws.max_row + 1) if ws.cell(r, 2).value == "Mean readiness"]
    assert sections and min(sections) > data_start  # the chart data follows the break
    anchors = [chart.anchor._from for chart in ws._charts]
    assert all(a.row < data_start for a in anchors)  # every chart is on page 1


@pytest.mark.parametrize(
    "title", [s.title for s in SHEETS if s.key in DEFAULT_SHEETS and s.key != "summary"] + ["Notes"]
)
def test_table_sheets_have_header_panes_filter_and_print_setup(book, title: str) -> None:  # type: ignore[no-untyped-def]
    ws = book[title]
    header = ws.cell(HEADER_ROW, 1)
    assert header.font.bold and header.fill.fgColor.rgb.endswith("1F5F6B")
    assert ws.freeze_panes == f"B{HEADER_ROW + 1}"
    assert ws.auto_filter.ref.startswith(f"A{HEADER_ROW}:")
    assert ws.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"
    for letter in "ABC":
        if ws.cell(HEADER_ROW, ord(letter) - 64).value:
            assert ws.column_dimensions[letter].width >= 6


@pytest.mark.parametrize("title", [s.title for s in SHEETS if s.key in DEFAULT_SHEETS] + ["Notes"])
def test_every_sheet_prints_landscape_one_page_wide_with_footer(book, title: str) -> None:  # type: ignore[no-untyped-def]
    ws = book[title]
    assert ws.page_setup.orientation == "landscape"
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.fitToWidth == 1
    footer = ws.oddFooter
    assert footer.left.text == "Riverside && Co Health · 2 Nov 2026"  # & escaped
    assert footer.center.text == "Confidential"
    assert footer.right.text == "Page &P of &N"


def test_register_values_formats_and_conditional_formats(book) -> None:  # type: ignore[no-untyped-def]
    ws = book["Stakeholders"]
    headers = [c.value for c in ws[HEADER_ROW]]
    assert headers[:3] == ["Name", "Title", "Role"]
    first = {h: ws.cell(HEADER_ROW + 1, i).value for i, h in enumerate(headers, 1)}
    assert first["Name"] == "Alex Person1" and first["Power (rated)"] == 2
    assert headers.index("Network influence") == headers.index("Power (rated)") + 1
    assert first["Network influence"] == pytest.approx(100.0)
    assert first["Readiness"] == pytest.approx(2.2) and first["External ID"] == "E0001"
    assert ws.max_row == HEADER_ROW + 30
    last = get_column_letter(len(headers))
    assert ws.auto_filter.ref == f"A{HEADER_ROW}:{last}{HEADER_ROW + 30}"
    assert ws.print_area.endswith(f"$A$1:$L${HEADER_ROW + 30}")
    ranges = {str(r.sqref) for r in ws.conditional_formatting}
    assert f"L{HEADER_ROW + 1}:L{HEADER_ROW + 30}" in ranges  # readiness colour scale


def test_heat_map_has_a_colour_scale_over_the_elements(book) -> None:  # type: ignore[no-untyped-def]
    ws = book["ADKAR heat map"]
    rules = {str(r.sqref): r.rules for r in ws.conditional_formatting}
    scale = rules[f"D{HEADER_ROW + 1}:J{HEADER_ROW + 3}"][0]
    assert scale.type == "colorScale"
    assert ws.cell(HEADER_ROW + 1, 4).value == pytest.approx(4.1)
    assert ws.cell(HEADER_ROW + 1, 4).number_format == "0.0"


def test_plan_is_sorted_by_due_date_with_overdue_flags(book) -> None:  # type: ignore[no-untyped-def]
    ws = book["Engagement plan"]
    rows = list(ws.iter_rows(min_row=HEADER_ROW + 1, max_row=HEADER_ROW + 4, values_only=True))
    assert [r[1] for r in rows] == ["Roadmap briefing", "Town hall", "Surgeon 1:1s",
                                    "Undated idea"]  # fmt: skip
    assert rows[1][8] == "Overdue 5 days"
    assert rows[0][8] is None  # done: never overdue
    assert ws.cell(HEADER_ROW + 1, 1).number_format == "d mmm yyyy"
    rules = [rule for cf in ws.conditional_formatting for rule in cf.rules]
    assert {r.formula[0] for r in rules} >= {'"Done"', '"In progress"'}


def test_go_no_go_status_cells_are_filled_red_amber_green(book) -> None:  # type: ignore[no-untyped-def]
    ws = book["Go-no-go"]
    fills = {
        ws.cell(r, 6).value: ws.cell(r, 6).fill.fgColor.rgb[-6:]
        for r in range(HEADER_ROW + 1, HEADER_ROW + 4)
    }
    assert fills == {"Amber": "FFEB9C", "Green": "C6EFCE", "Red": "FFC7CE"}
    assert ws["A1"].value == "Go / no-go: CONDITIONAL GO"


def test_grid_influence_training_risks(book) -> None:  # type: ignore[no-untyped-def]
    grid = book["Power-interest grid"]
    assert [grid.cell(r, 1).value for r in range(HEADER_ROW + 1, HEADER_ROW + 5)] == [
        "Key player", "Keep satisfied", "Keep informed", "Monitor"
    ]  # fmt: skip
    assert len(grid._charts) == 1
    influence = book["Network influence"]
    assert influence.cell(HEADER_ROW + 2, 1).value == "Hot spot"
    training = book["Training"]
    assert training.cell(HEADER_ROW + 1, 2).value == "All units"
    assert training.cell(HEADER_ROW + 1, 6).value == pytest.approx(0.75)
    risks = book["Risks"]
    assert risks.cell(HEADER_ROW + 1, 1).value == "Surgeons boycott build sessions"  # score 20
    assert risks.cell(HEADER_ROW + 1, 4).value == 20


def test_no_formula_anywhere(book_path: Path, book) -> None:  # type: ignore[no-untyped-def]
    assert all(c.data_type != "f" for ws in book for c in cells_of(ws))
    with zipfile.ZipFile(book_path) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/sheet"):
                assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name)


def test_chosen_sheets_only(tmp_path: Path) -> None:
    path = tmp_path / "two.xlsx"
    result = write_workbook(path, make_data(), sheets={"register", "risks"})
    assert load_workbook(path).sheetnames == ["Risks", "Stakeholders", "Notes"]  # board order
    assert result.sheets == ("Risks", "Stakeholders", "Notes")
    with pytest.raises(ExportError, match="at least one sheet"):
        write_workbook(path, make_data(), sheets=set())


def test_empty_data_gives_sheets_that_say_so(tmp_path: Path) -> None:
    path = tmp_path / "empty.xlsx"
    write_workbook(path, WorkbookData(WorkbookMeta("Org", "Init", TODAY)))
    book = load_workbook(path)
    assert book["Stakeholders"].cell(HEADER_ROW + 1, 1).value == "No stakeholders recorded yet."
    assert book["Go-no-go"]["A1"].value == "Go / no-go: NOT ASSESSED"
    assert len(book["Summary"]._charts) == 0


def test_anonymised_names_are_consistent_across_sheets(tmp_path: Path) -> None:
    path = tmp_path / "anon.xlsx"
    write_workbook(path, make_data(), anonymised=True, pseudonym_key="kept by the CMIO")
    book = load_workbook(path)
    names = pseudonyms(make_register(), key="kept by the CMIO")  # the same key: the same names
    assert names[7].startswith("Nurse ") and names[3].startswith("Physician ")
    every = [str(c.value) for ws in book for c in cells_of(ws)]
    assert not any("Alex Person" in v for v in every)
    assert not any("@example.org" in v or v == "E0001" for v in every)
    register = book["Stakeholders"]
    row = next(r for r in register.iter_rows(min_row=HEADER_ROW + 1) if r[0].value == names[7])
    assert row[1].value is None  # title dropped
    influence = [c.value for c in book["Network influence"]["C"]]
    assert names[7] in influence and names[4] in influence
    risks = [c.value for c in book["Risks"]["I"]] + [c.value for c in book["Risks"]["H"]]
    assert names[7] in risks and f"1:1s with {names[7]}" in risks
    evidence = book["Go-no-go"].cell(HEADER_ROW + 1, 7).value
    assert f"({names[3]})" in evidence
    notes = [c.value for c in book["Notes"]["A"]]
    assert "Anonymised" in notes


def test_name_scrubber_replaces_whole_words_in_every_written_form() -> None:
    scrub = NameScrubber(
        {"Ana Diaz": "Nurse 1", "Dr. Kwame Hall": "Physician 2", "Solo": "X", "Bo Hall": "Y"}
    )
    assert scrub("Call Ana  Diaz and Dr. Kwame Hall.") == "Call Nurse 1 and Physician 2."
    # surname, unique given name, one-word name; word boundaries only ("Anastasia", "Solos")
    assert scrub("Anastasia Diaz, Ana, diaz; Solo, Solos") == (
        "Anastasia Nurse 1, Nurse 1, Nurse 1; X, Solos"
    )
    # a surname two people share is "[name]"; the initial or given name tells them apart
    assert scrub("Hall, K. Hall, Dr Hall's, Bo Hall") == "[name], Physician 2, [name]'s, Y"


def test_header_footer_text_escapes_codes_and_shortens() -> None:
    assert header_footer_text("R&D\x01 team") == "R&&D team"
    assert len(header_footer_text("x" * 500)) == 70


def test_existing_file_survives_a_cancelled_export(tmp_path: Path) -> None:
    target = tmp_path / "briefing.xlsx"
    target.write_bytes(b"previous workbook")
    calls = iter([False, False, True])
    with pytest.raises(ExportCancelled):
        write_workbook(target, make_data(), cancelled=lambda: next(calls, True))
    assert target.read_bytes() == b"previous workbook"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["briefing.xlsx"]


def test_a_failure_mid_write_leaves_no_temp_file(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def boom(*_args: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(
        "cmio_desktop.io.workbook.writer.SHEETS",
        tuple(replace(s, write=boom) if s.key == "risks" else s for s in SHEETS),
    )
    with pytest.raises(RuntimeError):
        write_workbook(tmp_path / "x.xlsx", make_data())
    assert list(tmp_path.iterdir()) == []


def test_locked_target_gives_a_clear_message(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "open-in-excel.xlsx"
    target.write_bytes(b"locked")

    def locked(_src: object, _dst: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(ExportError, match="open in another program"):
        write_workbook(target, make_data())
    assert target.read_bytes() == b"locked"
    assert [p.name for p in tmp_path.iterdir()] == ["open-in-excel.xlsx"]


def test_unwritable_folder_and_bad_targets(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import tempfile

    def denied(*_args: object, **_kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    with pytest.raises(ExportError, match="is a folder"):
        write_workbook(tmp_path, make_data())
    with pytest.raises(ExportError, match="does not exist"):
        write_workbook(tmp_path / "nope" / "x.xlsx", make_data())
    with pytest.raises(ExportError, match=r"\.xlsx"):
        write_workbook(tmp_path / "x.csv", make_data())
    monkeypatch.setattr(tempfile, "mkstemp", denied)
    with pytest.raises(ExportError, match="cannot save files"):
        write_workbook(tmp_path / "x.xlsx", make_data())


def test_progress_reaches_100(tmp_path: Path) -> None:
    seen: list[int] = []
    write_workbook(tmp_path / "p.xlsx", make_data(make_register(4_500)),
                   progress=lambda p, _t: seen.append(p))  # fmt: skip
    assert seen == sorted(seen) and seen[-1] == 100 and len(seen) > 12


def test_summary_lists_the_least_ready_departments_when_there_are_many(tmp_path: Path) -> None:
    from cmio_desktop.io.workbook import DepartmentReadiness

    many = [
        DepartmentReadiness(f"Unit {i:02d}", 5, 5, (3.0,) * 5, 1 + i / 10, None, 0.1, "")
        for i in range(25)
    ]
    path = tmp_path / "many.xlsx"
    write_workbook(path, make_data(departments=many), sheets={"summary", "heatmap"})
    book = load_workbook(path)
    summary = [c.value for c in book["Summary"]["A"] if isinstance(c.value, str)]
    assert "Readiness: the 15 least ready of 25 departments" in summary
    assert "Unit 14" in summary and "Unit 15" not in summary
    assert book["ADKAR heat map"].max_row == HEADER_ROW + 25
