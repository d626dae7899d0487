"""Developer tool: regenerate ``data/cameo.tsv`` and ``data/cameo_plover.tsv``.

Not imported by redline at run time. Run it against the reference files
(``CAMEO.eventcodes.txt``, ``CAMEO.goldsteinscale.txt``, ``CAMEO2PLOVER-2021.txt``)::

    python -m redline.ontology._build /path/to/reference/dir

Every correction applied to the references is listed in the tables below, so the
generated files can be audited against their sources. ``data/plover.toml`` is written
by hand from the PLOVER manual and is only read here, to check the mapping against it.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from redline.ontology import UNMAPPED_ROOTS
from redline.ontology._tables import PloverType, parse_plover, root_quad_class

DATA = Path(__file__).parent / "data"

# Typos and encoding damage in CAMEO.eventcodes.txt, and names that contradict their own
# sub-codes there (GDELT's list keeps older CAMEO names for 101 and 105-108); the fixed
# names are CAMEO 1.1's, as also given in CAMEO2PLOVER-2021.txt.
NAME_FIXES = {
    "033": "Express intent to provide material aid, not specified below",
    "0355": "Express intent to allow international involvement (not mediation)",
    "044": "Meet at a 'third' location",
    "101": "Demand material cooperation, not specified below",
    "105": "Demand that target yields, not specified below",
    "106": "Demand meeting, negotiation",
    "107": "Demand settling of dispute",
    "108": "Demand mediation",
    "183": "Conduct suicide, car, or other non-military bombing, not specified below",
    "2041": "Use chemical, biological, or radiological weapons",
}

# Older PLOVER type names (the manual's CAMEO table still says FIGHT for root 20).
TYPE_RENAMES = {"FIGHT": "ASSAULT", "THREAT": "THREATEN", "YIELD": "CONCEDE"}

# Modes the 2021 table uses that the current manual has dropped or renamed.
MODE_RENAMES = {
    ("RETREAT", "ease"): None,  # the table itself notes "ease" is no longer a mode
    ("RETREAT", "return"): None,  # commented out in the manual's RETREAT modes
    ("THREATEN", "ban"): "restrict",  # THREATEN restrict covers banning parties/people
    ("THREATEN", "political"): "restrict",
    ("COERCE", "ban"): "restrict",  # COERCE restrict covers bans from political life
    ("ASSAULT", "assassinate"): "targeted",
    ("ASSAULT", "massacre"): "targeted",  # targeted covers deliberate mass killings
    ("ASSAULT", "cleansing"): None,  # commented out in the manual
}

# Contexts the 2021 table uses that are not in the manual's context list.
CONTEXT_RENAMES = {"democracy": "pro_democracy", "humanitarian": "human_security"}

# Whole-row corrections where the 2021 table disagrees with the manual.
ROW_OVERRIDES = {
    # CAMEO root 16 is SANCTION in the manual; international sanctions are `discontinue`.
    "163": ("SANCTION", "discontinue", ("economic", "diplomatic")),
    # "Employ aerial weapons": the table says heavy-weapons; the manual has an aerial mode.
    "195": ("ASSAULT", "aerial", ("military",)),
    # "Destroy property": the table's mode `seize` is not an ASSAULT mode; `destroy` is.
    "1712": ("ASSAULT", "destroy", ("human_security",)),
    # The table puts the context pro_autocracy in the mode column (and the row twice).
    "175": ("ASSAULT", None, ("repression", "pro_autocracy")),
    # Easing a curfew / state of emergency (under 081) is CONCEDE in the manual; the table
    # moved them to RETREAT with a mode it then dropped.
    "0813": ("CONCEDE", None, ("legal",)),
    "0814": ("CONCEDE", None, ("legal",)),
    # Acceding to a change in leadership is a resignation: the manual's RETREAT `resign`.
    "0831": ("RETREAT", "resign", ("executive",)),
    # Root 08 is listed twice (CONCEDE and RETREAT); follow 080, which is CONCEDE.
    "08": ("CONCEDE", None, ()),
}

def clean_name(code: str, raw: str) -> str:
    """Tidy whitespace, apply NAME_FIXES and sentence-case the all-caps root names."""
    name = NAME_FIXES.get(code) or " ".join(raw.split())
    return name.capitalize() if name.isupper() else name


def read_pairs(path: Path) -> dict[str, str]:
    """Read a two-column tab-separated reference file, skipping its header."""
    rows: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        if line.strip():
            code, value = line.split("\t")
            if code in rows:
                raise SystemExit(f"{path.name}: duplicate code {code}")
            rows[code] = value
    return rows


def read_reference_mapping(path: Path) -> dict[str, tuple[str, str | None, tuple[str, ...]]]:
    """Parse CAMEO2PLOVER-2021.txt into code -> (type, mode, contexts), first row wins."""
    out: dict[str, tuple[str, str | None, tuple[str, ...]]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        body = line.split("#", 1)[0].strip()
        match = re.fullmatch(r"(\d{2,4}):\s*(.*)", body)
        if not match:
            continue
        code, rest = match.groups()
        parts = [p.strip() for p in rest.split(",")] + ["", ""]
        ptype = TYPE_RENAMES.get(parts[0], parts[0])
        mode = parts[1] or None
        contexts = tuple(c.strip() for c in parts[2].split(";") if c.strip())
        out.setdefault(code, (ptype, mode, contexts))
    return out


def normalise(
    code: str,
    row: tuple[str, str | None, tuple[str, ...]],
    types: dict[str, PloverType],
    known_contexts: tuple[str, ...],
) -> tuple[str, str | None, tuple[str, ...]]:
    """Bring one reference row in line with the current manual (plover.toml)."""
    if code in ROW_OVERRIDES:
        ptype, mode, contexts = ROW_OVERRIDES[code]
    else:
        ptype, mode, contexts = row
        mode = MODE_RENAMES.get((ptype, mode), mode)
        contexts = tuple(dict.fromkeys(CONTEXT_RENAMES.get(c, c) for c in contexts))
    if ptype not in types:
        raise SystemExit(f"{code}: unknown PLOVER type {ptype}")
    if mode is not None and mode not in types[ptype].modes:
        raise SystemExit(f"{code}: mode {mode!r} is not a {ptype} mode")
    for context in contexts:
        if context not in known_contexts:
            raise SystemExit(f"{code}: unknown context {context!r}")
    return ptype, mode, contexts


MAPPING_HEADER = """\
# CAMEO code -> PLOVER event type, mode and context(s) (';'-separated).
# Generated by redline/ontology/_build.py from CAMEO2PLOVER-2021.txt (Schrodt, PLOVER
# draft 0.8) and normalised to the current PLOVER manual:
#   modes: RETREAT ease/return -> none; THREATEN ban/political -> restrict;
#          COERCE ban -> restrict; ASSAULT assassinate/massacre -> targeted;
#          ASSAULT cleansing -> none; 195 heavy-weapons -> aerial; 1712 -> ASSAULT destroy
#   contexts: democracy -> pro_democracy; humanitarian -> human_security
#   types: 163 COERCE -> SANCTION discontinue (root 16 is SANCTION); 0813, 0814
#          RETREAT -> CONCEDE (easing curfews/emergency rule is CONCEDE); 175 mode
#          pro_autocracy moved to context; root 08 -> CONCEDE (as 080); old name
#          FIGHT -> ASSAULT
#   1213 and 1214 (not CAMEO codes in the code list) are dropped.
# Root 01 (statements) is dropped by PLOVER: empty plover_type. Root 02 (appeals), which
# the 2021 table also drops, is mapped by redline like its parallel demand code in root 10
# (02X -> 10X): PLOVER's REQUEST covers all requests, demands and orders."""



CAMEO_HEADER = """\
# CAMEO event codes: name, Goldstein score, GDELT quad class (by root: 01-05 -> 1,
# 06-09 -> 2, 10-14 -> 3, 15-20 -> 4). Generated by redline/ontology/_build.py from
# CAMEO.eventcodes.txt and CAMEO.goldsteinscale.txt. Names: whitespace tidied, roots
# sentence-cased, typos fixed (033, 0355, 044, 183, 2041), and 101, 105-108 given their
# CAMEO 1.1 names (the code list had older names that contradict their sub-codes)."""


def render(ref: Path) -> dict[str, str]:
    """Contents of cameo.tsv and cameo_plover.tsv built from the references in ``ref``."""
    names = read_pairs(ref / "CAMEO.eventcodes.txt")
    scores = read_pairs(ref / "CAMEO.goldsteinscale.txt")
    for code in sorted(names.keys() ^ scores.keys()):
        print(f"note: {code} is in only one of the CAMEO files", file=sys.stderr)
    for code in [c for c in names if len(c) == 2 and c in scores and c + "0" in scores]:
        if scores[code] != scores[code + "0"]:
            print(f"note: root {code} scores {scores[code]}, {code}0 {scores[code + '0']}",
                  file=sys.stderr)
    codes = sorted(names, key=lambda c: (c.ljust(4, "0"), len(c)))
    cameo_lines = [*CAMEO_HEADER.splitlines(), "code\tname\tgoldstein\tquad_class"]
    for code in codes:
        score = scores.get(code) or scores[code + "0"]  # a root without a score: its X0's
        cameo_lines.append(f"{code}\t{clean_name(code, names[code])}\t{float(score)}"
                           f"\t{root_quad_class(code[:2])}")

    types, known_contexts = parse_plover((DATA / "plover.toml").read_text(encoding="utf-8"))
    reference = read_reference_mapping(ref / "CAMEO2PLOVER-2021.txt")
    for code in sorted(reference.keys() - names.keys()):
        print(f"note: mapping for {code} dropped: not a CAMEO code in the code list",
              file=sys.stderr)
    map_lines = [*MAPPING_HEADER.splitlines(), "cameo\tplover_type\tmode\tcontext"]
    for code in codes:
        if code[:2] in UNMAPPED_ROOTS:
            map_lines.append(f"{code}\t\t\t")
            continue
        row = reference.get(code)
        if code[:2] == "02":  # an appeal is a request: map it like the parallel demand
            row = reference.get("10" + code[2:]) or reference["10"]
        if row is None:  # inherit from the X0 child, else the parent
            row = reference.get(code + "0") or reference[code[:-1]]
            print(f"note: {code} not in the mapping; inherits {row[0]}", file=sys.stderr)
        ptype, mode, contexts = normalise(code, row, types, known_contexts)
        map_lines.append(f"{code}\t{ptype}\t{mode or ''}\t{';'.join(contexts)}")
    return {"cameo.tsv": "\n".join(cameo_lines) + "\n",
            "cameo_plover.tsv": "\n".join(map_lines) + "\n"}


def build(ref: Path) -> None:
    """Write cameo.tsv and cameo_plover.tsv into the package's data folder."""
    for name, text in render(ref).items():
        (DATA / name).write_text(text, encoding="utf-8")


if __name__ == "__main__":  # python -m redline.ontology._build PATH/TO/ontology
    if len(sys.argv) != 2:
        sys.exit("usage: python -m redline.ontology._build REFERENCE_FOLDER")
    build(Path(sys.argv[1]))
