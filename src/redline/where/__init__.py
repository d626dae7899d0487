"""Each event's place: locative phrases and targets in the parse, resolved with the gazetteer.

The gazetteer itself (place names, and redline's own tables of regions, contested areas and
spellings) is shared knowledge in :mod:`redline.kb.gazetteer`; ``phrases`` finds place mentions
and the ones that locate an event, ``stage`` is the ``where`` pipeline stage (registered on
import, as ``redline.pipeline`` expects).
"""

from __future__ import annotations

from redline.where.stage import make_where

__all__ = ["make_where"]
