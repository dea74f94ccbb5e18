"""The cache key of the statistics: what changes the data version and what does not."""

from zugong.core.audit import Actor, audit_record
from zugong.core.models import Person
from zugong.core.scope import scope_for
from zugong.core.services import PersonData, person_reveal_id_number, person_upsert
from zugong.core.testing import test_id_number
from zugong.stats.reports import data_version


def test_reads_leave_the_data_version_and_writes_change_it(city):
    admin = city.users["city_admin"]
    actor, scope = Actor(user=admin), scope_for(admin)
    person, _ = person_upsert(actor=actor, data=PersonData(name="张三", id_number=test_id_number(1)))
    before = data_version()
    person_reveal_id_number(actor=actor, scope=scope, person=Person.objects.get(pk=person.pk))
    audit_record(actor, "members.export", object_type="PartyMember", summary="导出党员名册1人")
    audit_record(actor, "cadres.lrmx_export", object_type="Cadre", summary="导出任免审批表")
    assert data_version() == before  # exports and a view of a full 身份证号 change no figure
    person_upsert(actor=actor, data=PersonData(name="张三", id_number=test_id_number(1), phone="13800000000"))
    assert data_version() != before  # an edit is audited: the version moves
