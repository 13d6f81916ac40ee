"""The Dashboard page: key-figure cards and charts for the current initiative."""

from cmio_desktop.ui.dashboard.page import DashboardPage

__all__ = ["DashboardPage"]
