"""任务状态预警天数: the two day counts of the status rule are configurable by the city administrator
(audited), the model method and the SQL selector agree at the boundaries, and the rule text users
read shows the configured values."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from zugong.core.audit import Actor
from zugong.core.models import AuditEvent
from zugong.core.scope import scope_for
from zugong.work import selectors, services
from zugong.work.models import (
    ProgressReport,
    Status,
    StatusThreshold,
    Task,
    ThresholdKey,
    Thresholds,
    status_rule,
)

T = dt.date(2024, 6, 3)  # "today" of the boundary tests (the plan is dated 2024-01-10)


def act(user):
    return Actor(user=user), scope_for(user)


def set_threshold(city, key: str, days: int) -> StatusThreshold:
    actor, scope = act(city.users["city_admin"])
    return services.status_threshold_set(actor=actor, scope=scope, key=key, days=days)


@pytest.fixture
def task(city, plan):
    """Task 2 of the plan, with 金安区 as its only responsible unit."""
    t = plan.tasks.get(seq=2)
    t.responsible_units.set([city.units["jinan"]])
    return t


def both(t: Task, today: dt.date) -> tuple[str, str]:
    """(model method, SQL selector) status of ``t`` on ``today``, with the configured thresholds."""
    t = Task.objects.get(pk=t.pk)
    return t.status_on(today), selectors.with_status(Task.objects.filter(pk=t.pk), today).get().status


def due_in(city, t: Task, days: int) -> None:
    """A report today (so not stale) and the deadline ``days`` after T."""
    ProgressReport.objects.filter(task=t).delete()
    ProgressReport.objects.create(task=t, unit=city.units["jinan"], date=T, text="推进中")
    Task.objects.filter(pk=t.pk).update(due=T + dt.timedelta(days=days))


def silent_for(city, t: Task, days: int) -> None:
    """No deadline, and the last report ``days`` before T."""
    ProgressReport.objects.filter(task=t).delete()
    ProgressReport.objects.create(task=t, unit=city.units["jinan"], date=T - dt.timedelta(days=days), text="推进中")
    Task.objects.filter(pk=t.pk).update(due=None)


@pytest.mark.parametrize(("days", "expected"), [
    (29, Status.AT_RISK), (30, Status.AT_RISK), (31, Status.IN_PROGRESS),
])
def test_it_flags_a_task_due_within_the_default_30_days(city, task, days, expected):
    due_in(city, task, days)
    assert both(task, T) == (expected, expected)


@pytest.mark.parametrize(("days", "expected"), [(89, Status.IN_PROGRESS), (90, Status.AT_RISK), (91, Status.AT_RISK)])
def test_it_flags_a_task_silent_for_the_default_90_days(city, task, days, expected):
    silent_for(city, task, days)
    assert both(task, T) == (expected, expected)


@pytest.mark.parametrize(("days", "expected"), [
    (13, Status.AT_RISK), (14, Status.AT_RISK), (15, Status.IN_PROGRESS),
    (29, Status.IN_PROGRESS), (30, Status.IN_PROGRESS), (31, Status.IN_PROGRESS),
])
def test_it_uses_a_changed_at_risk_window_in_python_and_sql(city, task, days, expected):
    set_threshold(city, ThresholdKey.AT_RISK_DAYS, 14)
    due_in(city, task, days)
    assert both(task, T) == (expected, expected)


@pytest.mark.parametrize(("days", "expected"), [
    (59, Status.IN_PROGRESS), (60, Status.AT_RISK), (61, Status.AT_RISK),
    (89, Status.AT_RISK), (90, Status.AT_RISK),
])
def test_it_uses_a_changed_no_report_window_in_python_and_sql(city, task, days, expected):
    set_threshold(city, ThresholdKey.STALE_DAYS, 60)
    silent_for(city, task, days)
    assert both(task, T) == (expected, expected)


@pytest.mark.parametrize(("days", "expected"), [(119, Status.IN_PROGRESS), (120, Status.AT_RISK)])
def test_it_widens_the_no_report_window_past_the_default(city, task, days, expected):
    set_threshold(city, ThresholdKey.STALE_DAYS, 120)
    silent_for(city, task, days)
    assert both(task, T) == (expected, expected)


def test_it_counts_the_silence_from_the_document_date_when_nothing_was_reported(city, plan, task):
    set_threshold(city, ThresholdKey.STALE_DAYS, 45)
    Task.objects.filter(pk=task.pk).update(due=None)
    day = plan.document_date + dt.timedelta(days=44)
    assert both(task, day) == (Status.NOT_STARTED, Status.NOT_STARTED)
    assert both(task, day + dt.timedelta(days=1)) == (Status.AT_RISK, Status.AT_RISK)


def test_it_agrees_with_explicit_thresholds_and_flags_with_the_configured_ones(city, task):
    due_in(city, task, 20)
    t = Task.objects.get(pk=task.pk)
    th = Thresholds(at_risk_days=10, stale_days=90)
    assert t.status_on(T, th) == Status.IN_PROGRESS
    assert selectors.with_status(Task.objects.filter(pk=t.pk), T, th).get().status == Status.IN_PROGRESS
    scope = scope_for(city.users["city_admin"])
    assert task.pk in {x.pk for x in selectors.flagged_tasks(scope, today=T)}
    set_threshold(city, ThresholdKey.AT_RISK_DAYS, 10)
    assert task.pk not in {x.pk for x in selectors.flagged_tasks(scope, today=T)}
    assert task.pk not in {x.pk for x in selectors.flagged_tasks(scope, city.units["jinan"], today=T)}


def test_it_falls_back_to_the_shipped_defaults_without_rows(db):
    StatusThreshold.objects.all().delete()
    assert selectors.status_thresholds() == Thresholds(30, 90)


def test_it_lets_only_the_city_administrator_set_a_threshold_and_audits_it(city):
    for name in ("county_admin", "neighbour_admin", "branch_secretary", "leader"):
        actor, scope = act(city.users[name])
        with pytest.raises(PermissionDenied):
            services.status_threshold_set(actor=actor, scope=scope, key=ThresholdKey.AT_RISK_DAYS, days=10)
    assert selectors.status_thresholds() == Thresholds(30, 90)
    set_threshold(city, ThresholdKey.AT_RISK_DAYS, 21)
    set_threshold(city, ThresholdKey.AT_RISK_DAYS, 14)
    assert selectors.status_thresholds() == Thresholds(14, 90)
    events = list(AuditEvent.objects.filter(action="work.status_threshold.set").order_by("id"))
    assert [(e.before, e.after) for e in events] == [({"days": 30}, {"days": 21}), ({"days": 21}, {"days": 14})]
    assert events[-1].summary == "临近完成时限预警天数设为14天"


@pytest.mark.parametrize(("key", "days", "message"), [
    ("at_risk_days", 0, "临近完成时限预警天数：应在1至365天之间（填写的是0天）"),
    ("stale_days", 400, "未报告进展预警天数：应在1至365天之间（填写的是400天）"),
    ("stale_days", "九十", "未报告进展预警天数：应为整数天数"),
    ("at_risk_days", 90, "临近完成时限预警天数（90天）应小于未报告进展预警天数（90天）"),
    ("stale_days", 30, "临近完成时限预警天数（30天）应小于未报告进展预警天数（30天）"),
    ("due_days", 10, "预警项目无效"),
])
def test_it_refuses_bad_thresholds_with_a_chinese_message(city, key, days, message):
    with pytest.raises(ValidationError) as e:
        set_threshold(city, key, days)
    assert e.value.messages == [message]
    assert selectors.status_thresholds() == Thresholds(30, 90)


def test_it_shows_the_configured_values_in_the_rule_text(city, plan, login):
    assert "距完成时限30天以内" in status_rule() and "已90天以上没有报告进展" in status_rule()
    set_threshold(city, ThresholdKey.AT_RISK_DAYS, 14)
    set_threshold(city, ThresholdKey.STALE_DAYS, 60)
    assert "距完成时限14天以内" in status_rule() and "已60天以上没有报告进展" in status_rule()
    c = login(city.users["county_admin"])
    page = c.get(reverse("work:task", args=[plan.tasks.get(seq=2).pk])).content.decode()
    assert "距完成时限14天以内" in page and "已60天以上没有报告进展" in page and "30天" not in page
    page = c.get(reverse("work:thresholds")).content.decode()
    assert "距完成时限14天以内" in page and 'name="days"' not in page  # read-only for a county


def test_it_changes_a_threshold_through_the_page(city, login):
    c = login(city.users["city_admin"])
    assert 'name="days"' in c.get(reverse("work:thresholds")).content.decode()
    r = c.post(reverse("work:thresholds"), {"key": "at_risk_days", "days": "20"})
    assert r.status_code == 302
    assert selectors.status_thresholds().at_risk_days == 20
    r = c.post(reverse("work:thresholds"), {"key": "stale_days", "days": "0"})
    assert r.status_code == 400 and "未报告进展预警天数：应在1至365天之间" in r.content.decode()


def test_it_refuses_the_outsider_and_the_neighbouring_county(city, login):
    url = reverse("work:thresholds")
    c = login(city.users["outsider"])
    assert c.get(url).status_code == 403
    assert c.post(url, {"key": "at_risk_days", "days": "10"}).status_code == 403
    for name in ("neighbour_admin", "county_admin", "leader"):
        c = login(city.users[name])
        assert c.post(url, {"key": "at_risk_days", "days": "10"}).status_code == 403, name
    assert selectors.status_thresholds() == Thresholds(30, 90)
    assert not AuditEvent.objects.filter(action="work.status_threshold.set").exists()
