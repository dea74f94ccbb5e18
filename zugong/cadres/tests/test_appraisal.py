"""Annual appraisal: quota and rounding at the boundaries, closing, consequences, incentive flags,
team "1+N" score, routine appraisals, pages and scope (issue 4 §2–3; 《公务员考核规定》（2020））."""

import datetime as dt
import itertools
import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from zugong.cadres import rules
from zugong.cadres import selectors_appraisal as sa
from zugong.cadres.models import (
    Appointment,
    AppraisalEntry,
    Cadre,
    CadreRank,
    LeadershipTeam,
    Post,
    TeamScorePart,
)
from zugong.cadres.rules import BASIC as B
from zugong.cadres.rules import COMPETENT as C
from zugong.cadres.rules import EXCELLENT as E
from zugong.cadres.rules import INCOMPETENT as INC
from zugong.cadres.services import appraisal, evidence
from zugong.core.audit import Actor
from zugong.core.models import AuditEvent
from zugong.core.scope import scope_for
from zugong.orgs.tests.people import make_person, populate

D = dt.date


@pytest.fixture
def people(city):
    return populate(city)


def who(city, name="county_admin"):
    return Actor(user=city.users[name]), scope_for(city.users[name])


_serial = itertools.count()


@pytest.fixture(autouse=True)
def _reset_serial():
    global _serial
    _serial = itertools.count()


START_2020 = D(2020, 1, 1)


def staff(city, n: int, *, start=START_2020) -> list[Cadre]:
    """``n`` county cadres of 金安区一镇, each holding a post since ``start``."""
    out = []
    for _ in range(n):
        i = next(_serial)
        p = make_person(f"干部{i:02d}", 100 + i, birth=D(1985, 1, 1))
        c = Cadre.objects.create(person=p, management_level="county", post_level="50", unit=city.units["jinan_town"])
        post = Post.objects.create(unit=city.units["jinan_town"], title=f"科员{i}", post_level="50")
        Appointment.objects.create(cadre=c, post=post, start=start)
        out.append(c)
    return out


def open_round(city, year=2025, **kw):
    a, s = who(city)
    return appraisal.round_open(actor=a, scope=s, unit=city.units["jinan_town"], year=year, category="organ", **kw)


def grade_all(city, rnd, grades: dict[str, str] | None = None, default=C):
    a, s = who(city)
    for e in AppraisalEntry.objects.filter(round=rnd, not_graded="").select_related("cadre__person"):
        appraisal.entry_grade(actor=a, scope=s, entry=e, grade=(grades or {}).get(e.cadre.person.name, default))


@pytest.mark.parametrize(("graded", "ratio", "rounding", "quota"), [
    (12, "0.20", "floor", 2), (12, "0.20", "half_up", 2), (13, "0.20", "floor", 2), (13, "0.20", "half_up", 3),
    (10, "0.20", "floor", 2), (4, "0.20", "floor", 0), (4, "0.20", "half_up", 1), (12, "0.25", "floor", 3), (0, "0.20", "half_up", 0),
])  # fmt: skip
def test_it_computes_the_excellent_quota_with_the_rounding_rule(graded, ratio, rounding, quota):
    assert rules.excellent_quota(graded, Decimal(ratio), rounding) == quota


def test_it_allows_more_than_20_percent_only_with_an_approval_and_never_above_25():
    rules.check_excellent_ratio(Decimal("0.20"), "")
    with pytest.raises(rules.RuleViolation, match="须经批准"):
        rules.check_excellent_ratio(Decimal("0.21"), " ")
    rules.check_excellent_ratio(Decimal("0.25"), "六组〔2025〕7号")
    with pytest.raises(rules.RuleViolation, match="不超过25%"):
        rules.check_excellent_ratio(Decimal("0.251"), "六组〔2025〕7号")


def test_it_refuses_to_close_over_the_quota_and_closes_at_the_quota(city, people):
    staff(city, 9)
    late = staff(city, 1, start=D(2025, 7, 2))[0]  # served less than half a year: not graded
    rnd = open_round(city)
    a, s = who(city)
    assert appraisal.round_add_participants(actor=a, scope=s, round=rnd) == 12  # 9 + late + 张晓明 + 孙丽
    assert AppraisalEntry.objects.get(cadre=late).not_graded == "short_service"
    with pytest.raises(rules.RuleViolation, match="尚有11名参加考核人员未确定等次"):
        appraisal.round_close(actor=a, scope=s, round=rnd, on=D(2026, 1, 10))
    grade_all(city, rnd, {"干部00": E, "干部01": E, "干部02": E})
    f = sa.round_figures(rnd)
    assert (f["participants"], f["not_graded"], f["graded_base"], f["quota"], f["excellent"], f["over"]) == (12, 1, 11, 2, 3, 1)
    assert f["exact"] == Decimal("2.2")
    with pytest.raises(rules.RuleViolation) as exc:
        appraisal.round_close(actor=a, scope=s, round=rnd, on=D(2026, 1, 10))
    assert "优秀等次3名，超过比例限额2名" in str(exc.value) and "公务员考核规定" in str(exc.value)
    appraisal.entry_grade(actor=a, scope=s, entry=AppraisalEntry.objects.get(round=rnd, cadre__person__name="干部02"), grade=C)
    appraisal.round_close(actor=a, scope=s, round=rnd, on=D(2026, 1, 10))
    rnd.refresh_from_db()
    assert rnd.status == "closed" and rnd.closed_on == D(2026, 1, 10)
    with pytest.raises(rules.RuleViolation, match="已结束"):
        appraisal.entry_grade(actor=a, scope=s, entry=AppraisalEntry.objects.filter(round=rnd).first(), grade=E)
    assert AuditEvent.objects.get(action="cadres.round_close").after["quota"] == 2


def test_it_marks_half_a_year_of_service_at_the_1_july_boundary(city):
    on_cutoff = staff(city, 1, start=D(2025, 7, 1))[0]
    rnd = open_round(city)
    a, s = who(city)
    appraisal.round_add_participants(actor=a, scope=s, round=rnd)
    assert AppraisalEntry.objects.get(cadre=on_cutoff).not_graded == ""


def test_it_opens_a_round_at_25_percent_with_approval_and_rounds_half_up(city):
    staff(city, 13)
    rnd = open_round(city, excellent_ratio=Decimal("0.25"), ratio_approval="六组〔2025〕7号", rounding="half_up")
    a, s = who(city)
    appraisal.round_add_participants(actor=a, scope=s, round=rnd)
    assert sa.round_figures(rnd)["quota"] == 3  # 13 × 25% = 3.25 → 3
    with pytest.raises(rules.RuleViolation, match="已存在"):
        open_round(city, excellent_ratio=Decimal("0.25"), ratio_approval="x")
    with pytest.raises(rules.RuleViolation, match="须经批准"):
        open_round(city, year=2024, excellent_ratio=Decimal("0.22"))


def test_it_keeps_one_annual_grade_per_cadre_and_year(city):
    staff(city, 2)
    a, s = who(city)
    first = open_round(city)
    appraisal.round_add_participants(actor=a, scope=s, round=first)
    second = appraisal.round_open(actor=a, scope=s, unit=city.units["jinan"], year=2025, category="team")
    assert appraisal.round_add_participants(actor=a, scope=s, round=second) == 0


@pytest.mark.parametrize(("grades", "expected"), [
    ({2020: E}, [("commendation", 2020)]),
    ({2020: E, 2021: E, 2022: E}, [("commendation", 2020), ("commendation", 2021), ("salary_step", 2021),
                                    ("commendation", 2022), ("third_class_merit", 2022)]),
    ({2020: E, 2021: E, 2023: E}, [("commendation", 2020), ("commendation", 2021), ("salary_step", 2021), ("commendation", 2023)]),
    ({2020: E, 2021: C, 2022: E}, [("commendation", 2020), ("salary_step", 2021), ("commendation", 2022)]),
    ({2020: C, 2021: B, 2022: C}, [("admonishing_talk", 2021), ("salary_step", 2022)]),
    ({2020: INC}, [("demotion", 2020)]),
    ({2020: INC, 2021: INC}, [("demotion", 2020), ("dismissal", 2021)]),
    ({2020: INC, 2021: C, 2022: INC}, [("demotion", 2020), ("demotion", 2022)]),
    ({2019: INC, 2021: INC}, [("demotion", 2019), ("demotion", 2021)]),
])  # fmt: skip
def test_it_computes_consequences_at_their_boundaries(grades, expected):
    got = rules.appraisal_consequences(grades)
    assert [(c.kind, c.year) for c in got] == expected
    assert all("《" in c.source for c in got)


def test_it_gives_a_salary_grade_after_five_accumulated_years_and_merit_again_after_six_excellent():
    got = rules.appraisal_consequences(dict.fromkeys(range(2015, 2021), E))
    kinds = [(c.kind, c.year) for c in got]
    assert ("salary_grade", 2019) in kinds and ("third_class_merit", 2017) in kinds and ("third_class_merit", 2020) in kinds
    assert [k for k in kinds if k[0] == "salary_step"] == [("salary_step", 2016), ("salary_step", 2018), ("salary_step", 2020)]


def test_it_derives_consequences_and_flags_from_closed_rounds_only(city):
    people = staff(city, 10)
    a, s = who(city)
    for year in (2024, 2025):
        rnd = open_round(city, year=year)
        appraisal.round_add_participants(actor=a, scope=s, round=rnd)
        grade_all(city, rnd, {"干部00": E, "干部01": E})
        for i, e in enumerate(AppraisalEntry.objects.filter(round=rnd).order_by("cadre__person__name"), start=1):
            appraisal.entry_grade(actor=a, scope=s, entry=e, grade=e.grade, ranking=i)
        if year == 2024:
            appraisal.round_close(actor=a, scope=s, round=rnd, on=D(2025, 1, 5))
    assert [c.kind for c in sa.consequences(people[0])] == ["commendation"]  # 2025 still open
    flagged = sa.incentive_candidates(Cadre.objects.all())
    assert set(flagged) == {people[0]}  # ranking 1 of 10: ceil(1.0) = 1; ranking 2 is not near the top
    appraisal.round_close(actor=a, scope=s, round=AppraisalEntry.objects.get(cadre=people[0], year=2025).round, on=D(2026, 1, 5))
    assert set(sa.incentive_candidates(Cadre.objects.all())) == {people[0], people[1]}  # 优秀 2024 and 2025
    assert any("连续两年考核优秀" in f for f in sa.incentive_flags(people[1]))
    evidence.evidence_record(actor=a, scope=s, cadre=people[5], kind="commendation", on=D(2025, 5, 1),
                             title="全省优秀共产党员", source_document="皖组〔2025〕20号", level="provincial")
    assert people[5] in sa.incentive_candidates(Cadre.objects.all())
    evidence.evidence_record(actor=a, scope=s, cadre=people[6], kind="commendation", on=D(2025, 5, 1),
                             title="全市先进个人", source_document="六组〔2025〕3号", level="city")
    assert people[6] not in sa.incentive_candidates(Cadre.objects.all())


def test_it_counts_ranking_two_of_eleven_as_near_the_top(city):
    people = staff(city, 11)
    a, s = who(city)
    rnd = open_round(city)
    appraisal.round_add_participants(actor=a, scope=s, round=rnd)
    grade_all(city, rnd)
    for i, e in enumerate(AppraisalEntry.objects.filter(round=rnd).order_by("cadre__person__name"), start=1):
        appraisal.entry_grade(actor=a, scope=s, entry=e, grade=C, ranking=i)
    appraisal.round_close(actor=a, scope=s, round=rnd, on=D(2026, 1, 5))
    assert rules.top_ranking_cut(11) == 2 and rules.top_ranking_cut(10) == 1
    assert set(sa.incentive_candidates(Cadre.objects.all())) == {people[0], people[1]}


def test_it_shows_the_team_score_with_its_formula(city, people):
    team = LeadershipTeam.objects.get(name="金安区一镇领导班子")
    a, s = who(city)
    parts = {p.code: p for p in TeamScorePart.objects.all()}
    appraisal.team_score_set(actor=a, scope=s, team=team, year=2025, part=parts["democratic"], value=Decimal("90"))
    appraisal.team_score_set(actor=a, scope=s, team=team, year=2025, part=parts["routine"], value=Decimal("80"))
    result = sa.team_score(team, 2025)
    assert result["formula"] == "综合得分 = 任务完成情况×40% + 民主测评×30% + 平时考核×30%"
    assert result["score"] == Decimal("85.00")  # task part missing: (90×0.3 + 80×0.3) / 0.6
    appraisal.team_score_set(actor=a, scope=s, team=team, year=2025, part=parts["task"], value=Decimal("70"))
    assert sa.team_score(team, 2025)["score"] == Decimal("79.00")
    with pytest.raises(rules.RuleViolation):
        appraisal.team_score_set(actor=a, scope=s, team=team, year=2025, part=parts["task"], value=Decimal("100.5"))
    n, ns = who(city, "neighbour_admin")
    with pytest.raises(Http404):
        appraisal.team_score_set(actor=n, scope=ns, team=team, year=2025, part=parts["task"], value=Decimal("1"))
    with pytest.raises(PermissionDenied):
        appraisal.team_score_part_set(actor=a, scope=s, part=parts["task"], weight=Decimal("0.5"))


def test_it_records_routine_and_special_appraisals(city, people):
    a, s = who(city)
    cadre = Cadre.objects.get(person=people["孙丽"])
    appraisal.routine_record(actor=a, scope=s, cadre=cadre, kind="routine", year=2025, quarter=1, grade="good", on=D(2025, 4, 5))
    with pytest.raises(rules.RuleViolation, match="已记录"):
        appraisal.routine_record(actor=a, scope=s, cadre=cadre, kind="routine", year=2025, quarter=1, grade="average", on=D(2025, 4, 6))
    with pytest.raises(rules.RuleViolation, match="须填写季度"):
        appraisal.routine_record(actor=a, scope=s, cadre=cadre, kind="routine", year=2025, grade="good", on=D(2025, 4, 6))
    appraisal.routine_record(actor=a, scope=s, cadre=cadre, kind="special", year=2025, subject="防汛救灾", grade="good", on=D(2025, 8, 1))
    assert AuditEvent.objects.filter(action="cadres.routine_record").count() == 2


def test_it_serves_the_appraisal_pages_to_the_right_people(city, login, people):
    staff(city, 3)
    rnd = open_round(city)
    urls = [reverse("cadres:rounds"), reverse("cadres:round", args=[rnd.id]), reverse("cadres:round_export", args=[rnd.id]),
            reverse("cadres:incentives")]
    c = login(city.users["county_admin"])
    c.post(reverse("cadres:round_add", args=[rnd.id]))
    assert AppraisalEntry.objects.filter(round=rnd).count() == 5
    page = c.get(urls[1]).content.decode()
    assert "优秀理论名额" in page and "5 × 20% = 1.00" in page
    r = c.get(urls[2])
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    assert c.get(urls[3]).status_code == 200 and c.get(urls[3], {"format": "xlsx"}).status_code == 200
    r = c.post(urls[0], {"unit": city.units["jinan_town"].id, "year": 2024, "category": "organ", "excellent_ratio": "0.30", "rounding": "floor"}, follow=True)
    assert "优秀比例应大于0且不超过25%" in r.content.decode()
    leader = login(city.users["leader"])
    assert leader.get(urls[1]).status_code == 200
    assert leader.post(reverse("cadres:round_close", args=[rnd.id])).status_code == 403
    n = login(city.users["neighbour_admin"])
    assert [x.status_code for x in (n.get(urls[1]), n.get(urls[2]), n.post(reverse("cadres:round_close", args=[rnd.id])))] == [404, 404, 404]
    assert rnd.unit.name not in n.get(urls[0]).content.decode().split("<table")[1]
    o = login(city.users["outsider"])
    assert {o.get(u).status_code for u in urls} == {403}


@pytest.mark.parametrize(("today", "year"), [(D(2026, 12, 7), 2026), (D(2026, 11, 1), 2026), (D(2026, 10, 31), 2025), (D(2027, 1, 15), 2026)])
def test_the_open_round_form_proposes_the_year_being_appraised(today, year):
    assert sa.default_round_year(today) == year


def test_the_rounds_list_filters_by_year_category_and_status_and_counts_excellent(city, login, people):
    staff(city, 5)
    a, s = who(city)
    old = open_round(city, year=2024)
    appraisal.round_add_participants(actor=a, scope=s, round=old)
    grade_all(city, old, {"干部00": E})
    appraisal.round_close(actor=a, scope=s, round=old, on=D(2025, 1, 20))
    open_round(city, year=2025)
    appraisal.round_open(actor=a, scope=s, unit=city.units["jinan_town"], year=2025, category="team")
    c = login(city.users["county_admin"])

    def rows(**params) -> list[str]:
        table = c.get(reverse("cadres:rounds"), params).content.decode().split("<tbody>")[1].split("</tbody>")[0]
        return [" ".join(re.sub(r"<[^>]+>", "", "<td" + td).strip() for td in tr.split("<td")[1:]) for tr in table.split("<tr>")[1:]]

    assert len(rows()) == 3
    assert rows(year=2024) == ["2024年度 金安区一镇 机关 7 1 20% 已结束（2025.01.20）"]
    assert [r.split()[2] for r in rows(year=2025)] == ["机关", "领导班子"]
    assert len(rows(category="team")) == 1 and len(rows(status="open")) == 2
    assert rows(year=2023) == ["没有符合条件的年度考核"]
    assert len(rows(year="x", category="bogus", status="")) == 3  # unknown values are ignored, not errors
    assert len(rows(year="9" * 30)) == 3  # not a year: ignored (SQLite cannot even bind such an integer)
    page = c.get(reverse("cadres:rounds")).content.decode()
    assert '<option value="2025">2025年度</option><option value="2024">2024年度</option>' in page
    n = login(city.users["neighbour_admin"])
    assert "没有符合条件" not in n.get(reverse("cadres:rounds")).content.decode() and "2024年度" not in n.get(reverse("cadres:rounds")).content.decode().split("<tbody>")[1]


# ------------------------------------------------------------------------------------------------
# Who a round adds, by category
# ------------------------------------------------------------------------------------------------
START_2021 = D(2021, 6, 1)


def team_member(city, name: str, *, start=START_2021, end=None, team=None, unit="jinan_town", level="42",
                management="county", concurrent_in=None) -> Cadre:
    """A cadre holding a post of ``team`` (default 金安区一镇领导班子) from ``start`` to ``end``;
    ``concurrent_in``: a second team whose post the cadre also holds (兼任)."""
    team = team or LeadershipTeam.objects.get(name="金安区一镇领导班子")
    i = next(_serial)
    c = Cadre.objects.create(person=make_person(name, 300 + i, birth=D(1980, 1, 1)), management_level=management,
                             post_level=level, unit=city.units[unit])  # fmt: skip
    post = Post.objects.create(unit=team.unit, team=team, title=f"副职{i}", post_level=level)
    Appointment.objects.create(cadre=c, post=post, start=start, end=end)
    if concurrent_in:
        extra = Post.objects.create(unit=concurrent_in.unit, team=concurrent_in, title=f"兼职{i}", post_level=level)
        Appointment.objects.create(cadre=c, post=extra, start=start, is_concurrent=True)
    return c


def test_it_adds_each_running_member_of_the_leadership_teams_once_to_a_team_round(city, people):
    jinan_team = LeadershipTeam.objects.get(name="金安区一镇领导班子")
    district_team = LeadershipTeam.objects.create(unit=city.units["jinan"], name="金安区政府领导班子", management_level="county")
    city_team = LeadershipTeam.objects.create(unit=city.units["jinan"], name="金安区委领导班子", management_level="city")
    twice = team_member(city, "兼任甲", concurrent_in=district_team)  # two team posts: added once
    district = team_member(city, "区长乙", team=district_team, unit="jinan", level="41")
    late = team_member(city, "新任丙", start=D(2025, 8, 1))  # joined the team after 1 July: 任职不满半年
    team_member(city, "离任丁", start=D(2019, 1, 1), end=D(2025, 10, 1))  # left the team before year end
    team_member(city, "明年戊", start=D(2026, 1, 5))  # appointed after the appraisal year
    team_member(city, "市管己", team=city_team, unit="jinan", level="41", management="city")  # not the county's to appraise
    staff(city, 3)  # 科员 without a team post
    a, s = who(city)
    rnd = appraisal.round_open(actor=a, scope=s, unit=city.units["jinan"], year=2025, category="team")
    assert appraisal.round_add_participants(actor=a, scope=s, round=rnd) == 5
    added = dict(AppraisalEntry.objects.filter(round=rnd).values_list("cadre__person__name", "not_graded"))
    assert added == {"张晓明": "", "孙丽": "", "兼任甲": "", "区长乙": "", "新任丙": "short_service"}  # not 钱明 (裕安区)
    assert {twice.pk, district.pk, late.pk} <= set(AuditEvent.objects.get(action="cadres.round_add").after["cadres"])
    assert jinan_team.posts.count() == 6
    assert appraisal.round_add_participants(actor=a, scope=s, round=rnd) == 0  # each once, also when added again


def test_it_reads_team_membership_on_the_last_day_of_the_year_or_today(city, people):
    team_member(city, "五月任", start=D(2026, 5, 1))
    a, s = who(city)
    rnd = appraisal.round_open(actor=a, scope=s, unit=city.units["jinan_town"], year=2026, category="team")
    assert appraisal.team_reference_date(2026, D(2026, 3, 1)) == D(2026, 3, 1)
    assert appraisal.team_reference_date(2025, D(2026, 3, 1)) == D(2025, 12, 31)
    assert {c.person.name for c in appraisal.round_candidates(rnd, today=D(2026, 3, 1))} == {"张晓明", "孙丽"}
    assert {c.person.name for c in appraisal.round_candidates(rnd, today=D(2027, 1, 2))} == {"张晓明", "孙丽", "五月任"}


@pytest.mark.parametrize("category", ["organ", "grassroots", "institution"])
def test_it_adds_every_cadre_of_the_unit_subtree_to_the_other_categories(city, people, category):
    staff(city, 3)
    team_member(city, "离任丁", start=D(2019, 1, 1), end=D(2025, 10, 1))
    gone = team_member(city, "早退戊", start=D(2012, 1, 1), end=D(2018, 3, 1))  # a predecessor, on file since he retired
    ranked = Cadre.objects.create(person=make_person("职级己", 298, birth=D(1975, 1, 1)), management_level="county",
                                  post_level="50", unit=city.units["jinan_town"])  # a 职级 and no post
    CadreRank.objects.create(cadre=ranked, rank="10", start=D(2024, 1, 1))
    a, s = who(city)
    rnd = appraisal.round_open(actor=a, scope=s, unit=city.units["jinan_town"], year=2025, category=category)
    assert gone not in appraisal.round_candidates(rnd, today=D(2026, 3, 1))
    assert appraisal.round_add_participants(actor=a, scope=s, round=rnd) == 7  # 3 staff + 张晓明 + 孙丽 + 离任丁 + 职级己


# ------------------------------------------------------------------------------------------------
# The round page at size: paging, filters, grading a row through htmx or a plain form
# ------------------------------------------------------------------------------------------------
def big_round(city, n=60):
    staff(city, n)
    village = Cadre.objects.create(person=make_person("村干部", 299, birth=D(1990, 1, 1)), management_level="county",
                                   post_level="50", unit=city.units["jinan_village"])  # fmt: skip
    Appointment.objects.create(cadre=village, post=Post.objects.create(unit=city.units["jinan_village"], title="文书", post_level="50"),
                               start=START_2020)  # fmt: skip
    a, s = who(city)
    rnd = appraisal.round_open(actor=a, scope=s, unit=city.units["jinan"], year=2025, category="organ")
    appraisal.round_add_participants(actor=a, scope=s, round=rnd)
    return rnd


def rows(response) -> list[str]:
    import re

    return re.findall(r'<tr id="entry-\d+" data-name="([^"]+)"', response.content.decode())


def test_it_pages_the_participants_and_filters_them_by_name_initials_unit_and_grade(city, login, people):
    rnd = big_round(city)  # 60 staff + 村干部 + 张晓明 + 孙丽 = 63
    a, s = who(city)
    appraisal.entry_grade(actor=a, scope=s, entry=AppraisalEntry.objects.get(round=rnd, cadre__person__name="孙丽"), grade=E)
    c = login(city.users["county_admin"])
    url = reverse("cadres:round", args=[rnd.id])
    first = c.get(url)
    assert len(rows(first)) == sa.ROUND_PAGE_SIZE == 50 and "共 63 人" in first.content.decode()
    assert "第 1 / 2 页" in first.content.decode() and 'value="page=2"' not in first.content.decode()
    assert len(rows(c.get(url, {"page": 2}))) == 13
    assert rows(c.get(url, {"q": "zxm"})) == ["张晓明"]  # pinyin initials, as in the 名册
    assert len(rows(c.get(url, {"q": "干部0"}))) == 10
    assert rows(c.get(url, {"unit": city.units["jinan_village"].id})) == ["村干部"]
    assert rows(c.get(url, {"unit": city.units["yuan_town"].id})) == []  # a unit outside the round
    assert rows(c.get(url, {"grade": E})) == ["孙丽"]
    assert len(rows(c.get(url, {"grade": "ungraded"}))) == 50 and "未定等次（62）" in first.content.decode()
    page2 = c.get(url, {"q": "干部", "page": 2}).content.decode()
    assert 'name="back" value="q=%E5%B9%B2%E9%83%A8&amp;page=2"' in page2  # rows post back to this page and filter


def test_a_county_sees_a_city_managed_participant_of_its_round_without_a_grade_form(city, login, people):
    staff(city, 2)
    rnd = open_round(city)
    a, s = who(city)
    appraisal.round_add_participants(actor=a, scope=s, round=rnd)
    Cadre.objects.filter(person__name="干部00").update(management_level="city")  # now the city's to grade
    page = login(city.users["county_admin"]).get(reverse("cadres:round", args=[rnd.id])).content.decode()
    entry = AppraisalEntry.objects.get(round=rnd, cadre__person__name="干部00")
    row = page[page.index(f'id="entry-{entry.id}"'):]
    assert "grade-form" not in row[: row.index("</tr>")]
    other = AppraisalEntry.objects.get(round=rnd, cadre__person__name="干部01")
    row = page[page.index(f'id="entry-{other.id}"'):]
    assert "grade-form" in row[: row.index("</tr>")]


def test_it_grades_a_row_through_htmx_and_returns_the_row_and_the_figures(city, login, people):
    staff(city, 3)
    rnd = open_round(city)
    a, s = who(city)
    appraisal.round_add_participants(actor=a, scope=s, round=rnd)  # 5: quota 5 × 20% = 1
    entries = {e.cadre.person.name: e for e in AppraisalEntry.objects.filter(round=rnd).select_related("cadre__person")}
    c = login(city.users["county_admin"])
    url = reverse("cadres:round_grade", args=[rnd.id])
    htmx = {"HTTP_HX_REQUEST": "true"}
    r = c.post(url, {"entry": entries["干部00"].id, "grade": E, "not_graded": "", "ranking": "1", "n": "3", "back": "page=1"}, **htmx)
    body = r.content.decode()
    assert r.status_code == 200 and body.lstrip().startswith(f'<tr id="entry-{entries["干部00"].id}"')
    assert 'id="figures" hx-swap-oob="true"' in body and '<div class="v" id="actual">1</div>' in body
    assert "已保存：干部00 优秀" in body and "超过比例限额" not in body and "<html" not in body
    r = c.post(url, {"entry": entries["干部01"].id, "grade": E, "not_graded": "", "ranking": ""}, **htmx)
    body = r.content.decode()
    assert "超出 1 名" in body and "优秀等次2名，超过比例限额1名，不能结束考核" in body and "公务员考核规定" in body
    assert AppraisalEntry.objects.get(pk=entries["干部01"].id).grade == E  # grading is allowed; closing is refused
    r = c.post(url, {"entry": entries["干部02"].id, "grade": C, "not_graded": "other", "ranking": ""}, **htmx)
    body = r.content.decode()
    assert "确定等次与不定等次只能选择其一" in body and "row-error" in body
    assert AppraisalEntry.objects.get(pk=entries["干部02"].id).grade == ""
    assert AuditEvent.objects.filter(action="cadres.entry_grade").count() == 2


def test_it_keeps_a_plain_form_post_that_goes_back_to_the_same_page_and_filter(city, login, people):
    staff(city, 3)
    rnd = open_round(city)
    a, s = who(city)
    appraisal.round_add_participants(actor=a, scope=s, round=rnd)
    appraisal.entry_grade(actor=a, scope=s, entry=AppraisalEntry.objects.get(round=rnd, cadre__person__name="孙丽"), grade=E)
    entry = AppraisalEntry.objects.get(round=rnd, cadre__person__name="干部01")
    c = login(city.users["county_admin"])
    url = reverse("cadres:round_grade", args=[rnd.id])
    r = c.post(url, {"entry": entry.id, "grade": E, "not_graded": "", "ranking": "", "back": "q=gb&grade=ungraded&page=2&next=//evil.example"})
    assert r.status_code == 302
    assert r["Location"] == f"/cadres/appraisal/{rnd.id}/?q=gb&grade=ungraded&page=2#entry-{entry.id}"
    page = c.get(r["Location"].split("#")[0]).content.decode()
    assert "已保存：干部01" in page and "优秀等次2名，超过比例限额1名，不能结束考核" in page
    r = c.post(url, {"entry": entry.id, "grade": "best", "back": ""}, follow=True)
    assert "等次不正确" in r.content.decode() and r.redirect_chain[-1][0] == f"/cadres/appraisal/{rnd.id}/#entry-{entry.id}"
    assert c.post(url, {"entry": 999999, "grade": C}).status_code == 404
    leader = login(city.users["leader"])
    assert leader.post(url, {"entry": entry.id, "grade": C}, HTTP_HX_REQUEST="true").status_code == 403
    n = login(city.users["neighbour_admin"])
    assert n.post(url, {"entry": entry.id, "grade": C}).status_code == 404
    assert AppraisalEntry.objects.get(pk=entry.id).grade == E
