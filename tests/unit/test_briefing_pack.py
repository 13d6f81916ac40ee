"""The PDF briefing pack: one page per chart that has data, written atomically."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from cmio_desktop.io.briefing_pack import write_briefing_pack
from cmio_desktop.io.export_target import ExportError
from cmio_desktop.io.workbook import WorkbookData, WorkbookMeta
from tests.unit.test_workbook import make_data


def pdf_pages(path: Path) -> int:
    return len(re.findall(rb"/Type\s*/Page\b", path.read_bytes()))


def test_every_chart_gets_a_page(tmp_path: Path) -> None:
    out = tmp_path / "pack.pdf"
    assert write_briefing_pack(out, make_data()) == 7
    data = out.read_bytes()
    assert data.startswith(b"%PDF") and pdf_pages(out) == 7
    assert b"Go-live readiness briefing" in data  # the document title


def test_charts_without_data_are_left_out(tmp_path: Path) -> None:
    out = tmp_path / "cover.pdf"
    empty = WorkbookData(WorkbookMeta("Org", "Initiative", date(2026, 1, 1)))
    assert write_briefing_pack(out, empty) == 1  # the cover alone
    assert write_briefing_pack(out, make_data(departments=[], trend=[])) == 4
    assert pdf_pages(out) == 4


def test_bad_target_and_failure_leave_files_alone(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ExportError, match=r"\.pdf"):
        write_briefing_pack(tmp_path / "pack.xlsx", make_data())
    with pytest.raises(ExportError, match="does not exist"):
        write_briefing_pack(tmp_path / "missing" / "pack.pdf", make_data())
    target = tmp_path / "pack.pdf"
    target.write_bytes(b"last month's pack")
    broken = replace(make_data(), kpis=[object()])  # not a Kpi: drawing the cover fails
    with pytest.raises(AttributeError):
        write_briefing_pack(target, broken)
    assert target.read_bytes() == b"last month's pack"
    assert [p.name for p in tmp_path.iterdir()] == ["pack.pdf"]
