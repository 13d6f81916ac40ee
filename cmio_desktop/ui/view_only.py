"""Viewer mode: on a team workspace whose database user may only read (``cmio_viewer``), every
command that writes is disabled, with a tooltip saying why. One gate for the whole app: the
page commands (``ui.action_set``) and the main window's writing actions register here; the
server refuses any write anyway (that is the sentence a forced write gets)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget
from shiboken6 import isValid

from cmio_desktop.ui.actions import SPECS

VIEW_ONLY_REASON = "You can view this team workspace; ask its admin for editor rights to change it."
# Page commands that only look, select or navigate (the rest write).
READING_COMMANDS = frozenset(
    {
        "stakeholders.register.find",
        "readiness.people.show_in_register",
        "golive.scorecard.evaluate",
    }
)
Gated = QAction | QWidget  # a command, or a button that is not one (a form's Apply)
_WANTED = "cmio_wanted_enabled"  # what the action's own rule (the selection) says
_OWN_TIP = "cmio_own_tooltip"


def writes(action_id: str) -> bool:
    declared = SPECS.get(action_id)
    return declared is not None and declared.menu != "view" and action_id not in READING_COMMANDS


class ViewOnlyGate(QObject):
    """Holds the reason writing is off (None: it is on) and applies it to registered actions."""

    changed = Signal(bool)

    def __init__(self) -> None:
        super().__init__()
        self.reason: str | None = None
        self._actions: set[Gated] = set()

    @property
    def active(self) -> bool:
        return self.reason is not None

    def register(self, action: Gated) -> None:
        """Gate a writing action from now on (it is disabled at once in viewer mode)."""
        action.setProperty(_WANTED, action.isEnabled())
        action.setProperty(_OWN_TIP, action.toolTip())
        self._actions.add(action)
        action.destroyed.connect(lambda *_args, a=action: self._actions.discard(a))
        self._apply(action)

    def set_enabled(self, action: Gated, wanted: bool) -> None:
        """What the action's own rule wants; viewer mode keeps it off all the same."""
        action.setProperty(_WANTED, wanted)
        self._apply(action)

    def set_reason(self, reason: str | None) -> None:
        if reason == self.reason:
            return
        self.reason = reason
        for action in list(self._actions):
            if isValid(action):
                self._apply(action)
            else:  # deleted with its page
                self._actions.discard(action)
        self.changed.emit(self.active)

    def _apply(self, action: Gated) -> None:
        wanted = action.property(_WANTED)
        wanted = True if wanted is None else bool(wanted)
        if self.reason is None:
            action.setEnabled(wanted)
            action.setToolTip(str(action.property(_OWN_TIP) or ""))
        else:
            action.setEnabled(False)
            action.setToolTip(self.reason)


_gate: ViewOnlyGate | None = None


def view_only_gate() -> ViewOnlyGate:
    """The app's one gate (made on first use)."""
    global _gate
    if _gate is None:
        _gate = ViewOnlyGate()
    return _gate
