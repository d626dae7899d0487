"""The disk cache: a hit returns what was built, any change or damage means a rebuild."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from redline import cache


@pytest.fixture()
def folder(tmp_path, monkeypatch) -> Path:
    d = tmp_path / "cache"
    monkeypatch.setenv("REDLINE_CACHE_DIR", str(d))
    return d


def _counting(value):
    calls = []

    def build():
        calls.append(1)
        return value

    return build, calls


def test_second_call_reads_the_file(folder, tmp_path):
    src = tmp_path / "table.tsv"
    src.write_text("a\tb\n")
    build, calls = _counting({"x": [1, 2, 3]})
    assert cache.cached("t", [src], build) == {"x": [1, 2, 3]}
    assert cache.cached("t", [src], build) == {"x": [1, 2, 3]}
    assert len(calls) == 1
    assert len(list(folder.glob("t-*.pickle"))) == 1


def test_a_changed_source_file_rebuilds_and_drops_the_old_file(folder, tmp_path):
    src = tmp_path / "table.tsv"
    src.write_text("a\n")
    build, calls = _counting("v1")
    cache.cached("t", [src], build)
    src.write_text("a longer line\n")
    build2, calls2 = _counting("v2")
    assert cache.cached("t", [src], build2) == "v2"
    assert len(calls2) == 1
    assert len(list(folder.glob("t-*.pickle"))) == 1


def test_other_values_are_part_of_the_key(folder):
    assert cache.fingerprint(["a", 1]) != cache.fingerprint(["a", 2])
    assert cache.fingerprint(["a", 1]) == cache.fingerprint(["a", 1])


def test_a_corrupt_file_is_rebuilt(folder, tmp_path):
    src = tmp_path / "s"
    src.write_text("x")
    cache.cached("t", [src], lambda: "good")
    (pickle_file,) = folder.glob("t-*.pickle")
    pickle_file.write_bytes(b"not a pickle")
    build, calls = _counting("rebuilt")
    assert cache.cached("t", [src], build) == "rebuilt"
    assert calls == [1]
    assert cache.cached("t", [src], build) == "rebuilt" and calls == [1]


def test_off_builds_every_time(monkeypatch, tmp_path):
    monkeypatch.setenv("REDLINE_CACHE_DIR", "off")
    assert cache.cache_dir() is None
    build, calls = _counting(5)
    cache.cached("t", [], build)
    cache.cached("t", [], build)
    assert len(calls) == 2


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes through permissions")
def test_an_unwritable_folder_is_not_an_error(monkeypatch, tmp_path):
    ro = tmp_path / "ro"
    ro.mkdir(mode=0o500)
    monkeypatch.setenv("REDLINE_CACHE_DIR", str(ro / "sub"))
    assert cache.cached("t", [], lambda: 7) == 7


def test_a_file_in_place_of_the_folder_is_not_an_error(monkeypatch, tmp_path):
    blocker = tmp_path / "blocker"
    blocker.write_text("")
    monkeypatch.setenv("REDLINE_CACHE_DIR", str(blocker))
    assert cache.cached("t", [], lambda: 7) == 7


def test_the_gazetteer_round_trips(folder):
    from redline.where.gazetteer import _build_gazetteer, load_gazetteer

    load_gazetteer.cache_clear()
    try:
        first = load_gazetteer()
        load_gazetteer.cache_clear()
        again = load_gazetteer()  # read back from the file written just now
        assert again is not first
        assert list(folder.glob("gazetteer-*.pickle"))
        built = _build_gazetteer()
        assert again.cities.keys() == built.cities.keys()
        assert again.resolve("kharkiv") == built.resolve("kharkiv")
    finally:
        load_gazetteer.cache_clear()
