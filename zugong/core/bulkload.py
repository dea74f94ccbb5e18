"""Bulk loads on PostgreSQL with set-based reference checks instead of per-row foreign-key triggers.

PostgreSQL checks a foreign key on every inserted row with one query per row and key (an internal
trigger). For the 100,000-row roster import these checks were half of the server's work: the
COPY of persons, members and affiliations took ≈2.7–3.0 s with them and ≈1.4 s without
(bench/README.md, "Fourth look"). The loader here switches the row triggers off for its COPY
statements only — ``SET LOCAL session_replication_role = replica``, the mechanism logical
replication and ``pg_restore --disable-triggers`` use — and then checks every reference of the
loaded rows itself before the transaction may commit:

- ``bulk_load_begin`` turns the triggers off when it may: the setting must allow it
  (``ZUGONG_BULK_CHECKS``, default on), the role may set the parameter (superuser, or on
  PostgreSQL 15+ ``GRANT SET ON PARAMETER session_replication_role TO <role>``) and the tables
  have no triggers of their own (those would be skipped silently). Otherwise it returns False
  and the caller loads with the ordinary, per-row checks (``SET CONSTRAINTS ALL IMMEDIATE``).
- ``LockReferenced`` does, in one statement per loaded chunk, what the triggers do for rows that
  existed before the load: it takes the lock the trigger takes (``FOR KEY SHARE``) on them, so
  nobody deletes a branch or a person the new rows point to before COMMIT, and a row that is
  gone is an error. The importer runs it after each chunk's COPY, on the worker thread, so the
  server locks one chunk's references while Python validates the next.
- ``check_links`` checks the references between rows of the same load (a member to the person
  written with it, an affiliation to its member) against the ids the load wrote: a COPY that
  succeeded wrote every one of its rows, and nobody else can see them, let alone delete them,
  before COMMIT. A dangling reference raises ``IntegrityError`` and the caller's transaction is
  rolled back, as the trigger would have done.
- ``bulk_load_end`` turns the triggers back on for the rest of the transaction.
- ``bulk_load`` wraps the two for a ``with`` block and turns the triggers back on however the
  block ends, so a caller that catches an exception and goes on in the same transaction writes
  with the triggers on again.

The declared constraints stay as they are: every other write, and every load on a database that
does not allow this, is checked row by row by PostgreSQL. SQLite has no such triggers cost; its
foreign keys are checked at COMMIT as before.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Iterator, Sequence

from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import Model


class LoadConflict(IntegrityError):
    """A reference of a bulk load that the switched-off triggers would have refused (a row deleted
    meanwhile, a stray link); the message is Chinese and names the row. The load's transaction must
    be rolled back."""


def enabled_by_settings() -> bool:
    """False when ``ZUGONG_BULK_CHECKS`` is 0/false/no/off: always load with per-row trigger checks."""
    return os.environ.get("ZUGONG_BULK_CHECKS", "1").strip().lower() not in ("0", "false", "no", "off")


def bulk_load_begin(models: Sequence[type[Model]]) -> bool:
    """Inside a transaction on PostgreSQL: switch row triggers off for this transaction if allowed.

    Returns True when they are off (the caller must then call ``bulk_load_end`` and
    check the references before COMMIT), False when the load must rely on the triggers: another
    database, switched off by the environment, no privilege to set session_replication_role, or a
    table with a trigger of its own.
    """
    if connection.vendor != "postgresql" or not enabled_by_settings():
        return False
    tables = [m._meta.db_table for m in models]
    with connection.cursor() as cur:
        cur.execute(
            "SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal AND tgrelid = ANY(%s::regclass[])", [tables]
        )
        if cur.fetchone()[0]:
            return False
        try:
            with transaction.atomic():  # a savepoint: a refused SET leaves the transaction usable
                cur.execute("SET LOCAL session_replication_role = replica")
        except DatabaseError as exc:
            if getattr(exc.__cause__, "sqlstate", None) == "42501":  # insufficient_privilege
                return False
            raise
    return True


def bulk_load_end() -> None:
    """Switch row triggers back on for the rest of the transaction (updates after the load are checked as usual)."""
    with connection.cursor() as cur:
        cur.execute("SET LOCAL session_replication_role = origin")


@contextlib.contextmanager
def bulk_load(models: Sequence[type[Model]]) -> Iterator[bool]:
    """``with bulk_load(models) as set_based:`` — a load into ``models``' tables inside a transaction.

    ``set_based`` is ``bulk_load_begin``'s answer: True when the row triggers are off for the block
    (the caller checks the references itself, e.g. ``LockReferenced`` and ``check_links``); False
    when they stay on, and then, on PostgreSQL, deferred foreign keys are checked at the end of
    each statement (``SET CONSTRAINTS ALL IMMEDIATE``) so a bad COPY fails while later rows are
    still being prepared. On leaving the block the triggers are on again (``bulk_load_end``), also
    when it raises: where the exception has aborted the transaction, its rollback (or the rollback
    to the enclosing savepoint) undoes ``SET LOCAL`` by itself.
    """
    set_based = bulk_load_begin(models)
    if not set_based and connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
    try:
        yield set_based
    except BaseException:
        if set_based:
            with contextlib.suppress(DatabaseError):  # an aborted transaction refuses the SET; see above
                bulk_load_end()
        raise
    if set_based:
        bulk_load_end()


class LockReferenced:
    """What the foreign-key triggers do for rows that existed before a load, in one statement per
    chunk: lock the referenced rows ``FOR KEY SHARE`` (nobody may delete them, or change their
    key, before COMMIT) and fail when one no longer exists.

    ``tables``: (model, Chinese name) of the referenced tables. Built on the calling thread;
    ``run`` takes any cursor of the loading connection (a worker thread's too). One instance
    serves one load in one transaction: a row it has locked stays locked until that transaction
    ends, so later chunks skip the ids locked already (the bench roster's 420 branches were locked
    again by each of its 23 chunks).
    """

    def __init__(self, tables: Sequence[tuple[type[Model], str]]):
        qn = connection.ops.quote_name
        self.names = [what for _, what in tables]
        self.locked: list[set[int]] = [set() for _ in tables]
        self.sql = "SELECT " + ", ".join(
            f"(SELECT array_agg(id) FROM (SELECT id FROM {qn(m._meta.db_table)} WHERE id = ANY(%s) FOR KEY SHARE) AS k)"
            for m, _ in tables
        )

    def run(self, cur, ids: Sequence[Iterable[int]]) -> None:
        """Lock these ids (one iterable per table) unless this instance locked them before;
        IntegrityError (Chinese) naming the first missing one."""
        wanted = [sorted(set(i).difference(done)) for i, done in zip(ids, self.locked, strict=True)]
        if not any(wanted):
            return
        cur.execute(self.sql, wanted)
        for what, want, found in zip(self.names, wanted, cur.fetchone(), strict=True):
            gone = set(want) - set(found or ())
            if gone:
                raise LoadConflict(f"{what}（id {min(gone)}）在导入过程中已被删除，已撤销整个导入，请重新导入")
        for done, want in zip(self.locked, wanted, strict=True):
            done.update(want)


def check_links(what: str, refs: Iterable[int], targets: set[int]) -> None:
    """Rows of one load pointing at rows of the same load: every id in ``refs`` must be one of the
    ``targets`` (ids the load wrote, or locked with LockReferenced). IntegrityError otherwise."""
    stray = set(refs) - targets
    if stray:
        raise LoadConflict(f"批量写入的{what}指向不存在的记录（id {min(stray)}），已撤销整个导入")
