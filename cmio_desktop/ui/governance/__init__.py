"""The Risks & governance page: risk register with its matrix, decisions log, demand requests."""

from cmio_desktop.ui.governance.page import GovernancePage

__all__ = ["GovernancePage"]
