"""Widgets that load only when seen: an edit marks them stale, showing them refreshes them.

:class:`LazyTabsMixin` is for a page with tabs: it has ``tabs`` (a QTabWidget), ``tab_names``
(one name per tab), ``stale`` (a set of names), ``facade`` and a ``refresh(tab)`` method.
:class:`LazyRefreshMixin` is for a single view: ``stale`` (a bool) and ``refresh()``.
Both are mixed in before ``QWidget``.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QShowEvent


class LazyTabsMixin:
    tabs: Any
    tab_names: tuple[str, ...]
    stale: set[str]
    facade: Any

    def invalidate(self, tabs: tuple[str, ...] | set[str]) -> None:
        self.stale.update(tabs)
        self.refresh_if_stale()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)  # type: ignore[misc]
        self.refresh_if_stale()

    def current_tab(self) -> str:
        return self.tab_names[max(0, self.tabs.currentIndex())]

    def refresh_if_stale(self) -> None:
        tab = self.current_tab()
        visible = self.isVisible()  # type: ignore[attr-defined]
        if visible and tab in self.stale and self.facade.workspace is not None:
            self.refresh(tab)

    def refresh(self, tab: str | None = None) -> None:
        raise NotImplementedError


class LazyRefreshMixin:
    stale: bool

    def invalidate(self) -> None:
        """Something changed: reload now if visible, else when next shown."""
        self.stale = True
        if self.isVisible():  # type: ignore[attr-defined]
            self.refresh()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)  # type: ignore[misc]
        if self.stale:
            self.refresh()

    def refresh(self) -> None:
        raise NotImplementedError
