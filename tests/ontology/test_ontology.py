"""Tests for redline.ontology: completeness, facts, and malformed-file handling."""

from __future__ import annotations

import pytest

import redline.ontology as onto
from redline.errors import KnowledgeBaseError
from redline.ontology import _tables

ROOTS = [f"{n:02d}" for n in range(1, 21)]
PLOVER_16 = {
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
}  # fmt: skip
# Documented unmapped codes: PLOVER drops CAMEO root 01 (statements); 02 maps like 10.
UNMAPPED = {
    "01", "010", "011", "012", "013", "014", "015", "016", "017", "018", "019",
}  # fmt: skip


@pytest.fixture
def fresh_cache():
    """Clear the loader's cache before and after a test that swaps the data files."""
    onto._load.cache_clear()
    yield
    onto._load.cache_clear()


# --- CAMEO completeness -------------------------------------------------------------


def test_all_twenty_roots_present_with_children() -> None:
    codes = onto.cameo_codes()
    assert sorted(c for c in codes if len(c) == 2) == ROOTS
    for root in ROOTS:
        kids = onto.children(root)
        assert kids, root
        assert root + "0" in kids  # every root has its "not specified" X0 code


def test_every_code_has_its_root_and_parent() -> None:
    for code, entry in onto.cameo_codes().items():
        assert 2 <= len(code) <= 4 and code.isdigit()
        assert entry.root == code[:2] and onto.is_cameo_code(entry.root)
        if len(code) > 2:
            assert onto.is_cameo_code(code[:-1]), f"{code} has no parent"
            assert code in onto.children(code[:-1])


def test_counts_and_score_ranges() -> None:
    codes = onto.cameo_codes()
    assert len(codes) == 311
    assert sum(len(c) == 4 for c in codes) > 100
    for entry in codes.values():
        assert -10.0 <= entry.goldstein <= 10.0
        assert entry.quad_class in (1, 2, 3, 4)
        assert entry.name and entry.name == entry.name.strip() and "  " not in entry.name
        assert entry.name.isascii(), entry  # no mojibake from the reference list


@pytest.mark.parametrize(
    ("code", "quad"),
    [("138", 3), ("13", 3), ("190", 4), ("0334", 1), ("057", 1), ("163", 4), ("09", 2),
     ("0874", 2), ("145", 3), ("15", 4), ("2042", 4), ("010", 1), ("112", 3)],
)  # fmt: skip
def test_quad_class(code: str, quad: int) -> None:
    assert onto.quad_class(code) == quad


@pytest.mark.parametrize(
    ("code", "score"),
    [("138", -7.0), ("13", -6.0), ("130", -4.4), ("0874", 10.0), ("057", 8.0),
     ("1823", -10.0), ("01", 0.0), ("011", -0.1), ("042", 1.9), ("163", -8.0)],
)  # fmt: skip
def test_goldstein_facts(code: str, score: float) -> None:
    assert onto.goldstein(code) == score


def test_names() -> None:
    assert onto.cameo("19").name == "Fight"
    assert onto.root_name("01") == "Make public statement"
    assert onto.root_name("1384") == "Threaten"
    assert onto.cameo("044").name == "Meet at a 'third' location"
    assert onto.cameo("101").name.startswith("Demand material cooperation")
    assert onto.cameo("1385").name == "Threaten attack with WMD"


def test_children() -> None:
    assert onto.children("02") == ["020", "021", "022", "023", "024", "025", "026", "027",
                                   "028"]  # fmt: skip
    assert onto.children("021") == ["0211", "0212", "0213", "0214"]
    assert onto.children("0211") == []
    assert onto.children("19") == [f"19{d}" for d in range(7)]


def test_unknown_codes() -> None:
    for bad in ("999", "21", "1", "", "abc", "1213"):
        assert not onto.is_cameo_code(bad)
        with pytest.raises(KeyError, match="unknown CAMEO event code"):
            onto.cameo(bad)
    with pytest.raises(KeyError):
        onto.goldstein("00")
    with pytest.raises(KeyError):
        onto.children("21")
    assert not onto.is_cameo_code(190)
    assert onto.is_cameo_code(" 190 ") and onto.cameo(" 190").code == "190"


def test_cameo_codes_returns_a_copy() -> None:
    onto.cameo_codes().clear()
    assert len(onto.cameo_codes()) == 311


# --- PLOVER types --------------------------------------------------------------------


def test_sixteen_plover_types() -> None:
    types = onto.plover_types()
    assert set(types) == PLOVER_16
    quads = {name: t.quad_class for name, t in types.items()}
    assert {n for n, q in quads.items() if q == 1} == {"AGREE", "CONSULT", "SUPPORT", "CONCEDE"}
    assert {n for n, q in quads.items() if q == 2} == {"COOPERATE", "AID", "RETREAT"}
    assert {n for n, q in quads.items() if q == 3} == {"REQUEST", "ACCUSE", "REJECT",
                                                       "THREATEN"}  # fmt: skip
    for ptype in types.values():
        assert ptype.description and len(ptype.description) < 120
        assert -10 <= ptype.score <= 10
        assert (ptype.score >= 0) if ptype.quad_class <= 2 else (ptype.score <= 0)
        assert len(set(ptype.modes)) == len(ptype.modes)


def test_plover_modes_and_scores() -> None:
    types = onto.plover_types()
    assert types["AGREE"].modes == ()
    assert set(types["CONSULT"].modes) == {"visit", "third-party", "multilateral", "phone"}
    assert {"beat", "firearms", "explosives", "aerial", "drone", "unconventional"} <= set(
        types["ASSAULT"].modes
    )
    assert types["REQUEST"].modes == types["REJECT"].modes
    assert onto.plover_score("ASSAULT") == -9.0
    assert onto.plover_score("ASSAULT", "unconventional") == -10.0
    assert onto.plover_score("PROTEST", "vandalize") == -5.0  # no mode score: type's score
    assert onto.plover_score("AID") == 10.0
    with pytest.raises(KeyError):
        onto.plover_score("FIGHT")


def test_plover_contexts() -> None:
    contexts = onto.plover_contexts()
    assert len(contexts) == len(set(contexts)) == 37
    assert {"military", "economic", "diplomatic", "legal", "cbrn", "pro_democracy"} <= set(
        contexts
    )


# --- CAMEO -> PLOVER mapping ---------------------------------------------------------


def test_every_code_maps_or_is_documented_unmapped() -> None:
    unmapped = {c for c, e in onto.cameo_codes().items() if e.plover is None}
    assert unmapped == UNMAPPED
    assert {c[:2] for c in UNMAPPED} == set(onto.UNMAPPED_ROOTS)
    for code in UNMAPPED:
        assert onto.cameo_to_plover(code) is None


def test_mappings_are_valid() -> None:
    types = onto.plover_types()
    contexts = set(onto.plover_contexts())
    for code, entry in onto.cameo_codes().items():
        m = entry.plover
        if m is None:
            continue
        assert m.type in PLOVER_16, code
        assert m.mode is None or m.mode in types[m.type].modes, code
        assert set(m.context) <= contexts, code


@pytest.mark.parametrize(
    ("code", "ptype", "mode"),
    [("190", "ASSAULT", None), ("163", "SANCTION", "discontinue"), ("0334", "AGREE", None),
     ("138", "THREATEN", "violence"), ("111", "ACCUSE", "disapprove"), ("09", "ACCUSE", None),
     ("091", "ACCUSE", "investigate"), ("041", "CONSULT", "phone"), ("05", "SUPPORT", None),
     ("08", "CONCEDE", None), ("0813", "CONCEDE", None), ("0841", "RETREAT", "release"),
     ("1724", "COERCE", "martial-law"), ("195", "ASSAULT", "aerial"),
     ("186", "ASSAULT", "targeted"), ("1712", "ASSAULT", "destroy"),
     ("191", "COERCE", "restrict"), ("154", "MOBILIZE", "troops"), ("1411", "PROTEST", "demo"),
     ("2042", "ASSAULT", "unconventional"),
     ("106", "REQUEST", "meet"), ("1246", "REJECT", "yield")],
)  # fmt: skip
def test_mapping_facts(code: str, ptype: str, mode: str | None) -> None:
    m = onto.cameo_to_plover(code)
    assert m is not None and (m.type, m.mode) == (ptype, mode)


def test_mapping_contexts() -> None:
    assert onto.cameo_to_plover("1124").context == ("military", "legal")
    assert onto.cameo_to_plover("0811").context == ("pro_democracy",)
    assert onto.cameo_to_plover("073").context == ("human_security",)
    assert onto.cameo_to_plover("181").context == ()


# --- malformed data files ------------------------------------------------------------

CAMEO_OK = "code\tname\tgoldstein\tquad_class\n01\tMake public statement\t0.0\t1\n"


@pytest.mark.parametrize(
    ("line", "problem"),
    [("010\tMake statement\tzero\t1", "not a number"),
     ("010\tMake statement\t0.0", "expected 4"),
     ("010\tMake statement\t12.0\t1", "outside"),
     ("010\tMake statement\t0.0\t3", "quad class"),
     ("01\tAgain\t0.0\t1", "duplicate"),
     ("0101\tOrphan\t0.0\t1", "no parent"),
     ("21\tNot CAMEO\t0.0\t4", "bad CAMEO code")],
)  # fmt: skip
def test_parse_cameo_rejects_bad_line(line: str, problem: str) -> None:
    with pytest.raises(KnowledgeBaseError, match=rf"cameo\.tsv:3: .*{problem}"):
        _tables.parse_cameo(CAMEO_OK + line + "\n", "cameo.tsv")


def test_parse_cameo_rejects_bad_header() -> None:
    with pytest.raises(KnowledgeBaseError, match=r"x\.tsv:2: expected header"):
        _tables.parse_cameo("# comment\ncode\tname\n", "x.tsv")


def test_parse_mapping_rejects_bad_rows() -> None:
    codes = _tables.parse_cameo(CAMEO_OK + "010\tMake statement\t0.0\t1\n")
    types, contexts = _tables.parse_plover(onto._read(onto.PLOVER_FILE))
    head = "cameo\tplover_type\tmode\tcontext\n01\t\t\t\n"
    for row, problem in [
        ("010\tFIGHT\t\t", "unknown PLOVER type"),
        ("010\tASSAULT\tswords\t", "not a mode of ASSAULT"),
        ("010\tASSAULT\t\tweather", "unknown PLOVER context"),
        ("999\tASSAULT\t\t", "not a code in cameo.tsv"),
        ("010\t\tbeat\t", "without a PLOVER type"),
    ]:
        with pytest.raises(KnowledgeBaseError, match=rf"m\.tsv:3: .*{problem}"):
            _tables.parse_mapping(head + row + "\n", "m.tsv", codes, types, contexts)
    with pytest.raises(KnowledgeBaseError, match="no row for CAMEO code"):
        _tables.parse_mapping(head, "m.tsv", codes, types, contexts)


def test_parse_plover_rejects_bad_toml() -> None:
    with pytest.raises(KnowledgeBaseError, match=r"p\.toml: .*line 2"):
        _tables.parse_plover('contexts = ["a"]\n[types.X\n', "p.toml")
    bad_type = 'contexts = ["a"]\n\n[types.X]\nquad_class = 5\nscore = 0\nmodes = []\n' \
               'description = "x"\n'  # fmt: skip
    with pytest.raises(KnowledgeBaseError, match=r"p\.toml:3: \[types\.X\]"):
        _tables.parse_plover(bad_type, "p.toml")
    with pytest.raises(KnowledgeBaseError, match="needs 'description'"):
        _tables.parse_plover('contexts = []\n[types.X]\nquad_class = 1\nscore = 0\n'
                             'modes = []\n', "p.toml")  # fmt: skip


def test_loader_reports_malformed_packaged_file(monkeypatch, fresh_cache) -> None:
    real_read = onto._read

    def fake_read(name: str) -> str:
        if name == onto.CAMEO_FILE:
            return real_read(name).replace("\t-7.0\t3", "\tseven\t3", 1)
        return real_read(name)

    monkeypatch.setattr(onto, "_read", fake_read)
    with pytest.raises(KnowledgeBaseError, match=r"cameo\.tsv:\d+: .*'seven'"):
        onto.cameo_codes()


def test_packaged_files_are_read_once(monkeypatch, fresh_cache) -> None:
    calls: list[str] = []
    real_read = onto._read
    monkeypatch.setattr(onto, "_read", lambda name: calls.append(name) or real_read(name))
    onto.cameo("190")
    onto.plover_types()
    onto.children("19")
    assert sorted(calls) == sorted([onto.CAMEO_FILE, onto.PLOVER_FILE, onto.MAPPING_FILE])


# --- drift against the reference files (developer machines only) ---------------------
