"""Background jobs of the web server (roster imports, large exports): heartbeat, progress, thread.

A job runs in a thread of the server process that received the request; its page is polled by
any process of the server (gunicorn workers). What the page needs while the job runs is kept in
small files beside the job's file, shared by every process on the machine:

- ``<file>.alive``: touched every HEARTBEAT_SECONDS while the job runs (``heartbeat``); a job whose
  file is older than STALE_SECONDS was interrupted (``is_stale``: a server restart, a killed worker).
- ``<file>.progress``: ``done total`` (rows), replaced atomically (``progress_noter``, ``read_progress``).

Files, not the job's row: an import writes in one transaction that no other connection sees until it
ends (and on SQLite it holds the only write lock), so an update of the row would show nothing.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from django.db import close_old_connections, connection
from django.utils import timezone

HEARTBEAT_SECONDS = 5  # a running job touches its ``.alive`` file this often
STALE_SECONDS = 60  # a running job whose ``.alive`` file is older than this was interrupted (process gone)


@contextlib.contextmanager
def heartbeat(path: Path) -> Iterator[None]:
    """While the body runs, a small thread touches ``path`` every HEARTBEAT_SECONDS; the file is
    removed when the body ends (after the job's final status is committed, by the caller's body)."""
    stop = threading.Event()

    def beat() -> None:
        while True:
            with contextlib.suppress(OSError):
                path.touch()
            if stop.wait(HEARTBEAT_SECONDS):
                return

    path.touch()
    beater = threading.Thread(target=beat, name=f"{path.name}-beat", daemon=True)
    beater.start()
    try:
        yield
    finally:
        stop.set()
        beater.join()
        path.unlink(missing_ok=True)


def is_stale(path: Path, created_at: dt.datetime) -> bool:
    """Whether a job said to be running has no process behind it: its heartbeat file ``path`` is
    older than STALE_SECONDS, or missing while the job (created at ``created_at``, aware) is older
    than that — a run removes the file only after committing its final status."""
    try:
        age = time.time() - path.stat().st_mtime
    except FileNotFoundError:
        age = math.inf if timezone.now() - created_at > dt.timedelta(seconds=STALE_SECONDS) else 0.0
    return age > STALE_SECONDS


def progress_noter(path: Path) -> Callable[[int, int], None]:
    """A callable ``note(done, total)`` (rows) that writes ``done total`` to ``path``, replaced
    atomically (``os.replace``). Errors of the file system are ignored: a progress bar is not worth
    the job, and the page shows the last note."""
    tmp = path.with_name(path.name + ".tmp")

    def note(done: int, total: int) -> None:
        try:
            tmp.write_text(f"{done} {total}", encoding="ascii")
            os.replace(tmp, path)
        except OSError:
            pass

    return note


def read_progress(path: Path) -> tuple[int, int] | None:
    """``(done, total)`` rows from a note of ``progress_noter``; None when there is none (not yet, or
    removed as the job ended) or it cannot be read."""
    try:
        done, total = map(int, path.read_text(encoding="ascii").split())
    except (OSError, ValueError):
        return None
    return done, total


def start_thread(name: str, target: Callable[[], None]) -> threading.Thread:
    """Run ``target()`` in a daemon thread named ``name`` with its own database connection (closed
    at the end: a thread's connection is not reused by Django's request cycle). Returns the thread."""

    def main() -> None:
        close_old_connections()
        try:
            target()
        finally:
            connection.close()

    thread = threading.Thread(target=main, name=name, daemon=True)
    thread.start()
    return thread
