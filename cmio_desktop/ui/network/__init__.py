"""The Network page: the influence network, rankings with reasons, and the ties."""

from .page import NetworkPage
from .ties_panel import TiesPanel

__all__ = ["NetworkPage", "TiesPanel"]
