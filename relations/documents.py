"""Turn input paths into document texts, or into a clear reason why not.

Every file given (or found under a folder given) comes back exactly once,
either with its text or with the reason it was rejected: not text, an
unreadable encoding, too large. Nothing is dropped silently.
"""

from __future__ import annotations

import codecs
import contextlib
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text", ".html", ".htm", ".xhtml"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
MAX_BYTES = 5 * 1024 * 1024  # a news article is a few KB; 5 MB is already a book

# the first bytes of formats that are never article text
_MAGIC = {
    b"%PDF": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"PK\x03\x04": "a ZIP archive (or an Office document)",
    b"\x1f\x8b": "a gzip archive",
    b"7z\xbc\xaf": "a 7-Zip archive",
    b"Rar!": "a RAR archive",
    b"\x7fELF": "an executable",
    b"MZ": "an executable",
    b"BZh": "a bzip2 archive",
    b"RIFF": "a media file",
    b"\xd0\xcf\x11\xe0": "an old Office document",
    b"SQLite format 3": "an SQLite database",
}
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_HTML_SNIFF = re.compile(rb"^\s*(?:<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>])", re.IGNORECASE)
_BLOCKS = "p,div,br,li,ul,ol,h1,h2,h3,h4,h5,h6,tr,td,th,article,section,blockquote,header,footer,figcaption,pre,dd,dt,table"
_INVISIBLE = "script,style,noscript,template,head,nav,aside,form,iframe,svg,button,select,object,embed"


@dataclass(frozen=True)
class Input:
    path: Path
    doc_id: str


@dataclass(frozen=True)
class Loaded:
    doc_id: str
    text: str | None
    reason: str | None = None


def inputs(paths: Iterable[str | os.PathLike]) -> Iterator[Input]:
    """Files to read: each file given, and every file under each folder given.

    A file reached twice is read once; two files that would share a doc_id
    ("2023/news.txt" and "2024/news.txt" given by name) keep their folders in it.
    """
    seen: set[str] = set()
    ids: set[str] = set()
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            # a file reached through no symlink below the folder is at the folder's real path
            # plus its own: one realpath per folder, not one (an lstat per part) per file
            folder = os.path.realpath(path)
            found = [(path / rel, rel, None if link else os.path.join(folder, rel)) for rel, link in _files(path)]
        else:
            found = [(path, path.name, None)]
        for child, rel, real in found:
            if real is None:
                real = str(child.resolve() if child.exists() else child.absolute())
            if real in seen:
                continue
            seen.add(real)
            doc_id = _printable(rel)
            if doc_id in ids:
                parts = child.absolute().parts
                depth = len(rel.split("/")) + 1
                while doc_id in ids and depth <= len(parts):
                    doc_id = _printable("/".join(parts[-depth:]))
                    depth += 1
            ids.add(doc_id)
            yield Input(child, doc_id)


def _files(folder: str | os.PathLike, prefix: str = "") -> Iterator[tuple[str, bool]]:
    """(posix path relative to the folder, whether it is a symlink) of the files under a folder,
    in the order of sorted(Path.rglob("*")): by name parts, so "a/b" comes before "a-c".
    Like rglob, it lists symlinks without entering them and skips the folders it may not read."""
    try:
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
    except PermissionError:
        return
    for entry in entries:
        rel = prefix + entry.name
        if entry.is_dir(follow_symlinks=False):
            yield from _files(entry.path, rel + "/")
        elif entry.is_symlink() or entry.is_file(follow_symlinks=False):
            yield rel, entry.is_symlink()


_CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f]")


def _printable(name: str) -> str:
    """A file name as a doc_id: control characters written out (a CR in a name
    would otherwise break the lines of every report that shows it)."""
    return _CONTROL_CHARS.sub(lambda m: f"\\x{ord(m.group()):02x}", name)


def load(item: Input, max_bytes: int = MAX_BYTES) -> Loaded:
    """Read one input; a rejected one carries its reason."""
    try:
        if item.path.is_symlink() and not item.path.exists():
            return Loaded(item.doc_id, None, "broken link")
        size = item.path.stat().st_size
        if size > max_bytes:
            return Loaded(item.doc_id, None, f"too large: {size:,} bytes, the limit is {max_bytes:,}")
        data = item.path.read_bytes()
    except FileNotFoundError:
        return Loaded(item.doc_id, None, "file not found")
    except OSError as err:
        return Loaded(item.doc_id, None, f"cannot be read: {err.strerror or err}")
    return from_bytes(item.doc_id, data, item.path.suffix.lower(), max_bytes)


def from_bytes(doc_id: str, data: bytes, suffix: str = ".txt", max_bytes: int = MAX_BYTES) -> Loaded:
    """Decode and clean the bytes of one document (also used for uploads)."""
    if len(data) > max_bytes:
        return Loaded(doc_id, None, f"too large: {len(data):,} bytes, the limit is {max_bytes:,}")
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            return Loaded(doc_id, None, f"not text: {what}")
    if suffix and suffix not in TEXT_SUFFIXES and not _looks_textual(data):
        return Loaded(doc_id, None, f"not a text document ({suffix})")
    text, reason = decode(data)
    if text is None:
        return Loaded(doc_id, None, reason)
    if suffix in HTML_SUFFIXES or _HTML_SNIFF.match(data[:512]):
        text = html_text(text)
    return Loaded(doc_id, normalise(text))


def _looks_textual(data: bytes) -> bool:
    sample = data[:4096]
    return b"\x00" not in sample and decode(sample)[0] is not None


def decode(data: bytes) -> tuple[str | None, str | None]:
    """Text and None, or None and why it could not be read."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), None
            except UnicodeDecodeError:
                return None, f"unreadable encoding: invalid {encoding} after its byte-order mark"
    if b"\x00" in data:
        utf16 = _utf16_without_bom(data)
        if utf16 is not None:
            return utf16, None
        return None, "not text: binary content (NUL bytes)"
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    text = _best_single_byte(data)
    if text is None:
        return None, "unreadable encoding: not UTF-8, UTF-16 or a known code page"
    return text, None


def _best_single_byte(data: bytes) -> str | None:
    """Among the code pages charset-normalizer finds plausible, the reading a
    language model is surest of: French in cp1252 is also valid cp1250 ("Ŕ Paris")."""
    from charset_normalizer import from_bytes

    from .language import confidence

    readings = [str(m) for m in list(from_bytes(data))[:4]]
    with contextlib.suppress(UnicodeDecodeError):
        readings.append(data.decode("cp1252"))
    readings = [r for r in dict.fromkeys(readings) if r.count("\ufffd") <= len(r) / 100]
    return max(readings, key=confidence, default=None)


def _utf16_without_bom(data: bytes) -> str | None:
    # Latin-script UTF-16 has NULs in one byte of most pairs and almost never in
    # the other; binary data (packed numbers, databases) has them in both
    even, odd = data[0::2], data[1::2]
    for encoding, zeros, other in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if zeros and zeros.count(0) > 0.3 * len(zeros) and other.count(0) < 0.02 * len(other):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                return None
            printable = sum(c.isprintable() or c.isspace() for c in text)
            return text if printable >= 0.95 * len(text) else None
    return None


def html_text(html: str) -> str:
    """The visible text of an HTML page, one line per block; the article if marked."""
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(html)
    for node in tree.css(_INVISIBLE):
        node.decompose()
    for node in tree.css(_BLOCKS):
        node.insert_before("\n")
    root = tree.css_first("article") or tree.css_first("main") or tree.body or tree.root
    return root.text(separator="") if root is not None else ""


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def normalise(text: str) -> str:
    """The document text every offset refers to: one newline style, no control bytes."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub(" ", text)
    return "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")
