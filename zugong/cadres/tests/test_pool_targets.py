"""Pool structure against the department's targets (issue 4 §4: "Structure of the pool (age, gender,
education, field) against the targets the department sets"): boundaries, scope, audit, export."""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from openpyxl import load_workbook

from zugong.cadres import rules
from zugong.cadres import selectors_reserve as sr
from zugong.cadres.models import Cadre, PoolTarget, ReserveEntry
from zugong.cadres.services import reserve
from zugong.core.audit import Actor
from zugong.core.models import AuditEvent
from zugong.core.scope import scope_for
from zugong.orgs.tests.people import make_person

D = dt.date
ON = D(2026, 6, 1)
START = D(2025, 1, 1)


def who(city, name="county_admin"):
    return Actor(user=city.users[name]), scope_for(city.users[name])


def entry(city, name, n, birth, *, female=False, education="20", sector="party", status="in_pool",
          entered=START, status_on=START, unit="jinan_town", category="42"):
    p = make_person(name, n, birth=birth, female=female, education=education)
    c = Cadre.objects.create(person=p, management_level="county", post_level="50", unit=city.units[unit])
    return ReserveEntry.objects.create(cadre=c, category=category, sector=sector, route="recommendation", status=status,
                                       entered_on=entered, status_on=status_on, review_due=D(2027, 1, 1))


@pytest.fixture
def pool(city):
    """5 members active on ON in 金安区 (乡科级副职): 2 women; 2 aged ≤35 on ON (one turns 35 that very
    day, one turns 36 the next day), one aged 36; 3 with 大学本科 or above; 3 党政综合 + 2 农业农村.
    Not counted: one revoked before ON, one entered after ON, one in the neighbouring county."""
    entry(city, "甲一", 101, D(1991, 6, 1), female=True, education="10")
    entry(city, "乙二", 102, D(1990, 6, 2), female=True, education="20")
    entry(city, "丙三", 103, D(1990, 6, 1), education="20")
    entry(city, "丁四", 104, D(1980, 1, 1), education="30", sector="rural")
    entry(city, "戊五", 105, D(1982, 1, 1), education="30", sector="rural", status="used", status_on=D(2026, 7, 1))  # left after ON
    entry(city, "己六", 106, D(1995, 1, 1), female=True, status="revoked", status_on=D(2026, 3, 1))
    entry(city, "庚七", 107, D(1995, 1, 1), female=True, entered=D(2026, 6, 2), status_on=D(2026, 6, 2))
    entry(city, "辛八", 108, D(1995, 1, 1), female=True, unit="yuan_town")


def lines(scope, **kw):
    return {ln.label: ln for t in sr.pool_targets(scope, ON, **kw) for ln in t["lines"]}


def test_it_meets_a_target_exactly_at_it_and_misses_it_one_short(city, pool):
    a, s = who(city)
    jinan = city.units["jinan"]
    reserve.pool_target_set(actor=a, scope=s, unit=jinan, category="42", women_pct=40, young_age=35, young_pct=40, bachelor_pct=60,
                            sector_counts={"party": 3, "rural": 2}, document_no="金组〔2026〕3号")  # fmt: skip
    got = lines(s)
    assert [(k, v.num, v.den, v.met) for k, v in got.items()] == [
        ("女干部比例", 2, 5, True), ("35周岁及以下比例", 2, 5, True), ("大学本科及以上学历比例", 3, 5, True),
        ("党政综合人数", 3, 5, True), ("农业农村人数", 2, 5, True)]  # fmt: skip
    # 35周岁及以下 on ON: 甲一 (35th birthday that day) and 乙二 (36 the next day) count, 丙三 (36 that day) does not
    assert got["女干部比例"].actual_pct == 40.0 and got["女干部比例"].gap_points == 0 and got["女干部比例"].short == 0
    reserve.pool_target_set(actor=a, scope=s, unit=jinan, category="42", women_pct=41, young_age=35, young_pct=41, bachelor_pct=61,
                            sector_counts={"party": 4, "rural": 2})  # fmt: skip
    got = lines(s)
    assert not got["女干部比例"].met and got["女干部比例"].short == 1 and got["女干部比例"].gap_text == "-1.0个百分点（差1人）"
    assert not got["35周岁及以下比例"].met and got["35周岁及以下比例"].short == 1
    assert not got["大学本科及以上学历比例"].met and got["大学本科及以上学历比例"].short == 1
    assert not got["党政综合人数"].met and got["党政综合人数"].short == 1 and got["农业农村人数"].met
    assert PoolTarget.objects.count() == 1  # replaced, not duplicated


def test_it_sums_the_whole_pool_and_never_meets_a_share_with_an_empty_category(city, pool):
    a, s = who(city)
    reserve.pool_target_set(actor=a, scope=s, unit=city.units["jinan"], women_pct=40)
    reserve.pool_target_set(actor=a, scope=s, unit=city.units["jinan"], category="41", women_pct=10, bachelor_pct=0)
    report = sr.pool_targets(s, ON)
    assert [(t["label"], t["size"]) for t in report] == [("全部类别", 5), ("乡科级正职", 0)]
    assert report[0]["lines"][0].met
    assert [ln.met for ln in report[1]["lines"]] == [False, True]
    with pytest.raises(rules.RuleViolation, match="年龄界限"):
        reserve.pool_target_set(actor=a, scope=s, unit=city.units["jinan"], young_pct=30)
    with pytest.raises(rules.RuleViolation, match="0至100"):
        reserve.pool_target_set(actor=a, scope=s, unit=city.units["jinan"], women_pct=101)


def test_it_lets_only_administrators_of_the_scope_set_targets_and_audits_them(city, pool):
    a, s = who(city)
    jinan, city_unit = city.units["jinan"], city.units["city"]
    reserve.pool_target_set(actor=a, scope=s, unit=jinan, women_pct=30)
    reserve.pool_target_set(actor=a, scope=s, unit=jinan, women_pct=35)
    events = list(AuditEvent.objects.filter(action="cadres.pool_target_set").order_by("id"))
    assert len(events) == 2 and events[0].before is None and events[1].before["women_pct"] == 30 and events[1].after["women_pct"] == 35
    n, ns = who(city, "neighbour_admin")
    with pytest.raises(Http404):
        reserve.pool_target_set(actor=n, scope=ns, unit=jinan, women_pct=50)
    with pytest.raises(Http404):
        sr.pool_targets(ns, ON, unit_id=jinan.id)
    with pytest.raises(Http404):
        reserve.pool_target_set(actor=a, scope=s, unit=city_unit, women_pct=50)  # the city's targets are the city's
    la, ls = who(city, "leader")
    with pytest.raises(PermissionDenied):
        reserve.pool_target_set(actor=la, scope=ls, unit=city_unit, women_pct=50)
    ca, cs = who(city, "city_admin")
    reserve.pool_target_set(actor=ca, scope=cs, unit=city_unit, women_pct=50)
    assert [t["size"] for t in sr.pool_targets(cs, ON)] == [6]  # both counties
    assert AuditEvent.objects.filter(action="cadres.pool_target_set").count() == 3


def test_it_shows_sets_and_exports_the_targets_on_the_pool_page(city, login, pool):
    c = login(city.users["county_admin"])
    r = c.post(reverse("cadres:pool_targets"), {"category": "", "women_pct": "90", "bachelor_pct": "10", "sector_rural": "1", "document_no": "金组〔2026〕3号"})
    assert r.status_code == 302 and r.url == reverse("cadres:pool")
    t = PoolTarget.objects.get(unit=city.units["jinan"], category="")
    assert (t.women_pct, t.bachelor_pct, t.sector_counts) == (90, 10, {"rural": 1})
    page = c.get(reverse("cadres:pool")).content.decode()
    assert "结构目标对照" in page and "target-unmet" in page and "金组〔2026〕3号" in page and "设定结构目标" in page
    # today (not ON): 戊五 has left, 庚七 has entered: 5 members, one of them 农业农村
    wb = load_workbook(io.BytesIO(c.get(reverse("cadres:pool"), {"format": "xlsx"}).content))
    assert wb.sheetnames == ["后备干部", "结构目标"]
    rows = list(wb["结构目标"].iter_rows(values_only=True))
    assert rows[1][:4] == ("类别", "指标", "目标", "实际人数")
    assert [r[1] for r in rows[2:]] == ["女干部比例", "大学本科及以上学历比例", "农业农村人数"]
    assert rows[2][2] == "≥90%" and rows[2][7] == "未达标" and rows[3][7] == "达标" and rows[4][7] == "达标"
    assert AuditEvent.objects.filter(action="cadres.reserve_export").count() == 1
    # as of ON (2026-06-01): 戊五 was still in the pool and 庚七 not yet: 2 of 5 in 农业农村
    wb = load_workbook(io.BytesIO(c.get(reverse("cadres:pool"), {"format": "xlsx", "on": "2026-06-01"}).content))
    rows = list(wb["结构目标"].iter_rows(values_only=True))
    assert rows[0][0] == "后备干部队伍结构与目标对照（2026.06.01）" and rows[4][3:5] == (2, 5)
    assert "2026.06.01" in c.get(reverse("cadres:pool"), {"on": "2026-06-01"}).content.decode()
    assert c.post(reverse("cadres:pool_targets"), {"women_pct": "120"}).status_code == 302
    assert PoolTarget.objects.get(pk=t.pk).women_pct == 90  # invalid input changes nothing


def test_it_refuses_the_targets_to_the_neighbour_the_outsider_and_the_leader(city, login, pool):
    a, s = who(city)
    reserve.pool_target_set(actor=a, scope=s, unit=city.units["jinan"], women_pct=40, document_no="金组〔2026〕3号")
    n = login(city.users["neighbour_admin"])
    assert "金组〔2026〕3号" not in n.get(reverse("cadres:pool")).content.decode()
    n.post(reverse("cadres:pool_targets"), {"women_pct": "10"})  # sets the neighbour's own county only
    assert PoolTarget.objects.get(unit=city.units["jinan"]).women_pct == 40
    assert PoolTarget.objects.get(unit=city.units["yuan"]).women_pct == 10
    o = login(city.users["outsider"])
    assert o.get(reverse("cadres:pool")).status_code == 403 and o.post(reverse("cadres:pool_targets"), {"women_pct": "10"}).status_code == 403
    leader = login(city.users["leader"])
    page = leader.get(reverse("cadres:pool"))
    assert page.status_code == 200 and "设定结构目标" not in page.content.decode()
    assert leader.post(reverse("cadres:pool_targets"), {"women_pct": "10"}).status_code == 403
    assert not PoolTarget.objects.filter(unit=city.units["city"]).exists()


def test_it_computes_every_target_from_one_grouped_query(city, pool, django_assert_num_queries):
    a, s = who(city)
    for category, age in (("", 40), ("41", 35), ("42", 30)):
        reserve.pool_target_set(actor=a, scope=s, unit=city.units["jinan"], category=category, women_pct=20, young_age=age, young_pct=20,
                                bachelor_pct=50, sector_counts={"party": 1, "rural": 1, "law": 1})  # fmt: skip
    with django_assert_num_queries(2):  # the targets, then one GROUP BY 类别 with conditional aggregates
        report = sr.pool_targets(s, ON)
    assert [len(t["lines"]) for t in report] == [6, 6, 6] and report[0]["size"] == report[2]["size"] == 5
