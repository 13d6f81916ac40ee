"""Dashboard: the workspace at a glance (KPI cards)."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QVBoxLayout, QWidget

from ..facade import WorkspaceFacade

CARDS = (
    ("stakeholder", "People"),
    ("relationship", "Influence ties"),
    ("assessment", "Readiness assessments"),
    ("activity", "Engagement activities"),
    ("training_completion", "Training completions"),
    ("risk", "Risks"),
)


class KpiCard(QFrame):
    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("kpiCard")
        layout = QVBoxLayout(self)
        self.value = QLabel("–")
        self.value.setObjectName("kpiValue")
        label = QLabel(caption)
        label.setObjectName("muted")
        layout.addWidget(self.value)
        layout.addWidget(label)


class DashboardPage(QWidget):
    def __init__(self, facade: WorkspaceFacade, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._facade = facade
        layout = QVBoxLayout(self)
        self.title = QLabel("Dashboard")
        self.title.setObjectName("pageTitle")
        self.subtitle = QLabel("")
        self.subtitle.setObjectName("muted")
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        grid = QGridLayout()
        grid.setSpacing(12)
        self.cards: dict[str, KpiCard] = {}
        for index, (key, caption) in enumerate(CARDS):
            card = KpiCard(caption)
            self.cards[key] = card
            grid.addWidget(card, index // 3, index % 3)
        layout.addLayout(grid)
        layout.addStretch(1)
        facade.opened.connect(self.refresh)
        facade.changed.connect(lambda _kind: self.refresh())

    def refresh(self) -> None:
        info = self._facade.info()
        self.title.setText(info.organisation or "Dashboard")
        lines = [
            f"{i.name} — go-live {i.go_live:%d %b %Y}" if i.go_live else i.name
            for i in info.initiatives
        ]
        self.subtitle.setText("\n".join(lines) or "No initiative yet")
        for key, card in self.cards.items():
            card.value.setText(f"{info.counts.get(key, 0):,}")
