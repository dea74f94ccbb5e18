"""Completing a 能上能下 case needs every step of its procedure before 宣布 done, and no earlier date."""

import datetime as dt

import pytest

from zugong.cadres import rules
from zugong.cadres.models import Cadre
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
