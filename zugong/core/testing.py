"""A small city for tests, with the personas of DESIGN.md.

六安市 → 金安区 (镇 → 村) and 裕安区 (镇 → 村), each with its party organizations, and users:
city_admin, county_admin (金安区), neighbour_admin (裕安区), branch_secretary (a 金安 village branch),
leader (city, read-only), outsider (no role). Password of every persona: ``zugong-test``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model

from zugong.core.models import Role, UserProfile
from zugong.core.rules import make_id_number
from zugong.orgs.models import OrgKind, PartyOrganization, Unit, UnitKind, path_step

PASSWORD = "zugong-test"


@dataclass
class TestCity:
    """The units, organizations and users of the test city, by short names."""

    units: dict[str, Unit] = field(default_factory=dict)
    orgs: dict[str, PartyOrganization] = field(default_factory=dict)
    users: dict[str, object] = field(default_factory=dict)


def _node(model, parent, name, n, **extra):
    path = (parent.path if parent else "") + path_step(n)
    return model.objects.create(parent=parent, name=name, path=path, depth=len(path) // 4, **extra)


def build_test_city() -> TestCity:
    """Create the test city and its personas; returns them by short name."""
    c = TestCity()
    u, o = c.units, c.orgs
    u["city"] = _node(Unit, None, "六安市", 1, kind=UnitKind.CITY, division_code="341500000000")
    o["city"] = _node(PartyOrganization, None, "中共六安市委员会", 1, kind=OrgKind.COMMITTEE, unit=u["city"])
    for i, (key, name, code) in enumerate((("jinan", "金安区", "341502"), ("yuan", "裕安区", "341503")), start=1):
        u[key] = _node(Unit, u["city"], name, i, kind=UnitKind.COUNTY, division_code=code + "000000")
        o[key] = _node(PartyOrganization, o["city"], f"中共六安市{name}委员会", i, kind=OrgKind.COMMITTEE, unit=u[key])
        town = _node(Unit, u[key], f"{name}一镇", 1, kind=UnitKind.TOWNSHIP, division_code=code + "100000")
        u[f"{key}_town"] = town
        o[f"{key}_town"] = _node(PartyOrganization, o[key], f"中共{name}一镇委员会", 1, kind=OrgKind.COMMITTEE, unit=town)
        village = _node(Unit, town, f"{name}一村村委会", 1, kind=UnitKind.VILLAGE, division_code=code + "100201")
        u[f"{key}_village"] = village
        o[f"{key}_branch"] = _node(PartyOrganization, o[f"{key}_town"], f"{name}一村党支部", 1, kind=OrgKind.BRANCH, unit=village, term_years=5)
        o[f"{key}_branch2"] = _node(PartyOrganization, o[f"{key}_town"], f"{name}二村党支部", 2, kind=OrgKind.BRANCH, unit=village, term_years=5)
    User = get_user_model()
    personas = (
        ("city_admin", Role.CITY_ADMIN, "city", "city", True),
        ("county_admin", Role.COUNTY_ADMIN, "jinan", "jinan", True),
        ("neighbour_admin", Role.COUNTY_ADMIN, "yuan", "yuan", True),
        ("branch_secretary", Role.BRANCH_SECRETARY, "jinan_village", "jinan_branch", False),
        ("leader", Role.LEADER, "city", "city", False),
    )
    for username, role, unit_key, org_key, may_view in personas:
        user = User.objects.create_user(username, password=PASSWORD)
        UserProfile.objects.create(user=user, role=role, unit=u[unit_key], party_org=o[org_key], may_view_id_numbers=may_view)
        c.users[username] = user
    c.users["outsider"] = User.objects.create_user("outsider", password=PASSWORD)
    return c


def test_id_number(n: int, *, birth: dt.date = dt.date(1980, 5, 17), female: bool = False, area: str = "341502") -> str:
    """A valid 身份证号 number ``n`` (0–499) for tests."""
    seq = 2 * n + (0 if female else 1)
    return make_id_number(area, birth, seq % 1000)


test_id_number.__test__ = False  # not a pytest test
TestCity.__test__ = False


def hold_back_job_threads(monkeypatch, prefix: str) -> list:
    """Threads of background jobs named ``<prefix><job id>`` (``jobs.start_thread``) are kept in the
    list returned, not started; others (heartbeats, an import's COPY worker) start as usual. Run a
    kept thread's body in the test's own connection with ``run_held_thread``."""
    from zugong.core import jobs

    started, start = [], jobs.threading.Thread.start

    def hold(thread):
        if thread.name.removeprefix(prefix).isdigit():
            started.append(thread)
        else:
            start(thread)

    monkeypatch.setattr(jobs.threading.Thread, "start", hold)
    return started


def run_held_thread(monkeypatch, thread) -> None:
    """Run a thread kept by ``hold_back_job_threads`` here, in the test's connection and transaction
    (its own connection would not see the test's data, nor may it be closed)."""
    from zugong.core import jobs

    monkeypatch.setattr(jobs, "close_old_connections", lambda: None)
    monkeypatch.setattr(jobs.connection, "close", lambda: None)
    thread.run()


# --- concurrency: two connections at once (PostgreSQL row locks; SQLite's one write lock) ---------
def lock_waiters() -> int:
    """PostgreSQL: how many other sessions of this database wait for a lock, row or advisory (0 on SQLite)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cur:
        cur.execute("SELECT pg_stat_clear_snapshot()")  # else one view per transaction
        cur.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
        )
        return cur.fetchone()[0]


def in_thread(target) -> tuple:
    """Run ``target()`` in a thread with its own database connection (closed at the end); returns the
    thread and a list that gets what ``target`` returned, or the exception it raised. Needs a test
    marked ``django_db(transaction=True)``: the thread's connection sees only committed rows."""
    import threading

    from django.db import connection

    out: list = []

    def main():
        try:
            out.append(target())
        except BaseException as exc:
            out.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=main, daemon=True)
    thread.start()
    return thread, out


def wait_until(until, seconds: float = 20.0) -> None:
    """Poll ``until()`` every 20 ms until it is true; AssertionError after ``seconds``."""
    import time

    end = time.monotonic() + seconds
    while not until():
        assert time.monotonic() < end, "timed out"
        time.sleep(0.02)
