"""The demo city's 能上能下 cases: the adjustments the last 年度考核 calls for, opened and carried a
step or two through the services an administrator's clicks go through (``services.reserve``).

Each cadre graded 不称职 in the last appraised year (``appraisals.YEARS[-1]``) who still holds a post
or a 职级 on the demo's today (``holds_post_or_rank_on``) gets a case — 降职 (《公务员考核规定》（2020）: 不称职 → one post or rank level
down), or 免职 after 不称职 two years running — on circumstance (八) of 第五条 of
《推进领导干部能上能下规定》（2022） (领导能力不足 … 不能按要求完成目标任务), opened (分析研判和动议) a few weeks
after the round closed by the administrator who manages the cadre (the city's for 市管 cadres, the
county's otherwise), then 核实认定 and, for half of them, 提出调整建议. None is decided: completing
a case changes the career, which the demo's careers (``careers.py``) do not foresee. Plausible, not
records.
"""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth import get_user_model

from zugong.cadres import rules
from zugong.cadres.access import may_manage
from zugong.cadres.models import AppraisalEntry, Cadre, CaseStep
from zugong.cadres.selectors import holds_post_or_rank_on
from zugong.cadres.services import reserve
from zugong.core.audit import Actor
from zugong.core.scope import scope_for
from zugong.demo.appraisals import YEARS
from zugong.demo.people import REF_DATE

_CIRCUMSTANCE = "08"  # （八）领导能力不足，不能有效履行职责、按要求完成目标任务…
_VERIFIED = "经核实，该同志{year}年度考核确定为不称职等次，本人对考核结果无异议，已听取本人陈述"


def build_cases(rng: random.Random, usernames: list[str]) -> int:
    """Open the cases (administrators ``usernames``, the first who may manage each cadre). Returns their number."""
    year = YEARS[-1]
    entries = (AppraisalEntry.objects.filter(year=year, grade=rules.INCOMPETENT).select_related("round")
               .order_by("cadre_id"))  # fmt: skip
    twice = set(AppraisalEntry.objects.filter(year=year - 1, grade=rules.INCOMPETENT).values_list("cadre_id", flat=True))
    serving = {c.pk: c for c in Cadre.objects.filter(holds_post_or_rank_on(REF_DATE), pk__in=[e.cadre_id for e in entries])
               .select_related("unit", "person")}  # fmt: skip
    scopes = [(Actor(user=u), scope_for(u)) for u in (get_user_model().objects.get(username=n) for n in usernames)]
    n = 0
    for entry in entries:
        cadre = serving.get(entry.cadre_id)
        if cadre is None:
            continue
        actor, scope = next((a, s) for a, s in scopes if may_manage(s, cadre))
        motion = entry.round.closed_on + dt.timedelta(days=rng.randrange(20, 45))
        case = reserve.case_open(actor=actor, scope=scope, cadre=cadre, circumstances=[_CIRCUMSTANCE],
                                 measure="remove" if cadre.pk in twice else "demote", motion_on=motion,
                                 decision=f"根据{year}年度考核结果，动议对其进行调整")  # fmt: skip
        verified = motion + dt.timedelta(days=rng.randrange(10, 30))
        reserve.case_step(actor=actor, scope=scope, case=case, step=CaseStep.Step.VERIFY, on=verified, decision=_VERIFIED.format(year=year))
        if rng.random() < 0.5:
            reserve.case_step(actor=actor, scope=scope, case=case, step=CaseStep.Step.PROPOSAL, on=verified + dt.timedelta(days=rng.randrange(7, 30)))
        n += 1
    return n
