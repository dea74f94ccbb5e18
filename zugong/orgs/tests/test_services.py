"""orgs.services: creating units and party organizations, with their audit events and 任期."""

import pytest

from zugong.core.audit import SYSTEM
from zugong.core.models import AuditEvent
from zugong.orgs.models import OrgKind, UnitKind, term_years_for
from zugong.orgs.services import party_org_create


@pytest.mark.parametrize(
    ("kind", "unit_kind", "years"),
    [
        (OrgKind.COMMITTEE, UnitKind.COUNTY, 5),  # 党章第二十七条: 县、市辖区的委员会
        (OrgKind.COMMITTEE, UnitKind.HOSPITAL, 5),  # 基层委员会
        (OrgKind.WORKING_COMMITTEE, UnitKind.SUBDISTRICT, 5),
        (OrgKind.GENERAL_BRANCH, UnitKind.VILLAGE, 5),  # 村、社区: 5年
        (OrgKind.BRANCH, UnitKind.COMMUNITY, 5),
        (OrgKind.BRANCH, UnitKind.SCHOOL, 3),  # other grassroots units: 一般3年
        (OrgKind.JOINT_BRANCH, UnitKind.NONPUBLIC, 3),
        (OrgKind.BRANCH, None, 3),
    ],
)
def test_term_years_follow_the_kind_and_the_unit(kind, unit_kind, years):
    assert term_years_for(kind, unit_kind) == years


@pytest.mark.django_db
def test_a_new_organization_gets_its_term_from_the_rule_unless_given(city):
    village, town = city.units["jinan_village"], city.orgs["jinan_town"]
    branch = party_org_create(actor=SYSTEM, parent=town, name="金安区三村党支部", kind=OrgKind.BRANCH, unit=village)
    organ = party_org_create(actor=SYSTEM, parent=town, name="镇机关党支部", kind=OrgKind.BRANCH, unit=city.units["jinan_town"])
    given = party_org_create(actor=SYSTEM, parent=town, name="镇机关第二党支部", kind=OrgKind.BRANCH, term_years=5)
    assert (branch.term_years, organ.term_years, given.term_years) == (5, 3, 5)
    assert AuditEvent.objects.filter(action="party_org.create").count() == 3
