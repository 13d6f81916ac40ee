"""``cmio server init URL [--admin-user NAME] [--org NAME]``

Sets up a team workspace on a PostgreSQL server (run by IT, as the database's owner): the
workspace's tables in the empty database (or an upgrade of those there), the roles
cmio_viewer / cmio_editor / cmio_admin with their grants, and NAME made an admin. Safe to run
again. Exits 0 when done, 1 for a user error.
"""

from __future__ import annotations

import argparse
from typing import Any


def register(sub: Any) -> None:
    server = sub.add_parser("server", help="set up a team workspace on a PostgreSQL server")
    actions = server.add_subparsers(dest="server_command", required=True, metavar="ACTION")
    init = actions.add_parser(
        "init", help="create the schema and the viewer/editor/admin roles (run by IT)"
    )
    init.add_argument("workspace", metavar="URL", help="postgresql://owner@host/database")
    init.add_argument("--admin-user", metavar="NAME", help="an existing login made cmio_admin")
    init.add_argument("--org", default="My organisation", help="organisation of a new workspace")
    init.set_defaults(run=run_init)


def run_init(args: argparse.Namespace) -> int:
    from cmio_desktop.store.locations import is_team_location, shown_location
    from cmio_desktop.store.server_roles import ROLES, init_server

    if not is_team_location(args.workspace):
        from cmio_desktop.store.errors import WorkspaceError

        raise WorkspaceError("`cmio server init` needs a postgresql:// URL, not a file.")
    done = init_server(args.workspace, args.admin_user, args.org)
    what = "created" if done.created_workspace else "already there (upgraded if it was older)"
    print(f"Team workspace at {shown_location(args.workspace)}: {what}.")
    print(f"Roles {', '.join(ROLES)} ready ({len(done.roles_created)} new).")
    if done.admin_user:
        print(f"{done.admin_user} is a cmio_admin; grant cmio_editor or cmio_viewer to others.")
    return 0
