"""The demo reset also clears the cadre records of issue 4 (appraisal, pool, cases, ranks) and the work documents (tasks, reports, stored files)."""

import datetime as dt
from pathlib import Path

import pytest

from zugong.cadres.models import (
    AdjustmentCase,
    AppraisalEntry,
    AppraisalRound,
    Cadre,
    CadreRank,
    CaseStep,
    Evidence,
    ReserveEntry,
)
from zugong.demo import build_demo, demo_reset


@pytest.mark.django_db
def test_it_resets_the_demo_with_cadre_records_present(django_capture_on_commit_callbacks):
    build_demo(scale=0.002, seed=5)
    cadre = Cadre.objects.select_related("unit").first()
    rnd = AppraisalRound.objects.create(unit=cadre.unit, year=2026, category="organ")  # the demo's rounds end with 2025
    AppraisalEntry.objects.create(round=rnd, cadre=cadre, year=2026, grade="competent")
    rounds, entries = AppraisalRound.objects.count(), AppraisalEntry.objects.count()
    assert rounds > 1 and entries > 1
    CadreRank.objects.create(cadre=cadre, rank="09", start=dt.date(2020, 1, 1))
    ev = Evidence.objects.create(cadre=cadre, kind="petition", on=dt.date(2025, 1, 1), title="信访", source_document="x")
    case = AdjustmentCase.objects.create(cadre=cadre, circumstances=["01"], measure="remove", motion_on=dt.date(2025, 2, 1))
    case.evidence.add(ev)
    CaseStep.objects.create(case=case, step="motion", on=dt.date(2025, 2, 1))
    ReserveEntry.objects.create(cadre=cadre, category="41", sector="party", route="inspection", entered_on=dt.date(2025, 1, 1),
                                status_on=dt.date(2025, 1, 1), review_due=dt.date(2026, 1, 1))
    from django.core.files.base import ContentFile

    from zugong.work.models import EvidenceFile, ProgressReport

    report = ProgressReport.objects.first()  # of the demo's work document
    evidence = EvidenceFile(report=report, name="佐证.pdf", size=4)
    evidence.file.save("佐证.pdf", ContentFile(b"%PDF"), save=True)
    stored = evidence.file.storage.path(evidence.file.name)
    with django_capture_on_commit_callbacks(execute=True):
        counts = demo_reset()
    assert counts["work.WorkDocument"] == 1 and counts["work.ProgressReport"] > 0 and counts["work.EvidenceFile"] == 1
    assert not Path(stored).exists()  # the stored file went with its row
    assert counts["cadres.AppraisalRound"] == rounds and counts["cadres.AppraisalEntry"] == entries
    assert counts["cadres.AdjustmentCase"] == 1
    assert counts["cadres.ReserveStatusChange"] >= counts["cadres.ReserveEntry"] - 1 > 0  # the demo's pool and its history
    assert not Cadre.objects.exists()
