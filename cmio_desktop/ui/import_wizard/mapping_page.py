"""Step 2: which row is the header, which column is which field, and the import's options."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from cmio_desktop.enums import Role, StakeholderGroup
from cmio_desktop.io.mapping import REQUIREMENTS, column_label, field_specs
from cmio_desktop.io.read_values import display
from cmio_desktop.ui.common.table_view import tab_leaves
from cmio_desktop.ui.import_wizard.models import PreviewModel
from cmio_desktop.ui.import_wizard.wizard import heading

if TYPE_CHECKING:
    from cmio_desktop.ui.import_wizard.wizard import ImportWizard

NOT_MAPPED = "— not in the file —"
HEADER_CHOICES = 20


class MappingPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self._combos: dict[str, QComboBox] = {}
        self._samples: dict[str, QLabel] = {}
        self._reasons: dict[str, QLabel] = {}
        self.setTitle(heading("Match the columns"))
        self.setSubTitle(
            "Check which row holds the column headings and which column holds each field. "
            "Columns were matched by their headings (“Why” says how); change any that are "
            "wrong."
        )
        self.header_combo = QComboBox()
        self.header_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.header_combo.activated.connect(self._on_header_combo_activated)
        self.header_note = QLabel()
        self.header_note.setObjectName("sample")
        self.missing_label = QLabel()
        self.missing_label.setObjectName("problem")
        self.missing_label.hide()
        self.missing_label.setWordWrap(True)

        self.fields_area = QScrollArea()
        self.fields_area.setWidgetResizable(True)
        self.fields_area.setFrameShape(QFrame.Shape.StyledPanel)
        self.fields_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.fields_area.setMinimumHeight(220)
        self.required_label = QLabel()
        self.required_label.setWordWrap(True)
        self.required_label.setTextFormat(Qt.TextFormat.RichText)
        self.options_box = QGroupBox("Options")
        self._make_option_widgets()

        self.preview = PreviewModel()
        self.preview_view = QTableView()
        tab_leaves(self.preview_view)
        self.preview_view.setModel(self.preview)
        self.preview_view.setAlternatingRowColors(True)
        self.preview_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview_view.verticalHeader().hide()
        self.preview_view.verticalHeader().setDefaultSectionSize(24)
        self.preview_view.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.Interactive
        )

        top = QWidget()
        top_layout = QHBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.setSpacing(12)
        fields_column = QVBoxLayout()
        fields_column.setSpacing(4)
        fields_column.addWidget(self.fields_area, 1)
        fields_column.addWidget(self.required_label)
        top_layout.addLayout(fields_column, 7)
        self.options_column = QVBoxLayout()
        self.options_column.addWidget(self.options_box)
        self.options_column.addStretch(1)
        top_layout.addLayout(self.options_column, 3)
        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        preview_title = QLabel("Preview of the first rows, as matched")
        preview_title.setObjectName("sectionTitle")
        bottom_layout.addWidget(preview_title)
        bottom_layout.addWidget(self.preview_view)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(bottom)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([360, 200])
        splitter.setChildrenCollapsible(False)

        header_row = QHBoxLayout()
        header_row.addWidget(QLabel("Headings are on"))
        header_row.addWidget(self.header_combo)
        header_row.addWidget(self.header_note)
        header_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(header_row)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.missing_label)

    # -- QWizardPage ----------------------------------------------------------------------------

    def initializePage(self) -> None:  # noqa: N802
        source = self._wizard.source
        assert source is not None
        table = source.table
        self.header_combo.clear()
        for i, (cells, number) in enumerate(
            zip(table.rows[:HEADER_CHOICES], table.row_numbers[:HEADER_CHOICES], strict=True)
        ):
            texts = [display(v) for v in cells if display(v).strip()][:4]
            summary = " · ".join(t[:24] for t in texts)
            self.header_combo.addItem(f"row {number}:  {summary}", i)
        self.header_combo.setCurrentIndex(min(source.header_index, HEADER_CHOICES - 1))
        detected = source.header_row_number
        self.header_note.setText(f"(detected: row {detected})")
        self._build_options(source.kind)
        self._rebuild_fields()

    def isComplete(self) -> bool:  # noqa: N802
        source = self._wizard.source
        if source is None or source.missing() or source.data_rows == 0:
            return False
        if source.kind == "assessments" and "date" not in source.mapping:
            return self.use_default_date.isChecked()
        return True

    def validatePage(self) -> bool:  # noqa: N802
        from cmio_desktop.services.importing.run import ImportOptions

        wizard = self._wizard
        wizard.options = ImportOptions(
            blank_keeps=self.blank_keeps.isChecked(),
            default_role=self.default_role.currentData(),
            default_group=self.default_group.currentData(),
            initiative_id=self.initiative.currentData(),
        )
        wizard.default_date = (
            self.default_date.date().toPython() if self.use_default_date.isChecked() else None
        )
        wizard.forget_results()
        return True

    # -- building -------------------------------------------------------------------------------

    def _rebuild_fields(self) -> None:
        source = self._wizard.source
        assert source is not None
        specs = field_specs(source.kind)
        required = {
            f: req.label if len(req.alternatives) > 1 else "Required"
            for req in REQUIREMENTS[source.kind]
            for alt in req.alternatives
            for f in alt
        }
        choices = [NOT_MAPPED, *(f"{column_label(i)}:  {h}" for i, h in enumerate(source.headers))]
        holder = QWidget()
        holder.setObjectName("fieldsPanel")
        grid = QGridLayout(holder)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(6)
        for col, text in enumerate(("Field", "Column in the file", "First value", "Why")):
            title = QLabel(text)
            title.setObjectName("sectionTitle")
            grid.addWidget(title, 0, col)
        self._combos.clear()
        self._samples.clear()
        self._reasons.clear()
        for row, (name, spec) in enumerate(specs.items(), start=1):
            label = QLabel(spec.label)
            if name in required:
                label.setObjectName("fieldRequired")
                tip = required[name]
                label.setToolTip(tip if tip == "Required" else f"Required: {tip}")
            combo = QComboBox()
            combo.addItems(choices)
            combo.setMinimumWidth(200)
            combo.setMaxVisibleItems(20)
            combo.setCurrentIndex(source.mapping.get(name, -1) + 1)
            combo.activated.connect(lambda index, n=name: self._on_field_combo_activated(n, index))
            sample = QLabel()
            sample.setObjectName("sample")
            sample.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            sample.setMinimumWidth(80)
            reason = QLabel()
            reason.setObjectName("sample")
            reason.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            reason.setMinimumWidth(80)
            grid.addWidget(label, row, 0)
            grid.addWidget(combo, row, 1)
            grid.addWidget(sample, row, 2)
            grid.addWidget(reason, row, 3)
            self._combos[name] = combo
            self._samples[name] = sample
            self._reasons[name] = reason
        grid.setColumnStretch(2, 1)
        grid.setColumnStretch(3, 2)
        grid.setRowStretch(len(specs) + 1, 1)
        self.fields_area.setWidget(holder)
        self._refresh()

    def _make_option_widgets(self) -> None:
        self.default_role = _enum_combo(Role, "Unclassified")
        self.default_group = _enum_combo(StakeholderGroup, "Unclassified")
        self.initiative = QComboBox()
        self.use_default_date = QCheckBox("Rows without a date were assessed on")
        self.use_default_date.setStyleSheet("font-weight: normal")
        self.use_default_date.toggled.connect(self._on_use_default_date_toggled)
        self.default_date = QDateEdit(QDate.currentDate())
        self.default_date.setCalendarPopup(True)
        self.default_date.setDisplayFormat("yyyy-MM-dd")
        self.default_date.setMaximumDate(QDate.currentDate())
        self.default_date.setEnabled(False)
        self.blank_keeps = QCheckBox("Blank cells keep the stored value")
        self.blank_keeps.setToolTip(
            "Unticked, a blank cell in a matched column clears optional text such as the "
            "phone number or notes (so deleting a cell in Excel is an edit too)."
        )

    def _build_options(self, kind: str) -> None:
        """A fresh options box for ``kind`` (the kind can change when the user goes back)."""
        old = self.options_box
        self._make_option_widgets()
        box = QGroupBox("Options")
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        form.setVerticalSpacing(8)
        if kind == "stakeholders":
            form.addRow(
                _note(
                    "A role or group not in the file is inferred from the job title. New "
                    "people for whom neither gives one get (else: needs classification):"
                )
            )
            form.addRow("Role", self.default_role)
            form.addRow("Group", self.default_group)
        if kind in ("assessments", "training"):
            for initiative in self._wizard.facade.info().initiatives:
                self.initiative.addItem(initiative.name, initiative.id)
            form.addRow("Initiative", self.initiative)
        if kind == "assessments":
            when = QHBoxLayout()
            when.addWidget(self.use_default_date)
            when.addWidget(self.default_date)
            when.addStretch(1)
            form.addRow(when)
        form.addRow(self.blank_keeps)
        self.options_column.replaceWidget(old, box)
        old.hide()
        old.deleteLater()
        self.options_box = box

    # -- reacting -------------------------------------------------------------------------------

    def _on_header_combo_activated(self, index: int) -> None:
        source = self._wizard.source
        if source is None:
            return
        source.set_header_index(self.header_combo.itemData(index))
        self._wizard.forget_results()
        self._rebuild_fields()

    def _on_field_combo_activated(self, name: str, index: int) -> None:
        source = self._wizard.source
        assert source is not None
        source.choose(name, None if index == 0 else index - 1)
        self._wizard.forget_results()
        self._refresh()

    def _on_use_default_date_toggled(self, checked: bool) -> None:
        self.default_date.setEnabled(checked)
        self.completeChanged.emit()

    def _refresh(self) -> None:
        source = self._wizard.source
        assert source is not None
        first = source.table.rows[source.header_index + 1] if source.data_rows else []
        for name, label in self._samples.items():
            column = source.mapping.get(name)
            text = display(first[column]) if column is not None and column < len(first) else ""
            label.setText(text[:40] + ("…" if len(text) > 40 else ""))
            label.setToolTip(text)
        specs = field_specs(source.kind)
        for name, label in self._reasons.items():
            why = source.reasons.get(name, "") if name in source.mapping else ""
            label.setText(_short_reason(why, specs[name].label))
            label.setToolTip(why)
        self.preview.set_source(source)
        self.preview_view.resizeColumnsToContents()
        header = self.preview_view.horizontalHeader()
        for column in range(self.preview.columnCount()):
            header.resizeSection(column, min(header.sectionSize(column), 220))
        problems = []
        if source.data_rows == 0:
            problems.append("There are no rows below the headings.")
        missing = source.missing()
        if missing:
            problems.append("Choose a column for: " + "; ".join(missing) + ".")
        if source.kind == "assessments" and "date" not in source.mapping:
            problems.append(
                "No Date column: tick “Rows without a date were assessed on” and "
                "choose the date of the round."
                if not self.use_default_date.isChecked()
                else ""
            )
        self.missing_label.setText(" ".join(p for p in problems if p))
        self.missing_label.setVisible(bool(self.missing_label.text()))
        marks = []
        for requirement in REQUIREMENTS[source.kind]:
            ok = requirement.satisfied_by(source.mapping)
            colour, sign = ("#0f766e", "✓") if ok else ("#b42318", "✗")
            marks.append(f"<span style='color:{colour}'>{sign} {requirement.label}</span>")
        self.required_label.setText("Required: " + " &nbsp; ".join(marks))
        self.completeChanged.emit()


def _short_reason(why: str, label: str) -> str:
    """The reason without the field's name, which its row already shows."""
    why = why.removesuffix(f" for {label}")
    return why.replace(f"read as {label}, without ", "ignoring ", 1)


def _enum_combo(enum: type, none_text: str) -> QComboBox:
    combo = QComboBox()
    combo.addItem(none_text, None)
    for member in enum:
        if member.value != "unclassified":  # the first entry (None) stands for it
            combo.addItem(member.label, member)
    return combo


def _note(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("sample")
    label.setWordWrap(True)
    return label
