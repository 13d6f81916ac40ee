"""Named sections of RESULTS.md written by separate runs (start-up, scale point).

``python -m benchmarks`` rewrites the main table; a section between ``<!-- NAME -->`` and
``<!-- /NAME -->`` survives that rewrite and is replaced only by the run that owns it.
"""

from __future__ import annotations

import re
from pathlib import Path


def _pattern(name: str) -> re.Pattern[str]:
    return re.compile(rf"<!-- {re.escape(name)} -->\n.*?<!-- /{re.escape(name)} -->\n", re.S)


def sections_of(text: str) -> str:
    """Every named section in ``text``, in order, ready to append to a rewritten file."""
    found = re.findall(r"<!-- ([a-z-]+) -->\n.*?<!-- /\1 -->\n", text, re.S)
    return "".join(_pattern(name).search(text).group(0) for name in found)  # type: ignore[union-attr]


def replace_section(path: Path, name: str, body: str) -> None:
    """Put ``body`` into section ``name`` of ``path`` (appended if it is not there yet)."""
    block = f"<!-- {name} -->\n{body.rstrip()}\n<!-- /{name} -->\n"
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if _pattern(name).search(text):
        text = _pattern(name).sub(lambda _m: block, text)
    else:
        text = text.rstrip("\n") + ("\n\n" if text else "") + block
    path.write_text(text, encoding="utf-8")
