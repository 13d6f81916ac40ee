"""The pure parts of team mode in the app: the NOTICE payload within PostgreSQL's limit, and
addresses built from a dialog's fields without ever keeping a password."""

from __future__ import annotations

import json

from cmio_desktop.store.server_credentials import build_server_url, with_password, without_password
from cmio_desktop.store.server_url import parse_server_url
from cmio_desktop.store.server_watch import MAX_PAYLOAD, payload_for


def test_a_payload_names_tables_and_ids_and_shrinks_to_fit() -> None:
    small = json.loads(payload_for("me", {"stakeholder"}, {3, 1}))
    assert small == {"c": "me", "t": ["stakeholder"], "i": [1, 3]}
    many = payload_for("me", {"stakeholder", "relationship"}, set(range(100_000, 110_000)))
    assert len(many.encode()) <= MAX_PAYLOAD
    assert json.loads(many) == {"c": "me", "t": ["relationship", "stakeholder"]}
    assert json.loads(payload_for("me", {"*", "risk"}, {1})) == {"c": "me", "all": True}
    assert json.loads(payload_for("me", {f"t{i:04d}" for i in range(2000)}, set()))["all"]


def test_addresses_from_fields_and_passwords_kept_out() -> None:
    url = build_server_url("db.example.org", 5433, "cmio", "sam.lee", "verify-full")
    assert url == "postgresql://sam.lee@db.example.org:5433/cmio?sslmode=verify-full"
    params = parse_server_url(url).params
    assert (params["host"], params["port"], params["dbname"], params["user"]) == (
        "db.example.org",
        "5433",
        "cmio",
        "sam.lee",
    )
    socket = build_server_url("/tmp/pg", 5432, "cmio", "me")
    assert parse_server_url(socket).params["host"] == "/tmp/pg"
    assert without_password("postgresql://sam:Pa55@h:5/db?sslmode=require") == (
        "postgresql://sam@h:5/db?sslmode=require"
    )
    assert without_password("postgresql://sam@h/db?password=Pa55&sslmode=require") == (
        "postgresql://sam@h/db?sslmode=require"
    )
    assert without_password("postgresql://sam@h/db?sslmode=require&password=Pa55") == (
        "postgresql://sam@h/db?sslmode=require"
    )
    carried = with_password("postgresql://sam@h/db", "p&ss word")
    assert parse_server_url(carried).params["password"] == "p&ss word"
    assert "p&ss" not in parse_server_url(carried).shown
    assert without_password(carried) == "postgresql://sam@h/db"
