"""Reserve pool status history (后备干部状态变更记录): written by every status change with its audit
event, seeded by migration 0007, and read by the "in the pool as of a date" selector."""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from zugong.cadres import rules
from zugong.cadres import selectors_reserve as sr
from zugong.cadres.models import Cadre, ReserveEntry, ReserveStatusChange
from zugong.cadres.services import reserve
from zugong.core.audit import Actor
from zugong.core.models import AuditEvent
from zugong.core.scope import scope_for
from zugong.orgs.tests.people import make_person, populate

D = dt.date
START = D(2025, 1, 1)
seed_migration = importlib.import_module("zugong.cadres.migrations.0007_seed_reserve_status_history")


@pytest.fixture
def people(city):
    return populate(city)


def who(city, name="county_admin"):
    return Actor(user=city.users[name]), scope_for(city.users[name])


def add(city, cadre, on=START):
    a, s = who(city)
    return reserve.reserve_add(actor=a, scope=s, cadre=cadre, category="41", sector="party", route="inspection", entered_on=on)


def move(city, entry, status, on, **kw):
    a, s = who(city)
    return reserve.reserve_set_status(actor=a, scope=s, entry=entry, status=status, on=on, **kw)


def members_on(city, on):
    return set(sr.pool_on(scope_for(city.users["county_admin"]), on).values_list("cadre__person__name", flat=True))


def test_it_answers_membership_as_of_a_date_across_status_changes(city, people):
    sun = Cadre.objects.get(person=people["孙丽"])
    entry = add(city, sun)
    move(city, entry, "under_inspection", D(2025, 6, 1), reason="列为考察对象", document_no="金组〔2025〕8号")
    move(city, entry, "revoked", D(2025, 9, 1), reason="考察未通过")
    assert members_on(city, D(2024, 12, 31)) == set()
    assert members_on(city, D(2025, 1, 1)) == {"孙丽"}  # the entry date counts
    assert members_on(city, D(2025, 8, 31)) == {"孙丽"}
    assert members_on(city, D(2025, 9, 1)) == set()  # a change is in effect on its own date
    # entered again later: a new entry, counted from its own date only
    again = add(city, sun, D(2026, 3, 1))
    assert members_on(city, D(2026, 2, 28)) == set() and members_on(city, D(2026, 3, 1)) == {"孙丽"}
    move(city, again, "under_inspection", D(2026, 4, 1))
    move(city, again, "used", D(2026, 5, 1))
    assert members_on(city, D(2026, 4, 30)) == {"孙丽"} and members_on(city, D(2026, 5, 1)) == set()
    # the neighbouring county sees nothing of it
    assert not sr.pool_on(scope_for(city.users["neighbour_admin"]), D(2025, 3, 1)).exists()


def test_it_reads_the_history_not_the_current_status(city, people):
    sun = Cadre.objects.get(person=people["孙丽"])
    entry = add(city, sun)
    move(city, entry, "revoked", D(2025, 6, 1))
    # a stale current status (e.g. edited outside the services) no longer decides the past
    ReserveEntry.objects.filter(pk=entry.pk).update(status="in_pool", status_on=D(2025, 1, 1))
    assert members_on(city, D(2025, 7, 1)) == set() and members_on(city, D(2025, 5, 31)) == {"孙丽"}


def test_it_writes_one_history_row_with_each_audited_change_and_none_with_a_refusal(city, people):
    sun = Cadre.objects.get(person=people["孙丽"])
    entry = add(city, sun)
    move(city, entry, "under_inspection", D(2025, 6, 1), reason="列为考察对象", document_no="金组〔2025〕8号")
    move(city, entry, "in_pool", D(2025, 7, 1), reason="考察结束，继续在库")
    with pytest.raises(rules.RuleViolation, match="早于入库或上次状态变更日期2025.07.01"):
        move(city, entry, "under_inspection", D(2025, 6, 30))
    with pytest.raises(rules.RuleViolation, match="不能由“在库”变为“已使用”"):
        move(city, entry, "used", D(2025, 8, 1))
    rows = list(ReserveStatusChange.objects.filter(entry=entry).order_by("on", "id").values_list("from_status", "to_status", "on", "reason", "document_no"))
    assert rows == [("", "in_pool", D(2025, 1, 1), "列入后备干部库（考察识别）", ""),
                    ("in_pool", "under_inspection", D(2025, 6, 1), "列为考察对象", "金组〔2025〕8号"),
                    ("under_inspection", "in_pool", D(2025, 7, 1), "考察结束，继续在库", "")]  # fmt: skip
    assert AuditEvent.objects.filter(action="cadres.reserve_status").count() == 2
    assert {r.by_id for r in ReserveStatusChange.objects.filter(entry=entry)} == {city.users["county_admin"].pk}
    last = AuditEvent.objects.filter(action="cadres.reserve_status").order_by("-id").first()
    assert last.after["history"] == ReserveStatusChange.objects.filter(entry=entry).order_by("-id").first().pk


def test_it_seeds_one_row_per_existing_entry_from_its_current_status(city, people):
    def legacy(name, n, status, status_on):
        c = Cadre.objects.create(person=make_person(name, n, birth=D(1990, 1, 1)), management_level="county", post_level="50",
                                 unit=city.units["jinan_town"])  # fmt: skip
        return ReserveEntry.objects.create(cadre=c, category="42", sector="party", route="recommendation", status=status,
                                           entered_on=D(2024, 1, 1), status_on=status_on, review_due=D(2025, 1, 1))  # fmt: skip

    used = legacy("甲一", 201, "used", D(2024, 9, 1))
    kept = legacy("乙二", 202, "in_pool", D(2024, 1, 1))
    assert members_on(city, D(2024, 8, 31)) == {"甲一", "乙二"}  # no history yet: inferred as before
    seed_migration.seed(apps, None)
    seed_migration.seed(apps, None)  # idempotent
    assert list(ReserveStatusChange.objects.filter(entry=used).values_list("from_status", "to_status", "on")) == [("", "used", D(2024, 9, 1))]
    assert ReserveStatusChange.objects.filter(entry=kept).count() == 1
    assert members_on(city, D(2024, 8, 31)) == {"甲一", "乙二"}  # before the seeded change: in the pool since entry
    assert members_on(city, D(2024, 9, 1)) == {"乙二"}
    seed_migration.unseed(apps, None)
    assert not ReserveStatusChange.objects.exists()


def test_it_shows_the_history_on_the_entry_page_to_the_right_people(city, login, people):
    sun = Cadre.objects.get(person=people["孙丽"])
    entry = add(city, sun)
    c = login(city.users["county_admin"])
    url = reverse("cadres:reserve_entry", args=[entry.id])
    r = c.post(reverse("cadres:reserve_status", args=[entry.id]),
               {"status": "under_inspection", "on": "2025-06-01", "reason": "拟提拔考察", "document_no": "金组〔2025〕8号", "back": "entry"})  # fmt: skip
    assert r.status_code == 302 and r.url == url
    page = c.get(url).content.decode()
    assert "状态变更记录" in page and "拟提拔考察" in page and "金组〔2025〕8号" in page and "2025.06.01" in page
    assert "列入后备干部库（考察识别）" in page and "status-form" in page
    assert reverse("cadres:reserve_entry", args=[entry.id]) in c.get(reverse("cadres:pool")).content.decode()
    leader = login(city.users["leader"])
    assert leader.get(url).status_code == 200 and "status-form" not in leader.get(url).content.decode()
    assert leader.post(reverse("cadres:reserve_status", args=[entry.id]), {"status": "revoked", "on": "2025-07-01"}).status_code == 403
    assert login(city.users["neighbour_admin"]).get(url).status_code == 404
    assert login(city.users["neighbour_admin"]).post(reverse("cadres:reserve_status", args=[entry.id]), {"status": "revoked", "on": "2025-07-01"}).status_code == 404
    assert login(city.users["outsider"]).get(url).status_code == 403
    assert ReserveStatusChange.objects.filter(entry=entry).count() == 2
