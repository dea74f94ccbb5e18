"""Warm statistics: the overviews people look at are computed again after writes, off the request."""

import threading
import time

import pytest

from zugong.core.audit import Actor, audit_record
from zugong.core.scope import scope_for
from zugong.core.services import PersonData, person_upsert
from zugong.core.testing import test_id_number
from zugong.stats import reports, warm
from zugong.stats import selectors as s
from zugong.stats.selectors import resolve_target


@pytest.fixture
def warming(monkeypatch):
    """Warming on, as in a server process, with the thread's requests recorded instead of run."""
    requests = []
    monkeypatch.setattr(warm, "_enabled", True)
    monkeypatch.setattr(warm.WARMER, "request", lambda **kw: requests.append(kw))
    warm.post_save.connect(warm._on_audit_event, sender="core.AuditEvent", dispatch_uid="test-warm")
    yield requests
    warm.post_save.disconnect(sender="core.AuditEvent", dispatch_uid="test-warm")


def write(city, n=1):
    admin = city.users["city_admin"]
    person_upsert(actor=Actor(user=admin), data=PersonData(name="张三", id_number=test_id_number(n)))


def pin_data_version(monkeypatch):
    """The data version held still: a test that names the cache key before the code under test
    does must not see it move (on PostgreSQL any write transaction of another session moves it)."""
    version = reports.data_version()
    monkeypatch.setattr(reports, "data_version", lambda: version)


def refuse_to_compute(monkeypatch):
    def cold(*args, **kwargs):
        raise AssertionError("computed on the request: not warm")

    monkeypatch.setattr(s, "member_counts_by_child", cold)


def test_an_overview_viewed_is_computed_again_after_a_write_and_served_warm(city, warming, monkeypatch):
    target = resolve_target(scope_for(city.users["county_admin"]))
    reports.overview(target)  # a view: noted, computed cold, cached
    assert [t.key for t in warm.viewed_targets()] == [target.key]
    write(city)
    assert not reports.is_cached("overview", target)  # a new data version
    assert warm.warm(warm.viewed_targets()) == 1
    assert warm.warm(warm.viewed_targets()) == 0  # already warm: nothing computed twice
    refuse_to_compute(monkeypatch)
    assert reports.overview(target)["counts"]["total"] >= 0  # served from the cache


def test_only_writes_that_count_ask_for_warming_after_their_commit(city, warming, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        write(city)
    assert warming == [{}]
    with django_capture_on_commit_callbacks(execute=True):
        from django.db import transaction

        with transaction.atomic():
            audit_record(Actor(user=city.users["city_admin"]), "members.export", summary="导出")
            audit_record(Actor(user=city.users["city_admin"]), "members.import_started", summary="开始导入")
    assert warming == [{}]  # reads and an import's bookkeeping change no figure
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        write(city, 2)
    assert len(callbacks) == 1 and warming == [{}]  # asked after the commit, not before


def test_the_roots_are_the_administrators_and_leaders_scopes_for_today(city):
    keys = {t.key for t in warm.root_targets()}
    expected = {resolve_target(scope_for(city.users[u])).key for u in ("city_admin", "county_admin", "neighbour_admin")}
    assert keys == expected  # the leader shares the city's root; branch secretaries are not warmed


def test_old_views_and_other_days_are_not_warmed(city, warming):
    import datetime as dt

    scope = scope_for(city.users["county_admin"])
    now = time.time()
    today, past = resolve_target(scope), resolve_target(scope, on=dt.date(2025, 6, 30))
    warm.note_viewed(past, now=now)
    warm.note_viewed(today, now=now - warm.VIEWED_SECONDS - 1)
    assert warm.viewed_targets(now=now) == []
    warm.note_viewed(today, now=now)
    assert [t.key for t in warm.viewed_targets(now=now)] == [today.key]


def test_nothing_is_noted_when_warming_is_off(city):
    reports.overview(resolve_target(scope_for(city.users["county_admin"])))
    assert warm.viewed_targets() == []


def test_the_thread_warms_once_per_burst_and_again_when_another_worker_held_the_lock():
    runs, done = [], threading.Event()
    answers = iter([False, True])

    def job(roots, polled):
        assert not polled
        runs.append(roots)
        if len(runs) == 2:
            done.set()
        return next(answers)

    w = warm.Warmer(job, quiet=0.05, poll=60)
    w.request(roots=True)
    for _ in range(5):  # a burst: one warm-up after it
        w.request()
    assert done.wait(5)
    time.sleep(0.15)
    assert runs == [True, True]  # locked out the first time: run again, the roots still asked for


def test_warming_does_not_note_what_it_warms(city, warming):
    warm.warm(warm.root_targets())
    assert warm.viewed_targets() == []  # else every write would warm every root ever warmed


def test_a_cold_overview_being_computed_elsewhere_is_waited_for_not_computed_again(city, monkeypatch):
    from django.core.cache import cache

    pin_data_version(monkeypatch)
    target = resolve_target(scope_for(city.users["county_admin"]))
    value = reports.overview(target, use_cache=False)
    key = reports._key("overview", target)
    assert cache.add(key + ":computing", 1, 30)  # another worker is computing it
    threading.Timer(0.2, cache.set, args=(key, value, 60)).start()  # … and stores it 0.2 s later
    refuse_to_compute(monkeypatch)
    assert reports.overview(target)["kpis"] == value["kpis"]


def test_a_computation_given_up_elsewhere_is_done_here(city, monkeypatch):
    from django.core.cache import cache

    pin_data_version(monkeypatch)
    target = resolve_target(scope_for(city.users["county_admin"]))
    key = reports._key("overview", target)
    assert cache.add(key + ":computing", 1, 30)
    threading.Timer(0.2, cache.delete, args=(key + ":computing",)).start()  # it failed: marker gone, no value
    assert reports.overview(target)["counts"]["total"] >= 0
    assert cache.has_key(key) and cache.has_key(key + ":computing") is False


def test_without_requests_the_thread_checks_now_and_then():
    polls = threading.Event()
    w = warm.Warmer(lambda roots, polled: polls.set() or polled, quiet=0.01, poll=0.05)
    w.request()  # starts the thread; after that run, it polls
    assert polls.wait(5)


def test_a_polled_round_warms_only_when_another_process_wrote(city, warming, monkeypatch):
    target = resolve_target(scope_for(city.users["county_admin"]))
    reports.overview(target)
    monkeypatch.setattr(warm.connection, "close", lambda: None)  # the test's connection holds its transaction
    computed = []
    monkeypatch.setattr(warm, "warm", lambda targets: computed.append(len(targets)) or len(targets))
    assert warm._warm_job(False) and computed == [1]  # a requested round warms and records the version
    assert warm._warm_job(False, polled=True) and computed == [1]  # nothing moved: nothing done
    write(city)  # as another process would: no request to this thread
    assert warm._warm_job(False, polled=True) and computed == [1, 1]
    assert warm._warm_job(False, polled=True) and computed == [1, 1]
