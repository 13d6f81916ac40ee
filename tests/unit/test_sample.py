"""The sample health system: deterministic, realistic in shape, scalable."""

from __future__ import annotations

import sqlite3
import statistics
from datetime import date
from pathlib import Path

import pytest

from cmio_desktop.sample import generate_sample
from cmio_desktop.store import create_workspace

TODAY = date(2026, 11, 2)


def build(tmp_path: Path, name: str, people: int = 300, seed: int = 11) -> Path:
    path = tmp_path / f"{name}.cmio"
    ws = create_workspace(path)
    try:
        generate_sample(ws, people=people, seed=seed, today=TODAY)
    finally:
        ws.close()
    return path


def dump(path: Path) -> dict[str, list[tuple]]:
    with sqlite3.connect(path) as conn:
        return {
            table: conn.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()
            for table in (
                "stakeholder",
                "relationship",
                "assessment",
                "activity",
                "training_completion",
                "golive_criterion",
            )
        }


def strip_timestamps(rows: list[tuple]) -> list[tuple]:
    return [
        tuple(v for v in row if not (isinstance(v, str) and v[:2] == "20" and ":" in v))
        for row in rows
    ]


def test_same_seed_same_workspace(tmp_path: Path) -> None:
    a, b = dump(build(tmp_path, "a")), dump(build(tmp_path, "b"))
    assert {k: strip_timestamps(v) for k, v in a.items()} == {
        k: strip_timestamps(v) for k, v in b.items()
    }


def test_different_seed_differs(tmp_path: Path) -> None:
    a, b = dump(build(tmp_path, "a")), dump(build(tmp_path, "b", seed=12))
    assert a["relationship"] != b["relationship"]


def test_shape_is_realistic(tmp_path: Path) -> None:
    path = build(tmp_path, "shape", people=600)
    with sqlite3.connect(path) as conn:
        q = conn.execute
        assert q("SELECT count(*) FROM stakeholder").fetchone()[0] == 600
        departments = {r[0] for r in q("SELECT DISTINCT department FROM stakeholder")}
        for dept in (
            "Emergency Department",
            "ICU",
            "Med-Surg",
            "Pediatrics",
            "Periop",
            "Pharmacy",
            "Radiology",
            "Laboratory",
            "Ambulatory Clinics",
            "Information Technology",
            "Executive",
            "Patient & Family Council",
        ):
            assert dept in departments
        roles = {r[0] for r in q("SELECT DISTINCT role FROM stakeholder")}
        assert {
            "physician",
            "nurse",
            "pharmacist",
            "app",
            "allied_health",
            "it",
            "executive",
            "patient_family",
        } <= roles
        assert len({r[0] for r in q("SELECT DISTINCT site FROM stakeholder")}) >= 3
        # Unique emails and external ids (round-trip keys).
        assert q(
            "SELECT count(DISTINCT email), count(DISTINCT external_id) FROM stakeholder"
        ).fetchone() == (600, 600)
        # Heavy-tailed out-degree: the best-connected person has many times the median.
        degrees = [r[0] for r in q("SELECT count(*) FROM relationship GROUP BY source_id")]
        assert max(degrees) >= 5 * statistics.median(degrees)
        # A reporting hierarchy and cross-department ties both exist.
        assert q("SELECT count(*) FROM relationship WHERE kind='reports_to'").fetchone()[0] > 400
        cross_sql = """SELECT count(*) FROM relationship r JOIN stakeholder a ON a.id=r.source_id
                       JOIN stakeholder b ON b.id=r.target_id WHERE a.department<>b.department"""
        cross = q(cross_sql).fetchone()[0]
        assert cross > 20
        # Four rounds; Periop lags the others in mean readiness in the last round.
        assert q("SELECT count(DISTINCT assessed_on) FROM assessment").fetchone()[0] >= 4
        last = dict(
            q(
                """SELECT s.department, avg((awareness+desire+knowledge+ability+
                         reinforcement)/5.0) FROM assessment a JOIN stakeholder s
                         ON s.id=a.stakeholder_id WHERE a.assessed_on >= ? GROUP BY 1""",
                (str(date(2026, 10, 20)),),
            ).fetchall()
        )
        first = dict(
            q(
                """SELECT s.department, avg((awareness+desire+knowledge+ability+
                          reinforcement)/5.0) FROM assessment a JOIN stakeholder s
                          ON s.id=a.stakeholder_id WHERE a.assessed_on < ? GROUP BY 1""",
                (str(date(2026, 8, 20)),),
            ).fetchall()
        )
        assert last["Periop"] == min(last.values())
        assert last["Med-Surg"] > first["Med-Surg"] + 0.4
        # A few influential resisters.
        assert (
            q(
                "SELECT count(*) FROM stakeholder WHERE attitude='resistant' AND power>=4"
            ).fetchone()[0]
            >= 1
        )
        go_live = q("SELECT go_live FROM initiative ORDER BY id").fetchone()[0]
        assert 80 <= (date.fromisoformat(go_live) - TODAY).days <= 100


def test_refuses_non_empty_workspace(sample_ws) -> None:
    with pytest.raises(ValueError, match="empty workspace"):
        generate_sample(sample_ws, people=50)


@pytest.mark.slow
def test_scales_to_ten_thousand(tmp_path: Path) -> None:
    path = build(tmp_path, "big", people=10_000)
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM stakeholder").fetchone()[0] == 10_000
        ties = conn.execute("SELECT count(*) FROM relationship").fetchone()[0]
    assert 40_000 < ties < 100_000
