"""Help → Guide and Help → Glossary: HTML shipped in the package, shown in a QTextBrowser.

One dialog per window (non-modal, so the page stays usable next to it); ``open_help`` opens
it at a page and, for the glossary, at a term's anchor.
"""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from cmio_desktop.resource_files import RESOURCES

GUIDE = "guide.html"
GLOSSARY = "glossary.html"

# Anchor → the term as the pages write it; every "?" link points at one of these.
TERMS: dict[str, str] = {
    "adkar": "ADKAR",
    "readiness": "Readiness",
    "ready": "Ready",
    "barrier-point": "Barrier point",
    "network-weighted": "Network-weighted readiness",
    "power-rated": "Power (rated)",
    "network-influence": "Network influence",
    "hot-spot": "Hot spot",
    "key-resister": "Key resister",
    "champion": "Champion",
    "people-to-win-over": "People to win over",
    "forecast": "Forecast",
    "back-test": "Back-test",
    "go-no-go": "Go/no-go",
    "rag": "Red, amber, green",
    "salience": "Salience",
}


class HelpDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("helpDialog")
        self.setWindowTitle("CMIO Desktop help")
        self.resize(640, 560)
        self.browser = QTextBrowser()
        self.browser.setAccessibleName("Help text")
        self.browser.setOpenExternalLinks(False)
        self.browser.setSearchPaths([str(RESOURCES)])
        self.browser.document().setDefaultStyleSheet(
            "h1 { font-size: 16pt; } h2 { font-size: 12pt; margin-top: 14px; }"
        )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)

    def show_topic(self, page: str, anchor: str | None = None) -> None:
        url = QUrl(page)
        if anchor:
            url.setFragment(anchor)
        if self.browser.source().path() == page:
            self.browser.scrollToAnchor(anchor or "")
        else:
            self.browser.setSource(url)
        self.setWindowTitle("Glossary" if page == GLOSSARY else "Guide")
        self.show()
        self.raise_()
        self.activateWindow()
        self.browser.setFocus()


def open_help(parent: QWidget, page: str = GUIDE, anchor: str | None = None) -> HelpDialog:
    """Show the help dialog of ``parent``'s window at ``page`` (and ``anchor``)."""
    window = parent.window()
    dialog = window.findChild(HelpDialog, "helpDialog")
    if dialog is None:
        dialog = HelpDialog(window)
    dialog.show_topic(page, anchor)
    return dialog
