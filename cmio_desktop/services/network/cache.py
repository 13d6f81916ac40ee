"""Network metrics kept on disk between runs, so a reopened workspace shows its figures
without recomputing PageRank, betweenness, communities and reach.

One file per workspace (named by a hash of its resolved path) in the user cache directory,
written 0600 through a temporary file. A file is used only when everything it was made from
matches: the cache format, the app version and the analysis code, and the digest of the graph
and network settings (the caller's key: any change to people, ties or settings misses). The
file is plain numpy arrays plus JSON (``allow_pickle=False``): a damaged or foreign file is
ignored and replaced, never trusted. Deleting the folder is always safe.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from cmio_desktop import __version__
from cmio_desktop.analysis.network import Broker, NetworkMetrics, NetworkSettings
from cmio_desktop.paths import cache_dir
from cmio_desktop.private_files import write_private_bytes

log = logging.getLogger(__name__)

FORMAT = 1
ARRAYS = (
    "influence", "pagerank", "betweenness", "in_strength", "out_strength", "in_ties", "out_ties",
    "reach", "reach_count", "community",
)  # fmt: skip
TIES = ("tie_source", "tie_target", "tie_strength")
Ties = tuple[np.ndarray, np.ndarray, np.ndarray]


@cache
def code_fingerprint() -> str:
    """The app version and a hash of the analysis code: results of other code are not reused."""
    digest = hashlib.blake2b(__version__.encode(), digest_size=12)
    folder = Path(__file__).resolve().parents[1] / "analysis"
    for source in sorted(folder.glob("*.py")):  # absent in a frozen bundle: the version decides
        digest.update(source.name.encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()


def cache_file(workspace: str) -> Path:
    name = hashlib.blake2b(workspace.encode(), digest_size=16).hexdigest()
    return cache_dir() / "analysis" / f"{name}.npz"


def load(workspace: str, key: str, n: int, settings: NetworkSettings) -> Any:
    """``(metrics, ties)`` saved for this workspace under ``key``, or None."""
    path = cache_file(workspace)
    try:
        with np.load(path, allow_pickle=False) as data:
            meta = json.loads(str(data["meta"]))
            if (meta.get("format"), meta.get("code"), meta.get("key"), meta.get("n")) != (
                FORMAT, code_fingerprint(), key, n,
            ):  # fmt: skip
                return None
            arrays = {name: data[name] for name in (*ARRAYS, *TIES, "isolates")}
    except FileNotFoundError:
        return None
    except Exception as exc:  # damaged, truncated or foreign: recompute (and replace it)
        log.info("Ignoring the cached analysis %s: %s", path.name, exc)
        return None
    if any(arrays[name].shape != (n,) for name in ARRAYS):
        return None
    metrics = NetworkMetrics(
        node_ids=list(range(n)),
        **{name: arrays[name] for name in ARRAYS},
        betweenness_info=_betweenness_info(meta["betweenness_info"]),
        community_names=[str(c) for c in meta["community_names"]],
        modularity=float(meta["modularity"]),
        isolates=[int(i) for i in arrays["isolates"]],
        brokers=[
            Broker(int(b[0]), float(b[1]), tuple(int(c) for c in b[2]), str(b[3]))
            for b in meta["brokers"]
        ],  # fmt: skip
        settings=settings,
        tie_count=int(meta["tie_count"]),
        timings={str(k): float(v) for k, v in meta["timings"].items()},
    )
    ties = (arrays["tie_source"], arrays["tie_target"], arrays["tie_strength"])
    return metrics, ties


def save(workspace: str, key: str, metrics: NetworkMetrics, ties: Ties) -> None:
    """Keep ``(metrics, ties)`` for the next run; a failure (full disk) only costs speed."""
    info = metrics.betweenness_info
    meta = {
        "format": FORMAT,
        "code": code_fingerprint(),
        "key": key,
        "n": int(metrics.influence.size),
        "community_names": list(metrics.community_names),
        "modularity": float(metrics.modularity),
        "betweenness_info": {
            "mode": info.mode,
            "pivots": info.pivots,
            "seed": info.seed,
            "relative_error": info.relative_error,
        },  # fmt: skip
        "brokers": [
            [int(b.node_id), float(b.betweenness), list(b.communities), b.reason]  # type: ignore[call-overload]
            for b in metrics.brokers
        ],  # fmt: skip
        "tie_count": int(metrics.tie_count),
        "timings": {k: float(v) for k, v in metrics.timings.items()},
    }
    buffer = io.BytesIO()
    np.savez(
        buffer,
        meta=np.array(json.dumps(meta)),
        isolates=np.asarray([int(i) for i in metrics.isolates], dtype=np.int64),  # type: ignore[call-overload]
        **{name: np.asarray(getattr(metrics, name)) for name in ARRAYS},
        **dict(zip(TIES, ties, strict=True)),
    )
    try:
        write_private_bytes(cache_file(workspace), buffer.getvalue())
    except OSError as exc:
        log.info("Could not keep the analysis for next time: %s", exc)


def _betweenness_info(values: dict[str, Any]) -> Any:
    from cmio_desktop.analysis.graph_engine import BetweennessInfo

    return BetweennessInfo(
        mode=values["mode"],
        pivots=values["pivots"],
        seed=values["seed"],
        relative_error=values["relative_error"],
    )
