"""TrainingTab: courses per role with required-by dates, each course's roster (completion and
proficiency per person, bulk "mark complete"), completion by department or role, and the people
who would lose access at go-live."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from cmio_desktop.enums import Proficiency
from cmio_desktop.services.plan.training import (
    CompletionGroup,
    CourseRow,
    RosterRow,
    TrainingOverview,
)
from cmio_desktop.ui.action_set import ActionSet
from cmio_desktop.ui.charts import ChartWidget
from cmio_desktop.ui.common.formats import fmt_date
from cmio_desktop.ui.common.table_model import Column, TableModel
from cmio_desktop.ui.common.table_view import (
    keep_key_column,
    make_table,
    select_ids,
    selected_records,
)

GOOD, FAIR, POOR = "#047857", "#b45309", "#b91c1c"


def pct_colour(pct: float | None) -> str | None:
    if pct is None:
        return None
    return GOOD if pct >= 90 else FAIR if pct >= 80 else POOR


COURSE_COLUMNS = (
    Column("Course", lambda r: r.name, width=200),
    Column("Role", lambda r: r.role_label, width=96),
    Column("Required by", lambda r: fmt_date(r.required_by), key=lambda r: r.required_by,
           width=100),
    Column("Trained", lambda r: f"{r.completed} / {r.required}", key=lambda r: r.completed,
           align="right", width=72),
    Column("%", lambda r: "" if r.pct is None else f"{r.pct:.0f} %", key=lambda r: r.pct,
           align="right", colour=lambda r: pct_colour(r.pct), bold=lambda r: True, width=54),
)  # fmt: skip
ROSTER_COLUMNS = (
    Column("Name", lambda r: r.name, width=170),
    Column("Department", lambda r: r.department, width=150),
    Column("Role", lambda r: r.role, width=90),
    Column("Completed", lambda r: fmt_date(r.completed_on) or "—", key=lambda r: r.completed_on,
           colour=lambda r: None if r.completed_on else POOR, width=96),
    Column("Proficiency", lambda r: Proficiency(r.proficiency).label if r.completed_on else "",
           key=lambda r: list(Proficiency).index(Proficiency(r.proficiency))),
)  # fmt: skip
UNTRAINED_COLUMNS = (
    Column("Name", lambda r: r.name, width=170),
    Column("Department", lambda r: r.department, width=150),
    Column("Role", lambda r: r.role, width=90),
    Column("Missing", lambda r: ", ".join(r.missing), tooltip=lambda r: ", ".join(r.missing)),
)


class CompletionChart(ChartWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Training completion", "training-completion", parent)
        self.groups: list[CompletionGroup] = []
        self.setMinimumSize(300, 220)

    def set_groups(self, groups: list[CompletionGroup], title: str) -> None:
        self.groups = groups
        self.title_label.setText(title)
        self.request_redraw()

    def draw_chart(self, figure: Any) -> None:
        ax = figure.add_subplot(111)
        groups = sorted(self.groups, key=lambda g: g.pct if g.pct is not None else -1)
        if not groups:
            ax.axis("off")
            ax.text(0.5, 0.5, "No required courses yet", ha="center", color="#5b6b7c")
            return
        values = [g.pct or 0 for g in groups]
        colours = [pct_colour(v) for v in values]
        ax.barh(range(len(groups)), values, color=colours, height=0.65)
        ax.set_yticks(range(len(groups)))
        ax.set_yticklabels([g.label for g in groups], fontsize=8)
        for i, g in enumerate(groups):
            ax.text(min(values[i], 100) + 1, i, f"{values[i]:.0f} %  ({g.trained}/{g.required})",
                    va="center", fontsize=7.5, color="#334155")  # fmt: skip
        ax.axvline(90, color="#64748b", linestyle="--", linewidth=0.9)
        ax.set_xlim(0, 125)
        ax.set_xticks([0, 25, 50, 75, 90, 100])
        ax.tick_params(axis="x", labelsize=7.5)
        for spine in ("top", "right"):
            ax.spines[spine].set_visible(False)


def _title(text: str) -> QLabel:
    label = QLabel(text)
    label.setStyleSheet("font-weight: 600; color: #1f2a37;")
    return label


class TrainingTab(QWidget):
    add_course_requested = Signal()
    edit_course_requested = Signal(object)
    delete_course_requested = Signal(list)
    course_selected = Signal(int)
    mark_requested = Signal(int, list, bool)  # course id, person ids, complete (or clear)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.overview: TrainingOverview | None = None
        self.courses = TableModel(COURSE_COLUMNS, parent=self)
        self.roster = TableModel(ROSTER_COLUMNS, id_of=lambda r: r.person_id, parent=self)
        self.untrained = TableModel(UNTRAINED_COLUMNS, id_of=lambda r: r.person_id, parent=self)
        self._build()

    def _build(self) -> None:
        self.course_view = make_table(self.courses, multi=False, stretch=0)
        keep_key_column(self.course_view)
        self.course_view.sortByColumn(1, Qt.SortOrder.AscendingOrder)
        self.course_view.selectionModel().selectionChanged.connect(self._on_course_changed)
        self.course_view.doubleClicked.connect(lambda _i: self._emit_edit_course())
        self.course_commands = ActionSet(
            self,
            {
                "plan.course.add": self.add_course_requested.emit,
                "plan.course.edit": self._emit_edit_course,
                "plan.course.delete": self._emit_delete_course,
            },
            view=self.course_view,
        )
        self.add_course = self.course_commands.button("plan.course.add")
        self.edit_course = self.course_commands.button("plan.course.edit")
        self.delete_course = self.course_commands.button("plan.course.delete")
        course_bar = QHBoxLayout()
        course_bar.addWidget(_title("Courses"), 1)
        for b in (self.add_course, self.edit_course, self.delete_course):
            course_bar.addWidget(b)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(course_bar)
        left_layout.addWidget(self.course_view, 1)

        self.roster_title = _title("Roster")
        self.roster_search = QLineEdit()
        self.roster_search.setPlaceholderText("Search people…")
        self.roster_search.setClearButtonEnabled(True)
        self.roster_search.textChanged.connect(self.roster.set_search)
        self.roster_filter = QComboBox()
        for label, value in (("Everyone", None), ("Not completed", False), ("Completed", True)):
            self.roster_filter.addItem(label, value)
        self.roster_filter.currentIndexChanged.connect(self._apply_roster_filter)
        self.roster_view = make_table(self.roster, stretch=0)
        self.roster_commands = ActionSet(
            self,
            {
                "plan.training.mark": lambda: self._emit_mark(True),
                "plan.training.clear": lambda: self._emit_mark(False),
            },
            view=self.roster_view,
        )
        self.mark_button = self.roster_commands.button("plan.training.mark")
        self.clear_button = self.roster_commands.button("plan.training.clear")
        keep_key_column(self.roster_view)
        self.roster_view.sortByColumn(1, Qt.SortOrder.AscendingOrder)
        self.roster_view.selectionModel().selectionChanged.connect(self._update_buttons)
        roster_bar = QHBoxLayout()
        roster_bar.addWidget(self.roster_search, 1)
        roster_bar.addWidget(self.roster_filter)
        roster_bar.addWidget(self.mark_button)
        roster_bar.addWidget(self.clear_button)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.roster_title)
        right_layout.addLayout(roster_bar)
        right_layout.addWidget(self.roster_view, 1)

        top = QSplitter(Qt.Orientation.Horizontal)
        top.addWidget(left)
        top.addWidget(right)
        top.setSizes([560, 610])

        self.grouping = QComboBox()
        self.grouping.addItem("By department", "department")
        self.grouping.addItem("By role", "role")
        self.grouping.currentIndexChanged.connect(self._refresh_chart)
        self.chart = CompletionChart()
        chart_box = QWidget()
        chart_layout = QVBoxLayout(chart_box)
        chart_layout.setContentsMargins(0, 0, 0, 0)
        chart_layout.addWidget(self.grouping, 0, Qt.AlignmentFlag.AlignLeft)
        chart_layout.addWidget(self.chart, 1)
        self.untrained_title = _title("Will lose access at go-live")
        self.untrained_view = make_table(self.untrained)
        self.untrained_view.sortByColumn(1, Qt.SortOrder.AscendingOrder)
        lose = QWidget()
        lose_layout = QVBoxLayout(lose)
        lose_layout.setContentsMargins(0, 0, 0, 0)
        lose_layout.addWidget(self.untrained_title)
        lose_layout.addWidget(self.untrained_view, 1)
        bottom = QSplitter(Qt.Orientation.Horizontal)
        bottom.addWidget(chart_box)
        bottom.addWidget(lose)
        bottom.setSizes([560, 610])

        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(top)
        split.addWidget(bottom)
        split.setSizes([330, 330])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(split, 1)
        self._update_buttons()

    # -- data --------------------------------------------------------------------------------------
    def set_overview(self, overview: TrainingOverview) -> None:
        self.overview = overview
        keep = [r.id for r in selected_records(self.course_view)]
        self.courses.set_rows(overview.courses)
        select_ids(self.course_view, keep or ([overview.courses[0].id] if overview.courses else []))
        self.untrained.set_rows(overview.untrained)
        n = len(overview.untrained)
        self.untrained_title.setText(
            f"Will lose access at go-live: {n:,} {'person' if n == 1 else 'people'} untrained"
        )
        self._refresh_chart()
        self._on_course_changed()

    def set_roster(self, course: CourseRow, rows: list[RosterRow]) -> None:
        keep = [r.person_id for r in selected_records(self.roster_view)]
        self.roster.set_rows(rows)
        self._apply_roster_filter()
        select_ids(self.roster_view, keep)
        self.roster_title.setText(f"Roster — {course.name} ({course.role_label})")
        self._update_buttons()

    def current_course(self) -> CourseRow | None:
        rows = selected_records(self.course_view)
        return rows[0] if rows else None

    def _refresh_chart(self) -> None:
        if self.overview is None:
            return
        by_role = self.grouping.currentData() == "role"
        groups = self.overview.by_role if by_role else self.overview.by_department
        overall = self.overview.overall
        pct = f"{overall.pct:.0f} %" if overall.pct is not None else "n/a"
        how = "by role" if by_role else "by department"
        title = f"Completion {how} — {pct} of {overall.required:,} trained overall"
        self.chart.set_groups(groups, title)

    def _apply_roster_filter(self) -> None:
        want = self.roster_filter.currentData()
        self.roster.set_predicate(
            None if want is None else (lambda r: (r.completed_on is not None) == want)
        )
        self._update_buttons()

    def _on_course_changed(self) -> None:
        course = self.current_course()
        self.course_commands.follow_selection(0 if course is None else 1)
        if course is None:
            self.roster.set_rows([])
            self.roster_title.setText("Roster")
        else:
            self.course_selected.emit(course.id)
        self._update_buttons()

    def _emit_edit_course(self) -> None:
        course = self.current_course()
        if course is not None:
            self.edit_course_requested.emit(course)

    def _emit_delete_course(self) -> None:
        rows = selected_records(self.course_view)
        if rows:
            self.delete_course_requested.emit(rows)

    def command_actions(self) -> list[QAction]:
        return [*self.course_commands, *self.roster_commands]

    def _emit_mark(self, complete: bool) -> None:
        course = self.current_course()
        people = [r.person_id for r in selected_records(self.roster_view)]
        if course is not None and people:
            self.mark_requested.emit(course.id, people, complete)

    def _update_buttons(self) -> None:
        n = len(self.roster_view.selectionModel().selectedRows())
        self.roster_commands.follow_selection(n)
        self.mark_button.setText(f"Mark {n} complete…" if n else "Mark selected complete…")
        self.roster_commands["plan.training.mark"].setText(
            f"&Mark {n} complete…" if n else "&Mark selected complete…"
        )
