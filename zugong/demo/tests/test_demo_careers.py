"""The demo's careers (zugong/demo/careers.py): earlier posts and ranks back to the 参加工作时间, seats of
past dates held by today's cadres or predecessors, and what the statistics make of them on past dates.

Its own module: the cadres of scale 1 (18,000, beyond the 3,400 seats) with hardly any other member, so
that the figures are those of ``zugong demo --scale 1`` at a fraction of its time.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction

from zugong.cadres.models import Appointment, Cadre, CadreRank, LeadershipTeam, Post
from zugong.cadres.rules import is_party_post, post_kind
from zugong.cadres.selectors_record import resume_lines
from zugong.cadres.services.career import quota_holders
from zugong.core.rules import add_years, age_on
from zugong.demo import build, build_demo, careers
from zugong.demo.people import REF_DATE
from zugong.members.models import PartyMember

PAST = dt.date(2015, 12, 31)
SAMPLED = (dt.date(2010, 6, 30), dt.date(2013, 12, 31), PAST, dt.date(2018, 6, 30), dt.date(2019, 6, 1),
           dt.date(2021, 12, 31), REF_DATE)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The cadres of scale 1 and no member drawn beyond them, rolled back at the end."""
    with django_db_blocker.unblock(), pytest.MonkeyPatch.context() as mp:
        mp.setattr(build, "MEMBERS_AT_SCALE_1", 0)
        with transaction.atomic():
            summary = build_demo(scale=1, seed=7)
            yield summary
            transaction.set_rollback(True)


def _scope():
    from zugong.core.scope import scope_for

    return scope_for(get_user_model().objects.get(username="admin"))


def _periods():
    """cadre id → its main periods [(start, end, kind, value)] in order: ("post", title) or ("rank", code)."""
    out = defaultdict(list)
    for cadre, start, end, title in Appointment.objects.filter(is_concurrent=False).values_list(
            "cadre", "start", "end", "post__title"):
        out[cadre].append((start, end, "post", title))
    for cadre, start, end, rank in CadreRank.objects.values_list("cadre", "start", "end", "rank"):
        out[cadre].append((start, end, "rank", rank))
    for periods in out.values():
        periods.sort()
    return out


@pytest.mark.django_db
def test_it_counts_cadres_on_past_dates_plausibly(demo):
    from zugong.stats.selectors import cadre_counts, resolve_target, team_age_total

    scope = _scope()
    today = cadre_counts(resolve_target(scope, on=REF_DATE))
    assert (today["city"]["total"], today["county"]["total"]) == (3000, 15000)  # the predecessors are not counted
    past = cadre_counts(resolve_target(scope, on=PAST))
    for level in ("city", "county"):
        # today's cadres held earlier posts then (counted by today's 管理权限), and predecessors held the
        # seats they did not: about as many as today
        assert 0.4 * today[level]["total"] <= past[level]["total"] <= 1.15 * today[level]["total"], level
        assert past[level]["age_55_58"] > 0 and past[level]["age_58_plus"] > 0, level
    teams_now = team_age_total(resolve_target(scope, on=REF_DATE))
    teams = team_age_total(resolve_target(scope, on=PAST))
    assert teams["size"] > 0.85 * teams_now["size"] and 40 <= teams["age_sum"] / teams["size"] <= 50
    assert cadre_counts(resolve_target(scope, on=dt.date(2005, 12, 31)))["all"]["total"] > 0


@pytest.mark.django_db
def test_it_gives_each_cadre_one_period_at_a_time_from_work_start(demo):
    people = {c.pk: c for c in Cadre.objects.select_related("person")}
    joined = dict(PartyMember.objects.values_list("person_id", "joined_date"))
    converted = set(careers.NON_LEADING.values())
    earlier = []
    for cadre_id, periods in _periods().items():
        cadre = people[cadre_id]
        birth, work = cadre.person.birth_date, cadre.person.work_start_date
        assert periods[0][0] >= max(work, add_years(birth, 18)), cadre
        for (_s1, e1, *_), (s2, *_) in zip(periods, periods[1:], strict=False):
            assert e1 is not None and e1 == s2, cadre  # no overlap, no gap: each ends when the next begins
        for start, end, kind, value in periods:
            if kind == "rank":
                assert start >= careers.RANKS_FROM, cadre  # 职级 since 2019-06-01
            elif value in converted:
                assert end <= careers.RANKS_FROM, cadre  # 非领导职务 ended then
        ranks = [v for *_, k, v in periods if k == "rank"]
        assert ranks == sorted(ranks, reverse=True) and len(set(ranks)) == len(ranks), cadre  # each one a promotion
        if periods[-1][1] is None:  # a cadre of today: the current period as drawn before, the earlier ones closed
            assert periods[-1][0] >= add_years(REF_DATE, -7)
            earlier.append(len(periods) - 1)
        else:  # a predecessor: one seat, left at 55–59
            assert len(periods) == 1 and 55 <= age_on(birth, periods[0][1]) <= 59, cadre
    assert len(earlier) == 18000 and sum(n >= 2 for n in earlier) > 0.9 * len(earlier) and max(earlier) <= 7
    for cadre_id, start, title in Appointment.objects.values_list("cadre", "start", "post__title"):
        if is_party_post(title):  # a 党内职务 only for a member who had joined by then
            person = people[cadre_id].person_id
            assert people[cadre_id].is_party_member and joined[person] <= start, (people[cadre_id], title)
    main = set(Appointment.objects.filter(is_concurrent=False).values_list("cadre", "start", "end"))
    assert set(Appointment.objects.filter(is_concurrent=True).values_list("cadre", "start", "end")) <= main


@pytest.mark.django_db
def test_it_keeps_past_seats_within_the_posts_of_each_team(demo):
    """The demo records no PostQuota: a team's 职数 of a kind are its posts of that kind (seats and the
    concurrent 副书记 posts), and no post ever has two holders at once."""
    quota = defaultdict(int)
    for team, level in Post.objects.filter(team__isnull=False).values_list("team", "post_level"):
        quota[(team, post_kind(level))] += 1
    rows = list(Appointment.objects.filter(post__team__isnull=False).values_list(
        "post", "post__team", "post__post_level", "cadre", "start", "end"))
    by_post = defaultdict(list)
    for post, _team, _level, _cadre, start, end in rows:
        by_post[post].append((start, end or dt.date.max))
    for periods in by_post.values():
        periods.sort()
        assert all(e <= s for (_, e), (s, _) in zip(periods, periods[1:], strict=False))
    for on in SAMPLED:
        holders = defaultdict(set)
        for _post, team, level, cadre, start, end in rows:
            if start <= on and (end is None or end > on):
                holders[(team, post_kind(level))].add(cadre)
        assert all(len(c) <= quota[key] for key, c in holders.items()), on
    # the main teams have members on a past date: the counties' 委 and 政府 with their heads, the towns'
    main = LeadershipTeam.objects.filter(name__regex=r"(区|县)(委|政府)领导班子$")
    assert main.count() == 14
    for team in main:
        assert quota_holders(team, "chief", PAST) >= 1 and quota_holders(team, "deputy", PAST) >= 3, team.name
    towns = LeadershipTeam.objects.filter(unit__kind__in=("township", "subdistrict"))
    held = {t for _p, t, _l, _c, s, e in rows if s <= PAST and (e is None or e > PAST)}
    assert sum(t.pk in held for t in towns) >= 0.95 * towns.count()


@pytest.mark.django_db
def test_it_writes_several_resume_lines_for_older_cadres(demo):
    older = [c for c in Cadre.objects.filter(appointments__end__isnull=True, appointments__is_concurrent=False)
             .select_related("person").order_by("id")[:400] if age_on(c.person.birth_date, REF_DATE) >= 50]
    assert len(older) > 50
    for cadre in older:
        lines = resume_lines(cadre)
        assert len(lines) >= 3, cadre
        assert lines[0].start == cadre.person.work_start_date and lines[-1].end is None
    ranks = Cadre.objects.filter(ranks__end__isnull=False).distinct()  # an earlier 职级 written in the 简历
    assert ranks.exists() and any(x.is_rank for x in resume_lines(ranks.first()))


@pytest.mark.django_db
def test_it_makes_predecessors_retired_members(demo):
    assert demo.predecessors > 1000
    retired = Cadre.objects.exclude(appointments__end__isnull=True).exclude(ranks__isnull=False).select_related("person")
    assert retired.count() == demo.predecessors
    branches = PartyMember.objects.filter(person__cadre__in=retired).values_list("org__name", "occupation")
    assert len(branches) == demo.predecessors and all("离退休" in name and occ == "08" for name, occ in branches)


@pytest.mark.django_db
def test_it_grades_appraises_pools_and_adjusts_at_city_scale_as_the_lists_need(demo):
    """At scale 1 the appraisal history fills the lists that read it: 优秀 two years running
    (同等条件下优先), the pool one step up, and a 能上能下 case for each serving cadre 不称职 in the last
    year (降职; 免职 when 不称职 the year before too), opened and carried a step or two, none decided."""
    from collections import Counter

    from zugong.cadres import rules
    from zugong.cadres.models import AdjustmentCase, AppraisalEntry, CaseStatus, ReserveEntry
    from zugong.cadres.selectors import holds_post_or_rank_on
    from zugong.cadres.selectors_appraisal import incentive_candidates
    from zugong.demo.appraisals import YEARS

    grades = Counter(AppraisalEntry.objects.exclude(grade="").values_list("grade", flat=True))
    assert 0.17 < grades[rules.EXCELLENT] / sum(grades.values()) <= 0.20  # the quotas nearly filled, never exceeded
    assert incentive_candidates(Cadre.objects.all()).count() > 500
    assert ReserveEntry.objects.count() == demo.reserve > 1000
    last = set(AppraisalEntry.objects.filter(year=YEARS[-1], grade=rules.INCOMPETENT).values_list("cadre_id", flat=True))
    before = set(AppraisalEntry.objects.filter(year=YEARS[-2], grade=rules.INCOMPETENT).values_list("cadre_id", flat=True))
    serving = set(Cadre.objects.filter(holds_post_or_rank_on(REF_DATE), pk__in=last).values_list("pk", flat=True))
    cases = list(AdjustmentCase.objects.prefetch_related("steps"))
    assert demo.cases == len(cases) > 10 and {c.cadre_id for c in cases} == serving
    for case in cases:
        assert case.measure == ("remove" if case.cadre_id in before else "demote") and case.status == CaseStatus.OPEN
        done = [s.step for s in sorted(case.steps.all(), key=lambda s: s.sort) if s.on is not None]
        assert done in (["motion", "verify"], ["motion", "verify", "proposal"])
