"""The disk cache: a hit returns what was built, any change or damage means a rebuild, and
nothing in the cache folder can run code."""

from __future__ import annotations

import json
import logging
import os
import pickle
import stat
from pathlib import Path

import pytest

from redline import cache


def cached(name, sources, build):
    """``cache.cached`` for JSON values as they are."""
    return cache.cached(name, sources, build, encode=lambda v: v, decode=lambda d: d)


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
    assert cached("t", [src], build) == {"x": [1, 2, 3]}
    assert cached("t", [src], build) == {"x": [1, 2, 3]}
    assert len(calls) == 1
    assert len(list(folder.glob("t-*.json"))) == 1


def test_a_changed_source_file_rebuilds_and_drops_the_old_file(folder, tmp_path):
    src = tmp_path / "table.tsv"
    src.write_text("a\n")
    build, calls = _counting("v1")
    cached("t", [src], build)
    src.write_text("a longer line\n")
    build2, calls2 = _counting("v2")
    assert cached("t", [src], build2) == "v2"
    assert len(calls2) == 1
    assert len(list(folder.glob("t-*.json"))) == 1


def test_other_values_are_part_of_the_key(folder):
    assert cache.fingerprint(["a", 1]) != cache.fingerprint(["a", 2])
    assert cache.fingerprint(["a", 1]) == cache.fingerprint(["a", 1])


def test_a_corrupt_file_is_rebuilt(folder, tmp_path):
    src = tmp_path / "s"
    src.write_text("x")
    cached("t", [src], lambda: "good")
    (json_file,) = folder.glob("t-*.json")
    json_file.write_bytes(b"not json")
    build, calls = _counting("rebuilt")
    assert cached("t", [src], build) == "rebuilt"
    assert calls == [1]
    assert cached("t", [src], build) == "rebuilt" and calls == [1]


def test_off_builds_every_time(monkeypatch, tmp_path):
    monkeypatch.setenv("REDLINE_CACHE_DIR", "off")
    assert cache.cache_dir() is None
    build, calls = _counting(5)
    cached("t", [], build)
    cached("t", [], build)
    assert len(calls) == 2


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes through permissions")
def test_an_unwritable_folder_is_not_an_error(monkeypatch, tmp_path):
    ro = tmp_path / "ro"
    ro.mkdir(mode=0o500)
    monkeypatch.setenv("REDLINE_CACHE_DIR", str(ro / "sub"))
    assert cached("t", [], lambda: 7) == 7


def test_a_file_in_place_of_the_folder_is_not_an_error(monkeypatch, tmp_path):
    blocker = tmp_path / "blocker"
    blocker.write_text("")
    monkeypatch.setenv("REDLINE_CACHE_DIR", str(blocker))
    assert cached("t", [], lambda: 7) == 7


def test_the_gazetteer_round_trips(folder):
    from redline.kb.gazetteer import _build_gazetteer, load_gazetteer

    load_gazetteer.cache_clear()
    try:
        first = load_gazetteer()
        load_gazetteer.cache_clear()
        again = load_gazetteer()  # read back from the file written just now
        assert again is not first
        assert list(folder.glob("gazetteer-*.json"))
        built = _build_gazetteer()
        for table in ("regions", "country", "countries", "states", "state_codes", "cities",
                      "capitals", "spellings"):
            assert getattr(again, table) == getattr(built, table), table
        assert again.resolve("kharkiv") == built.resolve("kharkiv")
    finally:
        load_gazetteer.cache_clear()


def _trie(node, path=()):
    yield path, tuple(node.refs)
    for tok, child in sorted(node.children.items()):
        yield from _trie(child, (*path, tok))


def test_the_knowledge_base_round_trips(folder):
    from redline.kb.actors import _build_kb, load_kb

    load_kb.cache_clear()
    try:
        load_kb()
        load_kb.cache_clear()
        again = load_kb()  # read back from the file written just now
        assert list(folder.glob("kb-*.json"))
        built = _build_kb()
        for table in ("countries", "organisations", "sectors", "office_terms", "offices"):
            assert getattr(again, table) == getattr(built, table), table
        assert ([(p.pattern, c) for p, c in again.collective_patterns]
                == [(p.pattern, c) for p, c in built.collective_patterns])
        assert list(_trie(again.root)) == list(_trie(built.root))
    finally:
        load_kb.cache_clear()


# --- tampering ---------------------------------------------------------------------------------


class _Payload:
    """A pickle that, when loaded, makes a folder: proof that code ran."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (os.mkdir, (str(self.marker),))


def test_a_malicious_pickle_in_the_cache_folder_never_runs(folder, tmp_path, caplog):
    from redline.kb.actors import load_kb

    marker = tmp_path / "pwned"
    evil = pickle.dumps(_Payload(marker))
    load_kb.cache_clear()
    try:
        load_kb()
        (good,) = folder.glob("kb-*.json")
        # what the old cache read (kb-KEY.pickle), and the file the cache reads now
        good.with_suffix(".pickle").write_bytes(evil)
        good.write_bytes(evil)
        load_kb.cache_clear()
        with caplog.at_level(logging.WARNING, logger="redline.cache"):
            kb = load_kb()
        assert not marker.exists()
        assert kb.country("UKR") is not None
        assert "not valid" in caplog.text and good.name in caplog.text
        assert json.loads(good.read_text(encoding="utf-8"))["name"] == "kb"  # rebuilt
        assert not list(folder.glob("*.pickle"))  # old pickles are removed, never read
    finally:
        load_kb.cache_clear()


@pytest.mark.parametrize("data", [
    {"countries": "all of them"},
    {"countries": [[1, 2, 3, 4, 5, 6, 7]]},
    None,
    [1, 2, 3],
], ids=["wrong-type", "wrong-field-types", "null", "list"])
def test_a_tampered_table_of_the_right_name_and_key_is_rebuilt(folder, data, caplog):
    from redline.kb.actors import load_kb

    load_kb.cache_clear()
    try:
        load_kb()
        (path,) = folder.glob("kb-*.json")
        doc = json.loads(path.read_text(encoding="utf-8"))
        doc["data"] = data if data is None or isinstance(data, list) else {**doc["data"], **data}
        path.write_text(json.dumps(doc), encoding="utf-8")
        load_kb.cache_clear()
        with caplog.at_level(logging.WARNING, logger="redline.cache"):
            kb = load_kb()
        assert kb.country("UKR") is not None and "not valid" in caplog.text
        assert json.loads(path.read_text(encoding="utf-8"))["data"] != data
    finally:
        load_kb.cache_clear()


def test_another_table_or_format_under_the_right_name_is_rebuilt(folder, tmp_path):
    src = tmp_path / "s"
    src.write_text("x")
    cached("t", [src], lambda: [1, 2])
    (path,) = folder.glob("t-*.json")
    doc = json.loads(path.read_text(encoding="utf-8"))
    for change in ({"name": "u"}, {"format": 1}, {"key": "0" * 24}):
        path.write_text(json.dumps({**doc, **change, "data": [6, 6, 6]}), encoding="utf-8")
        build, calls = _counting([1, 2])
        assert cached("t", [src], build) == [1, 2] and calls == [1], change


def test_a_new_folder_is_private(folder):
    cached("t", [], lambda: 1)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_a_folder_others_can_write_is_not_used(folder, caplog):
    folder.mkdir()
    folder.chmod(0o777)
    build, calls = _counting([1])
    with caplog.at_level(logging.WARNING, logger="redline.cache"):
        assert cached("t", [], build) == [1]
        assert cached("t", [], build) == [1]
    assert len(calls) == 2  # built every time
    assert list(folder.iterdir()) == []  # nothing written
    assert "writable by other users" in caplog.text and "chmod 700" in caplog.text
    assert caplog.text.count("not used") == 1  # warned once
    assert stat.S_IMODE(folder.stat().st_mode) == 0o777  # not changed behind the user's back


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can give a file to another user")
def test_a_cache_file_another_user_owns_is_ignored(folder, tmp_path):
    src = tmp_path / "s"
    src.write_text("x")
    cached("t", [src], lambda: [1])
    (path,) = folder.glob("t-*.json")
    os.chown(path, 65534, 65534)
    build, calls = _counting([1])
    assert cached("t", [src], build) == [1] and calls == [1]


def test_a_file_others_can_write_is_ignored(folder, tmp_path):
    src = tmp_path / "s"
    src.write_text("x")
    cached("t", [src], lambda: [1])
    (path,) = folder.glob("t-*.json")
    path.chmod(0o666)
    build, calls = _counting([1])
    assert cached("t", [src], build) == [1] and calls == [1]
