"""``cmio server init``: a team workspace's schema and its three roles, set up by IT.

- ``cmio_viewer``: reads everything (the server refuses any write);
- ``cmio_editor``: a viewer who also inserts, updates and deletes rows;
- ``cmio_admin``: an editor who owns the tables (so the app's upgrades can migrate them) and
  may grant the two other roles to people (``GRANT cmio_editor TO alice``).

Roles are group roles (no login); people log in as their own users and are granted one of
them. Run as the database's owner or a superuser, any number of times (it only adds what is
missing).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text

from cmio_desktop.store.errors import WorkspaceError
from cmio_desktop.store.postgres import (
    META_TABLE,
    make_server_engine,
    server_errors,
    team_workspace_exists,
)
from cmio_desktop.store.server_url import parse_server_url

VIEWER, EDITOR, ADMIN = "cmio_viewer", "cmio_editor", "cmio_admin"
ROLES = (VIEWER, EDITOR, ADMIN)


@dataclass(frozen=True)
class ServerInit:
    created_workspace: bool
    roles_created: list[str]
    admin_user: str | None


def init_server(
    url: str, admin_user: str | None = None, organisation: str = "My organisation"
) -> ServerInit:
    """Create the workspace (if the database holds none), the roles and their grants; make
    ``admin_user`` (an existing login role) a ``cmio_admin``."""
    from cmio_desktop.store.locations import create_location, open_location

    address = parse_server_url(url)
    created = not team_workspace_exists(url)
    ws = create_location(url, organisation=organisation) if created else open_location(url)
    ws.close()  # (opening migrated an older schema)
    engine = make_server_engine(address)
    try:
        with server_errors(address), engine.begin() as conn:
            if admin_user is not None:
                known = conn.execute(
                    text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": admin_user}
                ).first()
                if known is None:
                    raise WorkspaceError(
                        f"The server has no user “{admin_user}”; create the login first "
                        f"(CREATE ROLE {admin_user} LOGIN PASSWORD '…') and run this again."
                    )
            new_roles = []
            for role in ROLES:
                exists = conn.execute(
                    text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": role}
                ).first()
                if exists is None:
                    conn.exec_driver_sql(f"CREATE ROLE {role} NOLOGIN")
                    new_roles.append(role)
            _grant(conn, address.database)
            if admin_user is not None:
                conn.exec_driver_sql(f'GRANT {ADMIN} TO "{admin_user}"')
    finally:
        engine.dispose()
    return ServerInit(created, new_roles, admin_user)


def _grant(conn, database: str) -> None:  # type: ignore[no-untyped-def]
    sql = conn.exec_driver_sql
    sql(f"GRANT {VIEWER} TO {EDITOR}")
    sql(f"GRANT {EDITOR} TO {ADMIN}")
    sql(f"GRANT {VIEWER}, {EDITOR} TO {ADMIN} WITH ADMIN OPTION")
    sql(f'GRANT CONNECT, TEMPORARY ON DATABASE "{database}" TO {VIEWER}')
    sql(f"GRANT USAGE ON SCHEMA public TO {VIEWER}")
    sql(f"GRANT USAGE, CREATE ON SCHEMA public TO {ADMIN}")
    sql(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {VIEWER}")
    sql(f"GRANT INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {EDITOR}")
    sql(f"REVOKE INSERT, UPDATE, DELETE ON {META_TABLE}, alembic_version FROM {EDITOR}")
    sql(f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {EDITOR}")
    tables = conn.exec_driver_sql(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
    ).scalars()
    for table in tables:  # the admin owns them: the app's upgrades run as an admin
        sql(f'ALTER TABLE public."{table}" OWNER TO {ADMIN}')
    # Tables a later upgrade creates (as an admin) get the same grants.
    for privileges, role, kind in (
        ("SELECT", VIEWER, "TABLES"),
        ("INSERT, UPDATE, DELETE", EDITOR, "TABLES"),
        ("USAGE, SELECT, UPDATE", EDITOR, "SEQUENCES"),
    ):
        sql(
            f"ALTER DEFAULT PRIVILEGES FOR ROLE {ADMIN} IN SCHEMA public "
            f"GRANT {privileges} ON {kind} TO {role}"
        )
