"""The Go-live page: the go/no-go scorecard evaluated live from the workspace."""

from .page import GoLivePage

__all__ = ["GoLivePage"]
