"""Stakeholder register operations: a search keystroke, a sort by name, and the page load.

ARCHITECTURE asks for the search keystroke and the sort at 100k people to stay within 50 ms,
and for their ratio to a plain Python scan of the same column. The ratio is the row's verdict;
the absolute median and the 50 ms target are stated in the note.

Floors:

* **search keystroke** — a list comprehension over a precomputed list of lower-case haystack
  strings (name, title, department, email) collecting the indices that contain the query.
  Ours is ``StakeholderTableModel.set_search`` switching between two 3-letter surname prefixes
  (neither a prefix of the other, so every repeat is a full scan, never the narrowing path),
  including the model reset;
* **sort by name** — ``sorted(range(n), key=names.__getitem__)`` over precomputed lower-case
  names. Ours is ``StakeholderTableModel.sort(Col.NAME, order)`` alternating ascending and
  descending, with the model's cache of sort orders cleared first, so each repeat sorts (a cold
  descending sort is two sorts: the ascending name order is its stable base). The note adds
  the first click after the page loads (ascending already cached) and later, cached toggles;
* **page load** — raw sqlite3 ``SELECT`` of the register columns (``ops_store.REGISTER_SQL``).
  Ours is constructing ``StakeholdersPage`` on an open workspace, showing it, until its
  ``loaded`` signal (background read, derived columns, model and filter bar filled).
"""

from __future__ import annotations

import sqlite3
import statistics
from collections import Counter
from collections.abc import Callable
from typing import Any

from benchmarks.harness import Result, measure
from benchmarks.ops_store import REGISTER_SQL, Fixture
from cmio_desktop.services.stakeholders.register import RegisterData, register_rows
from cmio_desktop.store import open_workspace

TARGET_MS = 50.0
RATIO_TARGET = 3.0  # a model step (with its reset) within 3× the bare scan of the same column
PAGE_TIMEOUT_MS = 600_000


def _qapp() -> Any:
    from PySide6.QtWidgets import QApplication

    return QApplication.instance() or QApplication([])


def _load(fx: Fixture) -> RegisterData:
    ws = open_workspace(fx.populated)
    try:
        return register_rows(ws)
    finally:
        ws.close()


def _queries(fx: Fixture) -> tuple[str, str]:
    """3-letter prefixes of the two most common surnames (distinct, so never narrowing)."""
    surnames = Counter(p["name"].split()[-1].casefold() for p in fx.people)
    prefixes: list[str] = []
    for surname, _count in surnames.most_common():
        prefix = surname[:3]
        if len(prefix) == 3 and prefix.isalpha() and prefix not in prefixes:
            prefixes.append(prefix)
        if len(prefixes) == 2:
            return prefixes[0], prefixes[1]
    return "wil", "obr"


def _median(samples: list[float]) -> float:
    return statistics.median(samples) if samples else float("nan")


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def _model(data: RegisterData) -> Any:
    from cmio_desktop.ui.stakeholders.table_model import StakeholderTableModel

    _qapp()
    model = StakeholderTableModel()
    model.set_register(data)
    return model


def search_cases(fx: Fixture, data: RegisterData) -> tuple[Callable, Callable, tuple[str, str]]:
    model = _model(data)
    queries = _queries(fx)
    hay = [
        "\n".join((p["name"], p["title"] or "", p["department"] or "", p["email"] or "")).casefold()
        for p in fx.people
    ]
    turn = [0, 0]

    def prepare() -> Callable[[], Any]:
        query = queries[turn[0] % 2]
        turn[0] += 1
        return lambda: model.set_search(query)

    def prepare_floor() -> Callable[[], Any]:
        query = queries[turn[1] % 2]
        turn[1] += 1
        return lambda: [i for i, h in enumerate(hay) if query in h]

    return prepare, prepare_floor, queries


def sort_cases(fx: Fixture, data: RegisterData) -> tuple[Callable, ...]:
    from PySide6.QtCore import Qt

    from cmio_desktop.ui.stakeholders.register_table import Col

    model = _model(data)
    names = [p["name"].casefold() for p in fx.people]
    n = len(names)
    orders = (Qt.SortOrder.DescendingOrder, Qt.SortOrder.AscendingOrder)
    turn = [0]

    def prepare() -> Callable[[], Any]:
        order = orders[turn[0] % 2]
        turn[0] += 1
        model._orders.clear()  # each repeat really sorts, as on the first click of a column
        return lambda: model.sort(Col.NAME, order)

    def prepare_floor() -> Callable[[], Any]:
        return lambda: sorted(range(n), key=names.__getitem__)

    def prepare_after_load() -> Callable[[], Any]:
        """Descending with only the ascending name order cached, as on the first click of the
        Name header after the page loads (the load sorts by name ascending)."""
        model.sort(Col.NAME, Qt.SortOrder.AscendingOrder)
        model._orders.pop((Col.NAME, True), None)
        return lambda: model.sort(Col.NAME, Qt.SortOrder.DescendingOrder)

    def prepare_cached() -> Callable[[], Any]:
        """A toggle with both orders already cached (every click after the first)."""
        order = orders[turn[0] % 2]
        turn[0] += 1
        return lambda: model.sort(Col.NAME, order)

    return prepare, prepare_floor, prepare_after_load, prepare_cached


class _PageLoad:
    """Builds a facade on an open workspace per repeat; the previous page is torn down in the
    next ``prepare`` (and in ``close``), outside the timing."""

    def __init__(self, fx: Fixture) -> None:
        self.fx = fx
        self._counter = 0
        self._live: tuple[Any, Any] | None = None

    def close(self) -> None:
        from PySide6.QtCore import QCoreApplication, QEvent, QThreadPool

        QThreadPool.globalInstance().waitForDone(60_000)
        if self._live is not None:
            page, facade = self._live
            page.close()
            page.deleteLater()
            facade.close()
            self._live = None
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        QCoreApplication.processEvents()

    def prepare(self) -> Callable[[], Any]:
        from PySide6.QtCore import QEventLoop, QTimer

        from cmio_desktop.ui.facade import WorkspaceFacade
        from cmio_desktop.ui.settings import AppSettings
        from cmio_desktop.ui.stakeholders import StakeholdersPage

        _qapp()
        self.close()
        self._counter += 1
        settings = AppSettings(self.fx.workdir / f"settings-{self.fx.size}-{self._counter}.ini")
        facade = WorkspaceFacade()
        facade.open(self.fx.populated)

        def run() -> None:
            page = StakeholdersPage(facade, settings)
            self._live = (page, facade)
            page.resize(1360, 860)
            loop = QEventLoop()
            page.loaded.connect(loop.quit)
            QTimer.singleShot(PAGE_TIMEOUT_MS, loop.quit)
            page.show()
            loop.exec()
            if page.model.rowCount() != self.fx.size:
                raise RuntimeError("the Stakeholders page did not finish loading")

        return run


def page_floor(fx: Fixture) -> Callable[[], Callable[[], Any]]:
    def prepare() -> Callable[[], Any]:
        def run() -> Any:
            conn = sqlite3.connect(fx.populated)
            rows = conn.execute(REGISTER_SQL).fetchall()
            conn.close()
            return rows

        return run

    return prepare


def run(fx: Fixture, repeats: int) -> list[Result]:
    n = fx.size
    data = _load(fx)
    search, search_floor, queries = search_cases(fx, data)
    searched = measure(
        n,
        "register search keystroke",
        search,
        "Python scan of lower-case haystacks",
        search_floor,
        repeats,
        target=RATIO_TARGET,
    )
    searched.note = (
        f"median {_ms(searched.median_s)}; target ≤ {TARGET_MS:g} ms "
        f"({'ok' if searched.median_s * 1000 <= TARGET_MS else 'over'}); "
        f"queries {queries[0]!r}/{queries[1]!r}, full scan with model reset"
    )
    sort, sort_floor, sort_after_load, sort_cached = sort_cases(fx, data)
    sorted_ = measure(
        n,
        "register sort by name",
        sort,
        "Python sorted(range(n), key=names)",
        sort_floor,
        repeats,
        target=RATIO_TARGET,
    )
    desc, asc = sorted_.samples[0::2], sorted_.samples[1::2]  # repeats alternate desc/asc
    after_load = measure(n, "", sort_after_load, "", sort_floor, repeats).median_s
    cached = measure(n, "", sort_cached, "", sort_floor, repeats).median_s
    sorted_.note = (
        f"median {_ms(sorted_.median_s)}; target ≤ {TARGET_MS:g} ms "
        f"({'ok' if sorted_.median_s * 1000 <= TARGET_MS else 'over'}); "
        f"order cache cleared: asc {_ms(_median(asc))}, desc (two sorts) "
        f"{_ms(_median(desc))}; first click after load {_ms(after_load)}, "
        f"later toggles {_ms(cached)}"
    )
    page = _PageLoad(fx)
    try:
        loaded = measure(
            n,
            "register page load",
            page.prepare,
            "raw sqlite3 SELECT",
            page_floor(fx),
            repeats,
            target=None,
        )
    finally:
        page.close()
    loaded.note = f"median {_ms(loaded.median_s)}; construct + show → loaded signal"
    return [searched, sorted_, loaded]
