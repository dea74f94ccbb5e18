"""Named locks for a check-and-write that has no row to lock: held until the transaction ends.

A writer that counts or looks up rows before it inserts one (at most ``MAX_RUNNING`` exports at once;
a 职务 created when its unit has none of that title) is not protected by row locks: the row it would
lock does not exist yet. ``hold`` serialises such writers by name:

- PostgreSQL: ``pg_advisory_xact_lock`` on a 64-bit key derived from the name (SHA-256, stable
  across processes and versions), released at COMMIT or ROLLBACK. Several names are taken in key order,
  so that two transactions naming the same locks never wait for each other in a cycle. Advisory locks
  do not interact with row locks or foreign-key checks; a waiter shows in ``pg_stat_activity`` with
  ``wait_event_type = 'Lock'`` (``wait_event = 'advisory'``) and is subject to ``lock_timeout``.
- SQLite: nothing to take. Every transaction of the project begins with ``BEGIN IMMEDIATE``
  (``settings.DATABASES`` ``transaction_mode``), which holds the database's only write lock from its
  start, so what a transaction reads before it writes cannot change under it. The check must therefore
  be *inside* the transaction (``hold`` refuses to run outside one on either database).
"""

from __future__ import annotations

import hashlib

from django.db import connection
from django.db.transaction import TransactionManagementError


def lock_key(name: str) -> int:
    """The signed 64-bit advisory-lock key of ``name`` (first 8 bytes of its SHA-256)."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


def hold(*names: str) -> None:
    """Wait for and hold the named locks until the current transaction ends (see the module's note).

    Raises TransactionManagementError outside ``transaction.atomic`` (the lock would end with the
    statement, and on SQLite the check would not be under the write lock)."""
    if not connection.in_atomic_block:
        raise TransactionManagementError("locks.hold needs a transaction (transaction.atomic)")
    if connection.vendor != "postgresql" or not names:
        return
    with connection.cursor() as cur:
        for key in sorted({lock_key(n) for n in names}):
            cur.execute("SELECT pg_advisory_xact_lock(%s)", [key])
