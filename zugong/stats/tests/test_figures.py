import datetime as dt
from decimal import Decimal

import pytest

from zugong.cadres.models import Appointment, Cadre, LeadershipTeam, Post
from zugong.core.rules import age_on
from zugong.core.scope import scope_for
from zugong.stats import selectors as s
from zugong.stats.tests.conftest import AS_OF


def _target(city, user="city_admin", on=AS_OF, **kw):
    return s.resolve_target(scope_for(city.users[user]), on=on, **kw)


def _figs(target):
    return {f.key: f for f in s.figures(target)}


def test_it_matches_age_on_at_the_boundaries():
    for birth in (dt.date(1968, 6, 30), dt.date(1968, 7, 1), dt.date(1964, 2, 29), dt.date(1964, 3, 1)):
        for on in (dt.date(2023, 6, 30), dt.date(2024, 2, 28), dt.date(2024, 2, 29), dt.date(2023, 2, 28)):
            for n in range(50, 62):
                assert (birth <= s.years_before(on, n)) == (age_on(birth, on) >= n), (birth, on, n)


def test_it_counts_city_cadres_55_to_58_at_the_boundaries(stats_city):
    f = _figs(_target(stats_city))
    assert (f["city_cadres_55_58"].numerator, f["city_cadres_55_58"].denominator) == (2, 4)
    assert f["city_cadres_55_58"].value == Decimal("50.0")
    assert (f["city_cadres_58_plus"].numerator, f["city_cadres_58_plus"].denominator) == (1, 4)
    assert f["city_cadres_58_plus"].value == Decimal("25.0")


def test_it_moves_cadres_across_bands_on_their_birthday(stats_city):
    f = _figs(_target(stats_city, on=AS_OF + dt.timedelta(days=1)))
    # 1968-07-01 turns 55; 1965-07-01 turns 58; the post starting 2023-07-01 (born 1960, 63) now counts.
    assert (f["city_cadres_55_58"].numerator, f["city_cadres_55_58"].denominator) == (2, 5)
    assert f["city_cadres_58_plus"].numerator == 3


def test_it_averages_team_ages_in_full_years(stats_city):
    target = _target(stats_city)
    f = _figs(target)
    assert (f["team_average_age"].numerator, f["team_average_age"].denominator) == (55 + 54 + 58 + 57, 4)
    assert f["team_average_age"].value == Decimal("56.0")
    teams = {t["name"]: t for t in s.team_ages(target)}
    assert teams["金安区委领导班子"]["avg"] == Decimal("54.5") and teams["金安区委领导班子"]["size"] == 2
    assert teams["金安区政府领导班子"]["avg"] == Decimal("57.5")
    assert [t["name"] for t in s.team_ages(target, order="avg")] == ["金安区委领导班子", "金安区政府领导班子"]


def _second_post(cadre, team, title, start=dt.date(2021, 1, 1), end=None):
    post = Post.objects.create(unit=team.unit, team=team, title=title, post_level="32")
    return Appointment.objects.create(cadre=cadre, post=post, start=start, end=end, is_concurrent=True)


def test_it_counts_a_cadre_once_per_team_however_many_posts_he_holds(stats_city):
    """Team averages are per person: two posts in one team count once, posts in two teams once in each."""
    target = _target(stats_city)
    team_a, team_b = (LeadershipTeam.objects.get(name=n) for n in ("金安区委领导班子", "金安区政府领导班子"))
    c55 = Cadre.objects.get(person__birth_date=dt.date(1968, 6, 30))  # team A, 55
    c54 = Cadre.objects.get(person__birth_date=dt.date(1968, 7, 1))  # team A, 54
    _second_post(c55, team_a, "党工委副书记")  # a second post in the same team
    _second_post(c55, team_b, "副区长")  # and a post in the other team
    # 54's own post ended before the date; he now holds two other posts of team A (and one not yet begun)
    Appointment.objects.filter(cadre=c54).update(end=dt.date(2023, 1, 1))
    _second_post(c54, team_a, "党委委员", start=dt.date(2023, 1, 1))
    _second_post(c54, team_a, "办事处主任", start=dt.date(2023, 1, 1))
    _second_post(c54, team_a, "纪委书记", start=AS_OF + dt.timedelta(days=1))
    teams = {t["name"]: t for t in s.team_ages(target)}
    assert [teams["金安区委领导班子"][k] for k in ("size", "age_sum", "avg")] == [2, 55 + 54, Decimal("54.5")]
    assert [teams["金安区政府领导班子"][k] for k in ("size", "age_sum", "avg")] == [3, 58 + 57 + 55, Decimal("56.7")]
    assert s.team_age_total(target) == {"size": 5, "age_sum": 109 + 170}  # 55 is a member of both teams
    f = _figs(target)["team_average_age"]
    assert (f.numerator, f.denominator, f.value) == (279, 5, Decimal("55.8"))  # per appointment it was 388/7
    assert "只计一次" in f.definition and "人次" not in f.definition
    jinan = {f.key: f for f in s.figures_by_child(target)[0]["figures"]}["team_average_age"]
    assert (jinan.numerator, jinan.denominator) == (279, 5)
    assert [t["name"] for t in s.team_ages(target, order="-size")] == ["金安区政府领导班子", "金安区委领导班子"]


def test_it_counts_rural_members_by_village_branch(stats_city):
    f = _figs(_target(stats_city))
    # village branches: the two boundary members, the transferred member and the probationary one
    assert (f["rural_members_60_plus"].numerator, f["rural_members_60_plus"].denominator) == (1, 4)
    assert (f["rural_members_junior_high"].numerator, f["rural_members_junior_high"].denominator) == (1, 4)
    assert f["rural_members_60_plus"].value == Decimal("25.0")
    early = _figs(_target(stats_city, on=dt.date(2023, 1, 31), org_id=stats_city.orgs["jinan"].pk))
    assert (early["rural_members_60_plus"].numerator, early["rural_members_60_plus"].denominator) == (0, 2)


def test_it_counts_a_transferred_member_where_it_was_on_the_date(stats_city):
    o = stats_city.orgs
    before, after = dt.date(2023, 2, 28), dt.date(2023, 3, 1)
    assert s.member_counts(_target(stats_city, on=before, org_id=o["yuan"].pk))["total"] == 1
    assert s.member_counts(_target(stats_city, on=after, org_id=o["yuan"].pk))["total"] == 0
    assert s.member_counts(_target(stats_city, on=before, org_id=o["jinan"].pk))["total"] == 4
    assert s.member_counts(_target(stats_city, on=after, org_id=o["jinan"].pk))["total"] == 5


def test_it_counts_probationary_and_new_members_as_of_the_date(stats_city):
    c = s.member_counts(_target(stats_city))
    assert (c["total"], c["full"], c["probationary"], c["new_this_year"]) == (5, 4, 1, 1)
    assert (c["women"], c["college"], c["edu_70"], c["edu_80"]) == (1, 3, 1, 1)
    early = s.member_counts(_target(stats_city, on=dt.date(2023, 1, 31)))
    assert (early["total"], early["probationary"]) == (4, 0)


def test_it_uses_the_bulletin_categories_in_order(stats_city):
    sec = s.member_sections(s.member_counts(_target(stats_city)), 2024)
    assert [r.label for r in sec["basic"].rows][-1] == "2024年发展党员"
    assert [r.label for r in sec["age"].rows] == [
        "30岁及以下", "31至35岁", "36至40岁", "41至45岁", "46至50岁", "51至55岁", "56至60岁", "61岁及以上",
    ]
    assert [r.label for r in sec["occupation"].rows] == [
        "工人（工勤技能人员）", "农牧渔民", "企事业单位、社会组织专业技术人员", "企事业单位、社会组织管理人员",
        "党政机关工作人员", "学生", "其他职业人员", "离退休人员",
    ]
    assert [r.label for r in sec["joining"].rows] == [
        "新中国成立前入党的", "新中国成立后至党的十一届三中全会前入党的",
        "党的十一届三中全会后至党的十八大前入党的", "党的十八大以来入党的",
    ]
    assert [r.count for r in sec["joining"].rows] == [0, 1, 2, 2]
    assert [r.label for r in sec["basic"].rows][:6] == ["党员总数", "正式党员", "预备党员", "女党员", "少数民族党员", "大专及以上学历"]
    assert sum(r.count for r in sec["age"].rows) == 5


def test_it_counts_grassroots_organizations_without_local_committees(stats_city):
    orgs = s.org_sections(_target(stats_city))
    assert [(r.label, r.count) for r in orgs["by_kind"].rows] == [("基层党组织总数", 7), ("基层党委", 2), ("总支部", 0), ("支部", 5)]
    # a county's 直属机关工委 is sent out by the county committee: not grassroots; its branches are
    from zugong.core.testing import _node
    from zugong.orgs.models import OrgKind, PartyOrganization

    jinan = stats_city.orgs["jinan"]
    organs = _node(PartyOrganization, jinan, "中共金安区直属机关工作委员会", 9, kind=OrgKind.WORKING_COMMITTEE,
                   unit=stats_city.units["jinan"])  # fmt: skip
    _node(PartyOrganization, organs, "金安区财政局机关党支部", 1, kind=OrgKind.BRANCH, unit=stats_city.units["jinan"])
    orgs = s.org_sections(_target(stats_city))
    assert [(r.label, r.count) for r in orgs["by_kind"].rows] == [("基层党组织总数", 8), ("基层党委", 2), ("总支部", 0), ("支部", 6)]


def test_it_breaks_figures_down_by_county(stats_city):
    rows = s.figures_by_child(_target(stats_city))
    assert [r["unit"].name for r in rows] == ["金安区", "裕安区"]
    jinan = {f.key: f for f in rows[0]["figures"]}
    assert (jinan["city_cadres_55_58"].numerator, jinan["city_cadres_55_58"].denominator) == (2, 4)
    assert jinan["rural_members_60_plus"].denominator == 4
    yuan = {f.key: f for f in rows[1]["figures"]}
    assert yuan["city_cadres_55_58"].value is None and yuan["rural_members_60_plus"].denominator == 0


def test_it_scopes_a_county_admin_to_its_county(stats_city):
    t = _target(stats_city, user="county_admin", on=dt.date(2023, 2, 28))
    assert s.member_counts(t)["total"] == 4
    with pytest.raises(s.Http404):
        _target(stats_city, user="neighbour_admin", org_id=stats_city.orgs["jinan"].pk)
    with pytest.raises(s.Http404):
        _target(stats_city, user="neighbour_admin", unit_id=stats_city.units["jinan"].pk)


def test_it_labels_the_open_ended_team_histogram_bins():
    from decimal import Decimal

    from zugong.stats.reports import team_histogram

    bins = dict(team_histogram([{"avg": Decimal("39.9")}, {"avg": Decimal("45.0")}, {"avg": Decimal("55.0")}, {"avg": None}]))
    assert bins["不满40岁"] == 1
    assert bins["45至不满48岁"] == 1 and bins["40至不满45岁"] == 0  # an average of 45.0 is not in 40–45
    assert bins["55岁及以上"] == 1
    assert sum(bins.values()) == 3


def test_new_members_of_the_year_are_counted_by_the_branch_that_admitted_them(city):
    """今年发展党员 is a flow (admissions_in_year): transferred away or left since still counts where
    admitted; admitted elsewhere and transferred in does not."""
    from zugong.core.scope import scope_for
    from zugong.members.models import Affiliation
    from zugong.stats.tests.factories import member

    D = dt.date
    jinan, yuan = city.orgs["jinan_branch"], city.orgs["yuan_branch"]
    member(jinan, joined=D(2026, 3, 1))  # admitted in 金安, still there
    moved = member(jinan, joined=D(2026, 4, 1))  # admitted in 金安, transferred to 裕安
    Affiliation.objects.filter(member=moved).update(end=D(2026, 6, 1))
    Affiliation.objects.create(member=moved, org=yuan, start=D(2026, 6, 1))
    moved.org = yuan
    moved.save()
    member(yuan, joined=D(2026, 2, 1), start=D(2026, 5, 1))  # admitted outside the city, transferred in
    gone = member(jinan, joined=D(2026, 5, 1), left=D(2026, 8, 1))  # admitted, then died
    Affiliation.objects.filter(member=gone).update(end=D(2026, 8, 1))
    member(jinan, joined=D(2025, 12, 31))  # last year
    scope = scope_for(city.users["city_admin"])

    def new(on, **node):
        return s.member_counts(s.resolve_target(scope, on=on, **node))["new_this_year"]

    assert new(D(2026, 11, 30), unit_id=city.units["jinan"].pk) == 3
    assert new(D(2026, 11, 30), unit_id=city.units["yuan"].pk) == 0
    assert new(D(2026, 11, 30)) == 3 and new(D(2026, 3, 31)) == 1 and new(D(2025, 12, 31)) == 1
    totals, by_child = s.member_counts_by_child(s.resolve_target(scope, on=D(2026, 11, 30)))
    assert totals["new_this_year"] == 3 and by_child[city.units["jinan"].path]["new_this_year"] == 3
    assert by_child[city.units["yuan"].path]["new_this_year"] == 0
    assert totals["total"] == 4  # the stock: 金安 one + last year's, 裕安 the two transferred in


def test_it_counts_a_cadre_with_a_rank_only_in_his_unit_and_once(stats_city):
    """A 市管 cadre holding a 职级 and no post (二级调研员) counts on the days the rank runs, in the subtree
    of his unit; a cadre with a post and a rank counts once, by the post."""
    from zugong.cadres.models import CadreRank
    from zugong.stats.tests import factories as f

    jinan = stats_city.units["jinan"]
    before = s.cadre_counts(_target(stats_city))["city"]["total"]
    earlier = s.cadre_counts(_target(stats_city, on=dt.date(2020, 12, 31)))["city"]["total"]
    p = f.person(birth=dt.date(1968, 1, 1))  # 55 on AS_OF
    rank_only = Cadre.objects.create(person=p, management_level="city", post_level="31", unit=jinan)
    CadreRank.objects.create(cadre=rank_only, rank="04", start=dt.date(2021, 1, 1))
    seat = Cadre.objects.get(person__birth_date=dt.date(1968, 6, 30))
    CadreRank.objects.create(cadre=seat, rank="05", start=dt.date(2021, 1, 1))
    counts = s.cadre_counts(_target(stats_city))["city"]
    assert counts["total"] == before + 1 and counts["age_55_58"] == 3
    assert s.cadre_counts(_target(stats_city, on=dt.date(2020, 12, 31)))["city"]["total"] == earlier  # not yet
    figs = {x.key: x for x in s.figures_by_child(_target(stats_city))[0]["figures"]}
    assert (figs["city_cadres_55_58"].numerator, figs["city_cadres_55_58"].denominator) == (3, before + 1)
    yuan = _target(stats_city, unit_id=stats_city.units["yuan"].pk)
    assert s.cadre_counts(yuan)["city"]["total"] == 0  # counted in his unit's subtree only
    CadreRank.objects.filter(cadre=rank_only).update(end=AS_OF)
    assert s.cadre_counts(_target(stats_city))["city"]["total"] == before
