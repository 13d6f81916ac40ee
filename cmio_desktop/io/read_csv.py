"""Read a delimited text file (CSV, semicolon-separated, tab-separated) (used by :mod:`.tabular`).

Encoding: a UTF-16 byte-order mark (Excel's "Unicode Text") is honoured; otherwise the bytes
are decoded as UTF-8 (with or without a BOM) strictly, and if that fails as Windows-1252, the
five bytes Windows-1252 leaves undefined becoming the matching C1 control characters (as
Windows itself does) so that no file is ever refused for its encoding.

Delimiter: comma, semicolon or tab. Each is tried on the first lines with the real CSV parser
(so quoted delimiters do not count) and the one that splits the most lines into the same number
of fields, more than one, wins; title rows above the header do not spoil this because only
the most common field count matters. When two delimiters do equally well, ``csv.Sniffer``
restricted to those three breaks the tie, and failing that the order comma, semicolon, tab
(tab first for ``.tsv``).
"""

from __future__ import annotations

import codecs
import csv
import io
from collections import Counter
from pathlib import Path

from cmio_desktop.io.tabular import MAX_COLUMNS, CellValue, ImportFileError, Table, describe

MAX_TEXT_BYTES = 512 * 1024**2
"""Text files larger than this are refused before being read."""

DELIMITERS = (",", ";", "\t")
_SAMPLE_CHARS = 64 * 1024
_SAMPLE_RECORDS = 50
_C1_HANDLER = "cmio-cp1252-c1"


def _c1_fallback(error: UnicodeError) -> tuple[str, int]:
    """Decode the bytes cp1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) as C1 controls."""
    assert isinstance(error, UnicodeDecodeError)
    return chr(error.object[error.start]), error.start + 1


codecs.register_error(_C1_HANDLER, _c1_fallback)


def read_text_table(path: Path, max_rows: int) -> Table:
    """Read the non-blank records of a delimited text file; see ``tabular.read_table``."""
    name = describe(path)
    try:
        size = path.stat().st_size
        if size > MAX_TEXT_BYTES:
            raise ImportFileError(
                f"{name} is too large ({size / 1024**2:,.0f} MB); at most "
                f"{MAX_TEXT_BYTES // 1024**2} MB of text can be imported."
            )
        data = path.read_bytes()
    except OSError as error:
        raise ImportFileError(f"{name} cannot be read: {error.strerror or error}.") from None
    text, encoding = decode_text(data, name)
    if "\x00" in text:
        raise ImportFileError(
            f"{name} does not look like a text (CSV) file: it contains binary data."
        )
    if not text.strip():
        raise ImportFileError(f"{name} is empty (it contains no text).")
    delimiter = detect_delimiter(text, prefer_tab=path.suffix.casefold() == ".tsv")
    rows, numbers = _parse(text, delimiter, max_rows, name)
    return Table(
        source=path,
        sheet=None,
        rows=rows,
        row_numbers=numbers,
        encoding=encoding,
        delimiter=delimiter,
    )


def decode_text(data: bytes, name: str = "the file") -> tuple[str, str]:
    """Decode ``data``; return the text and the name of the encoding used."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise ImportFileError(
                f"{name} starts like a UTF-16 (Unicode Text) file but is damaged."
            ) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors=_C1_HANDLER), "cp1252"
    return text, "utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8"


def detect_delimiter(text: str, prefer_tab: bool = False) -> str:
    """Pick comma, semicolon or tab for ``text`` (see the module docstring for the rule)."""
    sample = text[:_SAMPLE_CHARS]
    truncated = len(text) > len(sample)
    order = ("\t", ",", ";") if prefer_tab else DELIMITERS
    scores = {d: _consistency(sample, d, truncated) for d in order}
    best = max(scores.values())
    tied = [d for d in order if scores[d] == best]
    if len(tied) == 1:
        return tied[0]
    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters="".join(DELIMITERS)).delimiter
    except csv.Error:
        sniffed = None
    return sniffed if sniffed in tied else tied[0]


def _consistency(sample: str, delimiter: str, truncated: bool) -> tuple[bool, float, int]:
    """(splits into several fields, share of records with the modal field count, that count)."""
    reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
    counts: list[int] = []
    try:
        for record in reader:
            if any(field.strip() for field in record):
                counts.append(len(record))
            if len(counts) > _SAMPLE_RECORDS:
                break
    except csv.Error:
        pass
    if truncated and len(counts) > 1:
        counts.pop()  # the sample may have cut the last record short
    if not counts:
        return (False, 0.0, 0)
    frequencies = Counter(counts)
    modal, hits = max(frequencies.items(), key=lambda item: (item[1], item[0]))
    return (modal > 1, round(hits / len(counts), 6), modal)


def _parse(
    text: str, delimiter: str, max_rows: int, name: str
) -> tuple[list[list[CellValue]], list[int]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[CellValue]] = []
    numbers: list[int] = []
    line = 1
    try:
        for record in reader:
            start, line = line, reader.line_num + 1
            row: list[CellValue] = [value if value != "" else None for value in record]
            while row and row[-1] is None:
                row.pop()
            if not row:
                continue
            if len(row) > MAX_COLUMNS:
                raise ImportFileError(
                    f"{name}: line {start} has {len(row)} fields; at most {MAX_COLUMNS} "
                    "columns can be imported."
                )
            if len(rows) >= max_rows:
                raise ImportFileError(
                    f"{name} has more than {max_rows:,} rows of data; at most "
                    f"{max_rows:,} rows can be imported at once. Split the file."
                )
            rows.append(row)
            numbers.append(start)
    except csv.Error as error:
        raise ImportFileError(
            f"{name} cannot be read as CSV near line {reader.line_num}: {error}."
        ) from None
    return rows, numbers
