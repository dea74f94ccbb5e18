"""Task outcomes as evidence on units and on the cadres of the responsible unit's leadership team."""

from __future__ import annotations

import datetime as dt

from zugong.cadres.models import Appointment, Cadre, LeadershipTeam, Post
from zugong.core.scope import scope_for
from zugong.orgs.tests.people import make_person
from zugong.work import selectors
from zugong.work.models import ProgressReport, Task


def test_it_credits_unit_outcomes_to_the_team_cadres(city, plan):
    t = plan.tasks.get(seq=2)  # 各县区, due 2024-12-31
    ProgressReport.objects.create(task=t, unit=city.units["jinan"], date=dt.date(2024, 12, 20), text="完成", completes=True)
    team = LeadershipTeam.objects.create(unit=city.units["jinan"], name="金安区委领导班子", management_level="city")
    post = Post.objects.create(unit=city.units["jinan"], team=team, title="区委书记", post_level="31")
    person = make_person("王伟", 1, birth=dt.date(1975, 1, 1))
    cadre = Cadre.objects.create(person=person, management_level="city", post_level="31", unit=city.units["jinan"])
    Appointment.objects.create(cadre=cadre, post=post, start=dt.date(2021, 6, 1))
    old = Cadre.objects.create(person=make_person("李强", 2, birth=dt.date(1970, 1, 1)), management_level="city",
                               post_level="31", unit=city.units["jinan"])
    Appointment.objects.create(cadre=old, post=post, start=dt.date(2016, 1, 1), end=dt.date(2021, 6, 1))
    scope = scope_for(city.users["city_admin"])
    units = {r.unit_name: r for r in selectors.unit_outcomes(scope, dt.date(2024, 1, 1), dt.date(2024, 12, 31))}
    assert (units["金安区"].done, units["裕安区"].undone) == (1, 1)
    rows = selectors.outcomes_by_cadre(scope, dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    assert [(r.person_name, r.post_title, r.outcome.unit_name, r.outcome.done) for r in rows] == [("王伟", "区委书记", "金安区", 1)]
    # the neighbour sees no 金安区 cadre
    assert selectors.outcomes_by_cadre(scope_for(city.users["neighbour_admin"]), dt.date(2024, 1, 1), dt.date(2024, 12, 31)) == []
    assert Task.objects.filter(pk=t.pk).exists()
