"""`cmio new --encrypt`, `cmio encrypt` / `cmio decrypt`, and every command on an encrypted file
(the passphrase from CMIO_PASSPHRASE; without one, a sentence and exit code 1)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cmio_desktop.cli import main
from cmio_desktop.store.encryption import connect, is_encrypted
from cmio_desktop.store.workspace import SQLITE_MAGIC

ORG = "Quenby Vale Hospitals"
ROOT = Path(__file__).resolve().parents[2]


def run_cli(*args: str, passphrase: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "CMIO_PASSPHRASE"}
    env["PYTHONPATH"] = str(ROOT)
    if passphrase is not None:
        env["CMIO_PASSPHRASE"] = passphrase
    return subprocess.run(
        [sys.executable, "-m", "cmio_desktop.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        stdin=subprocess.DEVNULL,  # no terminal: nobody to ask
    )


def _rows(path: Path, passphrase: str | None) -> dict[str, list[tuple]]:
    conn = connect(path, passphrase, readonly=True)
    try:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {t: conn.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall() for t in tables}
    finally:
        conn.close()


def test_new_encrypted_then_info(tmp_path: Path, capsys, monkeypatch) -> None:
    ws = tmp_path / "secret.cmio"
    monkeypatch.setenv("CMIO_PASSPHRASE", "tulip-7 radar")
    assert main(["new", str(ws), "--org", ORG, "--encrypt", "--initiative", "EHR"]) == 0
    assert "encrypted" in capsys.readouterr().out
    assert is_encrypted(ws) and ORG.encode() not in ws.read_bytes()
    assert main(["info", str(ws), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["organisation"] == ORG and info["initiatives"][0]["name"] == "EHR"


def test_without_or_with_a_wrong_passphrase_a_sentence(tmp_path: Path) -> None:
    ws = tmp_path / "secret.cmio"
    assert run_cli("new", str(ws), "--org", ORG, "--encrypt").returncode == 1  # nobody to ask
    assert not ws.exists()
    assert run_cli("new", str(ws), "--org", ORG, "--encrypt", passphrase="pw-1").returncode == 0
    before = ws.read_bytes()
    missing = run_cli("info", str(ws))
    assert missing.returncode == 1
    assert "encrypted workspace" in missing.stderr and "CMIO_PASSPHRASE" in missing.stderr
    wrong = run_cli("info", str(ws), passphrase="pw-2")
    assert wrong.returncode == 1 and "does not open secret.cmio" in wrong.stderr
    for result in (missing, wrong):
        assert "Traceback" not in result.stderr and len(result.stderr.splitlines()) == 1
    assert ws.read_bytes() == before


def test_encrypt_decrypt_round_trip_keeps_every_row(tmp_path: Path) -> None:
    plain = tmp_path / "plain.cmio"
    assert run_cli("sample", str(plain), "--people", "60").returncode == 0
    secret = tmp_path / "secret.cmio"
    done = run_cli("encrypt", str(plain), str(secret), passphrase="river stone")
    assert done.returncode == 0, done.stderr
    assert not secret.read_bytes().startswith(SQLITE_MAGIC)
    assert b"Riverside Health" not in secret.read_bytes()
    back = tmp_path / "back.cmio"
    done = run_cli("decrypt", str(secret), str(back), passphrase="river stone")
    assert done.returncode == 0, done.stderr
    original = _rows(plain, None)
    assert len(original["stakeholder"]) >= 60
    assert _rows(secret, "river stone") == original
    assert _rows(back, None) == original
    info = run_cli("info", str(secret), "--json", passphrase="river stone")
    assert json.loads(info.stdout)["counts"]["stakeholder"] == len(original["stakeholder"])


@pytest.mark.parametrize(
    ("command", "source", "message"),
    [
        ("encrypt", "secret", "already encrypted"),
        ("decrypt", "plain", "is not encrypted"),
        ("decrypt", "missing", "no such file"),
    ],
)
def test_conversions_refuse_with_a_sentence(
    tmp_path: Path, monkeypatch, command: str, source: str, message: str
) -> None:
    files = {"plain": tmp_path / "plain.cmio", "secret": tmp_path / "secret.cmio"}
    assert main(["new", str(files["plain"]), "--org", ORG]) == 0
    monkeypatch.setenv("CMIO_PASSPHRASE", "k")
    assert main(["new", str(files["secret"]), "--org", ORG, "--encrypt"]) == 0
    out = tmp_path / "out.cmio"
    named = files.get(source, tmp_path / "missing.cmio")
    result = run_cli(command, str(named), str(out), passphrase="k")
    assert result.returncode == 1 and message in result.stderr
    assert not out.exists()


def test_check_reads_an_encrypted_workspace_and_its_backups(tmp_path: Path) -> None:
    ws = tmp_path / "secret.cmio"
    assert run_cli("new", str(ws), "--org", ORG, "--encrypt", passphrase="pw-1").returncode == 0
    data = tmp_path / "data"
    env_extra = {"CMIO_DESKTOP_DATA_DIR": str(data)}
    done = _run_with(env_extra, "sample", str(ws), "--people", "20", passphrase="pw-1")
    assert done.returncode == 0, done.stderr  # a write: the daily backup is made first
    report = _run_with(env_extra, "check", str(ws), "--json", passphrase="pw-1")
    assert report.returncode == 0, report.stdout
    statuses = {f["check"]: f["status"] for f in json.loads(report.stdout)["findings"]}
    assert statuses["integrity"] == "ok" and statuses["backups"] == "ok"
    backups = list((data / "backups").glob("*.cmio"))
    assert backups and all(is_encrypted(b) for b in backups)
    wrong = _run_with(env_extra, "check", str(ws), passphrase="pw-2")
    assert wrong.returncode == 1 and "does not open secret.cmio" in wrong.stdout


def _run_with(extra: dict[str, str], *args: str, passphrase: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "CMIO_PASSPHRASE"}
    env.update(extra, PYTHONPATH=str(ROOT), CMIO_PASSPHRASE=passphrase)
    return subprocess.run(
        [sys.executable, "-m", "cmio_desktop.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        stdin=subprocess.DEVNULL,
    )
