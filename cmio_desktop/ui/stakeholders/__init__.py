"""The Stakeholders page: register table, detail editor, bulk edit and power/interest grid."""

from .page import StakeholdersPage

__all__ = ["StakeholdersPage"]
