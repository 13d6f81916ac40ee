"""Text typed by users is text in the workbook: never a formula, exactly as typed (less what a
workbook cannot hold), each change noted on the Notes sheet. Property-tested over arbitrary
strings, with formula triggers and control characters mixed in."""

from __future__ import annotations

import itertools
import tempfile
from dataclasses import replace
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from cmio_desktop.io.workbook import ActivityRow, InfluenceRow, Kpi, RiskRow
from cmio_desktop.io.workbook.cells import fit_text
from cmio_desktop.io.workbook.layout import HEADER_ROW
from cmio_desktop.io.workbook.writer import write_workbook
from cmio_desktop.io.xlsx_safety import EXCEL_MAX_CELL_CHARS, is_risky
from tests.unit.test_workbook import make_data, make_register

PREFIXES = st.sampled_from(
    ["=", "+", "-", "@", "\t", "\r", "\n", "＝", "=1+2", '=HYPERLINK("http://x","y")',
     "=cmd|' /C calc'!A0", "@SUM(A1)", "-2+3", "\x00", "\x07", "\x1b[31m", "\ufffe", " ="]
)  # fmt: skip
TEXTS = st.one_of(st.text(), st.builds(lambda p, t: p + t, PREFIXES, st.text()))


def _write_and_read(data):  # type: ignore[no-untyped-def]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "book.xlsx"
        write_workbook(path, data)
        return load_workbook(path)


def _person_texts(texts: list[str]):  # type: ignore[no-untyped-def]
    register = make_register(len(texts))
    return [
        replace(r, name=t, title=t, department=t, email=t, flags=t, external_id=t)
        for r, t in zip(register, texts, strict=True)
    ]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(TEXTS, min_size=1, max_size=5))
def test_user_text_is_stored_as_text_never_as_formula(texts: list[str]) -> None:
    data = make_data(
        _person_texts(texts),
        risks=[RiskRow(t, 2, 3, "Major", "Open", t, t) for t in texts],
        activities=[ActivityRow(t, t, t, t, t, None, None, t, False, t) for t in texts],
        influence=[
            InfluenceRow("Top influencer", i, i, t, t, t, 1.0, 0.0, 0.1, None, t, t)
            for i, t in enumerate(texts, 1)
        ],
        kpis=[Kpi(t, t, comment=t) for t in texts],
        definitions=[(t, t) for t in texts],
    )
    data = replace(data, meta=replace(data.meta, organisation=texts[0], initiative=texts[-1]))
    book = _write_and_read(data)

    every = [c for ws in book for row in ws.iter_rows() for c in row]
    assert all(c.data_type != "f" for c in every)
    for cell in every:
        if isinstance(cell.value, str) and is_risky(cell.value):
            assert cell.data_type == "s" and cell.quotePrefix, cell.coordinate

    register = book["Stakeholders"]
    rows = list(register.iter_rows(min_row=HEADER_ROW + 1, max_row=HEADER_ROW + len(texts)))
    by_name = sorted(zip(texts, rows, strict=True), key=lambda pair: pair[0])
    for text, row in by_name:
        expected = fit_text(text) or None
        assert row[0].value == expected  # name
        assert row[1].value == expected  # title
        assert row[15].value == expected  # external id
    risks = {c.value for c in book["Risks"]["A"]}
    plan = {c.value for c in book["Engagement plan"]["B"]}
    for text in texts:
        if fit_text(text):
            assert fit_text(text) in risks and fit_text(text) in plan

    notes = [c.value for c in book["Notes"]["A"] if isinstance(c.value, str)]
    changed = [t for t in texts if fit_text(t) != t]
    for index, text in enumerate(texts):
        address = f"Stakeholders!A{HEADER_ROW + 1 + index}"
        assert (address in notes) == (text in changed)


def test_control_characters_are_removed_and_noted(tmp_path: Path) -> None:
    register = _person_texts(["Ana\x00 Diaz\x1b", "=1+1", "+44 20 7946 0000", "plain"])
    path = tmp_path / "b.xlsx"
    result = write_workbook(path, make_data(register), sheets={"register"})
    book = load_workbook(path)
    ws = book["Stakeholders"]
    assert ws.cell(HEADER_ROW + 1, 1).value == "Ana Diaz"
    assert ws.cell(HEADER_ROW + 2, 1).value == "=1+1"
    assert ws.cell(HEADER_ROW + 2, 1).data_type == "s" and ws.cell(HEADER_ROW + 2, 1).quotePrefix
    assert ws.cell(HEADER_ROW + 3, 1).value == "+44 20 7946 0000"
    notes = {row[0].value: row[1].value for row in book["Notes"].iter_rows(min_row=HEADER_ROW + 1)}
    assert notes[f"Stakeholders!A{HEADER_ROW + 1}"] == (
        "Removed 2 characters that a workbook cannot hold."
    )
    assert "stored as text" in notes["Text stays text"]
    assert result.neutralised_cells >= 12  # "=1+1" and "+44…" in six text columns
    assert result.adjusted_cells == 6


def test_over_long_text_is_cut_at_the_cell_limit_and_noted(tmp_path: Path) -> None:
    long_text = "=" + "x" * 40_000
    astral = "😀" * 20_000  # 40,000 UTF-16 units: Excel counts those
    register = _person_texts([long_text, astral])
    path = tmp_path / "long.xlsx"
    write_workbook(path, make_data(register), sheets={"register"})
    book = load_workbook(path)
    ws = book["Stakeholders"]
    cut = ws.cell(HEADER_ROW + 1, 1).value
    assert cut == long_text[:EXCEL_MAX_CELL_CHARS] and ws.cell(HEADER_ROW + 1, 1).quotePrefix
    emoji = ws.cell(HEADER_ROW + 2, 1).value
    assert len(emoji.encode("utf-16-le")) // 2 <= EXCEL_MAX_CELL_CHARS
    assert emoji == astral[: len(emoji)] and len(emoji) == EXCEL_MAX_CELL_CHARS // 2
    notes = {row[0].value: row[1].value for row in book["Notes"].iter_rows(min_row=HEADER_ROW + 1)}
    assert notes[f"Stakeholders!A{HEADER_ROW + 1}"] == (
        "Cut to 32,767 characters (Excel's cell limit; the text had 40,001)."
    )


def test_footer_and_header_survive_any_organisation_name(tmp_path: Path) -> None:
    names = ["R&D", "&P&N", "a" * 300, "\x01\x02=x", "&&", "Ω & ≥ 90 %"]
    for index, name in enumerate(names):
        data = make_data(make_register(2))
        data = replace(data, meta=replace(data.meta, organisation=name, initiative=name))
        path = tmp_path / f"{index}.xlsx"
        write_workbook(path, data, sheets={"summary"})
        ws = load_workbook(path)["Summary"]
        left = ws.oddFooter.left.text
        # every & in the user's text is doubled, so no header code comes from it
        text = left.rsplit(" · ", 1)[0]
        runs = [len(list(g)) for k, g in itertools.groupby(text) if k == "&"]
        assert all(n % 2 == 0 for n in runs)
        assert len(left) < 255
