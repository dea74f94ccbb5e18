"""Warm statistics: the server recomputes the dashboards people look at after each burst of writes.

Every counted write (an audit event that is not a read or an import's bookkeeping,
``reports.counts_as_write``) starts a new data version, so every cached overview goes cold and
the next visitor waits for the cold path (the city dashboard: 0.7–0.9 s on PostgreSQL,
1.2–1.4 s on SQLite at the demo's scale; bench/README.md). In a server process (``enable``,
called by ``zugong.wsgi``):

- at start, one background thread computes the overviews of the scope roots of the
  administrators and leaders (the pages they land on), for today;
- each overview shown is noted in the shared cache (``note_viewed``: its Target and when);
- the commit of a counted write asks the thread (``request``) to recompute, once writes have paused
  for QUIET_SECONDS, the overviews viewed in the last VIEWED_SECONDS for today, newest first, at most
  MAX_TARGETS — each about one cold path of server CPU per burst of writes.

- every POLL_SECONDS the thread also compares the data version with the one it last warmed, and
  warms the viewed overviews when it moved without a write of this process: a write by another
  process (``zugong import`` on the command line, another worker that has no viewed targets,
  SQL by hand). Such a write's next view may still be cold if it comes within POLL_SECONDS.

One worker warms at a time (a lock in the shared cache); the others find the results in it.
Management commands and tests never call ``enable``.
"""

from __future__ import annotations

import logging
import os
import threading
import time

from django.core.cache import cache
from django.db import close_old_connections, connection, transaction
from django.db.models.signals import post_save

from zugong.stats import selectors as s

logger = logging.getLogger(__name__)

QUIET_SECONDS = 1.0  # writes paused this long end a burst
VIEWED_SECONDS = 900  # an overview viewed within this time (someone is at work on it) is warmed after writes
MAX_TARGETS = 8
VIEWED_KEY = "zugong.stats:viewed"
LOCK_KEY = "zugong.stats:warming"
LOCK_SECONDS = 60  # a worker killed while warming blocks the others at most this long
POLL_SECONDS = 30.0  # how often the data version is compared with the one last warmed
WARMED_KEY = "zugong.stats:warmed-version"
_NOTE_EVERY = 60.0  # seconds: a view refreshes its note at most this often (one cache write)

_enabled = False


def enable() -> None:
    """Turn warming on in this process (a server worker) and warm the roots in the background."""
    global _enabled
    if _enabled:
        return
    _enabled = True
    post_save.connect(_on_audit_event, sender="core.AuditEvent", dispatch_uid="zugong.stats.warm")
    WARMER.request(roots=True)


def note_viewed(target: s.Target, *, now: float | None = None) -> None:
    """Remember that an overview of ``target`` was shown (only while warming is on)."""
    if not _enabled:
        return
    now = time.time() if now is None else now
    viewed = cache.get(VIEWED_KEY) or {}
    last = viewed.get(target.key)
    if last is not None and now - last[1] < _NOTE_EVERY:
        return
    viewed = {k: v for k, v in viewed.items() if now - v[1] < VIEWED_SECONDS}
    viewed[target.key] = (target, now)
    cache.set(VIEWED_KEY, viewed, VIEWED_SECONDS)


def viewed_targets(*, now: float | None = None) -> list[s.Target]:
    """The targets noted within VIEWED_SECONDS whose date is today, newest first, at most MAX_TARGETS."""
    now = time.time() if now is None else now
    today = s.parse_date(None)
    noted = sorted((cache.get(VIEWED_KEY) or {}).values(), key=lambda v: -v[1])
    return [t for t, at in noted if now - at < VIEWED_SECONDS and t.on == today][:MAX_TARGETS]


def root_targets() -> list[s.Target]:
    """Today's targets of the distinct scope roots of the administrators and leaders."""
    from django.contrib.auth import get_user_model

    from zugong.core.models import Role
    from zugong.core.scope import scope_for

    roles = (Role.CITY_ADMIN, Role.LEADER, Role.COUNTY_ADMIN)
    users = get_user_model().objects.filter(is_active=True, profile__role__in=roles).order_by("profile__role", "id")
    targets, seen = [], set()
    for user in users.select_related("profile"):
        scope = scope_for(user)
        if (scope.org_path, scope.unit_path) not in seen:
            seen.add((scope.org_path, scope.unit_path))
            targets.append(s.resolve_target(scope))
    return targets


def warm(targets: list[s.Target]) -> int:
    """Compute and cache the overview of each target not yet cached under the current data version;
    returns how many were computed."""
    from zugong.stats import reports

    computed = 0
    for target in targets:
        if not reports.is_cached("overview", target):
            reports.overview(target, viewed=False)  # warming is not a view: it must not warm itself
            computed += 1
    return computed


def _on_audit_event(sender, instance, created, **kwargs) -> None:
    from zugong.stats.reports import counts_as_write

    if created and _enabled and counts_as_write(instance.action):
        transaction.on_commit(WARMER.request)


class Warmer:
    """One daemon thread per process that warms after a burst of requests has been quiet for ``quiet``
    seconds, and checks every ``poll`` seconds without a request; ``job(roots, polled)`` does the
    work (``_warm_job``) and returns False to be run again later."""

    def __init__(self, job, *, quiet: float = QUIET_SECONDS, poll: float = POLL_SECONDS):
        self.job, self.quiet, self.poll = job, quiet, poll
        self._lock, self._wake = threading.Lock(), threading.Event()
        self._last, self._roots, self._thread = 0.0, False, None

    def request(self, *, roots: bool = False) -> None:
        """Ask for a warm-up after the current burst (``roots``: the scope roots too)."""
        with self._lock:
            self._last = time.monotonic()
            self._roots |= roots
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="stats-warm", daemon=True)
                self._thread.start()
        self._wake.set()

    def _run(self) -> None:
        while True:
            polled = not self._wake.wait(self.poll)
            while (pause := self._last + self.quiet - time.monotonic()) > 0:
                time.sleep(pause)
            with self._lock:
                self._wake.clear()
                roots, self._roots = self._roots, False
            try:
                done = self.job(roots, polled)
            except Exception:  # a failed warm-up costs a cold view, never a request
                logger.exception("warming the statistics failed")
                done = True
            if not done:  # another worker was warming an older version: try again after a pause
                self.request(roots=roots)


def _warm_job(roots: bool, polled: bool = False) -> bool:
    """Warm the viewed targets (and the roots); when ``polled``, only if the data version moved since
    the last warm-up. False when another worker holds the lock."""
    from zugong.stats.reports import data_version

    close_old_connections()
    try:
        targets = viewed_targets()
        if polled and (not targets or cache.get(WARMED_KEY) == data_version()):
            return True
        if not cache.add(LOCK_KEY, os.getpid(), LOCK_SECONDS):
            return False
        try:
            t0 = time.perf_counter()
            version = data_version()  # before computing: a write meanwhile is warmed by the next round
            if roots:
                viewed = {t.key for t in targets}
                targets += [t for t in root_targets() if t.key not in viewed]
            n = warm(targets)
            cache.set(WARMED_KEY, version, None)
            logger.info("warmed %d of %d statistics overviews in %.2f s", n, len(targets), time.perf_counter() - t0)
            return True
        finally:
            cache.delete(LOCK_KEY)
    finally:
        connection.close()


WARMER = Warmer(_warm_job)
