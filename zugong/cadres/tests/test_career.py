"""Posts and ranks: appointments and removals, 职数 at the boundary, ranks, scope and audit (issue 4 §1)."""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from zugong.cadres import rules
from zugong.cadres.models import Appointment, Cadre, CadreRank, LeadershipTeam, Post
from zugong.cadres.services import career
from zugong.core.audit import Actor
from zugong.core.models import AuditEvent
from zugong.core.scope import scope_for
from zugong.orgs.tests.people import make_person, populate

D = dt.date


@pytest.fixture
def people(city):
    return populate(city)


@pytest.fixture
def team(people):
    return LeadershipTeam.objects.get(name="金安区一镇领导班子")


def actor(city, name="county_admin"):
    user = city.users[name]
    return Actor(user=user), scope_for(user)


BORN_1990 = D(1990, 1, 1)


def new_cadre(city, name, n, *, birth=BORN_1990, female=False, level="42", management="county"):
    person = make_person(name, n, birth=birth, female=female)
    return Cadre.objects.create(person=person, management_level=management, post_level=level, unit=city.units["jinan_town"])


def test_it_refuses_an_appointment_beyond_the_quota_and_accepts_it_at_the_quota(city, team):
    a, s = actor(city)
    career.post_quota_set(actor=a, scope=s, team=team, kind=rules.CHIEF, number=1, document_no="金编〔2024〕3号")
    mayor = Post.objects.create(unit=team.unit, team=team, title="镇长", post_level="41")
    newcomer = new_cadre(city, "周平", 30, level="42")
    with pytest.raises(rules.RuleViolation) as exc:
        career.appointment_create(actor=a, scope=s, cadre=newcomer, post=mayor, start=D(2025, 3, 1), document_no="金组〔2025〕1号")
    assert "核定正职职数1名，现已配备1名" in str(exc.value) and "选拔任用工作条例" in str(exc.value)
    assert not Appointment.objects.filter(cadre=newcomer).exists()
    career.post_quota_set(actor=a, scope=s, team=team, kind=rules.CHIEF, number=2)
    appt = career.appointment_create(actor=a, scope=s, cadre=newcomer, post=mayor, start=D(2025, 3, 1), document_no="金组〔2025〕1号")
    assert appt.pk and career.quota_holders(team, rules.CHIEF, D(2025, 3, 1)) == 2
    newcomer.refresh_from_db()
    assert newcomer.post_level == "41"
    assert AuditEvent.objects.filter(action="cadres.post_quota_set").count() == 2
    assert AuditEvent.objects.get(action="cadres.appointment_create").after["document_no"] == "金组〔2025〕1号"


@pytest.mark.parametrize("title", ["党委副书记", "党委委员、组织委员", "纪委书记", "县委常委"])
def test_it_refuses_a_party_post_to_a_cadre_who_is_not_a_party_member(city, team, title):
    a, s = actor(city)
    cadre = new_cadre(city, "钱民", 60)
    Cadre.objects.filter(pk=cadre.pk).update(is_party_member=False)
    cadre.refresh_from_db()
    post = Post.objects.create(unit=city.units["jinan_town"], team=team, title=title, post_level="42")
    with pytest.raises(rules.RuleViolation) as exc:
        career.appointment_create(actor=a, scope=s, cadre=cadre, post=post, start=D(2026, 1, 5), document_no="金组〔2026〕2号")
    assert str(exc.value).startswith(f"“{title}”是党内职务，钱民不是中共党员，不能担任（依据：《中国共产党章程》（条款号未核实）")
    deputy = Post.objects.create(unit=city.units["jinan_town"], team=team, title="副镇长", post_level="42")
    career.appointment_create(actor=a, scope=s, cadre=cadre, post=deputy, start=D(2026, 1, 5), document_no="金组〔2026〕2号")
    titles = ("书记员", "局长", "办事处主任", "党委书记、董事长", "团县委书记", "共青团金安区委书记", "团支部书记、党支部委员",
              "人大常委会主任", "政协党组成员", "秘书长", "党委副书记兼团委书记", "党组织服务中心主任", "纪律检查委员")  # fmt: skip
    assert [t for t in titles if rules.is_party_post(t)] == [
        "党委书记、董事长", "团支部书记、党支部委员", "政协党组成员", "党委副书记兼团委书记", "纪律检查委员"]


def test_it_frees_the_quota_after_a_removal_and_counts_a_holder_once(city, team, people):
    a, s = actor(city)
    career.post_quota_set(actor=a, scope=s, team=team, kind=rules.CHIEF, number=1)
    secretary = Appointment.objects.get(cadre__person=people["张晓明"])
    mayor = Post.objects.create(unit=team.unit, team=team, title="镇长", post_level="41")
    # the secretary may hold the mayor's post concurrently: he is already counted
    career.appointment_create(actor=a, scope=s, cadre=secretary.cadre, post=mayor, start=D(2024, 1, 1), document_no="金组〔2024〕2号", is_concurrent=True)
    assert career.quota_holders(team, rules.CHIEF, D(2024, 1, 1)) == 1
    with pytest.raises(rules.RuleViolation, match="免职时间应晚于任职时间"):
        career.appointment_end(actor=a, scope=s, appointment=secretary, end=secretary.start, removal_document_no="x")
    for appt in Appointment.objects.filter(cadre=secretary.cadre):
        career.appointment_end(actor=a, scope=s, appointment=appt, end=D(2025, 6, 1), removal_document_no="金组〔2025〕9号")
    assert career.quota_holders(team, rules.CHIEF, D(2025, 5, 31)) == 1
    assert career.quota_holders(team, rules.CHIEF, D(2025, 6, 1)) == 0
    newcomer = new_cadre(city, "周平", 30)
    career.appointment_create(actor=a, scope=s, cadre=newcomer, post=mayor, start=D(2025, 6, 1), document_no="金组〔2025〕10号")
    with pytest.raises(rules.RuleViolation, match="已于2025.06.01免去"):
        career.appointment_end(actor=a, scope=s, appointment=secretary, end=D(2025, 7, 1), removal_document_no="x")
    assert AuditEvent.objects.filter(action="cadres.appointment_end").count() == 2


def test_it_ends_the_former_main_post_when_a_new_main_post_begins(city, team, people):
    a, s = actor(city)
    cadre = Cadre.objects.get(person=people["孙丽"])
    post = Post.objects.create(unit=team.unit, team=team, title="党委副书记", post_level="42")
    career.appointment_create(actor=a, scope=s, cadre=cadre, post=post, start=D(2024, 9, 1), document_no="金组〔2024〕5号")
    old = Appointment.objects.get(cadre=cadre, post__title="副镇长")
    assert old.end == D(2024, 9, 1) and old.removal_document_no == "金组〔2024〕5号"
    assert Appointment.objects.filter(cadre=cadre, end__isnull=True).count() == 1


def test_it_keeps_ranks_apart_from_posts_as_dated_facts(city, people):
    a, s = actor(city)
    cadre = Cadre.objects.get(person=people["孙丽"])
    career.rank_grant(actor=a, scope=s, cadre=cadre, rank="10", start=D(2019, 1, 1), document_no="金人〔2019〕1号")
    career.rank_grant(actor=a, scope=s, cadre=cadre, rank="09", start=D(2022, 1, 1), document_no="金人〔2022〕1号")
    with pytest.raises(rules.RuleViolation, match="新职级时间应晚于"):
        career.rank_grant(actor=a, scope=s, cadre=cadre, rank="08", start=D(2022, 1, 1), document_no="")
    ranks = list(CadreRank.objects.filter(cadre=cadre).order_by("start").values_list("rank", "end"))
    assert ranks == [("10", D(2022, 1, 1)), ("09", None)]
    assert Appointment.objects.filter(cadre=cadre, end__isnull=True).count() == 1  # posts untouched
    assert rules.rank_is_promotion("09", "08") and not rules.rank_is_promotion("08", "09")
    assert [label for _, label in rules.RANKS][:2] == ["一级巡视员", "二级巡视员"] and len(rules.RANKS) == 12


def test_it_lets_only_the_right_administrator_write(city, people, team):
    cadre = Cadre.objects.get(person=people["孙丽"])
    post = Post.objects.create(unit=team.unit, team=team, title="副书记", post_level="42")
    for name, error in (("neighbour_admin", Http404), ("leader", PermissionDenied), ("branch_secretary", Http404)):
        a, s = actor(city, name)
        with pytest.raises(error):
            career.appointment_create(actor=a, scope=s, cadre=cadre, post=post, start=D(2025, 1, 1), document_no="x")
    cadre.management_level = "city"
    cadre.save()
    a, s = actor(city, "county_admin")
    with pytest.raises(PermissionDenied, match="市管干部由市委组织部管理"):
        career.rank_grant(actor=a, scope=s, cadre=cadre, rank="09", start=D(2025, 1, 1), document_no="")
    a, s = actor(city, "city_admin")
    career.rank_grant(actor=a, scope=s, cadre=cadre, rank="09", start=D(2025, 1, 1), document_no="")
    with pytest.raises(PermissionDenied):
        career.young_threshold_set(actor=Actor(city.users["county_admin"]), scope=scope_for(city.users["county_admin"]), post_level="41", max_age=36)


def test_it_posts_the_team_forms_and_shows_the_refusal(city, login, team, people):
    c = login(city.users["county_admin"])
    url = reverse("cadres:team", args=[team.id])
    assert c.post(reverse("cadres:team_quota", args=[team.id]), {"kind": "chief", "number": 1}).status_code == 302
    mayor = Post.objects.create(unit=team.unit, team=team, title="镇长", post_level="41")
    newcomer = new_cadre(city, "周平", 30)
    page = c.get(url, {"q": "周平"}).content.decode()  # the 任职 picker's search (the page itself without JavaScript)
    assert "周平" in page and "核定职数" in page
    r = c.post(reverse("cadres:team_appoint", args=[team.id]), {"post": mayor.id, "cadre": newcomer.id, "start": "2025-03-01", "document_no": "金组〔2025〕1号"}, follow=True)
    assert "超职数配备" in r.content.decode()
    appt = Appointment.objects.get(cadre__person=people["孙丽"])
    r = c.post(reverse("cadres:team_remove", args=[team.id]), {"appointment": appt.id, "end": "2025-05-01", "removal_document_no": "金组〔2025〕3号"}, follow=True)
    assert r.status_code == 200 and Appointment.objects.get(pk=appt.pk).end == D(2025, 5, 1)
    # the leader reads, the neighbour and the outsider are refused
    assert login(city.users["leader"]).post(reverse("cadres:team_appoint", args=[team.id]), {}).status_code == 403
    assert login(city.users["neighbour_admin"]).post(reverse("cadres:team_quota", args=[team.id]), {"kind": "chief", "number": 3}).status_code == 404
    assert login(city.users["outsider"]).post(reverse("cadres:team_remove", args=[team.id]), {}).status_code == 403


# ------------------------------------------------------------------------------------------------
# 市管 leadership teams: appointments to and removals from their posts are the city administrator's
# ------------------------------------------------------------------------------------------------
@pytest.fixture
def city_team(city):
    """金安区委领导班子 (市管) with a seat 区委常委、组织部部长 in 金安区."""
    team = LeadershipTeam.objects.create(unit=city.units["jinan"], name="金安区委领导班子", management_level="city")
    post = Post.objects.create(unit=city.units["jinan"], team=team, title="区委常委、组织部部长", post_level="32")
    return team, post


def test_a_county_admin_may_not_appoint_a_county_cadre_to_a_city_team_post(city, people, city_team):
    _, post = city_team
    cadre = Cadre.objects.get(person=people["张晓明"])  # 县管, 金安区
    a, s = actor(city)
    with pytest.raises(PermissionDenied, match="市管领导班子"):
        career.appointment_create(actor=a, scope=s, cadre=cadre, post=post, start=D(2025, 3, 1), document_no="金组〔2025〕1号",
                                  is_concurrent=True)  # fmt: skip
    assert not Appointment.objects.filter(post=post).exists()
    assert not AuditEvent.objects.filter(action="cadres.appointment_create").exists()
    # the city administrator may
    a, s = actor(city, "city_admin")
    appt = career.appointment_create(actor=a, scope=s, cadre=cadre, post=post, start=D(2025, 3, 1), document_no="六组干〔2025〕1号",
                                     is_concurrent=True)  # fmt: skip
    assert appt.pk


def test_a_county_admin_may_not_remove_a_county_cadre_from_a_city_team_post(city, people, city_team):
    _, post = city_team
    cadre = Cadre.objects.get(person=people["张晓明"])
    held = Appointment.objects.create(cadre=cadre, post=post, start=D(2024, 1, 1), document_no="六组干〔2024〕1号", is_concurrent=True)
    a, s = actor(city)
    with pytest.raises(PermissionDenied, match="市管领导班子"):
        career.appointment_end(actor=a, scope=s, appointment=held, end=D(2025, 3, 1), removal_document_no="金组〔2025〕2号")
    held.refresh_from_db()
    assert held.end is None and not AuditEvent.objects.filter(action="cadres.appointment_end").exists()
    a, s = actor(city, "city_admin")
    career.appointment_end(actor=a, scope=s, appointment=held, end=D(2025, 3, 1), removal_document_no="六组干〔2025〕2号")
    held.refresh_from_db()
    assert held.end == D(2025, 3, 1)


def test_a_county_admin_may_not_appoint_a_city_cadre_to_a_county_post(city, people, team):
    post = Post.objects.create(unit=team.unit, team=team, title="党委副书记", post_level="42")
    cadre = new_cadre(city, "周平", 30, management="city")
    a, s = actor(city)
    with pytest.raises(PermissionDenied, match="市管干部由市委组织部管理"):
        career.appointment_create(actor=a, scope=s, cadre=cadre, post=post, start=D(2025, 3, 1), document_no="金组〔2025〕1号")
    assert not Appointment.objects.filter(cadre=cadre).exists()


def test_the_team_forms_refuse_a_county_admin_on_a_city_team(city, login, people, city_team):
    team, post = city_team
    cadre = Cadre.objects.get(person=people["张晓明"])
    c = login(city.users["county_admin"])
    r = c.post(reverse("cadres:team_appoint", args=[team.id]), {"post": post.id, "cadre": cadre.id, "start": "2025-03-01",
                                                                "document_no": "金组〔2025〕1号", "is_concurrent": "on"})  # fmt: skip
    assert r.status_code == 403 and not Appointment.objects.filter(post=post).exists()
    held = Appointment.objects.create(cadre=cadre, post=post, start=D(2024, 1, 1), document_no="六组干〔2024〕1号", is_concurrent=True)
    r = c.post(reverse("cadres:team_remove", args=[team.id]), {"appointment": held.id, "end": "2025-03-01", "removal_document_no": "金组〔2025〕2号"})
    assert r.status_code == 403 and Appointment.objects.get(pk=held.pk).end is None
    assert not AuditEvent.objects.filter(action__in=["cadres.appointment_create", "cadres.appointment_end"]).exists()
    # the city administrator removes and appoints through the same forms
    c = login(city.users["city_admin"])
    r = c.post(reverse("cadres:team_remove", args=[team.id]), {"appointment": held.id, "end": "2025-03-01", "removal_document_no": "六组干〔2025〕2号"})
    assert r.status_code == 302 and Appointment.objects.get(pk=held.pk).end == D(2025, 3, 1)
    other = Cadre.objects.get(person=people["孙丽"])
    r = c.post(reverse("cadres:team_appoint", args=[team.id]), {"post": post.id, "cadre": other.id, "start": "2025-03-01",
                                                                "document_no": "六组干〔2025〕3号", "is_concurrent": "on"})  # fmt: skip
    assert r.status_code == 302 and Appointment.objects.filter(post=post, cadre=other, end__isnull=True).exists()


# ------------------------------------------------------------------------------------------------
# 核定职数 below the current staffing: saved, with the 超配 said and flagged
# ------------------------------------------------------------------------------------------------
def test_it_counts_the_excess_over_the_quota_at_its_boundaries():
    assert rules.quota_excess(quota=None, holders=5) == 0  # no 职数 recorded
    assert rules.quota_excess(quota=2, holders=1) == 0
    assert rules.quota_excess(quota=2, holders=2) == 0
    assert rules.quota_excess(quota=1, holders=2) == 1
    assert rules.quota_excess(quota=0, holders=3) == 3
    assert rules.quota_excess_note(kind=rules.CHIEF, quota=2, holders=2) == ""
    assert rules.quota_excess_note(kind=rules.DEPUTY, quota=1, holders=3) == "现有副职3人，超过核定职数1名（超配2人），消化超配前不能再任副职"


@pytest.fixture
def two_chiefs(city, team):
    """金安区一镇 with two 正职 in post: 张晓明 (党委书记, from populate) and 周平 (镇长)."""
    mayor = Post.objects.create(unit=team.unit, team=team, title="镇长", post_level="41")
    Appointment.objects.create(cadre=new_cadre(city, "周平", 30, level="41"), post=mayor, start=D(2024, 1, 1), document_no="金组〔2024〕2号")
    return team


def test_it_saves_a_quota_below_the_staffing_and_says_so(city, login, two_chiefs):
    team = two_chiefs
    c = login(city.users["county_admin"])
    r = c.post(reverse("cadres:team_quota", args=[team.id]), {"kind": "chief", "number": 1, "document_no": "金编〔2025〕1号"}, follow=True)
    text = r.content.decode()
    assert "已保存。注意：现有正职2人，超过核定职数1名（超配1人），消化超配前不能再任正职。" in text
    assert team.quotas.get(kind="chief").number == 1
    event = AuditEvent.objects.get(action="cadres.post_quota_set")
    assert "现有正职2人" in event.summary and "超配1人" in event.summary
    # the team page flags it next to 正职 2/1, the teams list too
    assert "正职 2/1" in text and '<span class="badge red" id="chief-excess"' in text and "超配1人</span>" in text
    assert "超配1人" in c.get(reverse("cadres:teams")).content.decode()
    # at the staffing: a plain 已保存, no flag
    r = c.post(reverse("cadres:team_quota", args=[team.id]), {"kind": "chief", "number": 2}, follow=True)
    text = r.content.decode()
    assert "已保存" in text and "注意" not in text and "chief-excess" not in text and "超配" not in c.get(reverse("cadres:teams")).content.decode()


def test_an_over_quota_team_takes_no_further_appointment_of_that_kind(city, two_chiefs):
    a, s = actor(city)
    career.post_quota_set(actor=a, scope=s, team=two_chiefs, kind=rules.CHIEF, number=1)
    post = Post.objects.create(unit=two_chiefs.unit, team=two_chiefs, title="人大主席", post_level="41")
    with pytest.raises(rules.RuleViolation, match="核定正职职数1名，现已配备2名"):
        career.appointment_create(actor=a, scope=s, cadre=new_cadre(city, "吴新", 31), post=post, start=D(2025, 3, 1), document_no="x")


def test_only_the_team_administrator_sets_the_quota(city, login, two_chiefs):
    url = reverse("cadres:team_quota", args=[two_chiefs.id])
    data = {"kind": "chief", "number": 1}
    for name, status in (("leader", 403), ("outsider", 403), ("neighbour_admin", 404), ("branch_secretary", 404)):
        assert login(city.users[name]).post(url, data).status_code == status, name
    assert not two_chiefs.quotas.exists() and not AuditEvent.objects.filter(action="cadres.post_quota_set").exists()


def test_the_team_roster_has_one_row_per_member_with_the_posts_held_in_post_order(city, team, people):
    from openpyxl import load_workbook

    sun = Cadre.objects.get(person=people["孙丽"])
    Post.objects.filter(team=team, title="党委书记").update(sort=1)
    Post.objects.filter(team=team, title="副镇长").update(sort=3)
    party = Post.objects.create(unit=team.unit, team=team, title="党委委员", post_level="42", sort=2)
    Appointment.objects.create(cadre=sun, post=party, start=D(2026, 1, 1), is_concurrent=True)
    a, s = actor(city)
    content = career.team_roster_export(actor=a, scope=s, on=D(2026, 6, 1), team=team)
    rows = list(load_workbook(io.BytesIO(content)).active.iter_rows(min_row=3, values_only=True))
    assert [(r[0], r[1], r[9]) for r in rows] == [(1, "张晓明", "党委书记"), (2, "孙丽", "党委委员、副镇长")]
    assert rows[1][10] == "乡科级副职" and rows[1][12] != "2026.01"  # 职务级别 and 任职时间 of the main post
    assert AuditEvent.objects.get(action="cadres.team_roster_export").summary.endswith("2人")


# --- two writers at once (PostgreSQL: two connections; SQLite's BEGIN IMMEDIATE serialises them) -------
def _one_while_the_other_writes(monkeypatch, first, second):
    """Run ``first()`` in a thread until it is about to write its audit event (its transaction still
    open), then ``second()`` in another; let ``first`` go on once ``second`` waits for a lock or has
    ended. Returns (what first returned, what second returned or raised, whether second waited)."""
    import threading

    from zugong.core.testing import in_thread, lock_waiters, wait_until

    paused, release, calls = threading.Event(), threading.Event(), []
    real = career.audit_record

    def audit(*args, **kw):
        calls.append(args[1])
        if len(calls) == 1:
            paused.set()
            assert release.wait(30)
        return real(*args, **kw)

    monkeypatch.setattr(career, "audit_record", audit)
    one, one_out = in_thread(first)
    assert paused.wait(30)
    two, two_out = in_thread(second)
    wait_until(lambda: lock_waiters() or not two.is_alive())
    waited = two.is_alive()
    release.set()
    one.join(30)
    two.join(30)
    assert len(one_out) == 1 and not isinstance(one_out[0], BaseException), one_out
    return one_out[0], two_out[0], waited


def _postgresql_only():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("a second writer waits for row locks on PostgreSQL only; on SQLite BEGIN IMMEDIATE keeps it from starting")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_appointments_of_one_cadre_to_one_post_at_once_make_one(city, team, monkeypatch):
    """The second 兼职 waits for the cadre's row and then sees the first: 已担任. Without the lock both
    passed the rule and the cadre held the post twice (a post of no team: only the cadre is locked)."""
    _postgresql_only()
    a, s = actor(city)
    cadre = new_cadre(city, "周平", 30)
    post = Post.objects.create(unit=team.unit, title="武装部部长", post_level="42")

    def appoint():
        return career.appointment_create(actor=a, scope=s, cadre=Cadre.objects.get(pk=cadre.pk), post=post, start=D(2025, 3, 1),
                                         document_no="金组〔2025〕1号", is_concurrent=True)  # fmt: skip

    first, second, waited = _one_while_the_other_writes(monkeypatch, appoint, appoint)
    assert isinstance(second, rules.RuleViolation) and str(second) == "周平在2025.03.01已担任武装部部长"
    assert list(Appointment.objects.filter(cadre=cadre).values_list("pk", flat=True)) == [first.pk]
    assert waited


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_appointments_to_a_teams_last_chief_seat_at_once_fill_it_once(city, team, monkeypatch):
    """Two cadres appointed at once to the team's one free 正职 seat: the second waits for the team's
    row (``career.lock_team``), counts the first and is refused 超职数. Without the lock both counted
    one holder of two and the team had three 正职."""
    _postgresql_only()
    a, s = actor(city)
    career.post_quota_set(actor=a, scope=s, team=team, kind=rules.CHIEF, number=2)  # 党委书记 holds one
    mayor = Post.objects.create(unit=team.unit, team=team, title="镇长", post_level="41")
    x, y = new_cadre(city, "周平", 30), new_cadre(city, "吴亮", 31)

    def appoint(cadre):
        return lambda: career.appointment_create(actor=a, scope=s, cadre=cadre, post=mayor, start=D(2025, 3, 1),
                                                 document_no="金组〔2025〕1号", is_concurrent=True)  # fmt: skip

    first, second, waited = _one_while_the_other_writes(monkeypatch, appoint(x), appoint(y))
    assert isinstance(second, rules.RuleViolation) and "核定正职职数2名，现已配备2名" in str(second)
    assert career.quota_holders(team, rules.CHIEF, D(2025, 3, 1)) == 2 and first.cadre_id == x.pk
    assert waited


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_appointment_during_a_quota_cut_decides_on_the_new_quota(city, team, monkeypatch):
    """A 职数 cut from 2 to 1 正职 is being saved while a county administrator appoints a second 正职:
    the appointment waits for the team's row and is refused on the new quota. Without the lock it was
    allowed on the old one, and the cut's audit event said nothing of the resulting 超配."""
    _postgresql_only()
    a, s = actor(city)
    career.post_quota_set(actor=a, scope=s, team=team, kind=rules.CHIEF, number=2)
    mayor = Post.objects.create(unit=team.unit, team=team, title="镇长", post_level="41")
    x = new_cadre(city, "周平", 30)
    cut = lambda: career.post_quota_set(actor=a, scope=s, team=team, kind=rules.CHIEF, number=1, document_no="金编〔2025〕1号")  # noqa: E731
    appoint = lambda: career.appointment_create(actor=a, scope=s, cadre=x, post=mayor, start=D(2025, 3, 1), document_no="金组〔2025〕1号")  # noqa: E731
    quota, refused, waited = _one_while_the_other_writes(monkeypatch, cut, appoint)
    assert quota.number == 1
    assert isinstance(refused, rules.RuleViolation) and "核定正职职数1名，现已配备1名" in str(refused)
    assert not Appointment.objects.filter(cadre=x).exists()
    assert waited


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_grants_of_one_rank_at_once_make_one(city, monkeypatch):
    """Two clicks on 任职级 at once: the second waits for the cadre's row, sees the first's rank and is
    refused 已任. Without the lock both ended no rank and the cadre held 四级主任科员 twice, both open."""
    _postgresql_only()
    a, s = actor(city)
    cadre = new_cadre(city, "周平", 30)
    grant = lambda: career.rank_grant(actor=a, scope=s, cadre=cadre, rank="10", start=D(2025, 3, 1), document_no="金人〔2025〕1号")  # noqa: E731
    first, second, waited = _one_while_the_other_writes(monkeypatch, grant, grant)
    assert isinstance(second, rules.RuleViolation) and str(second).startswith("现任职级")
    assert list(CadreRank.objects.filter(cadre=cadre).values_list("pk", flat=True)) == [first.pk]
    assert waited
