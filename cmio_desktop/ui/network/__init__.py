"""The Network page: the influence network, rankings with reasons, and the ties."""

from cmio_desktop.ui.network.page import NetworkPage
from cmio_desktop.ui.network.ties_panel import TiesPanel

__all__ = ["NetworkPage", "TiesPanel"]
