"""Every row carries a version the database raises on each update, whoever writes it, and a
save or delete made on an older version of the row never overwrites a colleague's change
(issue 13, "no lost update"). Runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import pytest

from cmio_desktop import models as m
from cmio_desktop.services import crud
from cmio_desktop.services.conflicts import VERSION, shown_versions
from cmio_desktop.services.errors import ConflictError
from cmio_desktop.services.stakeholders import edits as service
from tests.raw_rows import fingerprint, raw_rows, table_names
from tests.unit.test_undo_conflicts import elsewhere, ws  # noqa: F401  (the fixture)


def version(ws, ident: int) -> int:  # noqa: F811
    return raw_rows(ws, "SELECT version FROM stakeholder WHERE id = ?", (ident,))[0][0]


def jane(ws) -> int:  # noqa: F811
    return raw_rows(ws, "SELECT id FROM stakeholder WHERE name = 'Jane Doe'")[0][0]


def test_every_table_but_the_audit_trail_has_a_version(ws) -> None:  # noqa: F811
    tables = set(table_names(ws)) & set(m.Base.metadata.tables)
    assert "stakeholder" in tables and "audit_event" in tables
    for table in sorted(tables):
        columns = {c.name for c in m.Base.metadata.tables[table].columns}
        assert (VERSION in columns) == (table != "audit_event"), table
        # the stored schema agrees with the model: the column is really there
        if table != "audit_event":
            assert raw_rows(ws, f'SELECT min(version) FROM "{table}"') is not None


def test_the_database_raises_the_version_on_every_update_whoever_writes(ws) -> None:  # noqa: F811
    ident = jane(ws)
    assert version(ws, ident) == 1
    record = service.update_stakeholder(ws, ident, phone="555 0100")  # the ORM
    assert version(ws, ident) == 2
    assert record.version == 2  # the record returned reads the bumped value back
    service.bulk_update(ws, [ident], title="Charge nurse")  # one bulk statement
    assert version(ws, ident) == 3
    elsewhere(ws, "UPDATE stakeholder SET phone = '555 0101' WHERE id = ?", ident)  # raw SQL
    assert version(ws, ident) == 4
    # A program writing back an old copy of the row (version 1) cannot take the version back.
    elsewhere(ws, "UPDATE stakeholder SET phone = '555 0102', version = 1 WHERE id = ?", ident)
    assert version(ws, ident) == 5
    added = service.create_stakeholder(ws, name="Sam Lee")
    assert version(ws, added.id) == 1


def test_a_save_on_the_version_shown_goes_through(ws) -> None:  # noqa: F811
    ident = jane(ws)
    shown = crud.get(ws, m.Stakeholder, ident)
    service.update_stakeholder(
        ws, ident, expected={"phone": shown.phone, VERSION: shown.version}, phone="555 0100"
    )
    assert raw_rows(ws, "SELECT phone FROM stakeholder WHERE id = ?", (ident,)) == [("555 0100",)]


def test_a_save_over_a_colleagues_change_is_refused_and_their_other_fields_are_kept(
    ws,  # noqa: F811
) -> None:
    ident = jane(ws)
    shown = crud.get(ws, m.Stakeholder, ident)
    elsewhere(ws, "UPDATE stakeholder SET phone = '555 0101', title = 'Matron' WHERE id = ?", ident)
    before = fingerprint(ws)
    # The same field: refused, nothing written, the sentence names the value found.
    with pytest.raises(ConflictError, match="Phone of Jane Doe was changed to “555 0101” by "):
        service.update_stakeholder(
            ws, ident, expected={"phone": shown.phone, VERSION: shown.version}, phone="555 0199"
        )
    assert fingerprint(ws) == before
    # Another field of the same row: the colleague's phone and title stay, the save goes in.
    service.update_stakeholder(
        ws, ident, expected={"email": shown.email, VERSION: shown.version}, email="jd@example.org"
    )
    assert raw_rows(ws, "SELECT phone, title, email FROM stakeholder WHERE id = ?", (ident,)) == [
        ("555 0101", "Matron", "jd@example.org")
    ]


def test_a_delete_of_a_row_changed_since_it_was_shown_is_refused(ws) -> None:  # noqa: F811
    ident = jane(ws)
    shown = {ident: version(ws, ident)}
    elsewhere(ws, "UPDATE stakeholder SET phone = '555 0101' WHERE id = ?", ident)
    before = fingerprint(ws)
    with shown_versions(shown), pytest.raises(ConflictError) as caught:
        service.delete_stakeholders(ws, [ident])
    # Written without the audit trail: nobody is named, nothing is deleted.
    assert str(caught.value) == (
        "Jane Doe was changed by someone else since it was shown to you; nothing was deleted."
    )
    assert fingerprint(ws) == before
    # An audited change names the field, the value and who made it, and when.
    service.update_stakeholder(ws, ident, phone="555 0102")
    with shown_versions({ident: version(ws, ident) - 1}), pytest.raises(ConflictError) as caught:
        service.delete_stakeholders(ws, [ident])
    assert str(caught.value).startswith(
        "Phone of Jane Doe was changed to “555 0102” by you in another window or program on "
    )
    assert str(caught.value).endswith(" since it was shown to you; nothing was deleted.")
    # The version as it is now (the view reloaded): the delete goes through.
    with shown_versions({ident: version(ws, ident)}):
        snapshot = service.delete_stakeholders(ws, [ident])
    assert snapshot.count("stakeholder") == 1
    assert raw_rows(ws, "SELECT count(*) FROM stakeholder WHERE id = ?", (ident,)) == [(0,)]


def test_undo_restores_the_values_and_the_version_still_moves_on(ws) -> None:  # noqa: F811
    ident = jane(ws)
    written = service.update_stakeholder(ws, ident, phone="555 0100")
    service.update_stakeholder(ws, ident, expected={"phone": "555 0100"}, phone="")
    assert raw_rows(ws, "SELECT phone FROM stakeholder WHERE id = ?", (ident,)) in (
        [("",)],
        [(None,)],
    )
    assert version(ws, ident) == written.version + 1
