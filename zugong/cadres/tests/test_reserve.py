"""Reserve pool, matching to team gaps, up-and-down cases with waiting periods, error tolerance
(issue 4 §3–4; 《推进领导干部能上能下规定》（2022））."""

import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from zugong.cadres import rules, selectors
from zugong.cadres import selectors_reserve as sr
from zugong.cadres.models import Appointment, Cadre, CadreRank, LeadershipTeam, Post, ReserveEntry
from zugong.cadres.services import career, evidence, reserve
from zugong.core.audit import Actor
from zugong.core.models import AuditEvent
from zugong.core.scope import scope_for
from zugong.orgs.tests.people import make_person, populate

D = dt.date
ON = D(2026, 6, 1)


@pytest.fixture
def people(city):
    return populate(city)


def who(city, name="county_admin"):
    return Actor(user=city.users[name]), scope_for(city.users[name])


def decide(a, s, case, on, text):
    """Do the case's pending steps up to and including 讨论决定 on ``on`` (the ordered procedure)."""
    for step in case.steps.filter(on__isnull=True).order_by("sort"):
        reserve.case_step(actor=a, scope=s, case=case, step=step.step, on=on, decision=text)
        if step.step == "decision":
            return


def cadre_of(city, name, n, birth, *, female=False, level="50"):
    p = make_person(name, n, birth=birth, female=female)
    return Cadre.objects.create(person=p, management_level="county", post_level=level, unit=city.units["jinan_town"])


def test_it_keeps_one_active_pool_entry_and_moves_status_only_along_the_allowed_paths(city, people):
    a, s = who(city)
    c = cadre_of(city, "周平", 40, D(1995, 2, 1))
    e = reserve.reserve_add(actor=a, scope=s, cadre=c, category="42", sector="party", route="recommendation", entered_on=D(2025, 3, 1), field="乡村振兴")
    assert e.review_due == D(2026, 3, 1)
    with pytest.raises(rules.RuleViolation, match="已在后备干部库中"):
        reserve.reserve_add(actor=a, scope=s, cadre=c, category="41", sector="party", route="inspection", entered_on=D(2025, 4, 1))
    with pytest.raises(rules.RuleViolation, match="不能由“在库”变为“已使用”"):
        reserve.reserve_set_status(actor=a, scope=s, entry=e, status="used", on=D(2025, 5, 1))
    reserve.reserve_set_status(actor=a, scope=s, entry=e, status="in_pool", on=D(2026, 2, 1))  # reviewed
    assert ReserveEntry.objects.get(pk=e.pk).review_due == D(2027, 2, 1)
    reserve.reserve_set_status(actor=a, scope=s, entry=e, status="under_inspection", on=D(2026, 3, 1))
    reserve.reserve_set_status(actor=a, scope=s, entry=e, status="used", on=D(2026, 4, 1))
    with pytest.raises(rules.RuleViolation):
        reserve.reserve_set_status(actor=a, scope=s, entry=e, status="in_pool", on=D(2026, 5, 1))
    reserve.development_add(actor=a, scope=s, entry=e, kind="secondment", place="省乡村振兴局", start=D(2025, 6, 1), end=D(2026, 1, 1))
    assert AuditEvent.objects.filter(action__startswith="cadres.reserve").count() == 4  # add + 3 status changes
    assert AuditEvent.objects.filter(action="cadres.development_add").count() == 1
    n, ns = who(city, "neighbour_admin")
    with pytest.raises(Http404):
        reserve.reserve_add(actor=n, scope=ns, cadre=c, category="42", sector="party", route="recommendation", entered_on=D(2025, 3, 1))


def test_it_matches_pool_members_to_teams_lacking_young_cadres(city, people):
    a, s = who(city)
    young = cadre_of(city, "周平", 40, D(1992, 6, 2))  # 34 on ON: young for 乡科级副职 (≤35)
    old = cadre_of(city, "陈旧", 41, D(1970, 1, 1))
    for c in (young, old):
        reserve.reserve_add(actor=a, scope=s, cadre=c, category="42", sector="party", route="recommendation", entered_on=D(2025, 1, 1))
    team = selectors.teams_with_gaps(s, ON).get(name="金安区一镇领导班子")
    assert selectors.gap_reasons(team) == ["缺年轻干部"]
    assert [e.cadre for e in sr.gap_candidates(s, team, ON)] == [young]
    assert [e.cadre for e in sr.gap_candidates(s, team, D(2028, 6, 1))] == [young]  # 35: still young (≤35)
    assert sr.gap_candidates(s, team, D(2028, 6, 2)) == []  # 36 on his birthday
    item = evidence.evidence_record(actor=a, scope=s, cadre=young, kind="accountability", on=D(2026, 3, 1),
                                    title="防汛值守不到位被通报", source_document="金纪〔2026〕4号")
    assert sr.gap_candidates(s, team, ON) == []  # a non-tolerated accountability decision bars him
    with pytest.raises(rules.RuleViolation, match="不能予以容错"):
        reserve.error_tolerance_decide(actor=a, scope=s, evidence=item, distinction="none", tolerated=True, decided_on=D(2026, 4, 1), document_no="金组〔2026〕9号")
    reserve.error_tolerance_decide(actor=a, scope=s, evidence=item, distinction="inexperience", tolerated=True, decided_on=D(2026, 4, 1), document_no="金组〔2026〕9号")
    assert [e.cadre for e in sr.gap_candidates(s, team, ON)] == [young]
    assert sr.gap_candidates(scope_for(city.users["neighbour_admin"]), team, ON) == []
    structure = sr.pool_structure(sr.pool(s), ON)
    assert (structure["size"], structure["young"]) == (2, 1)


def test_gap_candidates_are_pooled_for_a_level_the_team_has_posts_at(city, login, people):
    a, s = who(city)
    team = selectors.teams_with_gaps(s, ON).get(name="金安区一镇领导班子")
    levels = set(Post.objects.filter(team=team).values_list("post_level", flat=True))
    assert levels and "32" not in levels  # a 镇 team: 乡科级 posts only
    for n, category in enumerate(("32", sorted(levels)[0])):
        c = cadre_of(city, f"年轻{n}", 60 + n, D(1996, 1, 1))
        reserve.reserve_add(actor=a, scope=s, cadre=c, category=category, sector="party", route="recommendation", entered_on=D(2025, 1, 1))
    assert [e.cadre.person.name for e in sr.gap_candidates(s, team, ON)] == ["年轻1"]  # not the one pooled for 县处级副职
    other = Cadre.objects.create(person=make_person("区直年轻", 70, birth=D(1999, 1, 1)), management_level="county", post_level="42",
                                 unit=city.units["jinan"])  # younger, of another unit of the county
    reserve.reserve_add(actor=a, scope=s, cadre=other, category=sorted(levels)[0], sector="party", route="recommendation", entered_on=D(2025, 1, 1))
    assert [e.cadre.person.name for e in sr.gap_candidates(s, team, ON)] == ["年轻1", "区直年轻"]  # the team's own unit first
    page = login(city.users["county_admin"]).get(reverse("cadres:gaps"), {"on": ON.isoformat()}).content.decode()
    row = next(tr for tr in page.split("<tr>") if "金安区一镇领导班子" in tr)
    assert row.index("年轻1") < row.index("区直年轻") and "年轻0" not in row  # the page reads the same three-query batch


def test_it_runs_a_removal_case_and_enforces_the_one_year_bar(city, people):
    a, s = who(city)
    cadre = Cadre.objects.get(person=people["孙丽"])
    item = evidence.evidence_record(actor=a, scope=s, cadre=cadre, kind="inspection", on=D(2025, 3, 1), title="巡察发现分管工作长期落后", source_document="金巡〔2025〕2号")
    case = reserve.case_open(actor=a, scope=s, cadre=cadre, circumstances=["08", "07"], measure="remove", motion_on=D(2025, 4, 1), evidence=[item])
    with pytest.raises(rules.RuleViolation, match="尚未经党委（党组）讨论决定"):
        reserve.case_complete(actor=a, scope=s, case=case, effective_on=D(2025, 5, 1), document_no="金组〔2025〕20号")
    reserve.case_step(actor=a, scope=s, case=case, step="verify", on=D(2025, 4, 10), decision="情况属实，本人无异议")
    with pytest.raises(rules.RuleViolation, match="日期早于上一程序"):
        reserve.case_step(actor=a, scope=s, case=case, step="proposal", on=D(2025, 4, 9))
    reserve.case_step(actor=a, scope=s, case=case, step="proposal", on=D(2025, 4, 12))
    reserve.case_step(actor=a, scope=s, case=case, step="talk", on=D(2025, 4, 15))
    with pytest.raises(rules.RuleViolation, match="请填写“党委（党组）讨论决定”的意见或决定"):
        reserve.case_step(actor=a, scope=s, case=case, step="decision", on=D(2025, 4, 20))
    reserve.case_step(actor=a, scope=s, case=case, step="decision", on=D(2025, 4, 20), decision="同意免去其副镇长职务")
    reserve.case_complete(actor=a, scope=s, case=case, effective_on=D(2025, 5, 1), document_no="金组〔2025〕20号")
    assert not Appointment.objects.filter(cadre=cadre, end__isnull=True).exists()
    assert career.waiting_dates(cadre) == rules.WaitingDates(unsuitable_on=D(2025, 5, 1))
    team = LeadershipTeam.objects.get(name="金安区一镇领导班子")
    same_level = Post.objects.create(unit=team.unit, team=team, title="党委委员", post_level="42")
    higher = Post.objects.create(unit=team.unit, title="镇长", post_level="41")
    # removed as unsuitable: no promotion for a year, but a post of the same level is not barred
    # (选拔任用条例 2019: "因不适宜担任现职调离岗位、免职的，一年内不得提拔")
    career.appointment_create(actor=a, scope=s, cadre=cadre, post=same_level, start=D(2025, 6, 1), document_no="金组〔2025〕21号")
    with pytest.raises(rules.RuleViolation, match="2026.05.01前不得提拔") as exc:
        career.appointment_create(actor=a, scope=s, cadre=cadre, post=higher, start=D(2026, 4, 30), document_no="金组〔2026〕1号")
    assert exc.value.source == rules.SOURCE_WAITING_UNSUITABLE
    career.appointment_create(actor=a, scope=s, cadre=cadre, post=higher, start=D(2026, 5, 1), document_no="金组〔2026〕1号")
    reserve.case_follow_up(actor=a, scope=s, case=case, note="到新岗位后表现较好", propose_reuse_on=D(2026, 4, 1))
    assert AuditEvent.objects.filter(action="cadres.case_complete").exists()


def test_it_bars_leadership_posts_for_a_year_after_a_removal_for_accountability(city, people):
    a, s = who(city)
    cadre = Cadre.objects.get(person=people["孙丽"])
    item = evidence.evidence_record(actor=a, scope=s, cadre=cadre, kind="accountability", on=D(2025, 3, 1),
                                    title="因安全生产事故被问责", source_document="金问〔2025〕1号")
    case = reserve.case_open(actor=a, scope=s, cadre=cadre, circumstances=[], measure="remove", motion_on=D(2025, 4, 1), evidence=[item])
    decide(a, s, case, D(2025, 4, 20), "同意免去其副镇长职务")
    reserve.case_complete(actor=a, scope=s, case=case, effective_on=D(2025, 5, 1), document_no="金组〔2025〕20号")
    assert career.waiting_dates(cadre) == rules.WaitingDates(accountable_on=D(2025, 5, 1))
    team = LeadershipTeam.objects.get(name="金安区一镇领导班子")
    same_level = Post.objects.create(unit=team.unit, team=team, title="党委委员", post_level="42")
    higher = Post.objects.create(unit=team.unit, title="镇长", post_level="41")
    with pytest.raises(rules.RuleViolation, match="2026.05.01前不安排领导职务") as exc:
        career.appointment_create(actor=a, scope=s, cadre=cadre, post=same_level, start=D(2026, 4, 30), document_no="金组〔2026〕1号")
    assert exc.value.source == rules.SOURCE_WAITING_ACCOUNTABLE
    career.appointment_create(actor=a, scope=s, cadre=cadre, post=same_level, start=D(2026, 5, 1), document_no="金组〔2026〕1号")
    with pytest.raises(rules.RuleViolation, match="2027.05.01前不得担任高于原任职务层次的领导职务"):
        career.appointment_create(actor=a, scope=s, cadre=cadre, post=higher, start=D(2027, 4, 30), document_no="金组〔2027〕1号")
    career.appointment_create(actor=a, scope=s, cadre=cadre, post=higher, start=D(2027, 5, 1), document_no="金组〔2027〕1号")


def test_it_demotes_to_a_lower_post_and_bars_promotion_for_two_years(city, people):
    a, s = who(city)
    cadre = Cadre.objects.get(person=people["张晓明"])  # 党委书记, 乡科级正职
    team = LeadershipTeam.objects.get(name="金安区一镇领导班子")
    lower = Post.objects.create(unit=team.unit, team=team, title="副镇长", post_level="42")
    case = reserve.case_open(actor=a, scope=s, cadre=cadre, circumstances=["03"], measure="demote", motion_on=D(2025, 1, 5))
    decide(a, s, case, D(2025, 1, 20), "降为副职")
    same = Post.objects.create(unit=team.unit, team=team, title="镇长", post_level="41")
    with pytest.raises(rules.RuleViolation, match="应低于现任职务级别"):
        reserve.case_complete(actor=a, scope=s, case=case, effective_on=D(2025, 2, 1), document_no="金组〔2025〕5号", new_post=same)
    case = reserve.case_complete(actor=a, scope=s, case=case, effective_on=D(2025, 2, 1), document_no="金组〔2025〕5号", new_post=lower)
    assert case.new_appointment.post == lower and Cadre.objects.get(pk=cadre.pk).post_level == "42"
    assert Appointment.objects.get(cadre=cadre, post__title="党委书记").end == D(2025, 2, 1)
    with pytest.raises(rules.RuleViolation, match="2027.02.01前不得提拔"):
        career.appointment_create(actor=a, scope=s, cadre=Cadre.objects.get(pk=cadre.pk), post=same, start=D(2027, 1, 31), document_no="金组〔2027〕1号")
    CadreRank.objects.create(cadre=cadre, rank="09", start=D(2020, 1, 1))
    with pytest.raises(rules.RuleViolation, match="不得提拔"):
        career.rank_grant(actor=a, scope=s, cadre=cadre, rank="08", start=D(2027, 1, 31), document_no="")
    career.rank_grant(actor=a, scope=s, cadre=cadre, rank="08", start=D(2027, 2, 1), document_no="")
    career.appointment_create(actor=a, scope=s, cadre=Cadre.objects.get(pk=cadre.pk), post=same, start=D(2027, 2, 1), document_no="金组〔2027〕1号")


def test_it_changes_a_leader_to_a_rank_only_position(city, people):
    a, s = who(city)
    cadre = Cadre.objects.get(person=people["孙丽"])
    case = reserve.case_open(actor=a, scope=s, cadre=cadre, circumstances=["14"], measure="rank_only", motion_on=D(2025, 1, 5))
    decide(a, s, case, D(2025, 1, 20), "改任二级主任科员")
    reserve.case_complete(actor=a, scope=s, case=case, effective_on=D(2025, 2, 1), document_no="金组〔2025〕6号", new_rank="08")
    assert CadreRank.objects.get(cadre=cadre).rank == "08"
    assert not Appointment.objects.filter(cadre=cadre, end__isnull=True).exists()
    with pytest.raises(rules.RuleViolation, match="请选择不适宜担任现职的情形"):
        reserve.case_open(actor=a, scope=s, cadre=cadre, circumstances=["16"], measure="remove", motion_on=D(2025, 3, 1))
    assert len(rules.CIRCUMSTANCES) == 15
    leader = Actor(city.users["leader"]), scope_for(city.users["leader"])
    with pytest.raises(PermissionDenied):
        reserve.case_open(actor=leader[0], scope=leader[1], cadre=cadre, circumstances=["01"], measure="remove", motion_on=D(2025, 3, 1))


def test_it_serves_pool_case_and_record_pages_to_the_right_people(city, login, people):
    a, s = who(city)
    cadre = Cadre.objects.get(person=people["孙丽"])
    reserve.reserve_add(actor=a, scope=s, cadre=cadre, category="41", sector="party", route="inspection", entered_on=D(2025, 1, 1))
    c = login(city.users["county_admin"])
    r = c.post(reverse("cadres:case_open", args=[cadre.id]), {"circumstances": ["07"], "measure": "reassign", "motion_on": "2025-03-01"})
    case = cadre.adjustment_cases.get()
    assert r.status_code == 302 and r.url == reverse("cadres:case", args=[case.id])
    record = c.get(reverse("cadres:record", args=[cadre.id])).content.decode()
    assert "2021.06--" in record and "金安区一镇副镇长" in record and "乡科级正职后备" in record and "动议调整" in record
    pool = c.get(reverse("cadres:pool"))
    assert "孙丽" in pool.content.decode() and c.get(reverse("cadres:pool"), {"format": "xlsx"}).status_code == 200
    urls = [reverse("cadres:pool"), reverse("cadres:cases"), reverse("cadres:case", args=[case.id]), reverse("cadres:record", args=[cadre.id])]
    n = login(city.users["neighbour_admin"])
    assert "孙丽" not in n.get(urls[0]).content.decode() and "孙丽" not in n.get(urls[1]).content.decode()
    assert n.get(urls[2]).status_code == 404 and n.get(urls[3]).status_code == 404
    assert n.post(reverse("cadres:case_step", args=[case.id]), {"step": "talk", "on": "2025-03-02"}).status_code == 404
    o = login(city.users["outsider"])
    assert {o.get(u).status_code for u in urls} == {403}
    leader = login(city.users["leader"])
    assert leader.get(urls[3]).status_code == 200 and "动议调整" not in leader.get(urls[3]).content.decode()
    assert leader.post(reverse("cadres:case_step", args=[case.id]), {"step": "talk", "on": "2025-03-02"}).status_code == 403


def test_the_pool_page_pages_its_members_instead_of_cutting_them_off(city, login, people):
    from zugong.cadres.selectors import PAGE_SIZE

    a, s = who(city)
    for i in range(PAGE_SIZE + 3):
        c = cadre_of(city, f"后备{i:02d}", 200 + i, D(1992, 1, 1))
        reserve.reserve_add(actor=a, scope=s, cadre=c, category="42", sector="party", route="recommendation", entered_on=D(2025, 3, 1))
    c = login(city.users["county_admin"])
    first = c.get(reverse("cadres:pool"), {"sector": "party"}).content.decode()
    assert first.count("后备") >= PAGE_SIZE and f"第 1 / 2 页，共 {PAGE_SIZE + 3} 条" in first
    assert "?sector=party&page=2" in first  # the pager keeps the filters
    second = c.get(reverse("cadres:pool"), {"sector": "party", "page": 2}).content.decode()
    assert f"第 2 / 2 页，共 {PAGE_SIZE + 3} 条" in second and len(re.findall(r'href="/cadres/reserve/\d+/"', second)) == 3
    assert f"在库及已列为考察对象）：{PAGE_SIZE + 3} 人" in second.replace("</strong>", "")  # the structure counts every page


def test_it_opens_a_case_from_the_record_page_on_circumstances_or_an_accountability_record(city, login, people):
    a, s = who(city)
    cadre = Cadre.objects.get(person=people["孙丽"])
    c = login(city.users["county_admin"])
    url = reverse("cadres:case_open", args=[cadre.pk])
    got = c.post(url, {"measure": "remove", "motion_on": "2025-04-01"}, follow=True)
    assert "请选择不适宜担任现职的情形，或附上问责处理决定" in got.content.decode()
    assert not cadre.adjustment_cases.exists()
    item = evidence.evidence_record(actor=a, scope=s, cadre=cadre, kind="accountability", on=D(2025, 3, 1),
                                    title="因安全生产事故被问责", source_document="金问〔2025〕1号")
    got = c.post(url, {"measure": "remove", "motion_on": "2025-04-01", "evidence": [item.pk]})
    case = cadre.adjustment_cases.get()
    assert got.status_code == 302 and got["Location"] == reverse("cadres:case", args=[case.pk])
    assert case.circumstances == [] and list(case.evidence.all()) == [item]
