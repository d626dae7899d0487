"""The ``events`` stage: code each sentence's events with CAMEO, PLOVER and modality.

Every event carries the lexicon pattern that produced it (``rule``) and a confidence: the
pattern's own confidence, lowered when an argument is missing or unresolved. There is no
default code: a sentence with no matching predicate yields no event.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from redline import ontology
from redline.article import Actor, Article, Event, EventContent, Plover
from redline.events.coder import Candidate, SentenceCoder, noun_classes
from redline.events.learned import (
    TypeGate,
    fill_roles,
    load_role_model,
    load_type_model,
)
from redline.events.lexicon import load_lexicon
from redline.events.modality import has_unless, read_modality, reporter_actor, speech_verbs
from redline.events.reframe import reframe
from redline.pipeline import stage
from redline.provenance import (
    ActorRule,
    EventRule,
    Found,
    Resolution,
    Turn,
    Via,
    ViaStep,
    resolution,
)
from redline.settings import Settings


def actor_map(article: Article, places: bool = False) -> dict[int, Actor]:
    """Token index -> the actor of the mention that covers it.

    With ``places``, the map is of place mentions instead ("in Baghdad"), each as a country
    actor: a target named by a place ("sought asylum in Germany") is that country
    (:func:`country_name_tokens` tells which of them name the country itself).
    """
    doc = article.doc
    out: dict[int, Actor] = {}
    for m in article.mentions:
        if places:
            if m.place is None:
                continue
            actor = Actor(m.text, m.start, m.end, code=m.place, country=m.place,
                          kind="country", resolved_by=resolution(ActorRule.PLACE),
                          sentence=m.sentence)
        elif m.actor is None:
            continue
        else:
            actor = m.actor
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None:
            continue
        for t in span:
            out[t.i] = actor
    return out


def country_name_tokens(article: Article) -> frozenset[int]:
    """Token indices of the place mentions that name a country as such ("a US offer",
    "Russia sanctions"; not a city)."""
    doc = article.doc
    out: set[int] = set()
    for m in article.mentions:
        if m.place is None or not m.country_name:
            continue
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is not None:
            out.update(t.i for t in span)
    return frozenset(out)


def _confidence(c: Candidate) -> float:
    conf = c.pattern.confidence
    resolved = [a for a in (*c.sources[:1], *c.targets[:1]) if a.country is not None]
    if not c.sources or not c.targets:
        conf *= 0.8
    if not resolved:
        conf *= 0.7
    if c.via.has(ViaStep.DEEP_TARGET):
        conf *= 0.85
    return round(min(conf, 0.99), 3)


#: Governing verbs of appeal: an act they call for is the caller's demand.
APPEAL_CUES = frozenset({"call", "urge", "demand", "appeal", "ask", "press", "push"})


def _reciprocal(trigger: Any) -> bool:
    """An act done to each other: "traded accusations", "accused each other"."""
    verb = trigger.head if trigger.dep_ in ("dobj", "obj") else trigger
    if verb.lemma_.lower() in noun_classes().get("reciprocal", frozenset()):
        return True
    return any(c.dep_ in ("dobj", "obj", "pobj") and c.lower_ in ("other", "another")
               and any(d.lower_ in ("each", "one") for d in c.children)
               for c in verb.children)


def _governing_verb(noun: Any) -> Any:
    """The verb a noun hangs from, through prepositions ("pulled out of the deal")."""
    head = noun.head
    while head.pos_ == "ADP" and head.head.i != head.i:
        head = head.head
    return head


def _dedupe(cands: list[Candidate]) -> list[Candidate]:
    """One reading per event.

    A light verb and its event noun code one event: keep the more specific reading. An
    event noun that a verb pattern named as its object ("lifted sanctions", "vetoed the aid
    package") is part of that verb's event, not an event of its own.
    """
    by_trigger = {c.trigger.i: c for c in cands if c.via == _BY_VERB}
    drop: set[int] = set()
    for c in cands:
        if c.via == _BY_VERB:
            continue
        by_noun = c.via.found is Found.NOUN
        verb = by_trigger.get(_governing_verb(c.trigger).i)
        if verb is None and by_noun and not c.sources:
            # "rejected the offer to host a summit": further down the verb's object
            verb = next((by_trigger[a.i] for n, a in enumerate(c.trigger.ancestors)
                         if n < 4 and a.i in by_trigger), None)
        if verb is not None and (c.trigger.lemma_.lower() in verb.pattern.objects
                                 or (by_noun and not c.sources)):
            # "rejected the appeal": the appeal is what was rejected. With its own source
            # ("condemned Russia's invasion") the noun stays an event of its own.
            drop.add(id(c))
    for c in cands:
        if c.via == _BY_LIGHT_VERB and c.trigger.head.i in by_trigger:
            verb = by_trigger[c.trigger.head.i]
            if verb.pattern.specificity > 0:
                drop.add(id(c))
            else:
                drop.add(id(verb))
    return [c for c in cands if id(c) not in drop]


_BY_VERB = Via(Found.VERB)  # a verb's own arguments, nothing further
_BY_LIGHT_VERB = Via(Found.LIGHT_VERB)


def _rule(e: Event) -> EventRule | None:
    """How the coder found an event (None for one it did not build)."""
    return e.rule if isinstance(e.rule, EventRule) else None


def _unique(events: list[Event]) -> list[Event]:
    """One event per (sentence, code, source, target, trigger): two rules may read the same."""
    seen: set[tuple[Any, ...]] = set()
    out = []
    for e in events:
        k = (e.sentence, e.cameo, e.source.code if e.source else None,
             e.source.start if e.source else None, e.target.code if e.target else None,
             e.target.start if e.target else None, e.predicate.start if e.predicate else None)
        if k not in seen:
            seen.add(k)
            out.append(e)
    return out


def _drop_partial(events: list[Event]) -> list[Event]:
    """Drop an event that lacks a source or target when the same sentence has the same kind
    of event (PLOVER type, modality) with the side it has and the side it lacks: "fighting
    between Serbs and Croats ... the attack by Serb forces" says one thing twice."""
    def kind(e: Event) -> tuple[Any, ...]:
        return (e.sentence, e.plover.type if e.plover else e.cameo[:2], e.modality)

    def party(a: Actor | None) -> str | None:
        return a.party if a is not None else None

    full: dict[tuple[Any, ...], list[tuple[str, str]]] = {}
    for e in events:
        src, tgt = party(e.source), party(e.target)
        if src is not None and tgt is not None:
            full.setdefault(kind(e), []).append((src, tgt))
    out = []
    for e in events:
        src, tgt = party(e.source), party(e.target)
        if (src is None or tgt is None) and any(
                (src is None or s == src) and (tgt is None or t == tgt)
                for s, t in full.get(kind(e), ())):
            continue
        out.append(e)
    return out


def _speaker_acts(c: Candidate, reporter: Actor | None) -> bool:
    """Whether the act reported with "would" is the speaker's own ("said it would ...")."""
    if reporter is None:
        return False
    if any(t.pos_ == "PRON" or any(x.dep_ == "poss" and x.pos_ == "PRON" for x in t.children)
           for t in c.source_tokens):
        return True  # "said it would", "said his fighters would"
    if not c.source_tokens:  # no subject: the speaker's own act, unless a participle
        return c.trigger.tag_ != "VBN" and c.trigger.pos_ == "VERB"
    return any(s is reporter or (s.party and s.party == reporter.party) for s in c.sources)


@dataclass(frozen=True, slots=True)
class _Purpose:
    """Marks an event that states the aim of the event whose trigger is ``token``."""

    token: Any


_CONTENT_DEPS = frozenset({"xcomp", "ccomp", "pcomp", "prep", "pobj", "acl", "dobj"})


def _content_host(tok: Any, by_trigger: dict[int, Event]) -> Event | None:
    """The coded verbal act whose complement holds ``tok``, within four steps."""
    cur = tok
    for _ in range(4):
        for_clause = cur.dep_ == "advcl" and any(  # "called for the government to resign"
            m.dep_ == "mark" and m.lower_ == "for" for m in cur.children)
        if (cur.dep_ not in _CONTENT_DEPS and not for_clause) or cur.head.i == cur.i:
            return None
        cur = cur.head
        host = by_trigger.get(cur.idx)
        if host is not None:
            # verbal acts whose complement states what they are about ("accused Kyiv of
            # shelling", "rejected calls to deploy troops", "demanded that sanctions be eased")
            return host if ontology.root_has(host.cameo, "content_host") else None
    return None


def _fold_contents(made: list[tuple[Event, Any]], triggers: set[int],
                   doc: Any = None) -> list[Event]:
    """Fold what a coded threat, demand or refusal is about into that event.

    "Iran threatened to strike Israel": the strike is not an event of its own; the threat
    carries it as ``content``. An act whose governing verb was not coded stays an event,
    with its hypothetical or negated modality.
    """
    by_trigger: dict[int, Event] = {}
    for e, _ in made:
        if e.predicate is not None:
            by_trigger.setdefault(e.predicate.start, e)
    out = []
    for e, cue in made:
        purpose = isinstance(cue, _Purpose)
        cue_tok = cue.token if purpose else cue
        host = by_trigger.get(cue_tok.idx) if cue_tok is not None and cue_tok.i in triggers \
            else None
        if (host is None or host is e) and doc is not None and e.predicate is not None \
                and not (_found_by(e) is Found.NOUN and e.source is not None):
            span = doc.char_span(e.predicate.start, e.predicate.end, alignment_mode="expand")
            content_host = _content_host(span[0], by_trigger) if span is not None else None
            if content_host is not None and content_host is not e:
                host, purpose = content_host, True
        if host is not None and host is not e and (
                purpose or e.modality in ("hypothetical", "negated", "future")):
            if host.content is None:
                host.content = EventContent(e.cameo, e.cameo_name,
                                            e.plover.type if e.plover else None, e.modality,
                                            e.target.code if e.target else None)
            continue
        out.append(e)
    return out


def _found_by(e: Event) -> Found | None:
    rule = _rule(e)
    return rule.found if rule is not None else None


def _turned(e: Event) -> Turn | None:
    rule = _rule(e)
    return rule.turn if rule is not None else None


def _placed(actor: Actor) -> bool:
    """An actor that is the country of a place named in the text (an unidentified attacker
    placed by where it struck)."""
    res = Resolution.of(actor.resolved_by)
    return res is not None and res.plain and res.rule is ActorRule.PLACE


def _evidence(article: Article, c: Candidate) -> tuple[int, int]:
    toks = [c.trigger, *c.source_tokens, *c.target_tokens]
    start = min(t.idx for t in toks)
    end = max(t.idx + len(t.text) for t in toks)
    return start, end


class _EventStage:
    def __init__(self, settings: Settings) -> None:
        self.lexicon = load_lexicon()
        self.speech = speech_verbs() | {"conclude"}
        model = load_type_model(settings.events.model)
        self.gate = TypeGate(model) if model is not None else None
        self.propose = settings.events.propose
        # the role model fills the sides of proposals only: loaded when they are on
        self.roles = load_role_model(settings.events.roles) if self.propose else None

    def __call__(self, article: Article) -> None:
        doc: Any = article.doc
        if doc is None:
            return
        actor_at = actor_map(article)
        coder = SentenceCoder(self.lexicon, actor_at, actor_map(article, places=True),
                              country_name_tokens(article))
        events: list[Event] = []
        by_sentence: dict[int, list[tuple[Any, Actor]]] = {}
        if self.roles is not None:
            for m in article.mentions:
                span = doc.char_span(m.start, m.end, alignment_mode="expand")
                if m.actor is not None and span is not None:
                    by_sentence.setdefault(m.sentence, []).append((span, m.actor))
        for sent_i, sent in enumerate(doc.sents):
            cands = _dedupe(list(coder.code(sent)))
            stated = {c.trigger.i for c in cands
                      if ontology.root_has(c.pattern.cameo, "announces_act")}
            triggers = {c.trigger.i for c in cands}
            made: list[tuple[Event, Any]] = []
            for c in cands:
                for e, cue_tok in self._events(article, c, sent_i, actor_at, len(events)
                                               + len(made), stated, triggers):
                    made.append((e, cue_tok))
            folded = _fold_contents(made, triggers, doc)
            folded.extend(self._modal_demands(article, sent, sent_i, actor_at, folded))
            if self.gate is not None and (folded or (
                    self.propose and any(t.i in actor_at for t in sent))):
                # the model reads a sentence only when it has events to review or may
                # propose one: most sentences of an article have neither
                folded = self._learned(article, sent, sent_i, coder, actor_at, folded,
                                       len(events), by_sentence.get(sent_i, []))
            events.extend(folded)
        events = _drop_partial(_unique(events))
        for n, e in enumerate(events, 1):
            e.id = f"e{n}"
        article.events = events

    def _learned(self, article: Article, sent: Any, sent_i: int, coder: SentenceCoder,
                 actor_at: dict[int, Actor], made: list[Event], n: int,
                 mentions: list[tuple[Any, Actor]]) -> list[Event]:
        """The type model's review of the sentence's events, or its proposal when the rules
        coded none (see :mod:`redline.events.learned`)."""
        gate = self.gate
        assert gate is not None
        view = gate.view(sent)
        if made:  # a sentence whose rules the model overruled gets no guess instead
            return gate.review(made, view)
        if not self.propose:
            return made
        cand = gate.propose(sent, view, coder, self.speech)
        if cand is not None and self.roles is not None:
            fill_roles(cand, self.roles, sent, mentions)
        if cand is None or not (cand.sources or cand.targets):
            return made
        out = [e for e, _ in self._events(article, cand, sent_i, actor_at, n, set())]
        gate.annotate(out, view)
        for e in out:
            e.model = {**(e.model or {}), "proposed": True}
        return out

    def _modal_demands(self, article: Article, sent: Any, sent_i: int,
                       actor_at: dict[int, Actor], made: list[Event]) -> list[Event]:
        """"X said Kyiv must hold talks", with no coded act inside: X demands (100)."""
        out: list[Event] = []
        speech = self.speech
        for tok in sent:
            if tok.lemma_.lower() not in speech:
                continue
            for cl in (c for c in tok.children if c.dep_ == "ccomp"):
                if not any(a.dep_ == "aux" and a.lower_ in ("must", "should")
                           for a in cl.children):
                    continue
                if any(e.predicate and cl.idx <= e.predicate.start < cl.idx + len(cl.text)
                       or _turned(e) is Turn.DEMANDED for e in made if e.sentence == sent_i):
                    continue  # an act inside was coded and reframed already
                spk = next((actor_at.get(c.i) for c in tok.children if c.dep_ == "nsubj"),
                           None)
                tgt = next((actor_at.get(c.i) for c in cl.children
                            if c.dep_ in ("nsubj", "nsubjpass")), None)
                if spk is None and tgt is None:
                    continue
                code = ontology.cameo("100")
                mapping = code.plover
                out.append(Event(
                    id="", sentence=sent_i,
                    evidence=article.span(tok.idx, cl.idx + len(cl.text)),
                    cameo=code.code, cameo_name=code.name,
                    plover=Plover(mapping.type, mapping.mode, list(mapping.context))
                    if mapping else None,
                    goldstein=code.goldstein, quad_class=code.quad_class,
                    source=spk, target=tgt if tgt is not spk else None,
                    modality="asserted", confidence=0.45,
                    rule=EventRule(f"modal-demand:{tok.lemma_.lower()}+{cl.lemma_.lower()}"),
                    predicate=article.span(tok.idx, tok.idx + len(tok.text))))
        return out

    def _events(self, article: Article, c: Candidate, sent_i: int,
                actor_at: dict[int, Actor], n: int, stated: set[int],
                triggers: frozenset[int] | set[int] = frozenset()
                ) -> list[tuple[Event, Any]]:
        carrier = c.trigger.head if c.via == _BY_LIGHT_VERB else None
        reading = read_modality(c.trigger, carrier)
        reporter = reporter_actor(reading.reported_by_token, actor_at)
        sources, targets = c.sources, c.targets
        modality, rule_extra = reading.modality, ""
        turn = reframe(c.pattern.cameo, reading.modality, reading.cue,
                       reporter is not None or reading.speech_token is not None,
                       unless=has_unless(c.trigger))
        if turn is not None and turn.kind is Turn.ANNOUNCED and reading.modality == "hypothetical" \
                and not _speaker_acts(c, reporter):
            turn = None  # "Putin said troops deployed there would be targets": not his act
        appeal_by = None
        if turn is None and reading.modality == "hypothetical" and reading.cue in APPEAL_CUES \
                and reading.cue_token is not None and reading.cue_token.i not in triggers:
            # "called for the president to resign", with the call itself not coded: the
            # caller's demand (10X parallel to the act)
            demanded = reframe(c.pattern.cameo, "hypothetical", "must", True)
            if demanded is not None:
                turn = demanded
                appeal_by = next((actor_at.get(x.i) for x in reading.cue_token.children
                                  if x.dep_ == "nsubj"), None)
        if turn is not None:
            if any(a.i in stated for a in c.trigger.ancestors):
                return []  # "pledged to send aid": the pledge is already the event
            modality, rule_extra = "asserted", f" {turn.kind.value}:{c.pattern.cameo}"
            if turn.kind is Turn.DEMANDED:
                asker = appeal_by or reporter
                sources, targets = [asker] if asker else [], c.sources
            elif reporter is not None and not any(a.country for a in sources):
                sources = [reporter]  # "the farmers said they would blockade Paris"
        elif reporter is not None and ontology.root_has(c.pattern.cameo, "speech_act") and \
                reading.cue in ("would", "will", "shall", "'ll"):
            # "Putin declared that troops would be targets": saying it is the threat
            modality, rule_extra = "asserted", " stated"
            if not any(a.country for a in sources):
                sources = [reporter]
        code = ontology.cameo(turn.code if turn else c.pattern.cameo)
        mapping = code.plover
        start, end = _evidence(article, c)
        out: list[tuple[Event, Any]] = []
        # coordinated sources of a reciprocal root with no target act with each other ("France
        # and Germany signed a pact"): one event per source with no target, as PLOVER codes a
        # joint act, marked ``joint`` in its rule; the monitor counts such a pair in both dyads
        # (``redline.monitor.clusters.joint_dyads``)
        joint = len({a.party for a in sources}) >= 2 and not targets \
            and (ontology.root_has(code.root, "reciprocal") or _reciprocal(c.trigger))
        pairs = [(s, t) for s in (sources or [None]) for t in (targets or [None])]
        if joint:  # "France and Germany signed a pact": a joint act of both
            rule_extra += " joint"
        # an actor acting on itself is a misread target ("urged its allies"): drop the target
        # (an unidentified attacker placed by where it struck may hit its own country's people)
        pairs = [(s, None if s is not None and t is not None and s.code is not None
                  and s.code == t.code and not _placed(s) else t) for s, t in pairs]
        pairs = [p for i, p in enumerate(pairs)
                 if not any(p[0] is q[0] and p[1] is q[1] for q in pairs[:i])]
        for s, t in pairs:
            rule = f"{c.via}:{c.pattern.text}"  # the text of the EventRule below
            if reading.cue:
                rule += f" [{reading.modality}:{reading.cue}]"
            rule += rule_extra
            out.append((Event(
                id=f"e{n + len(out) + 1}",
                sentence=sent_i,
                evidence=article.span(start, end),
                cameo=code.code,
                cameo_name=code.name,
                plover=Plover(mapping.type, mapping.mode, list(mapping.context))
                if mapping else None,
                goldstein=code.goldstein,
                quad_class=code.quad_class,
                source=s,
                target=t,
                joint_with=[a for a in sources if a.party != s.party] if joint else [],
                modality=modality,
                reported_by=reporter if reporter is not s else None,
                confidence=_confidence(c),
                rule=EventRule(rule, c.via, turn.kind if turn else None, joint),
                predicate=article.span(c.trigger.idx, c.trigger.idx + len(c.trigger.text)),
                specific=c.pattern.specificity > 0 or turn is not None,
            ), reading.cue_token if turn is None else None))
        if ontology.root_has(c.pattern.cameo, "aim") and c.trigger.dep_ == "advcl" and \
                c.trigger.tag_ == "VBG":
            # "protesters blocked roads, demanding reforms": the demand is the protest's aim
            out = [(e, _Purpose(c.trigger.head)) for e, _ in out]
        return out


@stage("events", requires=["doc", "mentions"], assigns=["events"])
def make_events(settings: Settings) -> _EventStage:
    """CAMEO/PLOVER events with source, target and modality, from the parse and lexicon."""
    return _EventStage(settings)
