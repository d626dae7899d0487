"""Find events in a parsed sentence: trigger, pattern, source and target actors.

A trigger is a verb or noun whose lemma is in the predicate lexicon. The most specific
pattern whose constraints hold codes it. Arguments come from the dependency parse:

- verbs: subject (or the ``by`` agent of a passive) is the source; direct object, a dative,
  the passive subject, or the object of a pattern preposition is the target; a verb without
  a subject inherits it from the verb it hangs from (xcomp, conj, advcl: "vowed to attack",
  "broke the deal by annexing"), with object control for appeals ("urged X to ...");
- nouns: the possessor, a country adjective or compound, or a ``by`` phrase is the source,
  the object of a pattern preposition the target; a noun that is the object of a light verb
  ("launched an attack on") takes the verb's subject as source;
- coordination gives one event per (source, target) pair.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from redline import ontology
from redline.article import Actor
from redline.events.lexicon import Lexicon, Pattern
from redline.events.modality import speech_verbs
from redline.knowledge import load_table
from redline.provenance import Found, Via, ViaStep

_OBJ_DEPS = frozenset({"dobj", "obj", "attr", "oprd"})
_SUBJ_DEPS = frozenset({"nsubj", "csubj"})
#: Prepositions that may introduce a target when the pattern names none that matched.
_TARGET_PREPS = ("to", "with", "against", "on", "from", "for", "toward", "towards", "at")
#: Dependencies followed when looking for a target inside the trigger's complements.
_DEEP_DEPS = frozenset({"dobj", "obj", "xcomp", "ccomp", "prep", "pobj", "dative", "attr",
                        "oprd", "compound", "amod", "poss", "nmod", "pcomp", "acomp"})
#: Prepositions whose event-noun object is an act of the clause's subject ("after talks
#: with", "during a visit to"); "in" only before a bare noun ("in protest against", "in
#: retaliation for"; not "killed in an attack", "in the negotiations on").
_ADJUNCT_PREPS = frozenset({"after", "following", "during", "upon", "before"})
_INHERIT_DEPS = frozenset({"xcomp", "conj", "advcl", "pcomp", "acl", "ccomp", "relcl", "acomp"})


@dataclass(slots=True)
class Candidate:
    """One coded predicate in one sentence, before modality and output."""

    trigger: Any  # spaCy Token
    pattern: Pattern
    sources: list[Actor]
    targets: list[Actor]
    source_tokens: list[Any]
    target_tokens: list[Any]
    via: Via


@cache
def _light_verbs() -> frozenset[str]:
    """Verbs that hand their subject to an event noun object (``light_verbs.tsv``)."""
    return frozenset(r["lemma"] for _, r in load_table("redline.events", "light_verbs.tsv"))


@cache
def noun_classes() -> dict[str, frozenset[str]]:
    """Lemmas by class from ``noun_classes.tsv``: ``container``, ``force_act``."""
    out: dict[str, set[str]] = {}
    for _, r in load_table("redline.events", "noun_classes.tsv"):
        out.setdefault(r["class"], set()).add(r["lemma"])
    return {k: frozenset(v) for k, v in out.items()}


class SentenceCoder:
    """Applies the lexicon to one parsed sentence, with a token -> actor map."""

    def __init__(self, lexicon: Lexicon, actor_at: dict[int, Actor],
                 place_at: dict[int, Actor] | None = None,
                 country_names: frozenset[int] = frozenset()) -> None:
        self.lexicon = lexicon
        self.actor_at = actor_at
        self.place_at = place_at or {}
        self.country_names = country_names  # tokens of places that name a country as such
        self.light_verbs = _light_verbs()
        classes = noun_classes()
        self.containers = classes.get("container", frozenset())
        self.force_acts = classes.get("force_act", frozenset())
        self.controllers = classes.get("object_control", frozenset())
        self.speech = speech_verbs() | {"point"}  # "pointing out that ..."

    def code(self, sent: Any) -> Iterator[Candidate]:
        for tok in sent:
            if tok.pos_ in ("VERB", "AUX") or (tok.pos_ == "NOUN" and tok.dep_ != "compound"):
                pos = "V" if tok.pos_ in ("VERB", "AUX") else "N"
                if pos == "V" and tok.pos_ == "AUX" and tok.dep_ != "ROOT":
                    continue
                pats = self.lexicon.candidates(pos, tok.lemma_.lower())
                if not pats and pos == "V" and tok.tag_ == "VBG":
                    pats = self.lexicon.candidates("N", tok.lemma_.lower())
                pattern = self._choose(tok, pats)
                if pattern is None:
                    continue
                cand = self._arguments(tok, pattern, pos)
                if cand is not None and (cand.sources or cand.targets):
                    yield cand

    def candidate(self, tok: Any, pattern: Pattern) -> Candidate | None:
        """Arguments of ``tok`` read as ``pattern`` (a pattern the caller chose, such as the
        learned model's proposal for a verb no lexicon pattern matched)."""
        return self._arguments(tok, pattern, "V" if tok.pos_ in ("VERB", "AUX") else "N")

    # -- choosing a pattern --------------------------------------------------------------
    def _choose(self, tok: Any, pats: tuple[Pattern, ...]) -> Pattern | None:
        for p in pats:  # most specific first
            if p.particle and not any(c.dep_ == "prt" and c.lower_ == p.particle
                                      for c in tok.children):
                continue
            if p.objects and not (self._object_lemmas(tok) & p.objects):
                continue
            if p.complements and not (self._complement_lemmas(tok) & p.complements):
                continue
            if p.modifiers and not ({c.lemma_.lower() for c in tok.children
                                     if c.dep_ in ("compound", "amod", "nmod")} & p.modifiers):
                continue
            if p.governs and not any(c.dep_ in ("prep", "prt", "dative")
                                     and c.lower_ in p.governs for c in tok.children):
                continue
            if not p.particle and any(c.dep_ == "prt" for c in tok.children) and pats and any(
                    q.particle for q in pats):
                continue
            return p
        return None

    def _object_lemmas(self, tok: Any) -> set[str]:
        out: set[str] = set()
        for c in tok.children:
            if c.dep_ in _OBJ_DEPS | {"nsubjpass", "dative"}:
                out.add(c.lemma_.lower())
                for x in c.children:
                    if x.dep_ in ("compound", "amod"):
                        out.add(x.lemma_.lower())
                    elif x.dep_ == "prep":  # "accused Russia of war crimes", "as provocative"
                        out.update(y.lemma_.lower() for y in x.children)
                        out.update(y.lemma_.lower() for y in x.children if y.dep_ == "pobj"
                                   for y in y.children if y.dep_ in ("compound", "amod"))
            elif c.dep_ in ("prep", "prt", "agent"):  # "pulled out of the deal"
                for x in c.children:
                    if x.dep_ == "pobj":
                        out.add(x.lemma_.lower())
                        out.update(y.lemma_.lower() for y in x.children
                                   if y.dep_ in ("compound", "amod"))
                    elif x.dep_ == "prep":
                        out.update(y.lemma_.lower() for y in x.children if y.dep_ == "pobj")
            elif c.dep_ in ("xcomp", "ccomp"):
                out.add(c.lemma_.lower())
                out.update(x.lemma_.lower() for x in c.children if x.dep_ in _OBJ_DEPS)
                for p in c.children:
                    if p.dep_ == "prep":
                        out.update(x.lemma_.lower() for x in p.children if x.dep_ == "pobj")
        return out

    def _complement_lemmas(self, tok: Any) -> set[str]:
        out = set()
        for c in tok.children:
            if c.dep_ in ("xcomp", "ccomp", "advcl", "npadvmod"):  # npadvmod: "test-fired"
                out.add(c.lemma_.lower())
                out.update(x.lemma_.lower() for x in c.children if x.dep_ == "conj")
        return out

    # -- arguments -----------------------------------------------------------------------
    # ``preps`` below: the prepositions after which a place is a target, for the pattern
    # being read (:meth:`_place_preps`); every method that asks for an actor takes them.

    @staticmethod
    def _place_preps(pattern: Pattern) -> tuple[str, ...]:
        """Prepositions after which a place is a target under ``pattern``: one of address or
        one the pattern names ("sought asylum in Germany"; but not "met in Brussels"), and
        for an act that falls on a territory, where it happens ("shelling in Kharkiv" hits
        Ukraine)."""
        preps = pattern.preps
        if ontology.root_has(pattern.cameo, "place_taking"):
            preps += ("in", "near", "at", "across", "inside")
        return preps

    def _actors(self, tok: Any | None, preps: tuple[str, ...]) -> tuple[list[Actor], list[Any]]:
        """Actors named by a token and its coordinated siblings."""
        if tok is None:
            return [], []
        out: list[Actor] = []
        toks: list[Any] = []
        for t in [tok, *[c for c in tok.conjuncts]]:
            a = self._actor_in(t, preps)
            if a is not None and all(a is not x for x in out):
                out.append(a)
                toks.append(t)
        return out, toks

    def _with_actor(self, toks: list[Any], preps: tuple[str, ...]) -> list[Any]:
        """The tokens that name an actor."""
        return [t for t in toks if self._actor_in(t, preps) is not None]

    def _actor_in(self, tok: Any, preps: tuple[str, ...]) -> Actor | None:
        a = self.actor_at.get(tok.i)
        if a is not None:
            return a
        # "the invasion of Ukraine" as an argument: the actor inside the phrase
        for c in tok.children:
            if c.dep_ in ("poss", "compound", "amod") and c.i in self.actor_at \
                    and c.pos_ != "PRON":
                return self.actor_at[c.i]
        for c in tok.children:
            # "the invasion of Ukraine", "a camp for Congolese refugees"
            if c.dep_ == "prep" and c.lower_ in ("of", "by", "for"):
                for x in c.children:
                    if x.dep_ == "pobj" and x.i in self.actor_at:
                        return self.actor_at[x.i]
        for c in tok.children:
            # "a US offer", "Russia sanctions": a country name (not a city) modifying a noun
            place = self.place_at.get(c.i)
            if c.dep_ == "compound" and place is not None and c.i in self.country_names:
                return place
        if (tok.dep_ == "pobj" and (tok.head.lower_ in _TARGET_PREPS + ("into",)
                                    or tok.head.lower_ in preps)) or \
                tok.dep_ in ("dobj", "obj"):  # "annexed Crimea", "shelled Kharkiv"
            place = self.place_at.get(tok.i)
            if place is None:  # "in Montenegro province"
                place = next((self.place_at[c.i] for c in tok.children
                              if c.dep_ == "compound" and c.i in self.place_at), None)
            return place
        return None

    def _subject(self, verb: Any, preps: tuple[str, ...], depth: int = 0) -> Any | None:
        own = self._own_subject(verb, preps, depth)
        if own is not None or depth >= 3 or verb.head.i == verb.i:
            return own
        head = verb.head
        controller = self._controller(verb, preps)
        if controller is not None:
            return controller
        if verb.dep_ == "relcl":
            return self._antecedent(head, preps, depth)
        if verb.dep_ == "acl" and head.pos_ in ("NOUN", "PROPN") and verb.tag_ != "VBN":
            # "troops carrying ...": the noun acts; "issued a declaration demanding ...",
            # "began a hunger strike to protest ...": whoever issued or began it (but "rejected
            # an offer to host ...": not the one who rejected it)
            if self._actor_in(head, preps) is not None:
                return head
            if head.dep_ in ("dobj", "obj") and head.head.lemma_.lower() in self.light_verbs:
                return self._subject(head.head, preps, depth + 1)
        if verb.dep_ in _INHERIT_DEPS or head.pos_ == "ADP":
            while head.pos_ == "ADP" and head.head.i != head.i:
                head = head.head
            return self._subject(head, preps, depth + 1)
        return None

    def _own_subject(self, verb: Any, preps: tuple[str, ...], depth: int) -> Any | None:
        """The verb's own subject, a relative pronoun's antecedent, or a passive's agent."""
        for c in verb.children:
            if c.dep_ in _SUBJ_DEPS:
                if c.tag_ in ("WDT", "WP") and verb.dep_ == "relcl":
                    return self._antecedent(verb.head, preps, depth)
                return c
            if c.dep_ == "agent":
                for x in c.children:
                    if x.dep_ == "pobj":
                        return x
        return None

    def _controller(self, verb: Any, preps: tuple[str, ...]) -> Any | None:
        """Object control: "urged its allies to commit" -> the allies commit; an object that
        is no actor is controlled by nobody ("mobilized pressure groups to help"), but
        "trained militias to fight X": the militias fight, whoever they are."""
        head = verb.head
        controls = head.lemma_.lower() in self.controllers
        purpose = verb.dep_ == "advcl" and controls and any(
            a.dep_ == "aux" and a.lower_ == "to" for a in verb.children)
        if verb.dep_ != "xcomp" and not purpose:
            return None
        for c in head.children:
            if c.dep_ in ("dobj", "obj") and (c.pos_ == "PRON" or controls
                                              or self._actor_in(c, preps) is not None):
                return c
        return None

    def _antecedent(self, noun: Any, preps: tuple[str, ...], depth: int) -> Any:
        """Who acts in a relative clause on ``noun``: the noun, or for an event noun carried
        by a light verb its doer ("organized a general strike that shut down the capital")."""
        if self._actor_in(noun, preps) is None and noun.dep_ in ("dobj", "obj") \
                and noun.head.lemma_.lower() in self.light_verbs and depth < 3:
            return self._subject(noun.head, preps, depth + 1) or noun
        return noun

    def _prep_objects(self, tok: Any, preps: tuple[str, ...]) -> list[Any]:
        out = []
        for c in tok.children:
            if c.dep_ in ("prep", "dative") and c.lower_ in preps:
                out.extend(x for x in c.children if x.dep_ == "pobj"
                           and x.ent_type_ not in ("DATE", "TIME"))
        return out

    def _arguments(self, tok: Any, pattern: Pattern, pos: str) -> Candidate | None:
        preps = self._place_preps(pattern)
        if pos == "V" and tok.pos_ in ("VERB", "AUX"):
            src_tok, tgt_toks, via = self._verb_arguments(tok, pattern, preps)
        else:
            src_tok, tgt_toks, via = self._noun_arguments(tok, pattern, preps)
        if ontology.root_has(pattern.cameo, "threat") and not self._with_actor(tgt_toks, preps):
            # "threatened to ... unless Baghdad accepted": the one who must comply
            cond = self._condition_subject(tok, preps)
            if cond is not None:
                tgt_toks, via = [cond], via.plus(ViaStep.CONDITION)
        own: set[str | None] = set()
        if ontology.root_has(pattern.cameo, "own_forces"):  # "mobilized army reservists"
            src_actor = self._actor_in(src_tok, preps) if src_tok is not None else None
            own = {None, src_actor.party if src_actor is not None else None}
            tgt_toks = [t for t in tgt_toks if (a := self._actor_in(t, preps)) is not None
                        and a.party not in own]
        if not self._with_actor(tgt_toks, preps):
            carrier = tok.head if via == Via(Found.LIGHT_VERB) else tok
            deep = self._deep_target(carrier, src_tok, preps, own)
            if deep is not None:
                tgt_toks, via = [deep], via.plus(ViaStep.DEEP_TARGET)
        sources, s_toks = self._sources(src_tok, pattern, preps)
        targets, t_toks = self._targets(tgt_toks, sources, own, preps)
        return Candidate(tok, pattern, sources, targets, s_toks, t_toks, via)

    def _verb_arguments(self, tok: Any, pattern: Pattern, preps: tuple[str, ...]
                        ) -> tuple[Any | None, list[Any], Via]:
        """Source token, target tokens and how, for a verb: its subject (a passive's agent)
        and its objects, then the fallbacks of :meth:`_verb_targets`."""
        passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in tok.children)
        src_tok = self._subject(tok, preps)
        if pattern.undergoer and not passive:  # "three soldiers died": they suffered it
            src_tok = None
            tgt_toks = [c for c in tok.children if c.dep_ == "nsubj"]
        elif passive:
            by = [x for c in tok.children if c.dep_ == "agent" for x in c.children
                  if x.dep_ == "pobj"]
            src_tok = by[0] if by else None
            tgt_toks = [c for c in tok.children if c.dep_ == "nsubjpass"]
        else:
            tgt_toks = [c for c in tok.children if c.dep_ in ("dobj", "obj", "dative")]
            if tok.dep_ == "relcl":  # "the soldiers whom they had kidnapped"
                tgt_toks = [tok.head if c.tag_ in ("WP", "WDT") else c for c in tgt_toks]
        return src_tok, self._verb_targets(tok, pattern, tgt_toks, preps), Via(Found.VERB)

    def _verb_targets(self, tok: Any, pattern: Pattern, tgt_toks: list[Any],
                      preps: tuple[str, ...]) -> list[Any]:
        """A verb's targets: the objects of the pattern's prepositions and its own objects,
        else the complement's object, else the addressee of a demand, else any actor after
        a preposition of address."""
        if pattern.preps:
            tgt_toks = self._prep_objects(tok, pattern.preps) + tgt_toks
            for o in [c for c in tok.children if c.dep_ in ("dobj", "obj")]:
                tgt_toks = self._prep_objects(o, pattern.preps) + tgt_toks
        tgt_toks = self._with_actor(tgt_toks, preps)
        if not tgt_toks:  # "threatened to strike Israel": the complement's object
            for x in (c for c in tok.children if c.dep_ == "xcomp"):
                tgt_toks = [c for c in x.children if c.dep_ in ("dobj", "obj", "dative")]
                tgt_toks += self._prep_objects(x, _TARGET_PREPS)
        tgt_toks = self._with_actor(tgt_toks, preps)
        if not tgt_toks:  # "demanded that Washington withdraw": the addressee
            tgt_toks = [x for c in tok.children if c.dep_ == "ccomp"
                        for x in c.children if x.dep_ in ("nsubj", "nsubjpass")]
            # "expressed scepticism, pointing out that Russia had violated ..."
            tgt_toks += [x for c in tok.children if c.dep_ == "advcl"
                         and ontology.root_has(pattern.cameo, "speech_addressee")
                         and c.tag_ == "VBG" and c.lemma_.lower() in self.speech
                         for cc in c.children if cc.dep_ == "ccomp"
                         for x in cc.children if x.dep_ in ("nsubj", "nsubjpass")]
        tgt_toks = self._with_actor(tgt_toks, preps)
        if not tgt_toks:  # any actor introduced by a preposition of address
            tgt_toks = self._prep_objects(tok, _TARGET_PREPS)
            for o in [c for c in tok.children if c.dep_ in ("dobj", "obj")]:
                tgt_toks += self._prep_objects(o, _TARGET_PREPS)
        return tgt_toks

    def _noun_arguments(self, tok: Any, pattern: Pattern, preps: tuple[str, ...]
                        ) -> tuple[Any | None, list[Any], Via]:
        """Source token, target tokens and how, for an event noun (see the module doc)."""
        src_tok = self._nominal_source(tok, preps)
        tgt_toks = self._prep_objects(tok, pattern.preps) if pattern.preps else []
        if not tgt_toks and (tok.dep_ in ("attr", "oprd") or (
                tok.dep_ == "pobj" and tok.head.lower_ == "as")):
            # "troops would be targets", "regarded as targets": the subject is meant
            verb = tok.head if tok.dep_ != "pobj" else tok.head.head
            tgt_toks = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
        if not tgt_toks and tok.dep_ == "conj" and pattern.preps:
            # "condemnation and sanctions against Russia": the shared phrase
            tgt_toks = self._prep_objects(tok.head, pattern.preps)
        if not self._with_actor(tgt_toks, preps):
            tgt_toks = self._prep_objects(tok, _TARGET_PREPS)
        if not self._with_actor(tgt_toks, preps) \
                and ontology.root_has(pattern.cameo, "clause_addressee"):
            tgt_toks = self._clause_addressee(tok, preps)[:1] or tgt_toks
        head = tok.head
        if tok.dep_ in ("dobj", "obj") and head.lemma_.lower() in self.light_verbs:
            # "launched an attack on": the light verb's subject does it
            if src_tok is None:
                src_tok = self._subject(head, preps)
            if not tgt_toks and pattern.preps:
                tgt_toks = self._prep_objects(head, pattern.preps)
            if not tgt_toks:
                tgt_toks = [c for c in head.children if c.dep_ == "dative"]
            return src_tok, tgt_toks, Via(Found.LIGHT_VERB)
        return src_tok, tgt_toks, Via(Found.NOUN)

    def _clause_addressee(self, tok: Any, preps: tuple[str, ...]) -> list[Any]:
        """"its demand that Israel ease restrictions" (the clause may hang from the noun or,
        as parsed, from the verb that carries it): who must do it."""
        clauses = [c for c in tok.children if c.dep_ in ("acl", "ccomp")]
        if tok.dep_ in ("dobj", "obj"):
            clauses += [c for c in tok.head.children if c.dep_ == "ccomp" and c.i > tok.i]
        return [x for c in clauses for x in c.children
                if x.dep_ in ("nsubj", "nsubjpass") and x.pos_ != "PRON"
                and self._actor_in(x, preps) is not None]

    def _sources(self, src_tok: Any | None, pattern: Pattern, preps: tuple[str, ...]
                 ) -> tuple[list[Actor], list[Any]]:
        """The actors of the source token; for force by nobody named ("a roadside bombing
        near Samarra killed ..."), as ICEWS codes unidentified attackers, the country where
        it happened."""
        force = ontology.root_has(pattern.cameo, "force")
        if src_tok is not None and force and self._actor_in(src_tok, preps) is None \
                and src_tok.lemma_.lower() in self.force_acts:
            where = [x for c in src_tok.children if c.dep_ == "prep"
                     and c.lower_ in ("in", "near", "at", "outside")
                     for x in c.children if x.dep_ == "pobj"]
            where += [y for x in where for p in x.children if p.dep_ == "prep"
                      and p.lower_ == "of" for y in p.children if y.dep_ == "pobj"]
            src_tok = next((x for x in where if x.i in self.place_at), src_tok)
        sources, s_toks = self._actors(src_tok, preps)
        if not sources and src_tok is not None and src_tok.i in self.place_at and force:
            sources, s_toks = [self.place_at[src_tok.i]], [src_tok]
        return sources, s_toks

    def _targets(self, tgt_toks: list[Any], sources: list[Actor], own: set[str | None],
                 preps: tuple[str, ...]) -> tuple[list[Actor], list[Any]]:
        """The actors of the first target token that names any: never a source, nor (for
        a force posture) the source's own side."""
        targets: list[Actor] = []
        t_toks: list[Any] = []
        for t in tgt_toks:
            acts, toks = self._actors(t, preps)
            for a, at in zip(acts, toks, strict=True):
                if own and a.party in own:
                    continue
                if all(a is not x for x in targets) and all(a is not s for s in sources):
                    targets.append(a)
                    t_toks.append(at)
            if targets:
                break
        return targets, t_toks

    def _condition_subject(self, tok: Any, preps: tuple[str, ...]) -> Any | None:
        """The actor subject of the nearest "if" or "unless" clause inside a threat: under
        the threat verb, its complement, or (misattached) deeper in the threatened act."""
        frontier = [tok]
        for _ in range(4):
            nxt = []
            for verb in frontier:
                for c in verb.children:
                    if c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in ("if", "unless")
                                                 for m in c.children):
                        for x in c.children:
                            if x.dep_ in ("nsubj", "nsubjpass") and x.pos_ != "PRON" \
                                    and self._actor_in(x, preps) is not None:
                                return x
                    elif c.dep_ in ("xcomp", "ccomp", "dobj", "acl", "advcl", "relcl"):
                        nxt.append(c)
            frontier = nxt
        return None

    def _deep_target(self, tok: Any, exclude: Any | None, preps: tuple[str, ...],
                     own: set[str | None] | frozenset[str | None] = frozenset()
                     ) -> Any | None:
        """The nearest actor inside the trigger's complements ("cut ties with Russia")."""
        def follow(t: Any) -> list[Any]:
            # "according to X" names the reporter, not the target
            return [c for c in t.children if c.dep_ in _DEEP_DEPS and c.lower_ != "according"]

        frontier = follow(tok)
        for _ in range(4):
            nxt = []
            for t in frontier:
                mine = exclude is not None and t.i == exclude.i
                a = self._actor_in(t, preps) if not mine and t.pos_ != "PRON" else None
                if a is not None and not (own and a.party in own):
                    return t
                nxt.extend(follow(t))
            frontier = nxt
        return None

    def _nominal_source(self, noun: Any, preps: tuple[str, ...]) -> Any | None:
        if noun.dep_ == "pobj" and noun.head.lower_ == "of" \
                and noun.head.head.lemma_.lower() in self.containers:
            # "began a new round of joint exercises": the round's source is the event's
            container = noun.head.head
            if container.dep_ in ("dobj", "obj") and \
                    container.head.lemma_.lower() in self.light_verbs:
                return self._subject(container.head, preps)
            return self._nominal_source(container, preps)
        for c in noun.children:
            if c.dep_ == "poss":
                if c.pos_ == "PRON":
                    # "its invasion": the subject of the clause the noun sits in
                    head = noun.head
                    while head.pos_ not in ("VERB", "AUX") and head.head.i != head.i:
                        head = head.head
                    return self._subject(head, preps) if head.pos_ in ("VERB", "AUX") else None
                return c
        for c in noun.children:
            if c.dep_ in ("amod", "compound", "nmod") and c.i in self.actor_at:
                return c
        for c in noun.children:
            if c.dep_ == "prep" and c.lower_ == "by":
                for x in c.children:
                    if x.dep_ == "pobj":
                        return x
        prep = noun.head
        bare = noun.tag_ == "NN" and not any(c.dep_ in ("det", "amod", "compound", "nummod")
                                             for c in noun.children)
        if noun.dep_ == "pobj" and prep.dep_ == "prep" and prep.head.pos_ in ("VERB", "AUX") \
                and (prep.lower_ in _ADJUNCT_PREPS or (prep.lower_ == "in" and bare)):
            # "staged a strike in protest against ...", "retook the town after fighting with
            # ...": the event is the clause subject's own
            return self._subject(prep.head, preps)
        return None
