"""Hypothesis profiles for the fuzz tests.

``ci`` (the default) keeps every property small, so ``pytest tests/fuzz`` stays well under a
minute; ``large`` runs 10,000 generated inputs per property (per reader). Choose it with
``REDLINE_FUZZ=large`` or ``--hypothesis-profile=large``.

Neither profile asserts wall-clock time: the per-example ``deadline`` is generous (it only
flags an input that takes far longer than any should) and :func:`fuzz_strategies.bounded`
stops a hang.
"""

from __future__ import annotations

import datetime as dt
import os

from hypothesis import HealthCheck, settings

_COMMON = {
    "deadline": dt.timedelta(seconds=30),
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large,
                              HealthCheck.filter_too_much, HealthCheck.large_base_example],
    "derandomize": False,
}

settings.register_profile("ci", max_examples=25, **_COMMON)
settings.register_profile("large", max_examples=10_000, **_COMMON)
if os.environ.get("REDLINE_FUZZ") == "large":
    settings.load_profile("large")
elif settings.get_current_profile_name() == "default":  # not chosen with --hypothesis-profile
    settings.load_profile("ci")
