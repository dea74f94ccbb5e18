"""The demo city's 工作落实: one work document of the year and the progress reported on its tasks,
written through the services a user's upload and reports go through (``work.services``), so that
文件与任务, 本单位任务, 季末评议 and the cadres' task outcomes show a year in motion.

The document is the city organization work meeting speech of 9 January 2026 in
``zugong/data/demo_work/`` (invented; see SOURCE.md there), uploaded by the city administrator: its
tasks, deadlines, targets and 牵头/责任单位 are what the extraction reads from it. Progress, per task
and reporting unit (lead and responsible units, reported by the administrator of the unit's county,
or the city's), drawn (plausible, not records):
- due by the demo's today (REF_DATE): completed by four in five — most before the deadline, some in
  the weeks after it — one in ten reported on without finishing, the others silent (overdue);
- due later or without a date: completed early by one in five, reported on by three in five (half of
  those again in the last two months);
with the cumulative figure against the task's first target where it has one (reaching it completes).
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import ROUND_FLOOR, Decimal
from pathlib import Path

from django.contrib.auth import get_user_model

from zugong.core.audit import Actor
from zugong.core.scope import scope_for
from zugong.demo.people import REF_DATE, random_date
from zugong.work import services
from zugong.work.models import COUNT_UNITS, DocumentKind, Task, TaskKind

DOCUMENT = Path(__file__).resolve().parent.parent / "data" / "demo_work" / "city-2026-org-work-meeting.txt"
DOCUMENT_DATE = dt.date(2026, 1, 9)
_INTERIM = ("已召开专题会议研究部署，制定工作方案，正在按计划推进", "已完成阶段性任务，正在组织督促检查", "已分解任务、明确责任人，正在推进落实")
_FINAL = ("已按要求完成，相关材料已归档", "已全部完成，形成工作总结报送市委组织部", "已完成并通过验收")


def build_work(rng: random.Random, usernames: dict[str, str]) -> tuple[int, int]:
    """Upload the document as the city administrator and report progress on its tasks. ``usernames``:
    {county unit path: its administrator's username}; "" for the city's. Returns (tasks, reports)."""
    users = {path: get_user_model().objects.get(username=name) for path, name in usernames.items()}
    city = users[""]
    document = services.document_upload(actor=Actor(user=city), scope=scope_for(city), kind=DocumentKind.SPEECH,
                                         document_date=DOCUMENT_DATE, text=DOCUMENT.read_text(encoding="utf-8"))  # fmt: skip
    tasks = list(Task.objects.filter(document=document, kind=TaskKind.TASK).select_related("lead_unit")
                 .prefetch_related("responsible_units", "targets").order_by("seq"))  # fmt: skip
    reports = 0
    for task in tasks:
        target = min(task.targets.all(), key=lambda t: (t.sort, t.id), default=None)
        for unit in services.reporting_units(scope_for(city), task):
            user = next((u for path, u in users.items() if path and unit.path.startswith(path)), city)
            for date, completes, share in _plan(rng, task.due):
                value = None
                if target is not None and target.value > 0:
                    value = target.value if completes else target.value * Decimal(f"{share:.2f}")
                    if target.unit in COUNT_UNITS:  # whole people, meetings …: an interim figure below the target
                        value = value.quantize(Decimal(1), rounding=ROUND_FLOOR)
                text = rng.choice(_FINAL if completes else _INTERIM)
                services.progress_report_create(actor=Actor(user=user), scope=scope_for(user), task=task, unit=unit, date=date,
                                                text=text, value=value, completes=completes)  # fmt: skip
                reports += 1
    return len(tasks), reports


def _plan(rng: random.Random, due: dt.date | None) -> list[tuple[dt.date, bool, float]]:
    """The reports of one unit on one task: (date, completes, share of the target reached), in date order."""
    start = DOCUMENT_DATE + dt.timedelta(days=14)
    if due is not None and due <= REF_DATE:
        x = rng.random()
        if x < 0.8:
            finish = random_date(rng, max(start, due - dt.timedelta(days=75)), min(REF_DATE, due + dt.timedelta(days=25)))
        elif x < 0.9:
            finish = None
        else:
            return []  # silent: overdue
    else:
        x = rng.random()
        if x < 0.2:
            finish = random_date(rng, start, REF_DATE - dt.timedelta(days=7))
        elif x < 0.8:
            finish = None
        else:
            return []
    end = finish or REF_DATE - dt.timedelta(days=3)
    out = []
    if (end - start).days > 30 and rng.random() < 0.7:  # an interim report first
        out.append((random_date(rng, start, end - dt.timedelta(days=15)), False, rng.uniform(0.3, 0.7)))
    if finish is not None:
        out.append((finish, True, 1.0))
    elif not out or rng.random() < 0.5:  # still under way: (also) a report of the last two months
        recent = random_date(rng, max(start, end - dt.timedelta(days=60)), end)
        if not out or recent > out[-1][0]:
            out.append((recent, False, rng.uniform(0.6, 0.9) if out else rng.uniform(0.3, 0.8)))
    return out
