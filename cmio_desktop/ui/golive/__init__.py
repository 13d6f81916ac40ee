"""The Go-live page: the go/no-go scorecard evaluated live from the workspace."""

from cmio_desktop.ui.golive.page import GoLivePage

__all__ = ["GoLivePage"]
