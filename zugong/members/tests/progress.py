"""Test helper: what the import page's poll reads while a commit runs (members and cadres imports)."""

from zugong.members import services
from zugong.members.models import ImportJob


def watch_commit_progress(monkeypatch) -> list[tuple]:
    """Spy on every progress note of an import commit; returns the list it fills with what the
    polling page reads at each note, ``(status, progress_done, progress_total, message)``
    (``services.import_job_live``). Asserts meanwhile that the job's row still says 0 done: the
    commit's transaction is open, so the page can only learn how far it got from the note."""
    seen: list[tuple] = []
    real = services._progress_noter

    def noter(job):
        note = real(job)

        def spy(done, total):
            note(done, total)
            assert ImportJob.objects.filter(pk=job.pk).values_list("progress_done", flat=True).get() == 0
            live = services.import_job_live(ImportJob.objects.get(pk=job.pk))
            seen.append((live.status, live.progress_done, live.progress_total, live.message))

        return spy

    monkeypatch.setattr(services, "_progress_noter", noter)
    return seen
