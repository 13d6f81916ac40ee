"""InitiativeSwitcher: the toolbar combo that picks the current initiative (the app works on
one at a time) and a button that opens the initiatives dialog."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QWidget

from cmio_desktop.services.changes import ChangeKind, ChangeSet
from cmio_desktop.ui.facade import WorkspaceFacade


class InitiativeSwitcher(QWidget):
    #: The initiatives' names and go-live dates.
    DEPENDS_ON = frozenset({ChangeKind.INITIATIVE})

    def __init__(self, facade: WorkspaceFacade, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.facade = facade
        self.combo = QComboBox()
        self.combo.setMinimumWidth(320)
        self.combo.setToolTip("The initiative every page works on")
        self.combo.currentIndexChanged.connect(self._on_combo_changed)
        self.manage = QPushButton("Initiatives…")
        self.manage.setToolTip("Create initiatives and edit go-live dates, phases and milestones")
        self.manage.clicked.connect(self.open_dialog)
        label = QLabel("Initiative:")
        label.setObjectName("muted")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 2, 8, 2)
        layout.addWidget(label)
        layout.addWidget(self.combo)
        layout.addWidget(self.manage)
        layout.addStretch(1)
        facade.opened.connect(self.reload)
        facade.initiative_changed.connect(lambda _i: self._select(facade.initiative_id))
        facade.changed.connect(self._on_facade_changed)

    def _on_facade_changed(self, change: ChangeSet) -> None:
        if change.touches(self.DEPENDS_ON):
            self._on_data_changed(change)

    def _on_data_changed(self, _change: ChangeSet) -> None:
        self.reload()

    def reload(self) -> None:
        if self.facade.workspace is None:
            return
        from cmio_desktop.services.initiatives import list_initiatives

        rows = list_initiatives(self.facade.ws)
        self.combo.blockSignals(True)
        self.combo.clear()
        for row in rows:
            when = f"  ·  go-live {row.go_live:%d %b %Y}" if row.go_live else "  ·  no go-live date"
            self.combo.addItem(f"{row.name}{when}", row.id)
        self.combo.blockSignals(False)
        ids = [r.id for r in rows]
        if self.facade.initiative_id not in ids and ids:
            self.facade.set_initiative(ids[0])
        self._select(self.facade.initiative_id)

    def _select(self, ident: int | None) -> None:
        index = self.combo.findData(ident)
        if index >= 0 and index != self.combo.currentIndex():
            self.combo.blockSignals(True)
            self.combo.setCurrentIndex(index)
            self.combo.blockSignals(False)

    def _on_combo_changed(self, index: int) -> None:
        ident = self.combo.itemData(index, Qt.ItemDataRole.UserRole)
        if ident is not None:
            self.facade.set_initiative(int(ident))

    def open_dialog(self) -> None:
        from cmio_desktop.ui.plan.initiative_dialog import InitiativesDialog

        InitiativesDialog(self.facade, self.window()).exec()
