"""用好考据: task outcomes of the work app reach the cadre's record and the team "1+N" score."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from zugong.cadres import selectors_appraisal as sa
from zugong.cadres.models import Cadre, LeadershipTeam
from zugong.cadres.services.evidence import task_outcomes_for
from zugong.core.scope import scope_for
from zugong.orgs.tests.people import populate
from zugong.work.models import ProgressReport, Task, WorkDocument

D = dt.date


@pytest.fixture
def outcomes(city):
    people = populate(city)
    town = city.units["jinan_town"]
    doc = WorkDocument.objects.create(title="2025年组织工作要点", document_date=D(2025, 2, 1), raw_text="x", cleaned_text="x", owner_unit=city.units["jinan"])
    for seq, (due, done_on) in enumerate(((D(2025, 6, 30), D(2025, 6, 1)), (D(2025, 9, 30), D(2025, 10, 15)), (D(2025, 12, 31), None),
                                          (D(2025, 3, 31), D(2025, 3, 1))), start=1):  # fmt: skip
        task = Task.objects.create(document=doc, seq=seq, action=f"任务{seq}", due=due)
        task.responsible_units.add(town)
        if done_on:
            ProgressReport.objects.create(task=task, unit=town, date=done_on, completes=True)
    return people


def test_it_shows_the_team_units_task_outcomes_on_the_record(city, login, outcomes):
    cadre = Cadre.objects.get(person=outcomes["张晓明"])
    rows = task_outcomes_for(cadre, scope_for(city.users["county_admin"]), years=(2025,))
    assert len(rows) == 1 and rows[0]["outcome"].startswith("到期4项，按时完成2项")
    assert task_outcomes_for(cadre, scope_for(city.users["neighbour_admin"]), years=(2025,)) == []


def test_it_takes_the_task_part_of_the_team_score_from_the_work_app(city, outcomes):
    team = LeadershipTeam.objects.get(name="金安区一镇领导班子")
    result = sa.team_score(team, 2025, scope_for(city.users["county_admin"]))
    task = next(p for p in result["parts"] if p[0] == "任务完成情况")
    assert task[2] == Decimal("50.00") and "按时完成率" in task[3]
    assert result["score"] == Decimal("50.00")
    assert sa.team_score(team, 2025)["score"] is None  # without a scope nothing is read


def test_it_renders_the_record_with_work_outcomes(city, login, outcomes):
    cadre = Cadre.objects.get(person=outcomes["张晓明"])
    text = login(city.users["county_admin"]).get(reverse("cadres:record", args=[cadre.id])).content.decode()
    assert "工作落实" in text
