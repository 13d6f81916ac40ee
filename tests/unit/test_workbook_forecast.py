"""The executive workbook's Summary shows the forecast verdict and the back-test, with the
same sentences and numbers as the forecast service (read back from a real .xlsx)."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from cmio_desktop.services.readiness import forecast as forecast_service
from cmio_desktop.services.workbook.data import build_workbook_data, export_workbook
from tests.conftest import SAMPLE_TODAY


def _cells(ws) -> list[list[object]]:  # type: ignore[no-untyped-def]
    return [[c.value for c in row] for row in ws.iter_rows(max_col=3)]


def test_summary_shows_verdict_with_and_without_plan_and_backtest(sample_ws, tmp_path: Path):
    run = forecast_service.load_forecast(sample_ws, 1, today=SAMPLE_TODAY)
    data = build_workbook_data(sample_ws, 1, today=SAMPLE_TODAY)
    assert data.forecast is not None
    assert data.forecast.verdict == forecast_service.verdict(run)
    path = tmp_path / "pack.xlsx"
    export_workbook(sample_ws, path, 1, sheets=["summary"], today=SAMPLE_TODAY)
    rows = _cells(load_workbook(path)["Summary"])
    by_label = {r[0]: r[1] for r in rows if isinstance(r[0], str)}
    texts = [r[0] for r in rows]
    assert "Forecast to go-live" in texts and forecast_service.verdict(run) in texts
    overall = forecast_service.overall_row(run)
    assert by_label["Mean readiness today"] == pytest.approx(overall.today)
    assert by_label["At go-live with the plan"] == pytest.approx(overall.go_live)
    assert by_label["At go-live without the plan"] == pytest.approx(overall.without_plan)
    bt = run.backtest
    assert bt is not None  # the sample has four rounds
    assert f"Back-test ({bt.label})" in texts
    assert by_label["Mean error: model"] == pytest.approx(bt.mae_model)
    assert by_label["Mean error: no change"] == pytest.approx(bt.mae_no_change)
    assert by_label["Mean error: last trend"] == pytest.approx(bt.mae_last_trend)
    assert forecast_service.backtest_text(run) in texts


def test_no_go_live_date_means_no_forecast_section(sample_ws, tmp_path: Path) -> None:
    from sqlalchemy import update

    from cmio_desktop import models as m

    with sample_ws.session() as s:
        s.execute(update(m.Initiative).values(go_live=None))
    data = build_workbook_data(sample_ws, 1, today=SAMPLE_TODAY)
    assert data.forecast is None
    path = tmp_path / "pack.xlsx"
    export_workbook(sample_ws, path, 1, sheets=["summary"], today=SAMPLE_TODAY)
    texts = [r[0] for r in _cells(load_workbook(path)["Summary"])]
    assert "Forecast to go-live" not in texts
