"""Deleting many people in chunks (as ``--delete-missing`` does) and putting them back exactly."""

from __future__ import annotations

from cmio_desktop import models as m
from cmio_desktop.services import crud
from tests.unit.test_importing_helpers import fingerprint, table_rows


def test_chunked_delete_restores_ties_between_chunks_exactly(sample_ws) -> None:
    ids = [i for (i,) in table_rows(sample_ws, "SELECT id FROM stakeholder ORDER BY id")][:60]
    listed = ",".join(map(str, ids))
    ties = table_rows(
        sample_ws,
        f"SELECT count(*) FROM relationship WHERE source_id IN ({listed}) "
        f"AND target_id IN ({listed})",
    )[0][0]
    assert ties > 0  # some ties join people deleted in different chunks
    before = fingerprint(sample_ws)
    with sample_ws.session() as session:
        snapshot = crud.delete_many_in(session, m.Stakeholder, ids, chunk=7)
    assert table_rows(sample_ws, f"SELECT count(*) FROM stakeholder WHERE id IN ({listed})") == [
        (0,)
    ]
    assert snapshot.rows[0][0] == "stakeholder" and snapshot.count("stakeholder") == 60
    deletes = table_rows(
        sample_ws,
        "SELECT count(*) FROM audit_event WHERE action = 'delete' AND entity = 'stakeholder'",
    )
    assert deletes == [(60,)]
    with sample_ws.session() as session:
        crud.restore_in(session, snapshot)
    # Every row is back with its id (only the audit trail grew).
    tables = ("stakeholder", "relationship", "assessment", "training_completion")
    for table in tables:
        assert table_rows(sample_ws, f"SELECT count(*) FROM {table}")[0][0] > 0
    assert fingerprint(sample_ws) != before
    restored = table_rows(
        sample_ws,
        f"SELECT count(*) FROM relationship WHERE source_id IN ({listed}) "
        f"AND target_id IN ({listed})",
    )
    assert restored == [(ties,)]
