"""A throwaway PostgreSQL cluster for the tests (and by hand: ``python -m tests.pg_cluster``).

initdb in a temporary folder, the server listening on a Unix socket in that folder (trusted:
the admin's way in) and on a free local TCP port (passwords, SCRAM: the way the tests of wrong
passwords, the keyring and pgpass files come in), stopped and removed at the end.
PostgreSQL refuses to run as root, so when we are root the cluster runs as ``postgres``.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

_BIN_DIRS = (
    "/usr/lib/postgresql/17/bin",
    "/usr/lib/postgresql/16/bin",
    "/usr/lib/postgresql/15/bin",
)


def binaries() -> Path | None:
    """The folder holding initdb and pg_ctl, or None when PostgreSQL is not installed."""
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(found).resolve().parent
    for folder in _BIN_DIRS:
        if (Path(folder) / "initdb").exists():
            return Path(folder)
    return None


@dataclass
class Cluster:
    folder: Path
    port: int
    user: str
    bin_dir: Path
    run_as: str | None

    @property
    def url(self) -> str:
        """The admin's libpq connection string: the Unix socket, trusted."""
        return f"host={self.folder} port={self.port} user={self.user} dbname=postgres"

    def _cmd(self, *args: str) -> list[str]:
        if self.run_as:
            return ["runuser", "-u", self.run_as, "--", *args]
        return list(args)

    def stop(self) -> None:
        subprocess.run(
            self._cmd(
                str(self.bin_dir / "pg_ctl"),
                "-D",
                str(self.folder / "data"),
                "-m",
                "immediate",
                "stop",
            ),
            capture_output=True,
            check=False,
        )
        shutil.rmtree(self.folder, ignore_errors=True)


def _free_port() -> int:
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start() -> Cluster:
    bin_dir = binaries()
    if bin_dir is None:
        raise RuntimeError("PostgreSQL binaries (initdb, pg_ctl) are not installed")
    run_as = "postgres" if os.geteuid() == 0 else None
    folder = Path(tempfile.mkdtemp(prefix="cmio-pg-"))
    if run_as:
        entry = pwd.getpwnam(run_as)
        os.chown(folder, entry.pw_uid, entry.pw_gid)
    os.chmod(folder, 0o755)
    user = run_as or pwd.getpwuid(os.geteuid()).pw_name
    cluster = Cluster(folder, _free_port(), user, bin_dir, run_as)
    data = folder / "data"
    subprocess.run(
        cluster._cmd(
            str(bin_dir / "initdb"),
            "-D",
            str(data),
            "-U",
            user,
            "--auth-local=trust",
            "--auth-host=scram-sha-256",
            "--encoding=UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        ),
        check=True,
        capture_output=True,
    )
    options = (
        f"-p {cluster.port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off "
        "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
    )
    subprocess.run(
        cluster._cmd(
            str(bin_dir / "pg_ctl"),
            "-D",
            str(data),
            "-o",
            options,
            "-l",
            str(folder / "server.log"),
            "-w",
            "start",
        ),
        check=True,
        capture_output=True,
    )
    return cluster


if __name__ == "__main__":
    c = start()
    print(c.url, c.folder)
