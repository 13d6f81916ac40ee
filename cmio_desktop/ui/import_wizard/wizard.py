"""The import wizard: choose a file → match the columns → check the rows → review and import.

The wizard holds the state the pages share (the table read, the :class:`ImportSource` with its
header row and mapping, the check results and the plan) and one :class:`TaskRunner` for the
slow steps, so that the dialog stays responsive while a big sheet is read, checked or saved.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import QWidget, QWizard

from cmio_desktop.io.mapping import detect_header_row
from cmio_desktop.services.importing.pipeline import ImportSource
from cmio_desktop.services.importing.run import ImportOptions
from cmio_desktop.ui.common.tasks import TaskRunner

if TYPE_CHECKING:
    from cmio_desktop.io.tabular import Table
    from cmio_desktop.io.validation import ValidationResult
    from cmio_desktop.services.importing.run import ImportOutcome, ImportPlan
    from cmio_desktop.ui.facade import WorkspaceFacade

IMPORT_TASK = "import"  # one slow step at a time: a newer one supersedes the older

STYLE = """
QWizard, QWizard QWidget#wizardPage { background: #f7f9fb; }
QLabel#fieldRequired { color: #0f766e; font-weight: 600; }
QLabel#problem { color: #b42318; }
QLabel#okay { color: #0f766e; font-weight: 600; }
QLabel#sample { color: #5b6b7c; }
QLabel#sectionTitle { font-weight: 600; color: #1f2a37; padding-top: 6px; }
QWidget#fieldsPanel { background: #ffffff; }
QLabel#countValue { font-size: 18pt; font-weight: 600; color: #0f766e; }
QLabel#countValue[category="updated"] { color: #1d4ed8; }
QLabel#countValue[category="unchanged"] { color: #5b6b7c; }
QLabel#countValue[category="rejected"] { color: #b42318; }
QLabel#countCaption { color: #334155; }
QFrame#countCard { background: #ffffff; border: 1px solid #dfe5ec; border-radius: 8px; }
QPushButton#countCard { background: #ffffff; border: 1px solid #dfe5ec; border-radius: 8px; }
QPushButton#countCard:hover { border-color: #9fb3c8; }
QPushButton#countCard:checked { border: 2px solid #14b8a6; background: #f0fbf9; }
QRadioButton { font-weight: 600; color: #1f2a37; }
QGroupBox { font-weight: 600; color: #1f2a37; border: 1px solid #dfe5ec; border-radius: 6px;
            margin-top: 12px; padding: 10px 8px 8px 8px; background: #ffffff; }
QGroupBox::title { subcontrol-origin: margin; left: 10px; padding: 0 4px; }
"""


def heading(text: str) -> str:
    """A page title for the wizard's header band."""
    return f"<span style='font-size: 14pt; font-weight: 600; color: #1f2a37'>{text}</span>"


class ImportWizard(QWizard):
    SOURCE, MAPPING, CHECK, REVIEW = range(4)
    #: The closing summary's "Show them": open the register on the people needing a role/group.
    show_classification_requested = Signal()

    def __init__(self, facade: WorkspaceFacade, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from cmio_desktop.ui.import_wizard.mapping_page import MappingPage
        from cmio_desktop.ui.import_wizard.review_pages import CheckPage, ReviewPage
        from cmio_desktop.ui.import_wizard.source_page import SourcePage

        self.facade = facade
        self.runner = TaskRunner(self)
        self.path: Path | None = None
        self.sheets: list[str] = []
        self.table: Table | None = None
        self.source: ImportSource | None = None
        self.validation: ValidationResult | None = None
        self.plan: ImportPlan | None = None
        self.outcome: ImportOutcome | None = None
        self.options = ImportOptions()
        self.default_date = None
        self.committing = False
        self.stop_requested = False
        self.closing_summary = ""  # set when the import is done

        self.setWindowTitle("Import")
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setTitleFormat(Qt.TextFormat.RichText)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setOption(QWizard.WizardOption.HaveHelpButton, False)
        self.setButtonText(QWizard.WizardButton.FinishButton, "Import")
        self.setStyleSheet(STYLE)
        self.setMinimumSize(QSize(900, 640))
        self.resize(1040, 720)
        self.source_page = SourcePage(self)
        self.mapping_page = MappingPage(self)
        self.check_page = CheckPage(self)
        self.review_page = ReviewPage(self)
        for ident, page in enumerate(
            (self.source_page, self.mapping_page, self.check_page, self.review_page)
        ):
            page.setObjectName("wizardPage")
            self.setPage(ident, page)

    # -- shared state ---------------------------------------------------------------------------

    def load_file(self, path: Path, sheet: str | None = None) -> None:
        """Read ``path`` (the chosen sheet, else the active one) in the background."""
        self.source_page.load(path, sheet)

    def make_source(self, kind: str) -> ImportSource:
        """The table read, as ``kind``: the header row detected and the columns auto-mapped."""
        assert self.path is not None and self.table is not None
        if self.source is not None and self.source.kind == kind and self.source.table is self.table:
            return self.source
        source = ImportSource(self.path, kind, self.table)
        source.set_header_index(detect_header_row(self.table.rows, kind) if self.table.rows else 0)
        self.source = source
        self.forget_results()
        return source

    def forget_results(self) -> None:
        self.validation = None
        self.plan = None

    @property
    def kind(self) -> str:
        return self.source.kind if self.source is not None else "stakeholders"

    # -- closing --------------------------------------------------------------------------------

    def reject(self) -> None:
        if self.committing:  # a transaction is being written: stop it cleanly, then close
            self.stop_requested = True
            self.runner.request_stop(IMPORT_TASK)
            self.review_page.show_stopping()
            return
        self.runner.discard(IMPORT_TASK)
        super().reject()

    def done(self, result: int) -> None:
        if self.committing:
            return
        super().done(result)
