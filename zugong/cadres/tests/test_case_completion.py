"""Completing a 能上能下 case needs every step of its procedure before 宣布 done, and no earlier date."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from zugong.cadres import rules
from zugong.cadres.models import Appointment, Cadre, LeadershipTeam, Post
from zugong.cadres.services import reserve
from zugong.core.audit import Actor
from zugong.core.scope import scope_for
from zugong.orgs.tests.people import populate

D = dt.date


def test_it_waits_for_the_steps_after_the_decision_and_their_dates(city):
    people = populate(city)
    user = city.users["county_admin"]
    a, s = Actor(user=user), scope_for(user)
    cadre = Cadre.objects.get(person=people["孙丽"])
    case = reserve.case_open(actor=a, scope=s, cadre=cadre, circumstances=["07"], measure="order_resign", motion_on=D(2025, 4, 1))
    for step in case.steps.filter(on__isnull=True).order_by("sort"):
        reserve.case_step(actor=a, scope=s, case=case, step=step.step, on=D(2025, 4, 20), decision="同意")
        if step.step == "decision":
            break
    pending = [st.label for st in case.steps.filter(on__isnull=True).order_by("sort")]
    assert len(pending) == 2 and "辞职" in pending[0]  # 本人提出辞职, then 宣布
    with pytest.raises(rules.RuleViolation, match=f"请先办理“{pending[0]}”"):
        reserve.case_complete(actor=a, scope=s, case=case, effective_on=D(2025, 5, 20), document_no="金组〔2025〕30号")
    first = case.steps.filter(on__isnull=True).order_by("sort").first()
    reserve.case_step(actor=a, scope=s, case=case, step=first.step, on=D(2025, 5, 10), decision="本人已提出辞职")
    with pytest.raises(rules.RuleViolation, match="早于"):
        reserve.case_complete(actor=a, scope=s, case=case, effective_on=D(2025, 5, 9), document_no="金组〔2025〕30号")
    done = reserve.case_complete(actor=a, scope=s, case=case, effective_on=D(2025, 5, 10), document_no="金组〔2025〕30号")
    assert done.status == "done" and not done.steps.filter(on__isnull=True).exists()


def _decided_case(a, s, cadre, measure):
    """A case of ``measure`` for ``cadre`` with every step before 宣布/执行 done on 2025.04.20."""
    case = reserve.case_open(actor=a, scope=s, cadre=cadre, circumstances=["07"], measure=measure, motion_on=D(2025, 4, 1))
    for step in case.steps.filter(on__isnull=True).exclude(step="announce").order_by("sort"):
        reserve.case_step(actor=a, scope=s, case=case, step=step.step, on=D(2025, 4, 20), decision="同意")
    return case


def _city_team_post(city):
    team = LeadershipTeam.objects.create(unit=city.units["jinan"], name="金安区委领导班子", management_level="city")
    return Post.objects.create(unit=city.units["jinan"], team=team, title="区委常委、组织部部长", post_level="32")


@pytest.mark.parametrize("measure", ["lateral", "reassign"])
def test_a_county_admin_may_not_complete_a_case_onto_a_city_team_post(city, measure):
    people = populate(city)
    user = city.users["county_admin"]
    a, s = Actor(user=user), scope_for(user)
    cadre = Cadre.objects.get(person=people["孙丽"])  # 县管, 金安区一镇副镇长
    post = _city_team_post(city)
    case = _decided_case(a, s, cadre, measure)
    with pytest.raises(PermissionDenied, match="市管领导班子"):
        reserve.case_complete(actor=a, scope=s, case=case, effective_on=D(2025, 5, 1), document_no="金组〔2025〕30号", new_post=post)
    case.refresh_from_db()
    assert case.status == "open" and not Appointment.objects.filter(post=post).exists()
    assert Appointment.objects.filter(cadre=cadre, end__isnull=True, post__title="副镇长").exists()  # nothing ended either


def test_a_county_admin_may_not_end_a_city_team_post_by_completing_a_removal(city):
    people = populate(city)
    user = city.users["county_admin"]
    a, s = Actor(user=user), scope_for(user)
    cadre = Cadre.objects.get(person=people["孙丽"])
    held = Appointment.objects.create(cadre=cadre, post=_city_team_post(city), start=D(2024, 1, 1), document_no="六组干〔2024〕1号",
                                      is_concurrent=True)  # fmt: skip
    case = _decided_case(a, s, cadre, "remove")
    with pytest.raises(PermissionDenied, match="市管领导班子"):
        reserve.case_complete(actor=a, scope=s, case=case, effective_on=D(2025, 5, 1), document_no="金组〔2025〕30号")
    assert Appointment.objects.get(pk=held.pk).end is None
    assert Appointment.objects.filter(cadre=cadre, end__isnull=True).count() == 2


def test_the_city_admin_completes_a_case_onto_a_city_team_post(city):
    people = populate(city)
    user = city.users["city_admin"]
    a, s = Actor(user=user), scope_for(user)
    cadre = Cadre.objects.get(person=people["孙丽"])
    post = _city_team_post(city)
    case = _decided_case(a, s, cadre, "lateral")
    done = reserve.case_complete(actor=a, scope=s, case=case, effective_on=D(2025, 5, 1), document_no="六组干〔2025〕30号", new_post=post)
    assert done.status == "done" and done.new_appointment.post == post


def test_the_case_page_offers_a_county_admin_no_city_team_post(city, login):
    people = populate(city)
    user = city.users["county_admin"]
    a, s = Actor(user=user), scope_for(user)
    cadre = Cadre.objects.get(person=people["孙丽"])
    post = _city_team_post(city)
    case = _decided_case(a, s, cadre, "lateral")
    page = login(user).get(reverse("cadres:case", args=[case.pk])).content.decode()
    assert "副镇长" in page and post.title not in page
    r = login(user).post(reverse("cadres:case_complete", args=[case.pk]),
                         {"effective_on": "2025-05-01", "document_no": "金组〔2025〕30号", "new_post": post.pk})
    assert r.status_code == 403 and not Appointment.objects.filter(post=post).exists()
