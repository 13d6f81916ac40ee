"""The Summary sheet's forecast section: the verdict, readiness today and at go-live with and
without the plan, and the back-test against the last observed round with its two naive
baselines (``MODELS.md``: the back-test is always shown)."""

from __future__ import annotations

from cmio_desktop.io.workbook.cells import SheetWriter, Styled
from cmio_desktop.io.workbook.data import ForecastFigures


def write_forecast(w: SheetWriter, figures: ForecastFigures) -> None:
    w.blank()
    w.append([Styled("Forecast to go-live", "section")])
    w.append([Styled(figures.verdict, "note")])
    rows = (
        ("Mean readiness today", figures.today),
        ("At go-live without the plan", figures.without_plan),
        ("At go-live with the plan", figures.with_plan),
    )
    for label, value in rows:
        w.append([Styled(label, "label"), Styled(value, "dec2+center")])
    w.blank()
    title = "Back-test" + (f" ({figures.backtest_round})" if figures.backtest_round else "")
    w.append([Styled(title, "section")])
    if figures.mae_model is not None:
        errors = (
            ("Mean error: model", figures.mae_model),
            ("Mean error: no change", figures.mae_no_change),
            ("Mean error: last trend", figures.mae_last_trend),
        )
        for label, value in errors:
            cell = Styled(value, "dec2+center") if value is not None else "–"
            w.append([Styled(label, "label"), cell])
    w.append([Styled(figures.backtest_text, "note")])
