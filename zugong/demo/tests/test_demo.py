"""The demo city: exact division tree, consistent people, shares, cadres, accounts, determinism."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Exists, F, Min, OuterRef, Subquery

from zugong.cadres.models import Appointment, Cadre
from zugong.core import codes
from zugong.core.models import AuditEvent, Person, Role, UserProfile
from zugong.core.rules import age_on, parse_id_number
from zugong.demo import DEMO_PASSWORD, DemoError, build_demo
from zugong.demo.divisions import DATA_DIR, load_counties
from zugong.demo.people import OLD_AREA_CODE, REF_DATE, add_years
from zugong.members.models import Affiliation, MemberStatus, PartyMember
from zugong.orgs.models import OrgKind, PartyOrganization, Unit, UnitKind

SCALE = 0.005


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """One small demo city shared by this module's tests, rolled back at the end."""
    with django_db_blocker.unblock():
        with transaction.atomic():
            summary = build_demo(scale=SCALE, seed=11)
            yield summary
            transaction.set_rollback(True)


def test_it_ships_the_luan_division_subset():
    counties = load_counties()
    assert [c.code for c in counties] == ["341502", "341503", "341504", "341522", "341523", "341524", "341525"]
    assert [c.name for c in counties] == ["金安区", "裕安区", "叶集区", "霍邱县", "舒城县", "金寨县", "霍山县"]
    towns = [t for c in counties for t in c.towns]
    villages = [v for t in towns for v in t.villages]
    assert len(towns) == 146
    assert len(villages) == 1970
    assert sum(v.is_village for v in villages) == 1721
    assert ("341502001", "中市街道") in [(t.code, t.name) for t in towns]
    assert ("341502001001", "迎宾居委会") in [(v.code, v.name) for v in villages]
    assert all(len(v.code) == 12 and v.code.startswith("3415") for v in villages)
    assert "2.7.0" in (DATA_DIR / "SOURCE.md").read_text()
    assert "PUBLIC LICENSE" in (DATA_DIR / "LICENSE").read_text()


@pytest.mark.django_db
def test_it_builds_exactly_the_division_tree(demo):
    by_kind = lambda *kinds: Unit.objects.filter(kind__in=kinds)  # noqa: E731
    assert by_kind(UnitKind.CITY).get().division_code == "341500000000"
    assert by_kind(UnitKind.COUNTY).count() == 7
    assert by_kind(UnitKind.TOWNSHIP, UnitKind.SUBDISTRICT).count() == 146
    assert by_kind(UnitKind.VILLAGE).count() == 1721
    assert by_kind(UnitKind.COMMUNITY).count() == 249
    expected = {v.code: v.name for c in load_counties() for t in c.towns for v in t.villages}
    got = dict(by_kind(UnitKind.VILLAGE, UnitKind.COMMUNITY).values_list("division_code", "name"))
    assert got == expected
    jinan = Unit.objects.get(division_code="341502000000")
    assert jinan.name == "金安区"
    street = Unit.objects.get(division_code="341502001000")
    assert street.name == "中市街道" and street.kind == UnitKind.SUBDISTRICT and street.parent == jinan
    village = Unit.objects.get(division_code="341502001001")
    assert village.parent == street and village.path.startswith(street.path)
    for unit in by_kind(UnitKind.VILLAGE, UnitKind.COMMUNITY).select_related("parent"):
        assert unit.parent.division_code[:9] == unit.division_code[:9]


@pytest.mark.django_db
def test_it_gives_every_village_and_community_a_party_organization(demo):
    grassroots = PartyOrganization.objects.filter(unit__kind__in=(UnitKind.VILLAGE, UnitKind.COMMUNITY))
    assert grassroots.values("unit").distinct().count() == 1970
    assert set(grassroots.values_list("term_years", flat=True)) == {5}
    assert grassroots.filter(kind=OrgKind.GENERAL_BRANCH).exists()
    assert PartyOrganization.objects.filter(depth=1).get().name == "中共六安市委员会"
    names = set(PartyOrganization.objects.values_list("name", flat=True))
    assert {"中共六安市金安区委员会", "中共霍山县委员会", "中共六安市直属机关工作委员会", "中共木厂镇委员会",
            "中共中市街道工作委员会"} <= names
    assert PartyOrganization.objects.filter(kind=OrgKind.JOINT_BRANCH, parent__name__endswith="两新组织工作委员会").exists()
    committees = PartyOrganization.objects.filter(kind__in=(OrgKind.COMMITTEE, OrgKind.WORKING_COMMITTEE))
    assert set(committees.values_list("term_years", flat=True)) == {5}  # 党章第二十七条; 基层委员会 一般五年
    other = PartyOrganization.objects.exclude(unit__kind__in=(UnitKind.VILLAGE, UnitKind.COMMUNITY)).exclude(pk__in=committees)
    assert set(other.values_list("term_years", flat=True)) == {3}  # 支部工作条例: other branches 一般3年


@pytest.mark.django_db
def test_it_makes_valid_unique_id_numbers_consistent_with_the_person(demo):
    allowed = {"341502", "341503", "341504", "341522", "341523", "341524", "341525", *OLD_AREA_CODE.values()}
    seen = set()
    for person in Person.objects.all():
        info = parse_id_number(person.id_number)
        assert info.birth_date == person.birth_date
        assert info.gender == person.gender
        assert info.area_code in allowed
        assert (info.area_code.startswith("3424")) == (person.birth_date.year < 1985)
        assert person.id_number_masked == info.number[:6] + "********" + info.number[-4:]
        seen.add(info.number)
        if person.work_start_date:
            assert age_on(person.birth_date, person.work_start_date) >= 16
            assert person.work_start_date <= REF_DATE
    # 参加工作时间 is a date of the past, not clamped onto the reference date (it piled 2.7 % of the city there)
    assert Person.objects.filter(work_start_date=REF_DATE).count() <= max(1, Person.objects.count() // 1000)
    assert len(seen) == Person.objects.count() == demo.persons


@pytest.mark.django_db
def test_it_has_consistent_membership_dates(demo):
    members = PartyMember.objects.select_related("person")
    # the drawn members and the predecessors in the seats of past dates (retired cadres, 离退休 branches)
    assert members.count() == demo.members == round(250_000 * SCALE) + demo.predecessors
    for m in members:
        assert m.joined_date >= add_years(m.person.birth_date, 18), m
        assert m.joined_date <= REF_DATE
        if m.status == MemberStatus.PROBATIONARY:
            assert m.confirmed_date is None
            assert (REF_DATE - m.joined_date).days < 366
        else:
            # a full year of probation (党章第七条) as the importer counts it: 365 days across 29 February are not one
            assert add_years(m.joined_date, 1) <= m.confirmed_date <= add_years(m.joined_date, 1) + dt.timedelta(days=45)
            assert m.confirmed_date <= REF_DATE
        if m.occupation == "06":
            assert age_on(m.person.birth_date, REF_DATE) <= 24
        if m.occupation == "08":
            assert age_on(m.person.birth_date, REF_DATE) >= 55
    open_affiliations = Affiliation.objects.filter(end__isnull=True)
    assert open_affiliations.count() == members.count()
    current = PartyMember.objects.filter(pk=OuterRef("member")).values("org")[:1]
    assert not open_affiliations.exclude(org=Subquery(current)).exists()
    assert Affiliation.objects.filter(end__isnull=False).exists()  # some transfers
    assert PartyMember.objects.exclude(org__kind__in=(OrgKind.BRANCH, OrgKind.JOINT_BRANCH)).count() == 0


def _share(qs, **condition) -> float:
    return qs.filter(**condition).count() / qs.count()


@pytest.mark.django_db
def test_it_follows_the_chosen_shares_roughly(demo):
    people = Person.objects.filter(membership__isnull=False)
    born_61 = add_years(REF_DATE, -61)
    assert 0.22 < _share(people, gender="2") < 0.40
    assert 0.35 < _share(people, education__in=codes.COLLEGE_OR_ABOVE) < 0.62
    assert _share(people, ethnicity__in=[c for c, _ in codes.ETHNICITY if c != codes.HAN]) < 0.04
    assert 0.20 < _share(people, birth_date__lte=born_61) < 0.42
    members = PartyMember.objects.all()
    assert 0.02 < _share(members, status=MemberStatus.PROBATIONARY) < 0.09
    assert 0.18 < _share(members, occupation=codes.FARMER) < 0.36
    assert {m for m in members.values_list("occupation", flat=True)} == {c for c, _ in codes.OCCUPATION}
    rural = Person.objects.filter(membership__org__unit__kind=UnitKind.VILLAGE)
    organ = Person.objects.filter(membership__org__unit__kind=UnitKind.ORGAN)
    assert _share(rural, birth_date__lte=add_years(REF_DATE, -60)) > 0.40
    assert _share(rural, education__in=codes.JUNIOR_HIGH_OR_BELOW) > 0.40
    assert _share(organ, education__in=codes.COLLEGE_OR_ABOVE) > 0.85
    assert _share(organ, birth_date__lte=born_61) < _share(rural, birth_date__lte=born_61)


@pytest.mark.django_db
def test_it_builds_cadres_in_leadership_teams(demo):
    today = Cadre.objects.filter(Exists(Appointment.objects.filter(cadre=OuterRef("pk"), end__isnull=True)))  # not the
    # predecessors, who held seats on past dates only (test_demo_careers); at this scale every cadre holds a seat
    city = today.filter(management_level="city").select_related("person")
    county = today.filter(management_level="county").select_related("person")
    assert city.count() == round(3000 * SCALE) and county.count() == round(15000 * SCALE)
    assert set(city.values_list("post_level", flat=True)) <= {"31", "32"}
    assert set(county.values_list("post_level", flat=True)) <= {"41", "42"}
    for c in [*city, *county]:
        age = age_on(c.person.birth_date, REF_DATE)
        assert (36 <= age <= 59) if c.management_level == "city" else (28 <= age <= 59)
        main = c.appointments.get(is_concurrent=False, end__isnull=True)
        assert main.post.unit_id == c.unit_id
        assert main.document_no.endswith("号") and "组干〔" in main.document_no
        assert main.start <= REF_DATE and age_on(c.person.birth_date, main.start) >= 25
        assert hasattr(c.person, "membership") == c.is_party_member
    from zugong.cadres.rules import is_party_post

    held = Appointment.objects.filter(cadre__is_party_member=False).values_list("post__title", flat=True)
    assert held and not [t for t in held if is_party_post(t)]  # a 党内职务 only for a member of the Party
    assert Cadre.objects.filter(is_party_member=False).exists()
    assert Appointment.objects.filter(post__title="区委书记", post__team__name="金安区委领导班子").exists()
    assert Appointment.objects.filter(is_concurrent=True).exists()


@pytest.mark.django_db
def test_it_dates_every_party_organization_plausibly_and_consistently(demo):
    orgs = {o.pk: o for o in PartyOrganization.objects.select_related("unit")}
    assert all(o.established is not None and o.established <= REF_DATE for o in orgs.values())
    for o in orgs.values():  # a child never before its parent
        if o.parent_id is not None:
            assert o.established >= orgs[o.parent_id].established, o
    # no member of an organization from before its 成立日期: the affiliation of a member who joined
    # earlier starts with a 组织关系转接 after it (members.Affiliation.start; the first one is the 入党)
    assert not Affiliation.objects.filter(start__lt=F("org__established")).exists()
    assert Affiliation.objects.filter(reason="组织关系转接", end__isnull=True).count() > Affiliation.objects.filter(
        reason="组织关系转接", end__isnull=True, member__joined_date__gte=F("org__established")).count()
    earliest = dict(Affiliation.objects.order_by().values("org").annotate(m=Min("start")).values_list("org", "m"))
    assert all(orgs[pk].established <= first for pk, first in earliest.items())

    counties = PartyOrganization.objects.filter(kind=OrgKind.COMMITTEE, unit__kind=UnitKind.COUNTY)
    yeji = counties.get(unit__division_code__startswith="341504")

    def years(**kw) -> list[int]:  # 叶集区's organizations apart: set up in late 2015 (below)
        return [o.established.year for o in PartyOrganization.objects.filter(**kw).exclude(path__startswith=yeji.path)]

    root = PartyOrganization.objects.get(depth=1)
    assert root.established.year == 1949
    assert max(years(pk__in=counties)) <= 1950
    # 叶集区 was set up in late 2015 from 霍邱县: its organizations none before, its members' earlier
    # affiliations in 霍邱县's branches
    assert not PartyOrganization.objects.filter(path__startswith=yeji.path, established__lt=dt.date(2015, 12, 1)).exists()
    huoqiu = counties.get(unit__division_code__startswith="341522")
    earlier = Affiliation.objects.filter(end__isnull=False, member__org__path__startswith=yeji.path)
    before = earlier.filter(start__lt=yeji.established)  # in 霍邱县's branches or the city's (those of 霍邱 people)
    assert before.filter(org__path__startswith=huoqiu.path).exists() and not before.filter(org__path__startswith=yeji.path)
    # only village branches (and the committees above them) reach back before 1950: a member who joined
    # before every branch was founded first belonged to the county's oldest village branch
    old = PartyOrganization.objects.filter(established__lt=dt.date(1950, 1, 1))
    assert not old.exclude(kind=OrgKind.COMMITTEE).exclude(unit__kind=UnitKind.VILLAGE).exists()
    assert not old.filter(unit__kind__in=(UnitKind.SUBDISTRICT, UnitKind.COMMUNITY)).exists()
    assert max(years(kind=OrgKind.COMMITTEE, unit__kind=UnitKind.TOWNSHIP)) <= 1958
    joint = years(kind=OrgKind.JOINT_BRANCH)
    nonpublic = years(unit__kind=UnitKind.NONPUBLIC) + years(unit__kind=UnitKind.SOCIAL)
    assert joint and min(joint) >= 2008 and min(nonpublic) >= 2005 and max(nonpublic) >= 2015
    assert min(years(unit__kind=UnitKind.COMMUNITY)) >= 2000
    schools = years(unit__kind__in=(UnitKind.SCHOOL, UnitKind.HOSPITAL), kind=OrgKind.COMMITTEE)
    assert max(schools) <= 1985 < min(nonpublic)  # schools and hospitals are older than the 两新 branches
    village = years(unit__kind=UnitKind.VILLAGE, kind=OrgKind.BRANCH)
    assert sum(y < 1970 for y in village) > 0.8 * len(village)
    assert set(years(name__endswith="退役军人事务局机关党支部")) == {2019}  # set up by the 2019 reform


def _grassroots_on(on: dt.date) -> int:
    """基层党组织 on ``on`` counted in Python: committees, 党工委, general branches and branches founded
    by then, without the local committees (the city's and the counties') and their working committees."""
    kinds = {OrgKind.COMMITTEE, OrgKind.WORKING_COMMITTEE, OrgKind.GENERAL_BRANCH, OrgKind.BRANCH, OrgKind.JOINT_BRANCH}
    local = {UnitKind.CITY, UnitKind.COUNTY}
    n = 0
    for o in PartyOrganization.objects.select_related("unit"):
        committee = o.kind in (OrgKind.COMMITTEE, OrgKind.WORKING_COMMITTEE)
        if o.kind in kinds and not (committee and o.unit.kind in local) and o.established <= on:
            n += 1
    return n


@pytest.mark.django_db
def test_it_counts_only_the_organizations_founded_by_a_past_date(demo):
    from zugong.core.scope import scope_for
    from zugong.stats.selectors import org_sections, resolve_target

    scope = scope_for(get_user_model().objects.get(username="admin"))
    today = org_sections(resolve_target(scope, on=REF_DATE))["by_kind"].base
    past = org_sections(resolve_target(scope, on=dt.date(2015, 12, 31)))["by_kind"].base
    assert today == _grassroots_on(REF_DATE)
    assert past == _grassroots_on(dt.date(2015, 12, 31))
    assert past < today
    assert org_sections(resolve_target(scope, on=dt.date(1960, 12, 31)))["by_kind"].base < past / 2


@pytest.mark.django_db
def test_it_records_three_closed_years_of_appraisal_as_the_appraisal_services_would(demo):
    """Every round closable under its quota (《公务员考核规定》（2020）: 优秀 ≤ 20%, 向下取整), its
    participants among ``round_candidates`` (领导班子: team members on 31 December; others: held a post
    or 职级 during the year), every team member of the year appraised, 任职不满半年 not graded."""
    from collections import Counter

    from zugong.cadres import rules
    from zugong.cadres.models import AppraisalEntry, AppraisalRound, NotGraded, UnitCategory
    from zugong.cadres.selectors_appraisal import round_figures
    from zugong.cadres.services.appraisal import half_year_cutoff, round_candidates
    from zugong.demo.appraisals import YEARS

    rounds = AppraisalRound.objects.select_related("unit")
    assert demo.appraisal_rounds == rounds.count() > 20 and demo.appraisal_entries == AppraisalEntry.objects.count()
    assert sorted(set(rounds.values_list("year", flat=True))) == list(YEARS)
    assert set(rounds.values_list("status", flat=True)) == {"closed"}
    assert {r.category for r in rounds} >= {UnitCategory.TEAM, UnitCategory.ORGAN, UnitCategory.GRASSROOTS}
    firsts = dict(Appointment.objects.values("cadre").annotate(first=Min("start")).values_list("cadre", "first"))
    appraised = {y: set(AppraisalEntry.objects.filter(year=y).values_list("cadre_id", flat=True)) for y in YEARS}
    for rnd in rounds:
        f = round_figures(rnd)
        rules.check_round_closable(excellent=f["excellent"], quota=f["quota"], ungraded=f["ungraded"])
        assert f["participants"] > 0 and rnd.closed_on.year == rnd.year + 1 and rnd.closed_on.weekday() < 5
        candidates = set(round_candidates(rnd, today=REF_DATE).values_list("pk", flat=True))
        entries = list(AppraisalEntry.objects.filter(round=rnd).values_list("cadre_id", "grade", "not_graded"))
        assert {c for c, _, _ in entries} <= candidates, rnd
        if rnd.category == UnitCategory.TEAM:
            assert candidates <= appraised[rnd.year], rnd
        for cadre_id, grade, not_graded in entries:
            short = firsts.get(cadre_id) is not None and firsts[cadre_id] > half_year_cutoff(rnd.year)
            assert (not_graded, bool(grade)) == ((NotGraded.SHORT_SERVICE, False) if short else ("", True))
    grades = Counter(AppraisalEntry.objects.exclude(grade="").values_list("grade", flat=True))
    assert 0.10 < grades[rules.EXCELLENT] / sum(grades.values()) <= 0.20
    assert grades[rules.COMPETENT] > grades[rules.EXCELLENT] > grades[rules.BASIC]


@pytest.mark.django_db
def test_it_fills_the_reserve_pool_one_step_up_with_a_history_the_services_would_write(demo):
    from zugong.cadres import rules
    from zugong.cadres.models import AppraisalEntry, ReserveEntry, ReserveStatus
    from zugong.cadres.selectors import holds_post_or_rank_on
    from zugong.cadres.services.reserve import TRANSITIONS
    from zugong.demo.reserve import STEP_UP

    entries = list(ReserveEntry.objects.select_related("cadre__person").prefetch_related("status_changes"))
    assert demo.reserve == len(entries) > 0
    flagged = set(AppraisalEntry.objects.filter(grade__in=[rules.BASIC, rules.INCOMPETENT]).values_list("cadre_id", flat=True))
    serving = set(Cadre.objects.filter(holds_post_or_rank_on(REF_DATE)).values_list("pk", flat=True))
    for e in entries:
        assert e.category == STEP_UP[e.cadre.post_level][0] and e.cadre_id in serving and e.cadre_id not in flagged
        assert age_on(e.cadre.person.birth_date, REF_DATE) <= rules.DEFAULT_YOUNG_THRESHOLDS[e.category] + 3
        history = sorted(e.status_changes.all(), key=lambda c: (c.on, c.id))
        assert (history[0].from_status, history[0].to_status, history[0].on) == ("", ReserveStatus.IN_POOL, e.entered_on)
        for before, after in itertools.pairwise(history):
            assert after.from_status == before.to_status and before.on <= after.on
            assert after.to_status in TRANSITIONS[after.from_status] or after.to_status == after.from_status == ReserveStatus.IN_POOL
        assert (history[-1].to_status, history[-1].on) == (e.status, e.status_on) and e.status_on <= REF_DATE < e.review_due + dt.timedelta(days=46)
    assert len({e.cadre_id for e in entries}) == len(entries)  # one active entry per cadre


@pytest.mark.django_db
def test_it_uploads_a_work_document_and_reports_progress_through_the_work_services(demo):
    from zugong.core.scope import scope_for
    from zugong.demo.work import DOCUMENT_DATE
    from zugong.work.models import ProgressReport, Task, TaskKind, WorkDocument
    from zugong.work.services import reporting_units

    document = WorkDocument.objects.get()
    assert (document.title, document.document_date, document.owner_unit.kind) == ("在全市组织工作会议上的讲话", DOCUMENT_DATE, UnitKind.CITY)
    tasks = Task.objects.filter(document=document, kind=TaskKind.TASK)
    assert demo.work_tasks == tasks.count() > 20 and demo.work_reports == ProgressReport.objects.count() > 20
    admin = scope_for(get_user_model().objects.get(username="admin"))
    by_unit: dict = {}
    for r in ProgressReport.objects.select_related("task", "unit", "created_by__profile__unit").order_by("date", "id"):
        assert DOCUMENT_DATE < r.date <= REF_DATE and r.unit in reporting_units(admin, r.task)
        assert r.unit.path.startswith(r.created_by.profile.unit.path)  # the county's administrator, or the city's
        by_unit.setdefault((r.task_id, r.unit_id), []).append(r.completes)
    assert all(True not in flags[:-1] for flags in by_unit.values())  # nothing reported after completing
    assert {flags[-1] for flags in by_unit.values()} == {True, False}
    assert AuditEvent.objects.filter(action="work.progress.create").count() == demo.work_reports


@pytest.mark.django_db
def test_it_creates_the_demo_accounts_with_their_scopes(demo):
    profiles = {p.user.username: p for p in UserProfile.objects.select_related("user", "unit", "party_org")}
    assert set(profiles) == {"admin", "jinan", "yuan", "yeji", "huoqiu", "shucheng", "jinzhai", "huoshan",
                             "leader", "secretary"}
    admin = profiles["admin"]
    assert admin.role == Role.CITY_ADMIN and admin.may_view_id_numbers and admin.party_org.depth == 1
    assert profiles["jinan"].role == Role.COUNTY_ADMIN and profiles["jinan"].unit.name == "金安区"
    assert profiles["huoshan"].party_org.name == "中共霍山县委员会"
    assert profiles["leader"].role == Role.LEADER and profiles["leader"].unit.kind == UnitKind.CITY
    sec = profiles["secretary"]
    assert sec.role == Role.BRANCH_SECRETARY and sec.party_org.kind == OrgKind.BRANCH
    assert sec.unit.kind == UnitKind.VILLAGE and sec.unit.path.startswith(profiles["jinan"].unit.path)
    assert get_user_model().objects.get(username="leader").check_password(DEMO_PASSWORD)
    event = AuditEvent.objects.get(action="demo.build")
    assert event.after["members"] == demo.members


@pytest.mark.django_db
def test_it_refuses_to_build_twice_without_reset(demo):
    with pytest.raises(DemoError):
        build_demo(scale=SCALE, seed=11)
