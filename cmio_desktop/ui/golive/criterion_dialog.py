"""CriterionDialog: add a go/no-go criterion from a template or as a custom one, or edit one.

The name follows the template ("Physician training completion ≥ 90 %") until the user types
their own. A line under the form says exactly where green, amber and red begin.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QLabel, QLineEdit, QWidget

from cmio_desktop.analysis.golive import METRICS, format_value, template_name
from cmio_desktop.enums import Criticality, Role, StakeholderGroup
from cmio_desktop.services.governance.golive import TEMPLATES
from cmio_desktop.ui.common.record_dialog import RecordDialog


def scope_choices(departments: Sequence[str]) -> list[tuple[str, str]]:
    out = [("Everyone", "all"), ("Each unit separately", "per unit")]
    out += [(f"Role: {r.label}", f"role:{r.value}") for r in Role]
    out += [(f"Group: {g.label}", f"group:{g.value}") for g in StakeholderGroup]
    out += [(f"Department: {d}", f"department:{d}") for d in departments]
    return out


class CriterionDialog(RecordDialog):
    def __init__(
        self,
        departments: Sequence[str],
        values: dict[str, Any] | None = None,
        template: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            "Edit criterion" if values else "New go/no-go criterion", parent, min_width=520
        )
        self._auto_name = True
        self.template_box = QComboBox()
        self.template_box.addItem("Custom criterion", None)
        for i, t in enumerate(TEMPLATES):
            self.template_box.addItem(f"Template: {t.title}", i)
        self.metric_box = QComboBox()
        for key, m in METRICS.items():
            self.metric_box.addItem(m.label, key)
        self.scope_box = QComboBox()
        for label, value in scope_choices(departments):
            self.scope_box.addItem(label, value)
        self.threshold_box = QDoubleSpinBox()
        self.threshold_box.setRange(0, 100_000)
        self.threshold_box.setDecimals(3)
        self.band_box = QDoubleSpinBox()
        self.band_box.setRange(0, 100_000)
        self.band_box.setDecimals(3)
        self.criticality_box = QComboBox()
        for c in Criticality:
            self.criticality_box.addItem(c.label, c.value)
        self.name_edit = QLineEdit()
        self.name_edit.textEdited.connect(self._on_name_edited)
        self.preview = QLabel()
        self.preview.setWordWrap(True)
        self.preview.setObjectName("muted")
        form = self.form
        for label, widget in (
            ("Start from", self.template_box),
            ("Measure", self.metric_box),
            ("Who", self.scope_box),
            ("Threshold", self.threshold_box),
            ("Amber band", self.band_box),
            ("Criticality", self.criticality_box),
            ("Name", self.name_edit),
        ):
            self.add_row(label, widget)
        self.threshold_label = form.labelForField(self.threshold_box)
        self.band_label = form.labelForField(self.band_box)
        self.extra.addWidget(self.preview)
        for w in (self.metric_box, self.scope_box, self.criticality_box):
            w.currentIndexChanged.connect(self._update)
        for spin in (self.threshold_box, self.band_box):
            spin.valueChanged.connect(self._update)
        self.template_box.currentIndexChanged.connect(self._on_template_changed)
        if values:
            self.template_box.hide()
            form.labelForField(self.template_box).hide()
            self.set_values(values)
            self._auto_name = values.get("name", "") == self._generated_name()
        else:
            self.template_box.setCurrentIndex(0 if template is None else template + 1)
            self._on_template_changed()
        self._update()

    # -- values --------------------------------------------------------------------------------
    def _is_ratio(self) -> bool:
        return METRICS[self.metric_box.currentData()].unit == "ratio"

    def threshold_value(self) -> float:
        raw = self.threshold_box.value()
        if self._is_ratio():  # entered as "1 super user per Z users"
            return 1 / raw if raw > 0 else 0.0
        return raw

    def set_values(self, values: dict[str, Any]) -> None:
        self._select(self.metric_box, values.get("metric"))
        self._select(self.scope_box, values.get("scope", "all"))
        self._select(self.criticality_box, values.get("criticality", "major"))
        threshold = float(values.get("threshold", 0))
        if self._is_ratio():
            threshold = round(1 / threshold, 3) if threshold > 0 else 0
        self.threshold_box.setValue(threshold)
        self.band_box.setValue(float(values.get("amber_band", 0)))
        self.name_edit.setText(values.get("name", ""))

    def values(self) -> dict[str, Any]:
        return {
            "name": self.name_edit.text().strip(),
            "metric": self.metric_box.currentData(),
            "threshold": self.threshold_value(),
            "amber_band": self.band_box.value(),
            "criticality": self.criticality_box.currentData(),
            "scope": self.scope_box.currentData(),
        }

    @staticmethod
    def _select(combo: QComboBox, value: Any) -> None:
        index = combo.findData(value)
        if index < 0 and isinstance(value, str) and value.startswith("department:"):
            combo.addItem(f"Department: {value.split(':', 1)[1]}", value)
            index = combo.count() - 1
        combo.setCurrentIndex(max(0, index))

    # -- behaviour -----------------------------------------------------------------------------
    def _on_template_changed(self) -> None:
        index = self.template_box.currentData()
        if index is None:
            return
        t = TEMPLATES[index]
        self._auto_name = True
        self.set_values({"metric": t.metric, "threshold": t.threshold, "amber_band": t.amber_band,
                         "criticality": t.criticality, "scope": t.scope})  # fmt: skip
        self._update()

    def _on_name_edited(self, _text: str) -> None:
        self._auto_name = not self.name_edit.text().strip()

    def _generated_name(self) -> str:
        return template_name(self.metric_box.currentData(), self.threshold_value(),
                             self.scope_box.currentData())  # fmt: skip

    def _update(self) -> None:
        metric = self.metric_box.currentData()
        m = METRICS[metric]
        self.threshold_label.setText(
            "Frontline users per super user" if m.unit == "ratio" else f"Threshold ({m.unit})"
        )
        self.band_label.setText(
            "Amber band (super users per user)" if m.unit == "ratio" else f"Amber band ({m.unit})"
        )
        if self._auto_name:
            self.name_edit.setText(self._generated_name())
        t, band = self.threshold_value(), self.band_box.value()
        fmt = lambda v: format_value(metric, v)  # noqa: E731
        if m.higher_is_better:
            edge = max(0.0, t - band)
            text = f"Green at {fmt(t)} or more · amber from {fmt(edge)} · red below {fmt(edge)}"
        else:
            edge = t + band
            text = f"Green at {fmt(t)} or fewer · amber up to {fmt(edge)} · red above {fmt(edge)}"
        self.preview.setText(text + ("" if band else " (no amber band)"))

    def problem(self) -> str | None:
        if not self.name_edit.text().strip():
            return "Give the criterion a name."
        if self._is_ratio() and self.threshold_box.value() <= 0:
            return "Say how many frontline users one super user may cover."
        return None
