"""Every export (workbook, board pack, register, briefing pack, charts as PNG, SVG and PDF) onto
a full disk and onto a read-only target, real (a small tmpfs, where mounting is allowed) and
injected (always): one clear sentence, no partial or temporary file, the earlier file of that
name untouched, the workspace unchanged. And the workspace itself on a disk that turns
read-only while it is open (issue #18, item 4; tests/safety/faults.py)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.safety.faults import EXPORTS, export_fault, fill, mount_tmpfs, remount, unmount
from tests.safety.snapshot import snapshot, sqlite_problems

MODES = ("full", "read-only", "injected full", "injected read-only")


@pytest.fixture(scope="module")
def small_ws(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    from cmio_desktop.sample import generate_sample
    from cmio_desktop.store import create_workspace
    from tests.conftest import SAMPLE_TODAY

    ws = create_workspace(tmp_path_factory.mktemp("faults") / "plan.cmio", organisation="Faults")
    generate_sample(ws, people=30, seed=5, today=SAMPLE_TODAY)
    yield ws
    ws.close()


@pytest.fixture
def target_folder(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Path]:
    folder = tmp_path / "target"
    mode = request.node.callspec.params["mode"]
    if mode.startswith("injected"):
        folder.mkdir()
        yield folder
        return
    if not mount_tmpfs(folder):
        pytest.skip("mounting a small tmpfs is not permitted here (the injected twin runs)")
    try:
        yield folder
    finally:
        unmount(folder)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name", list(EXPORTS))
def test_an_export_under_a_fault_is_a_sentence_and_loses_nothing(
    qapp, small_ws, target_folder: Path, name: str, mode: str
) -> None:
    export, suffix = EXPORTS[name]
    export(small_ws, target_folder / f"out{suffix}")  # the earlier file a fault must not harm
    if mode == "full":
        fill(target_folder, leave=4096)
    elif mode == "read-only":
        remount(target_folder, "ro")
    assert export_fault(small_ws, name, target_folder, mode) == []


def test_an_edit_onto_a_full_disk_while_the_workspace_is_open_is_a_sentence(
    tmp_path: Path,
) -> None:
    """The app holds the workspace open on a disk that fills up: the edit is refused with a
    sentence, nothing of it is stored, and once there is space the same edit goes in."""
    from cmio_desktop.services.stakeholders import edits
    from cmio_desktop.store import create_workspace, open_workspace
    from cmio_desktop.store.errors import storage_sentence

    folder = tmp_path / "disk"
    if not mount_tmpfs(folder, "4m"):
        pytest.skip("mounting a small tmpfs is not permitted here")
    try:
        ws = create_workspace(folder / "plan.cmio")
        ids = [edits.create_stakeholder(ws, name=f"Person {i}").id for i in range(40)]
        before = snapshot(ws.path)
        fill(folder, leave=0)
        long_note = "n" * 3000  # 120 kB of new text: more pages than the disk has left
        with pytest.raises(Exception) as caught:
            edits.bulk_update(ws, ids, notes=long_note)
        sentence = storage_sentence(caught.value, folder)
        assert sentence is not None and "the disk is full" in sentence, caught.value
        ws.close()
        (folder / "filler.bin").unlink()
        assert snapshot(folder / "plan.cmio") == before
        assert sqlite_problems(folder / "plan.cmio") == []
        reopened = open_workspace(folder / "plan.cmio")
        edits.bulk_update(reopened, ids, notes=long_note)  # space again: the same edit goes in
        reopened.close()
    finally:
        unmount(folder)
    shutil.rmtree(folder, ignore_errors=True)
