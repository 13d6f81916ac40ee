"""The workbook's data gathered from a real (sample) workspace, the `cmio export` and
`cmio briefing` commands, and the PDF briefing pack."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from cmio_desktop.cli import main
from cmio_desktop.commands.export_workbook import SHEET_KEYS as CLI_SHEET_KEYS
from cmio_desktop.io.workbook.layout import HEADER_ROW
from cmio_desktop.io.workbook.writer import SHEET_KEYS
from cmio_desktop.services.stakeholders.edits import register_rows
from cmio_desktop.services.workbook.data import build_workbook_data
from tests.conftest import SAMPLE_TODAY


@pytest.fixture(scope="module")
def sample_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from cmio_desktop.sample import generate_sample
    from cmio_desktop.store import create_workspace

    path = tmp_path_factory.mktemp("sample") / "s.cmio"
    ws = create_workspace(path, organisation="Riverside Health")
    generate_sample(ws, people=120, seed=3, today=SAMPLE_TODAY)
    ws.close()
    return path


@pytest.fixture(scope="module")
def data(sample_path: Path):  # type: ignore[no-untyped-def]
    from cmio_desktop.store import open_workspace

    ws = open_workspace(sample_path)
    try:
        yield build_workbook_data(ws, today=SAMPLE_TODAY)
    finally:
        ws.close()


def test_gathers_every_part_of_the_workbook(data, sample_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert data.meta.organisation == "Riverside Health"
    assert data.meta.initiative == "Ambulatory EHR go-live"
    assert data.meta.days_to_go_live == 91
    assert len(data.register) == 120
    names = [r.name.casefold() for r in data.register]
    assert names == sorted(names)
    assert {r.desired_attitude for r in data.register} <= {
        "Unaware", "Resistant", "Neutral", "Supportive", "Leading"
    }  # fmt: skip
    assert [q.quadrant for q in data.quadrants] == [
        "Key player", "Keep satisfied", "Keep informed", "Monitor"
    ]  # fmt: skip
    assert sum(q.people for q in data.quadrants) == 120
    assert sum(map(sum, data.grid_counts)) == 120
    assert sum(a.people for a in data.attitudes) == 120
    assert max(r.network_influence or 0.0 for r in data.register) == pytest.approx(100.0)
    lists = {r.list_name for r in data.influence}
    assert lists == {"Key resister", "Champion", "Top influencer", "Broker", "Hot spot"}
    # the one key-resister list, in the app's order (network analysis → key_people)
    from cmio_desktop.services.network import analysis as network
    from cmio_desktop.services.network.key_people import key_resister_ids
    from cmio_desktop.store import open_workspace

    ws = open_workspace(sample_path)
    try:
        expected = key_resister_ids(network.analyze(ws, 1))
    finally:
        ws.close()
    listed = [r.person_id for r in data.influence if r.list_name == "Key resister"]
    assert listed == expected and listed
    labels = [k.label for k in data.kpis]
    assert "Key resisters" in labels and "Resistant key players" not in labels
    assert len(data.trend) == 4 and all(p.readiness for p in data.trend)
    periop = next(d for d in data.departments if d.department == "Periop")
    assert periop.readiness is not None and periop.readiness < 3
    assert len(data.activities) == 16 and len(data.risks) == 6
    assert len(data.communications) == 5
    totals = [t for t in data.training if not t.department]
    assert {t.role for t in totals} >= {"Physician", "Nurse"}
    assert len(data.go_no_go.criteria) == 6
    assert data.go_no_go.decision in ("go", "conditional", "no_go")
    labels = [k.label for k in data.kpis]
    assert "Days to go-live" in labels and "Training completion" in labels
    assert any(topic == "Readiness" for topic, _ in data.definitions)


def test_register_matches_the_register_service(data, sample_path: Path) -> None:  # type: ignore[no-untyped-def]
    from cmio_desktop.store import open_workspace

    ws = open_workspace(sample_path)
    try:
        reg = register_rows(ws)
    finally:
        ws.close()
    readiness = dict(zip(reg.ids, reg.readiness, strict=True))
    for row in data.register:
        assert row.readiness == readiness[row.person_id]


def test_cli_sheet_keys_match_the_writer() -> None:
    assert CLI_SHEET_KEYS == SHEET_KEYS


def test_cli_export_writes_the_workbook(sample_path: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "briefing.xlsx"
    code = main(["export", str(sample_path), str(out), "--today", "2026-11-02"])
    assert code == 0
    assert "Exported 12 sheets, 120 people" in capsys.readouterr().out
    book = load_workbook(out)
    assert book.sheetnames[:4] == ["Summary", "ADKAR heat map", "Red zone", "Network influence"]
    assert book.sheetnames[-1] == "Notes"
    assert "Stakeholders" not in book.sheetnames  # the board pack leaves the register out
    assert "History" not in book.sheetnames  # and the history


def test_cli_export_appendix_register(sample_path: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "briefing.xlsx"
    args = ["export", str(sample_path), str(out), "--today", "2026-11-02", "--appendix-register"]
    assert main(args) == 0
    assert "Exported 13 sheets, 120 people" in capsys.readouterr().out
    book = load_workbook(out)
    assert book.sheetnames[-2:] == ["Stakeholders", "Notes"]  # an appendix, last
    assert book["Stakeholders"].max_row == HEADER_ROW + 120


def test_cli_export_anonymised_has_no_real_name(  # type: ignore[no-untyped-def]
    sample_path: Path, tmp_path: Path, data
) -> None:
    out = tmp_path / "anon.xlsx"
    assert main(["export", str(sample_path), str(out), "--anonymise"]) == 0
    text = "\n".join(
        str(c.value) for ws in load_workbook(out) for row in ws.iter_rows() for c in row
    )
    leaked = [r.name for r in data.register if r.name in text]
    assert leaked == []
    assert "Physician 1" in text


def test_cli_export_reports_user_errors(sample_path: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["export", str(sample_path), str(tmp_path / "no" / "x.xlsx")]) == 1
    assert "does not exist" in capsys.readouterr().err
    assert main(["export", str(sample_path), str(tmp_path / "x.xlsx"), "--initiative", "99"]) == 1
    assert "no initiative with id 99" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["export", str(sample_path), str(tmp_path / "x.xlsx"), "--sheets", "nope"])


def _pdf_pages(path: Path) -> int:
    return len(re.findall(rb"/Type\s*/Page\b", path.read_bytes()))


def test_cli_briefing_writes_a_pdf_of_the_charts(sample_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "pack.pdf"
    assert main(["briefing", str(sample_path), str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF") and _pdf_pages(out) == 7
