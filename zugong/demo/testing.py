"""Test support: a small demo city whose cadres outnumber the leadership seats."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import transaction

from zugong.demo import build, build_demo

#: Cadres at scale 0.02 with these per-scale-1 counts /50: about 450 市管 and 2,950 县管 seats, the rest ranks.
CITY, COUNTY = 600, 3500


@contextmanager
def crowded_demo(scale: float = 0.02, seed: int = 7) -> Iterator[dict]:
    """Build the demo city at ``scale`` with :data:`CITY` 市管 and :data:`COUNTY` 县管 cadres (more than its
    seats, so that both hold 职级 without posts) inside a transaction that is rolled back on exit; yields
    ``build_demo``'s summary. For a module-scoped fixture under ``django_db_blocker.unblock()``."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(build, "CITY_CADRES_AT_SCALE_1", CITY * 50)
        mp.setattr(build, "COUNTY_CADRES_AT_SCALE_1", COUNTY * 50)
        with transaction.atomic():
            yield build_demo(scale=scale, seed=seed)
            transaction.set_rollback(True)
