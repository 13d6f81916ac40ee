"""The forecast's parameters, visible and editable (stored with the workspace, undoable), and
the "How this forecast works" explanation next to them."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from cmio_desktop.services.readiness.forecast import PARAMETERS, Parameter

MODEL_PARAMETERS = PARAMETERS[:5]
COMPACT_SECTION_HEIGHT = 220  # px: an opened section above the chart leaves it room
EFFECT_PARAMETERS = PARAMETERS[5:]

HELP_HTML = """
<p><b>What it predicts.</b> Each person's five ADKAR scores on go-live day, week by week
from today, and the mean per group, with the plan and without it. Readiness spreads through
the influence network: people drift towards the views of those who influence them, while
staying anchored to their own stance.</p>
<p><b>Each week</b>, for every element:<br>
<i>my stance moves with the activities I attend that week, and stays moved;<br>
new score = λ × (weighted mean of my influencers' scores and my own)
+ (1 − λ) × my stance</i> (the Friedkin–Johnsen model with durable effects).</p>
<ul>
<li><b>Activities</b> (planned or in progress, with a due date and a targeted element)
move their audience's stance on that element by their effect size in the week they are
due, scaled by the room left ((5 − stance)/4), so gains shrink near the top. Activities due
after go-live do not count.</li>
<li><b>Influencers</b> are weighted by tie strength (1–5); the <b>self-weight w₀</b> counts
a person's own view as that many ties.</li>
<li><b>Susceptibility λ</b> (0–1) is how much a person moves with their network each week.
Executives and resisters move less: the lower of their λ and the default applies.</li>
<li>People with no assessment start from their department's mean (counted as imputed).</li>
<li><b>Winning someone over</b> sets their stance to 5 and their λ to the won-over value,
so they come round and pull others up.</li>
<li><b>People to win over</b>: whose winning over lifts the predicted mean readiness at
go-live the most, picked one at a time; each pick's gain is in addition to the picks before
it. (Champions — ready supporters who lead peer activities — are a different list.)</li>
<li><b>Back-test</b>: the model run from the previous round, with the activities done since,
against the latest round, next to "no change" and "last trend". If it does not beat "no
change", trust it less.</li>
</ul>
<p>It is a model, not a measurement: use it to compare plans, not as a promise.</p>
"""


class ForecastParametersPanel(QWidget):
    edited = Signal(dict)  # {parameter name: value or None (= default)}

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spins: dict[str, QDoubleSpinBox] = {}
        self._shown: dict[str, float] = {}
        form_host = QWidget()
        form = QVBoxLayout(form_host)
        form.setContentsMargins(0, 0, 6, 0)
        form.addWidget(_heading("Model (w₀, λ)"))
        form.addLayout(self._form(MODEL_PARAMETERS))
        form.addWidget(_heading("Effect per activity"))
        form.addLayout(self._form(EFFECT_PARAMETERS))
        self.defaults_button = QPushButton("Restore defaults")
        self.defaults_button.clicked.connect(self.restore_defaults)
        form.addWidget(self.defaults_button, 0, Qt.AlignmentFlag.AlignLeft)
        form.addStretch(1)
        self.advanced = QScrollArea()
        self.advanced.setWidget(form_host)
        self.advanced.setWidgetResizable(True)
        self.advanced.setFrameShape(QFrame.Shape.NoFrame)
        self.advanced.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.advanced.setVisible(False)
        self.advanced_button = _disclosure("Advanced: model settings")
        self.advanced_button.setToolTip(
            "Self-weight w₀, susceptibilities λ and the effect size of each activity type"
        )
        self.advanced_button.toggled.connect(self._on_advanced_button_toggled)
        self.changed_note = QLabel("")
        self.changed_note.setObjectName("muted")
        self.changed_note.setWordWrap(True)

        self.help_button = _disclosure("How this forecast works")
        self.help_button.toggled.connect(self._on_help_button_toggled)
        self.help = QLabel(HELP_HTML)
        self.help.setWordWrap(True)
        self.help.setTextFormat(Qt.TextFormat.RichText)
        self.help.setStyleSheet(
            "background: #ffffff; border: 1px solid #dfe5ec; border-radius: 6px; padding: 6px;"
        )
        self.help_scroll = QScrollArea()
        self.help_scroll.setWidget(self.help)
        self.help_scroll.setWidgetResizable(True)
        self.help_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.help_scroll.setVisible(False)

        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setVerticalSpacing(2)
        self.compact = True  # so that the first set_compact(False) lays the column out
        self.set_compact(False)

    def set_compact(self, compact: bool) -> None:
        """Wide: one column beside the chart. Compact (a narrow window): the two disclosures side
        by side in one row above the chart, each section opening underneath at a bounded height,
        so the chart keeps the width."""
        if compact == self.compact:
            return
        self.compact = compact
        parts = (self.help_button, self.help_scroll, self.advanced_button, self.changed_note)
        for widget in (*parts, self.advanced):
            self._grid.removeWidget(widget)
        if compact:
            self._grid.addWidget(self.help_button, 0, 0)
            self._grid.addWidget(self.advanced_button, 0, 1)
            self._grid.addWidget(self.changed_note, 0, 2)
            self._grid.addWidget(self.help_scroll, 1, 0, 1, 3)
            self._grid.addWidget(self.advanced, 2, 0, 1, 3)
            self._grid.setColumnStretch(2, 1)
        else:
            for row, widget in enumerate((*parts, self.advanced)):
                self._grid.addWidget(widget, row, 0, 1, 3)
            self._grid.setColumnStretch(2, 0)
        self._stretch_open_sections()
        cap = COMPACT_SECTION_HEIGHT if compact else 16_777_215  # QWIDGETSIZE_MAX
        self.help_scroll.setMaximumHeight(cap)
        self.advanced.setMaximumHeight(cap)

    def _form(self, parameters: tuple[Parameter, ...]) -> QFormLayout:
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
        form.setHorizontalSpacing(8)
        form.setVerticalSpacing(3)
        for p in parameters:
            spin = QDoubleSpinBox()
            spin.setRange(p.minimum, p.maximum)
            spin.setSingleStep(p.step)
            spin.setDecimals(2)
            spin.setMaximumWidth(72)
            spin.setKeyboardTracking(False)
            spin.setToolTip(f"{p.help} Default {p.default:g}.")
            spin.setAccessibleName(p.label)
            spin.valueChanged.connect(lambda value, name=p.name: self._on_spin_changed(name, value))
            label = QLabel(p.label)
            label.setToolTip(spin.toolTip())
            form.addRow(label, spin)
            self.spins[p.name] = spin
        return form

    def set_values(self, values: dict[str, float]) -> None:
        self._shown = dict(values)
        for name, spin in self.spins.items():
            if name in values:
                spin.blockSignals(True)
                spin.setValue(values[name])
                spin.blockSignals(False)
            default = next(p.default for p in PARAMETERS if p.name == name)
            changed = abs(spin.value() - default) > 1e-9
            spin.setStyleSheet("font-weight: 600;" if changed else "")
        changed_count = sum(
            abs(values.get(p.name, p.default) - p.default) > 1e-9 for p in PARAMETERS
        )
        self.changed_note.setText(
            f"{changed_count} setting{'s' if changed_count != 1 else ''} changed from the "
            "defaults (shown in bold)."
            if changed_count
            else "Default settings."
        )

    def _on_spin_changed(self, name: str, value: float) -> None:
        if abs(value - self._shown.get(name, value + 1)) > 1e-9:
            self.edited.emit({name: round(value, 4)})

    def restore_defaults(self) -> None:
        changed: dict[str, Any] = {
            p.name: None
            for p in PARAMETERS
            if abs(self._shown.get(p.name, p.default) - p.default) > 1e-9
        }
        if changed:
            self.edited.emit(changed)

    def _stretch_open_sections(self) -> None:
        """In the wide column the open sections share its height and the rest stays at the top
        (an empty row in a grid would otherwise keep its stretch and push the buttons apart)."""
        wide = not self.compact
        sections = {1: self.help_button.isChecked(), 4: self.advanced_button.isChecked()}
        for row in range(6):
            self._grid.setRowStretch(row, 3 if wide and sections.get(row) else 0)
        self._grid.setRowStretch(5, 0 if any(sections.values()) or not wide else 1)

    def _on_advanced_button_toggled(self, shown: bool) -> None:
        self.advanced.setVisible(shown)
        self._stretch_open_sections()
        self.advanced_button.setArrowType(
            Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow
        )

    def _on_help_button_toggled(self, shown: bool) -> None:
        self.help_scroll.setVisible(shown)
        self._stretch_open_sections()
        self.help_button.setArrowType(Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow)


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    label.setStyleSheet("font-weight: 600; color: #1f2a37; padding-top: 6px;")
    return label


def _disclosure(text: str) -> QToolButton:
    """A checkable arrow button that shows or hides a section below it."""
    button = QToolButton()
    button.setText(text)
    button.setCheckable(True)
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    button.setArrowType(Qt.ArrowType.RightArrow)
    button.setAutoRaise(True)
    return button
