"""The Stakeholders page: register table, detail editor, bulk edit and power/interest grid."""

from cmio_desktop.ui.stakeholders.page import StakeholdersPage

__all__ = ["StakeholdersPage"]
