"""The Risks & governance page: risk register with its matrix, decisions log, demand requests."""

from .page import GovernancePage

__all__ = ["GovernancePage"]
