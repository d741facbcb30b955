"""Built language data kept on disk: read back while code, data and libraries are the same, else built."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from relations import diskcache

SCRIPT = Path(sys.executable).with_name("relations")


class Builder:
    def __init__(self, value: object) -> None:
        self.value, self.calls = value, 0

    def __call__(self) -> object:
        self.calls += 1
        return self.value


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    where = tmp_path / "cache"
    monkeypatch.setenv("RELATIONS_CACHE_DIR", str(where))
    return where


def test_a_built_object_is_read_back_not_built_again(cache_dir: Path) -> None:
    build = Builder({"months": {"janvier": 1}})
    assert diskcache.load_or_build("lexicon-fr", build) == {"months": {"janvier": 1}}
    assert diskcache.load_or_build("lexicon-fr", build) == {"months": {"janvier": 1}}
    assert build.calls == 1
    assert len(list(cache_dir.glob("lexicon-fr-*.pickle"))) == 1
    assert cache_dir.stat().st_mode & 0o777 == 0o700


def test_a_damaged_entry_is_built_again_and_replaced(cache_dir: Path) -> None:
    diskcache.load_or_build("lexicon-fr", Builder("first"))
    [entry] = cache_dir.glob("lexicon-fr-*.pickle")
    entry.write_bytes(entry.read_bytes()[:5])  # a run killed mid-write by another tool, a full disk
    build = Builder("again")
    assert diskcache.load_or_build("lexicon-fr", build) == "again"
    assert build.calls == 1
    assert pickle.loads(entry.read_bytes()) == "again"


def test_an_empty_variable_turns_the_cache_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RELATIONS_CACHE_DIR", "")
    monkeypatch.chdir(tmp_path)
    build = Builder("built")
    diskcache.load_or_build("lexicon-fr", build)
    diskcache.load_or_build("lexicon-fr", build)
    assert build.calls == 2
    assert diskcache.directory() is None
    assert list(tmp_path.iterdir()) == []


def test_the_default_place_is_the_users_cache_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RELATIONS_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert diskcache.directory() == tmp_path / "relations"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert diskcache.directory() == Path.home() / ".cache" / "relations"


@pytest.mark.parametrize("mode", [0o777, 0o770, 0o720])
def test_a_directory_others_can_write_to_is_neither_read_nor_written(cache_dir: Path, mode: int) -> None:
    diskcache.load_or_build("lexicon-fr", Builder("ours"))
    [entry] = cache_dir.glob("lexicon-fr-*.pickle")
    entry.write_bytes(pickle.dumps("planted by someone else"))
    cache_dir.chmod(mode)
    assert diskcache.load_or_build("lexicon-fr", Builder("built")) == "built"
    assert pickle.loads(entry.read_bytes()) == "planted by someone else"


@pytest.mark.skipif(os.getuid() != 0, reason="only root can give a directory to another user")
def test_a_directory_of_another_user_is_never_read(cache_dir: Path) -> None:
    diskcache.load_or_build("lexicon-fr", Builder("ours"))
    [entry] = cache_dir.glob("lexicon-fr-*.pickle")
    entry.write_bytes(pickle.dumps("planted by someone else"))
    os.chown(cache_dir, 65534, 65534)  # nobody
    assert diskcache.load_or_build("lexicon-fr", Builder("built")) == "built"


def test_a_cache_that_cannot_be_made_costs_only_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("RELATIONS_CACHE_DIR", str(blocker / "cache"))
    assert diskcache.load_or_build("lexicon-fr", Builder("built")) == "built"


def test_an_object_that_cannot_be_pickled_is_returned_and_not_kept(cache_dir: Path) -> None:
    unpicklable = lambda: None  # noqa: E731 - the point is an object pickle refuses
    assert diskcache.load_or_build("odd", Builder(unpicklable)) is unpicklable
    assert list(cache_dir.iterdir()) == []


def test_writing_a_new_fingerprint_removes_every_older_entry(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(diskcache, "_current", lambda: "before")
    diskcache.load_or_build("lexicon-fr", Builder("old"))
    diskcache.load_or_build("lexicon-de", Builder("other language"))
    (cache_dir / "notes.txt").write_text("not ours to remove")
    monkeypatch.setattr(diskcache, "_current", lambda: "after")
    assert diskcache.load_or_build("lexicon-fr", Builder("new")) == "new"
    assert sorted(p.name for p in cache_dir.iterdir()) == ["lexicon-fr-after.pickle", "notes.txt"]


def test_the_fingerprint_follows_code_language_data_and_libraries(tmp_path: Path) -> None:
    package = tmp_path / "relations"
    (package / "lang").mkdir(parents=True)
    (package / "dates.py").write_text("MONTHS = 12\n")
    (package / "lang" / "fr.toml").write_text('[dates]\nsince = ["depuis"]\n')
    first = diskcache.fingerprint(package, ("babel",))
    assert diskcache.fingerprint(package, ("babel",)) == first

    (package / "__pycache__").mkdir()
    (package / "__pycache__" / "dates.cpython-311.pyc").write_bytes(b"\0compiled")
    assert diskcache.fingerprint(package, ("babel",)) == first, "compiled files are not sources"

    (package / "lang" / "fr.toml").write_text('[dates]\nsince = ["depuis", "dès"]\n')
    assert diskcache.fingerprint(package, ("babel",)) != first
    (package / "lang" / "fr.toml").write_text('[dates]\nsince = ["depuis"]\n')
    assert diskcache.fingerprint(package, ("babel",)) == first

    (package / "dates.py").write_text("MONTHS = 13\n")
    assert diskcache.fingerprint(package, ("babel",)) != first
    (package / "dates.py").write_text("MONTHS = 12\n")
    assert diskcache.fingerprint(package, ("babel", "pycountry")) != first, "a library's version is part of it"


def test_the_real_fingerprint_covers_every_language_file() -> None:
    package = diskcache.PACKAGE_DIR
    sources = {p.relative_to(package).as_posix() for pattern in diskcache._SOURCES for p in package.glob(pattern)}
    assert {"lang/en.toml", "lang/sv.toml", "lexicon.py", "language.py", "matching.py"} <= sources


def test_language_data_read_from_the_cache_parses_as_freshly_built_data(tmp_path: Path, seeds_dir: Path) -> None:
    # three real runs: the cache off, then filled, then read (each process loads its data once)
    def extract(cache: str, out: str) -> str:
        env = os.environ | {"RELATIONS_CACHE_DIR": cache}
        command = [str(SCRIPT), "extract", str(seeds_dir), "--out", out]
        done = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        return (tmp_path / out).read_text(encoding="utf-8")

    fresh = extract("", "fresh.csv")
    cache = tmp_path / "cache"
    assert extract(str(cache), "filling.csv") == fresh
    entries = {p.name.rsplit("-", 1)[0] for p in cache.glob("*.pickle")}
    assert {"langid", "lexicon-en", "lexicon-sv", "lexicon-nb"} <= entries
    assert extract(str(cache), "cached.csv") == fresh
    assert fresh.count("\n") > 10
