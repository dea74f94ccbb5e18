"""Procedure step templates of up-and-down cases (《推进领导干部能上能下规定》（2022）调整程序; see
zugong.cadres.procedures for the sources and which article numbers are not verified)."""

import datetime as dt

import pytest
from django.urls import reverse

from zugong.cadres import procedures, rules
from zugong.cadres.models import AdjustmentCase, Appointment, Cadre, CaseStep, LeadershipTeam, Post
from zugong.cadres.services import reserve
from zugong.core.audit import Actor
from zugong.core.models import AuditEvent
from zugong.core.scope import scope_for
from zugong.orgs.tests.people import populate

D = dt.date


@pytest.fixture
def people(city):
    return populate(city)


def who(city, name="county_admin"):
    return Actor(user=city.users[name]), scope_for(city.users[name])


def open_case(city, people, measure="remove", name="孙丽"):
    a, s = who(city)
    cadre = Cadre.objects.get(person=people[name])
    return reserve.case_open(actor=a, scope=s, cadre=cadre, circumstances=["08"], measure=measure, motion_on=D(2025, 4, 1), decision="动议调整")


def step(city, case, code, on, text="", doc=""):
    a, s = who(city)
    return reserve.case_step(actor=a, scope=s, case=case, step=code, on=on, decision=text, document_no=doc)


def test_it_has_a_template_for_every_measure_with_a_decision_gate():
    assert set(procedures.PROCEDURES) == set(rules.MEASURE_LABELS)
    for measure, proc in procedures.PROCEDURES.items():
        codes = [t.code for t in proc.steps]
        assert codes.count(procedures.DECISION) == 1 and codes[-1] == procedures.ANNOUNCE, measure
        assert len(set(codes)) == len(codes), measure  # a code names one step of the template
        assert set(codes) <= set(CaseStep.Step.values)
        assert proc.source and ("条号未核实" in proc.source)
        assert procedures.procedure_by_key(proc.key) is proc
    labels = [t.label for t in procedures.procedure_for("remove").steps]
    assert labels == ["分析研判和动议", "核实认定（听取本人陈述）", "提出调整建议", "组织谈话", "党委（党组）讨论决定", "宣布免职决定，办理免职手续"]
    assert procedures.procedure_by_key("") is None and procedures.procedure_by_key("2015:remove") is None


def test_it_creates_the_steps_from_the_template_when_a_case_is_opened(city, people):
    case = open_case(city, people, "demote")
    rows = list(case.steps.order_by("sort"))
    assert case.procedure == "2022:demote"
    assert [r.title for r in rows] == [t.label for t in procedures.procedure_for("demote").steps]
    assert [r.done for r in rows] == [True] + [False] * (len(rows) - 1)
    assert rows[0].on == D(2025, 4, 1) and rows[0].decision == "动议调整"
    assert AuditEvent.objects.get(action="cadres.case_open").after["procedure"] == "2022:demote"
    resign = open_case(city, people, "resign", name="张晓明")
    assert resign.steps.order_by("sort").first().title == "本人提出引咎辞职申请"


def test_it_takes_the_steps_in_order_and_says_which_comes_first(city, people):
    case = open_case(city, people)
    with pytest.raises(rules.RuleViolation, match="请先办理“核实认定（听取本人陈述）”，再办理“党委（党组）讨论决定”") as exc:
        step(city, case, "decision", D(2025, 4, 20), "同意免职")
    assert "推进领导干部能上能下规定" in str(exc.value)
    with pytest.raises(rules.RuleViolation, match="含本人陈述情况"):
        step(city, case, "verify", D(2025, 4, 5))
    with pytest.raises(rules.RuleViolation, match="日期早于上一程序"):
        step(city, case, "verify", D(2025, 3, 31), "属实")
    step(city, case, "verify", D(2025, 4, 1), "属实，本人陈述已记录")  # the same day as the motion: allowed
    with pytest.raises(rules.RuleViolation, match="已于2025.04.01办理"):
        step(city, case, "verify", D(2025, 4, 2), "再次核实")
    with pytest.raises(rules.RuleViolation, match="免职程序中没有“本人提出辞职”这一步骤"):
        step(city, case, "application", D(2025, 4, 2))
    assert AuditEvent.objects.filter(action="cadres.case_step").count() == 1


def test_it_records_the_change_only_once_the_decision_step_is_done(city, people):
    case = open_case(city, people)
    a, s = who(city)
    for code, on in (("verify", D(2025, 4, 5)), ("proposal", D(2025, 4, 8)), ("talk", D(2025, 4, 10))):
        step(city, case, code, on, "已办")
    # every step before the decision is done, the decision is not: refused, nothing changes
    with pytest.raises(rules.RuleViolation, match="尚未经党委（党组）讨论决定，不能实施调整") as exc:
        reserve.case_complete(actor=a, scope=s, case=case, effective_on=D(2025, 5, 1), document_no="金组〔2025〕20号")
    assert "第十一条" in str(exc.value)
    assert Appointment.objects.filter(cadre=case.cadre, end__isnull=True).exists()
    step(city, case, "decision", D(2025, 4, 20), "同意免去其副镇长职务", "金常〔2025〕3号")
    with pytest.raises(rules.RuleViolation, match="早于讨论决定时间2025.04.20"):
        reserve.case_complete(actor=a, scope=s, case=case, effective_on=D(2025, 4, 19), document_no="金组〔2025〕20号")
    done = reserve.case_complete(actor=a, scope=s, case=case, effective_on=D(2025, 4, 20), document_no="金组〔2025〕20号")
    assert done.status == "done" and not Appointment.objects.filter(cadre=case.cadre, end__isnull=True).exists()
    announce = case.steps.get(step="announce")
    assert announce.on == D(2025, 4, 20) and announce.document_no == "金组〔2025〕20号"
    with pytest.raises(rules.RuleViolation, match="该调整已办结"):
        step(city, case, "talk", D(2025, 5, 2))


def test_it_keeps_free_steps_for_a_case_opened_before_the_templates(city, people):
    cadre = Cadre.objects.get(person=people["孙丽"])
    case = AdjustmentCase.objects.create(cadre=cadre, circumstances=["08"], measure="remove", motion_on=D(2024, 1, 1))
    CaseStep.objects.create(case=case, step="motion", on=D(2024, 1, 1))
    row = step(city, case, "decision", D(2024, 2, 1), "同意")
    assert row.done and row.title == "讨论决定" and case.steps.count() == 2


def test_it_shows_done_and_pending_steps_and_refuses_early_completion_on_the_page(city, login, people):
    case = open_case(city, people, "reassign")
    step(city, case, "verify", D(2025, 4, 3), "本人陈述：服从组织安排")
    c = login(city.users["county_admin"])
    url = reverse("cadres:case", args=[case.id])
    page = c.get(url).content.decode()
    assert "调离岗位程序" in page and page.count("已办") == 2 and page.count("待办") == 4
    assert "2025.04.03" in page and "本人陈述：服从组织安排" in page
    assert "办理：提出调整建议" in page and "complete-form" not in page and "尚未经党委（党组）讨论决定" in page
    team = LeadershipTeam.objects.get(name="金安区一镇领导班子")
    post = Post.objects.create(unit=team.unit, title="党政办主任", post_level="42")
    r = c.post(reverse("cadres:case_complete", args=[case.id]), {"effective_on": "2025-05-01", "document_no": "金组〔2025〕9号", "new_post": post.id}, follow=True)
    assert "尚未经党委（党组）讨论决定，不能实施调整" in r.content.decode()
    r = c.post(reverse("cadres:case_step", args=[case.id]), {"step": "decision", "on": "2025-04-10", "decision": "同意"}, follow=True)
    assert "请先办理“提出调整建议”" in r.content.decode()
    for code in ("proposal", "talk", "decision"):
        assert c.post(reverse("cadres:case_step", args=[case.id]), {"step": code, "on": "2025-04-10", "decision": "同意"}).status_code == 302
    assert "complete-form" in c.get(url).content.decode()
    r = c.post(reverse("cadres:case_complete", args=[case.id]), {"effective_on": "2025-05-01", "document_no": "金组〔2025〕9号", "new_post": post.id})
    assert r.status_code == 302 and AdjustmentCase.objects.get(pk=case.pk).new_appointment.post == post
    assert login(city.users["neighbour_admin"]).get(url).status_code == 404
    assert login(city.users["neighbour_admin"]).post(reverse("cadres:case_step", args=[case.id]), {"step": "talk", "on": "2025-04-11"}).status_code == 404
    assert login(city.users["outsider"]).get(url).status_code == 403
    assert login(city.users["leader"]).post(reverse("cadres:case_complete", args=[case.id]), {"effective_on": "2025-05-01", "document_no": "x"}).status_code == 403
