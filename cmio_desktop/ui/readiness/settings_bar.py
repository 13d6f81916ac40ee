"""The controls above the readiness figures: the grouping, and the settings that drive the
figures (ready threshold, barrier-point rule) shown — and editable — next to them."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QWidget,
)

from cmio_desktop.analysis.adkar import ReadinessSettings
from cmio_desktop.services.readiness.overview import GROUPINGS
from cmio_desktop.ui.help_link import HelpLink


class ReadinessSettingsBar(QWidget):
    grouping_changed = Signal(str)
    settings_edited = Signal(dict)  # {"ready_threshold": …} or {"barrier_mode": …}

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grouping = QComboBox()
        for key, label in GROUPINGS.items():
            self.grouping.addItem(label, key)
        self.grouping.setToolTip(
            "Group the figures by department, stakeholder group, role, site or network community"
        )
        self.threshold = QDoubleSpinBox()
        self.threshold.setRange(1.0, 5.0)
        self.threshold.setSingleStep(0.1)
        self.threshold.setDecimals(1)
        self.threshold.setKeyboardTracking(False)
        self.threshold.setToolTip(
            "A person is ready when their readiness (mean of the five "
            "scores) reaches this and they have no barrier point"
        )
        self.mode = QComboBox()
        self.mode.addItem("first ≤ 3 in A→D→K→A→R", "first")
        self.mode.addItem("lowest element", "lowest")
        self.mode.setToolTip(
            "The barrier point is the first element in ADKAR order scoring "
            "at or below 3, or the lowest-scoring element (ties: A→R order)"
        )
        for combo in (self.grouping, self.mode):
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(6)
            # Full width when there is room, shrinking (never the labels) when there is not.
            widest = max(combo.fontMetrics().horizontalAdvance(combo.itemText(i))
                         for i in range(combo.count()))  # fmt: skip
            combo.setMaximumWidth(widest + 72)  # arrow, padding and the style sheet font
            combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        for text, widget, term in (
            ("Group by", self.grouping, None),
            ("Ready when readiness ≥", self.threshold, "ready"),
            ("and no barrier · Barrier point:", self.mode, "barrier-point"),
        ):
            label = QLabel(text)
            label.setObjectName("muted")
            label.setBuddy(widget)
            # Words never clip on a narrow window: the combo boxes give way instead.
            label.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Preferred)
            layout.addWidget(label)
            layout.addWidget(widget, 1 if isinstance(widget, QComboBox) else 0)
            if term:
                layout.addWidget(HelpLink(term))
            layout.addSpacing(8)
        layout.addStretch(1)
        self.grouping.currentIndexChanged.connect(
            lambda _i: self.grouping_changed.emit(self.current_grouping())
        )
        self.threshold.valueChanged.connect(self._on_threshold_value_changed)
        self.mode.currentIndexChanged.connect(self._on_mode_current_index_changed)
        self._shown = ReadinessSettings()

    def current_grouping(self) -> str:
        return str(self.grouping.currentData())

    def set_settings(self, settings: ReadinessSettings) -> None:
        """Show the stored settings without announcing an edit."""
        self._shown = settings
        for widget, setter, value in (
            (self.threshold, self.threshold.setValue, settings.ready_threshold),
            (self.mode, self.mode.setCurrentIndex, self.mode.findData(settings.barrier_mode)),
        ):
            widget.blockSignals(True)
            setter(value)  # type: ignore[operator]
            widget.blockSignals(False)
        self.mode.setItemText(0, f"first ≤ {settings.barrier_max} in A→D→K→A→R")

    def _on_threshold_value_changed(self, value: float) -> None:
        if abs(value - self._shown.ready_threshold) > 1e-9:
            self.settings_edited.emit({"ready_threshold": round(value, 1)})

    def _on_mode_current_index_changed(self, _index: int) -> None:
        mode: Any = self.mode.currentData()
        if mode != self._shown.barrier_mode:
            self.settings_edited.emit({"barrier_mode": mode})
