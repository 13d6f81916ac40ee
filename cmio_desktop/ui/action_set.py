"""QActions made from their declarations in ``ui.actions``, and the page buttons that show them.

A page (or one tab of it) builds an ``ActionSet`` from ids and slots; its buttons are faces of
those actions (a click triggers the action; enabled, visible and tooltip follow it), and the
main window lists the same actions in the Edit or View menu. ``follow_selection`` sets every
action's enabled state from its declared ``Enabled`` rule.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QIcon, QKeySequence
from PySide6.QtWidgets import QAbstractButton, QPushButton, QWidget

from cmio_desktop.ui.actions import SPECS, ActionSpec, Enabled, Scope, spec
from cmio_desktop.ui.view_only import view_only_gate, writes

ButtonT = TypeVar("ButtonT", bound=QAbstractButton)


def spec_of(action: QAction) -> ActionSpec | None:
    """The declaration behind an action made here (its object name is the id)."""
    return SPECS.get(action.objectName())


def make_action(declared: ActionSpec, parent: QWidget) -> QAction:
    action = QAction(declared.text, parent)
    action.setObjectName(declared.id)
    keys = [QKeySequence(k) for k in declared.shortcuts]
    if keys:
        action.setShortcuts(keys)
        context = (
            Qt.ShortcutContext.WindowShortcut
            if declared.scope is Scope.PAGE
            else Qt.ShortcutContext.WidgetWithChildrenShortcut
        )
        action.setShortcutContext(context)
    hint = keys[0].toString(QKeySequence.SequenceFormat.NativeText) if keys else ""
    tip = f"{declared.tip} ({hint})" if declared.tip and hint else declared.tip
    if tip:
        action.setToolTip(tip)
        action.setStatusTip(declared.tip)
    icon = QIcon.fromTheme(declared.icon) if declared.icon else QIcon()
    if not icon.isNull():  # only where the platform's icon theme has it
        action.setIcon(icon)
    return action


def bind_button(button: ButtonT, action: QAction) -> ButtonT:
    """Make ``button`` a face of ``action``: a click triggers it; enabled, visible (once the
    button is in a layout) and tooltip follow it."""

    def follow() -> None:
        button.setEnabled(action.isEnabled())
        button.setToolTip(action.toolTip())
        if not action.isVisible():
            button.hide()
        elif button.parentWidget() is not None:
            button.show()

    button.clicked.connect(lambda _checked=False: action.trigger())
    action.changed.connect(follow)
    follow()
    return button


class ActionSet:
    """The actions of one page or tab, in the order given, each calling its slot."""

    def __init__(
        self,
        owner: QWidget,
        slots: Mapping[str, Callable[[], object]],
        view: QWidget | None = None,
    ) -> None:
        """``owner`` parents the actions and holds the page-wide shortcuts; ``view`` (the table
        the commands act on) holds the shortcuts declared ``Scope.VIEW``."""
        self._actions: dict[str, QAction] = {}
        for action_id, slot in slots.items():
            declared = spec(action_id)
            action = make_action(declared, owner)
            action.triggered.connect(lambda _checked=False, s=slot: s())
            scope = view if declared.scope is Scope.VIEW and view is not None else owner
            scope.addAction(action)  # where the shortcut is heard
            self._actions[action_id] = action
            if writes(action_id):
                view_only_gate().register(action)  # off in viewer mode (ui.view_only)

    def __getitem__(self, action_id: str) -> QAction:
        return self._actions[action_id]

    def __iter__(self) -> Iterator[QAction]:
        return iter(self._actions.values())

    def button(self, action_id: str) -> QPushButton:
        """A push button showing the action, with its declared button text."""
        return bind_button(QPushButton(spec(action_id).button_text), self._actions[action_id])

    def bind(self, action_id: str, button: ButtonT) -> ButtonT:
        """Make an existing button (a tool button, say) a face of the action."""
        return bind_button(button, self._actions[action_id])

    def follow_selection(self, selected: int) -> None:
        """Enable each action by its declared rule, ``selected`` rows being selected."""
        for action_id, action in self._actions.items():
            rule = spec(action_id).enabled
            if rule is not Enabled.ALWAYS:
                if writes(action_id):
                    view_only_gate().set_enabled(action, rule.allows(selected))
                else:
                    action.setEnabled(rule.allows(selected))
