"""Load the register off the UI thread: its own session, plain data back through a signal."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from PySide6.QtCore import QObject, QRunnable, Signal

from cmio_desktop.services.errors import ServiceError
from cmio_desktop.services.stakeholders.edits import DistinctValues, distinct_values, register_rows
from cmio_desktop.services.stakeholders.register_network import RegisterNetwork, register_network
from cmio_desktop.store import Workspace
from cmio_desktop.ui.network_metrics import metrics_runner_for
from cmio_desktop.ui.stakeholders.register_table import (
    NetworkColumns,
    RegisterTable,
    network_columns,
)
from cmio_desktop.ui.workers import TaskContext

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RegisterLoad:
    generation: int
    table: RegisterTable
    choices: DistinctValues


class LoaderSignals(QObject):
    finished = Signal(object)  # RegisterLoad
    failed = Signal(int, str)  # generation, message


class RegisterLoader(QRunnable):
    """Reads the register and precomputes its display columns (≈1 s at 100,000 people)."""

    def __init__(self, ws: Workspace, generation: int, initiative_id: int | None = None) -> None:
        super().__init__()
        self.ws = ws
        self.generation = generation
        self.initiative_id = initiative_id
        self.signals = LoaderSignals()

    def run(self) -> None:
        try:
            data = register_rows(self.ws, self.initiative_id)
            load = RegisterLoad(self.generation, RegisterTable(data), distinct_values(self.ws))
        except ServiceError as exc:
            self.signals.failed.emit(self.generation, str(exc))
        except Exception as exc:  # a closed or damaged workspace: report, never crash the UI
            log.exception("Loading the stakeholder register failed")
            self.signals.failed.emit(self.generation, f"The register could not be read ({exc}).")
        else:
            self.signals.finished.emit(load)


def network_job(
    ctx: TaskContext, ws: Workspace, initiative_id: int | None, ids: list[int]
) -> tuple[RegisterNetwork, NetworkColumns]:
    """The register's network columns for ``ids`` (the register's rows), from the (cached)
    network analysis — run after the register is up, so the register never waits for the
    graph, and the UI thread only swaps lists in."""
    net = register_network(
        ws, initiative_id, progress=ctx.progress, metrics_runner=metrics_runner_for(ctx)
    )
    ctx.check()
    return net, network_columns(net, ids)
