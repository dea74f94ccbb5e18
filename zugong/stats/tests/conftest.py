import datetime as dt

import pytest

from zugong.core.testing import _node
from zugong.orgs.models import OrgKind, PartyOrganization
from zugong.stats.tests import factories as f

AS_OF = dt.date(2023, 6, 30)


@pytest.fixture
def stats_city(city):
    """The test city with hand-built members and cadres around the boundaries of the speech figures.

    On AS_OF (2023-06-30), in 金安区:
    - 市管 cadres aged exactly 55 (born 1968-06-30), 54 (born 1968-07-01, birthday the day after),
      exactly 58 (born 1965-06-30) and 57 (born 1965-07-01); one whose post ended on AS_OF and one
      whose post starts the day after (neither counts); one 县管 cadre aged 60.
      Team A (55, 54) average 54.5; team B (58, 57) average 57.5.
    - rural members (village branch) born 1963-06-30 (60, 初中) and 1963-07-01 (59, 大专);
      a township-branch member aged 70 with 小学 (not rural);
    - a member transferred from 裕安区 to 金安区 on 2023-03-01; a probationary member admitted 2023-02-01.
    """
    u, o = city.units, city.orgs
    jinan = u["jinan"]
    team_a, team_b = f.team(jinan, "金安区委领导班子"), f.team(jinan, "金安区政府领导班子")
    f.cadre(jinan, birth=dt.date(1968, 6, 30), team=team_a)
    f.cadre(jinan, birth=dt.date(1968, 7, 1), team=team_a)
    f.cadre(jinan, birth=dt.date(1965, 6, 30), team=team_b)
    f.cadre(jinan, birth=dt.date(1965, 7, 1), team=team_b)
    f.cadre(jinan, birth=dt.date(1960, 1, 1), team=team_b, end=AS_OF)
    f.cadre(jinan, birth=dt.date(1960, 1, 1), team=team_b, start=AS_OF + dt.timedelta(days=1))
    f.cadre(u["jinan_town"], birth=dt.date(1963, 1, 1), level="county")
    branch = o["jinan_branch"]
    f.member(branch, birth=dt.date(1963, 6, 30), education="70", female=True)
    f.member(branch, birth=dt.date(1963, 7, 1), education="30")
    town_branch = _node(PartyOrganization, o["jinan_town"], "金安区一镇机关党支部", 3, kind=OrgKind.BRANCH, unit=u["jinan_town"])
    f.member(town_branch, birth=dt.date(1953, 1, 1), education="80", occupation="08", joined=dt.date(1975, 5, 1))
    mover = f.member(o["yuan_branch"], birth=dt.date(1990, 3, 3), joined=dt.date(2015, 7, 1), occupation="01")
    f.transfer(mover, o["jinan_branch2"], on=dt.date(2023, 3, 1))
    f.probationary(o["jinan_branch2"], joined=dt.date(2023, 2, 1))
    city.town_branch = town_branch
    return city
