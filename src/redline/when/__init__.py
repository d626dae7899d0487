"""Each event's own date: time expressions in the parse, resolved against the article date.

``expressions`` finds time expressions and what they modify, ``resolve`` turns one expression
into a date range with a granularity, ``history`` finds events the text places before the
news ("had shot down", "a decades-long insurgency"), ``stage`` is the ``when`` pipeline stage
(registered on import, as ``redline.pipeline`` expects).
"""

from __future__ import annotations

from redline.when.resolve import Resolved, resolve_expression
from redline.when.stage import HISTORICAL_AFTER, make_when

__all__ = ["HISTORICAL_AFTER", "Resolved", "make_when", "resolve_expression"]
