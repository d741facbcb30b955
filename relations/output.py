"""Write the tables to files; the format follows the file's extension.

CSV cells that a spreadsheet would run as a formula (starting with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return) get a leading apostrophe, the
OWASP remedy for CSV injection; numbers are left as numbers.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pandas as pd

FORMATS = (".csv", ".parquet", ".json", ".jsonl")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text cells cannot be run as spreadsheet formulas."""
    out = frame.copy()
    for col in out.columns:
        if pd.api.types.is_string_dtype(out[col]) or out[col].dtype == object:
            out[col] = out[col].map(lambda v: "'" + v if isinstance(v, str) and v.startswith(_FORMULA_START) else v)
    return out


def to_csv_bytes(frame: pd.DataFrame, header: bool = True) -> bytes:
    """The table as neutralised UTF-8 CSV; without ``header``, rows to append to a file begun with one."""
    buffer = io.StringIO()
    # CRLF rows (RFC 4180): the writer then quotes any cell holding a CR or an LF,
    # so a line break inside a cell can never start a new row in a spreadsheet
    neutralise(frame).to_csv(buffer, index=False, header=header, lineterminator="\r\n")
    return buffer.getvalue().encode("utf-8")


def write(frame: pd.DataFrame, path: str | os.PathLike) -> None:
    """Write a table as CSV, Parquet, JSON (records) or JSON Lines, by extension."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise ValueError(f"unknown output format {suffix!r}: use one of {', '.join(FORMATS)}")
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".csv":
        path.write_bytes(to_csv_bytes(frame))
    elif suffix == ".parquet":
        frame.to_parquet(path, index=False)
    else:
        frame.to_json(path, orient="records", lines=suffix == ".jsonl", force_ascii=False, indent=None)
