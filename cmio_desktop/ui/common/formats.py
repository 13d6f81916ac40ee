"""How plain values read in tables and labels, the same on every page."""

from __future__ import annotations

from datetime import date


def fmt_date(value: date | None) -> str:
    """``02 Nov 2026``; nothing for no date."""
    return f"{value:%d %b %Y}" if value else ""
