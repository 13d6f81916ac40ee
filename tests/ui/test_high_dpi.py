"""A 4K screen at 200 %: every page laid out at 1920×1080 logical pixels and drawn at twice
the density (3840×2160), with no chart text cut and the key columns in view."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_page_fits_a_4k_screen_at_200_percent(sample_ws, tmp_path) -> None:
    path = sample_ws.path
    sample_ws.close()  # the child process opens it
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QT_SCALE_FACTOR": "2"}
    done = subprocess.run(
        [sys.executable, "-m", "tests.ui.high_dpi_probe", str(path), str(tmp_path), "1920x1080"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["ratio"] == 2.0
    assert report["shots"] and all(s == [3840, 2160] for s in report["shots"].values())
    assert not report["problems"], "\n".join(report["problems"])
