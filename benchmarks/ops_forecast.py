"""Readiness forecast and champion recommender against bare scipy sparse products.

Inputs: the fixture's people and ties; one readiness round per person (seeded scores, a
department offset so groups differ); a training activity per department; go-live in 26 weeks
(T = 26 weekly steps). W, x(0) and λ are built once, outside the timing.

Floors — the same network as a scipy CSR matrix, x an n×5 array, nothing but products:

* **forecast** — T products ``W @ x``: the least any T-step propagation of five elements does;
* **champion recommender (k = 5)** — as many products as the recommender performs: a forward
  pass for the baseline and one per exact evaluation it reports, plus one backward pass;
* **forecast service** (read + build + run, informational) — raw sqlite3 ``SELECT`` of the
  same people, ties and scores, then T products.
"""

from __future__ import annotations

import random
import shutil
import sqlite3
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import numpy as np

from benchmarks.harness import Result, measure
from benchmarks.ops_store import Fixture
from cmio_desktop.analysis.adkar import AdkarScores
from cmio_desktop.analysis.champions import recommend_champions
from cmio_desktop.analysis.forecast import ForecastModel, forecast
from cmio_desktop.analysis.forecast_inputs import ActivityPlan, build_forecast_model
from cmio_desktop.enums import ActivityType, AdkarElement, Attitude, StakeholderGroup
from cmio_desktop.services.bulk import bulk_insert
from cmio_desktop.services.readiness import forecast as forecast_service
from cmio_desktop.store import open_workspace

TODAY = date(2026, 11, 2)
WEEKS = 26
GO_LIVE = TODAY + timedelta(weeks=WEEKS)
K = 5
TARGET = 3.0


def _scores(fx: Fixture) -> dict[int, AdkarScores]:
    rng = random.Random(fx.size)
    offsets = {}
    out = {}
    for p in fx.people:
        base = offsets.setdefault(p["department"], rng.uniform(2.2, 3.8))
        out[p["id"]] = AdkarScores(
            *(min(5, max(1, round(base + rng.gauss(0, 0.8) - 0.2 * e))) for e in range(5))
        )
    return out


def _plans(fx: Fixture) -> list[ActivityPlan]:
    by_department: dict[str, list[int]] = {}
    for p in fx.people:
        by_department.setdefault(p["department"], []).append(p["id"])
    return [
        ActivityPlan(
            TODAY + timedelta(weeks=4 + i % 12),
            AdkarElement.KNOWLEDGE,
            tuple(ids),
            ActivityType.TRAINING_SESSION,
        )
        for i, ids in enumerate(by_department.values())
    ]


def _model(fx: Fixture) -> ForecastModel:
    people = fx.people
    return build_forecast_model(
        [p["id"] for p in people],
        [(t["source_id"], t["target_id"], float(t["strength"])) for t in fx.ties],
        _scores(fx),
        TODAY,
        GO_LIVE,
        departments={p["id"]: p["department"] for p in people},
        groups={p["id"]: StakeholderGroup(p["stakeholder_group"]) for p in people},
        attitudes={p["id"]: Attitude(p["attitude"]) for p in people},
        activities=_plans(fx),
    )


def _products(model: ForecastModel, forward: int, backward: int) -> Callable[[], Any]:
    """``forward`` products with W and ``backward`` with Wᵀ on an n×5 array."""
    weights = model.weights
    transposed = weights.T.tocsr()
    start = model.scores

    def run() -> Any:
        x = start
        for _ in range(forward):
            x = weights @ x
        for _ in range(backward):
            x = transposed @ x
        return x

    return run


def forecast_case(model: ForecastModel) -> Callable[[], Callable[[], Any]]:
    return lambda: lambda: forecast(model)


def forecast_floor(model: ForecastModel) -> Callable[[], Callable[[], Any]]:
    return lambda: _products(model, model.weeks, 0)


def recommender_case(model: ForecastModel) -> Callable[[], Callable[[], Any]]:
    return lambda: lambda: recommend_champions(model, K)


def recommender_floor(model: ForecastModel, evaluations: int) -> Callable[[], Callable[[], Any]]:
    return lambda: _products(model, model.weeks * (1 + evaluations), model.weeks)


# -- the service end to end -----------------------------------------------------------------------


def _service_workspace(fx: Fixture, scores: dict[int, AdkarScores]) -> Any:
    path = fx.workdir / f"forecast-{fx.size}.cmio"
    if not path.exists():
        shutil.copyfile(fx.populated, path)
        ws = open_workspace(path)
        with ws.session() as session:
            bulk_insert(
                session,
                "initiative",
                [
                    {
                        "id": 1,
                        "organisation_id": 1,
                        "name": "Go-live",
                        "description": "",
                        "go_live": GO_LIVE,
                        "created_at": TODAY,
                    }
                ],
            )
            bulk_insert(
                session,
                "assessment",
                [
                    {
                        "stakeholder_id": pid,
                        "initiative_id": 1,
                        "assessed_on": TODAY,
                        **dict(
                            zip(
                                ("awareness", "desire", "knowledge", "ability", "reinforcement"),
                                sc.as_tuple(),
                                strict=True,
                            )
                        ),
                        "assessor": "",
                        "note": "",
                    }
                    for pid, sc in scores.items()
                ],
            )
        ws.close()
    return path


def service_case(path: Any) -> Callable[[], Callable[[], Any]]:
    def prepare() -> Callable[[], Any]:
        def run() -> Any:
            ws = open_workspace(path)
            try:
                return forecast_service.load_forecast(ws, 1, today=TODAY)
            finally:
                ws.close()

        return run

    return prepare


def service_floor(path: Any, weeks: int) -> Callable[[], Callable[[], Any]]:
    def prepare() -> Callable[[], Any]:
        def run() -> Any:
            import scipy.sparse as sp

            conn = sqlite3.connect(path)
            try:
                ids = np.asarray(
                    [r[0] for r in conn.execute("SELECT id FROM stakeholder ORDER BY id")]
                )
                ties = np.asarray(
                    conn.execute(
                        "SELECT source_id, target_id, strength FROM relationship"
                    ).fetchall(),
                    dtype=np.int64,
                ).reshape(-1, 3)
                rows = conn.execute(
                    "SELECT stakeholder_id, awareness, desire, knowledge, ability, reinforcement "
                    "FROM assessment WHERE initiative_id = 1"
                ).fetchall()
            finally:
                conn.close()
            n = ids.size
            src, tgt = np.searchsorted(ids, ties[:, 0]), np.searchsorted(ids, ties[:, 1])
            w = sp.csr_matrix((ties[:, 2].astype(float), (tgt, src)), shape=(n, n))
            x = np.zeros((n, 5))
            scores = np.asarray(rows, dtype=float).reshape(-1, 6)
            x[np.searchsorted(ids, scores[:, 0].astype(np.int64))] = scores[:, 1:]
            for _ in range(weeks):
                x = w @ x
            return x

        return run

    return prepare


def run(fx: Fixture, repeats: int) -> list[Result]:
    n = fx.size
    model = _model(fx)
    evaluations = recommend_champions(model, K).exact_evaluations
    floor = "bare scipy CSR W @ x (n×5)"
    path = _service_workspace(fx, _scores(fx))
    return [
        measure(
            n,
            f"forecast to go-live (T = {WEEKS})",
            forecast_case(model),
            f"{floor}, {WEEKS} products",
            forecast_floor(model),
            repeats,
            target=TARGET,
            note=f"{len(fx.ties):,} ties, {len(model.activities)} activities",
        ),
        measure(
            n,
            f"champion recommender (k = {K})",
            recommender_case(model),
            f"{floor}, {(evaluations + 2) * WEEKS:,} products",
            recommender_floor(model, evaluations),
            repeats,
            target=TARGET,
            note=f"{evaluations} exact forecasts + one backward pass",
        ),
        measure(
            n,
            "forecast service (read + build + run)",
            service_case(path),
            f"raw sqlite3 SELECT + {WEEKS} products",
            service_floor(path, WEEKS),
            repeats,
            note="informational: includes reading plan and scores, imputing, building W",
        ),
    ]
