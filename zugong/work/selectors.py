"""Reads of 工作落实, scoped to the acting user's subtree.

Visibility: a document is visible when its owner unit lies in the user's subtree, or when one of
its tasks names a unit of the subtree as lead or responsible unit; a task is visible when its
document's owner, its lead unit or one of its responsible units lies in the subtree. Everything
else is 404. Writes to a document and its 任务分解表 need the owner unit in the subtree
(:func:`document_writable`); progress is reported by the task's units (services).

Progress reports and their evidence belong to the reporting unit: a report is visible when its
task is visible and its unit lies in the user's subtree (:func:`reports_in_scope`). City
administrators and city-level leaders see every county's reports; a county its own and its
subordinates'; a branch secretary its own unit's. Every read of reports — the task page, evidence
downloads, the 任务分解表 and its .xlsx, the 季末评议 page and .docx, and the derived status — goes
through that filter; nothing reads ``task.reports`` unfiltered.

Status is derived in SQL by :func:`with_status` (rule: ``zugong.work.models.status_rule``, with the
configured day counts of :func:`status_thresholds`).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    DateField,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404

from zugong.core.scope import Scope
from zugong.orgs.models import Unit
from zugong.work.models import EvidenceFile, ProgressReport, Status, Task, TaskKind, Thresholds, WorkDocument

STATUS_LABELS = dict(Status.choices)


def _unit_in_scope(scope: Scope, prefix: str = "") -> Q:
    return Q(**{f"{prefix}path__startswith": scope.unit_path})


def tasks_in_scope(scope: Scope) -> QuerySet[Task]:
    """Tasks the scope sees (document owner, lead unit or a responsible unit in the subtree)."""
    responsible = Task.responsible_units.through.objects.filter(
        task_id=OuterRef("pk"), unit__path__startswith=scope.unit_path
    )
    return Task.objects.filter(
        Q(document__owner_unit__path__startswith=scope.unit_path)
        | Q(lead_unit__path__startswith=scope.unit_path)
        | Exists(responsible)
    )


def documents_in_scope(scope: Scope) -> QuerySet[WorkDocument]:
    """Documents the scope sees: owned in the subtree, or with a visible task."""
    visible_tasks = tasks_in_scope(scope).filter(document_id=OuterRef("pk"))
    return WorkDocument.objects.filter(
        Q(owner_unit__path__startswith=scope.unit_path) | Exists(visible_tasks)
    ).select_related("owner_unit")


def document_get(scope: Scope, document_id: int) -> WorkDocument:
    """The document if visible to the scope; Http404 otherwise."""
    try:
        return documents_in_scope(scope).get(pk=document_id)
    except (WorkDocument.DoesNotExist, ValueError, TypeError):
        raise Http404("文件不存在或不在管理范围内") from None


def document_writable(scope: Scope, document: WorkDocument) -> bool:
    """True when the scope may edit the document and its 任务分解表 (owner in subtree, not read-only)."""
    return scope.can_write and scope.has_unit_path(document.owner_unit.path)


def task_get(scope: Scope, task_id: int) -> Task:
    """The task if visible to the scope; Http404 otherwise."""
    try:
        return tasks_in_scope(scope).select_related("document", "document__owner_unit", "lead_unit").get(pk=task_id)
    except (Task.DoesNotExist, ValueError, TypeError):
        raise Http404("任务不存在或不在管理范围内") from None


def task_with_status(scope: Scope, task_id: int, *, thresholds: Thresholds | None = None) -> Task:
    """The task if visible (Http404 otherwise), with the status as the scope sees it (:func:`with_status`)."""
    qs = with_status(tasks_in_scope(scope), thresholds=thresholds, scope=scope)
    try:
        return qs.select_related("document", "document__owner_unit", "lead_unit").get(pk=task_id)
    except (Task.DoesNotExist, ValueError, TypeError):
        raise Http404("任务不存在或不在管理范围内") from None


def reports_in_scope(scope: Scope) -> QuerySet[ProgressReport]:
    """Progress reports the scope sees: on a visible task, by a unit in the subtree (one prefix condition)."""
    return ProgressReport.objects.filter(
        _unit_in_scope(scope, "unit__"), task_id__in=tasks_in_scope(scope).values("pk")
    )


def task_reports(scope: Scope, task: Task) -> QuerySet[ProgressReport]:
    """The reports on ``task`` the scope sees, newest first, with unit, target (``value_label``) and evidence."""
    return (
        reports_in_scope(scope).filter(task=task).select_related("unit", "target").prefetch_related("evidence")
        .order_by("-date", "-id")
    )


def _visible_reports(scope: Scope) -> Prefetch:
    """Prefetch the scope's reports (oldest first, with unit and evidence) of each task as ``visible_reports``.

    The task queryset it is applied to is already scoped, so only the reporting unit is checked here.
    ``to_attr`` keeps ``task.reports`` (all units) out of templates and exports.
    """
    qs = (
        ProgressReport.objects.filter(_unit_in_scope(scope, "unit__")).select_related("unit")
        .prefetch_related("evidence").order_by("date", "id")
    )
    return Prefetch("reports", queryset=qs, to_attr="visible_reports")


def evidence_get(scope: Scope, evidence_id: int) -> EvidenceFile:
    """A 佐证材料 file of a report the scope sees (:func:`reports_in_scope`); Http404 otherwise."""
    try:
        return EvidenceFile.objects.select_related("report").get(
            pk=evidence_id, report__in=reports_in_scope(scope).values("pk")
        )
    except (EvidenceFile.DoesNotExist, ValueError, TypeError):
        raise Http404("佐证材料不存在或不在管理范围内") from None


def status_thresholds() -> Thresholds:
    """The status rule's day counts in force (city-wide standard, not scoped): configured
    ``StatusThreshold`` rows, shipped defaults (30 / 90 days) for missing ones. One query."""
    return Thresholds.current()


def with_status(qs: QuerySet[Task], today: dt.date | None = None, thresholds: Thresholds | None = None, *,
                scope: Scope | None = None, reports_until: dt.date | None = None) -> QuerySet[Task]:
    """Annotate ``done_on``, ``last_report_on`` and ``status`` (a :class:`Status` value) in SQL.

    Done: every responsible unit has reported completion (without responsible units: the lead
    unit; without either: any unit); ``done_on`` is then the latest completing report's date.
    The CASE mirrors :meth:`Task.status_on`: 已完成 → 未完成 (due passed) →
    滞后 (due within ``at_risk_days``, or nothing reported for ``stale_days``, both inclusive) →
    推进中 (reports) → 未开始. ``thresholds`` default to :func:`status_thresholds` (read once, here).

    ``scope`` (every selector passes it): the status as the scope sees the task — only reports of
    units in the subtree count, and the units that must complete are the responsible (else lead)
    units in the subtree. For a city task seen by 金安区 that is 金安区's own status ("done for
    金安区 when 金安区 reported it done", decision 0004), and another county's report neither shows
    as progress nor as its date. The city's scope holds every unit, so it gets the overall status.
    ``scope=None`` counts all reports (the city-wide rule; tests and internal checks). Reports dated
    after ``today`` do not count: a past quarter's 季末评议 shows the status at the quarter's end.
    ``reports_until`` (default ``today``) moves that cut earlier than the day the due dates are
    compared with: the review of a finished quarter counts the reports up to the quarter's last day
    and judges the deadlines on the day after it (a task due on that last day and not done is 未完成).
    """
    today = today or dt.date.today()
    until = min(reports_until or today, today)
    th = thresholds or status_thresholds()
    within = _unit_in_scope(scope, "unit__") if scope else Q()
    lead_within = _unit_in_scope(scope, "lead_unit__") if scope else Q()
    reports = ProgressReport.objects.filter(within, task_id=OuterRef("pk"), date__lte=until).order_by()  # as of ``until``
    through = Task.responsible_units.through
    required = through.objects.filter(within, task_id=OuterRef("pk"))
    unit_done = ProgressReport.objects.filter(task_id=OuterRef("task_id"), unit_id=OuterRef("unit_id"), completes=True, date__lte=until)
    missing = required.exclude(Exists(unit_done))
    qs = qs.annotate(
        is_done=Case(
            When(Exists(required), then=~Exists(missing)),
            When(Q(lead_unit__isnull=False) & lead_within,
                 then=Exists(reports.filter(unit_id=OuterRef("lead_unit_id"), completes=True))),
            default=Exists(reports.filter(completes=True)),
            output_field=BooleanField(),
        ),
        last_report_on=Subquery(reports.order_by("-date").values("date")[:1], output_field=DateField()),
    ).annotate(
        done_on=Case(
            When(is_done=True, then=Subquery(
                reports.filter(completes=True).order_by("-date").values("date")[:1], output_field=DateField())),
            default=None, output_field=DateField(),
        ),
    )
    stale_before = today - dt.timedelta(days=th.stale_days - 1)
    return qs.annotate(
        status=Case(
            When(is_done=True, then=Value(Status.DONE)),
            When(due__lt=today, then=Value(Status.OVERDUE)),
            When(due__lte=today + dt.timedelta(days=th.at_risk_days), then=Value(Status.AT_RISK)),
            When(
                Q(last_report_on__isnull=False, last_report_on__lt=stale_before)
                | Q(last_report_on__isnull=True, document__document_date__lt=stale_before),
                then=Value(Status.AT_RISK),
            ),
            When(last_report_on__isnull=False, then=Value(Status.IN_PROGRESS)),
            default=Value(Status.NOT_STARTED),
            output_field=CharField(),
        )
    )


def document_tasks(scope: Scope, document: WorkDocument, *, include_guidance: bool = True, today=None) -> QuerySet[Task]:
    """Rows of the 任务分解表 the scope sees, with status, targets and units prefetched."""
    qs = tasks_in_scope(scope).filter(document=document)
    if not include_guidance:
        qs = qs.filter(kind=TaskKind.TASK)
    return (
        with_status(qs, today, scope=scope)
        .select_related("lead_unit")
        .prefetch_related("targets", "responsible_units", _visible_reports(scope))
        .order_by("seq")
    )


def units_for_assignment(scope: Scope, document: WorkDocument) -> QuerySet[Unit]:
    """Units that may be chosen as lead/responsible units: the document owner's subtree ∩ the scope."""
    return Unit.objects.filter(path__startswith=document.owner_unit.path).filter(_unit_in_scope(scope)).order_by("path")


def unit_task_list(scope: Scope, unit: Unit, today: dt.date | None = None) -> QuerySet[Task]:
    """Tasks (kind task) where ``unit`` or a unit below it is lead or responsible, with status."""
    responsible = Task.responsible_units.through.objects.filter(task_id=OuterRef("pk"), unit__path__startswith=unit.path)
    qs = tasks_in_scope(scope).filter(kind=TaskKind.TASK).filter(Q(lead_unit__path__startswith=unit.path) | Exists(responsible))
    return with_status(qs, today, scope=scope).select_related("document", "lead_unit").order_by("due", "document_id", "seq")


def flagged_tasks(scope: Scope, unit: Unit | None = None, today: dt.date | None = None) -> QuerySet[Task]:
    """Overdue (未完成) and at-risk (滞后) tasks of ``unit`` (default: the scope's own unit subtree)."""
    if unit is None:
        qs = with_status(tasks_in_scope(scope).filter(kind=TaskKind.TASK), today, scope=scope).select_related(
            "document", "lead_unit")
    else:
        qs = unit_task_list(scope, unit, today)
    return qs.filter(status__in=(Status.OVERDUE, Status.AT_RISK)).order_by("due", "seq")


def status_counts(qs: QuerySet[Task]) -> dict[str, int]:
    """{status label: count} of an annotated task queryset (one GROUP BY)."""
    rows = qs.order_by().values("status").annotate(n=Count("id"))
    counts = {label: 0 for label in STATUS_LABELS.values()}
    for r in rows:
        counts[STATUS_LABELS[r["status"]]] = r["n"]
    return counts


# ----------------------------------------------------------------------------- quarter review


def quarter_bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    """First and last day of ``quarter`` (1–4) of ``year``."""
    if quarter not in (1, 2, 3, 4):
        raise ValueError("季度应为 1–4")
    start = dt.date(year, 3 * quarter - 2, 1)
    end = dt.date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1) - dt.timedelta(days=1)
    return start, end


def current_quarter(today: dt.date | None = None) -> tuple[int, int]:
    """(year, quarter 1–4) of ``today`` (default: the machine's date)."""
    today = today or dt.date.today()
    return today.year, (today.month - 1) // 3 + 1


def quarter_over(year: int, quarter: int, today: dt.date | None = None) -> bool:
    """True when ``quarter`` of ``year`` has ended on ``today`` (default: the machine's date)."""
    return (today or dt.date.today()) > quarter_bounds(year, quarter)[1]


@dataclass
class UnitReviewRow:
    """One unit's line of the 季末评议 (a task counts once per unit: 项次), as of a day ``today``.

    ``due`` 到期任务: tasks whose deadline has passed (due before ``today``) or that the unit has
    already completed; ``done`` 按时完成 and ``done_late`` 逾期完成 of those; ``undone`` 未完成:
    deadline passed, not completed; ``pending`` 未到期: deadline not yet passed and not completed —
    still being worked on, never 未完成. ``due`` = ``done`` + ``done_late`` + ``undone``; every task
    of the period is in ``due`` or ``pending`` (``total``).
    """

    unit_id: int
    unit_name: str
    unit_path: str
    due: int
    done: int
    done_late: int
    undone: int
    pending: int = 0

    @property
    def total(self) -> int:
        """Tasks of the period, due or not yet due (项次)."""
        return self.due + self.pending

    @property
    def late(self) -> int:
        """Late = done after the deadline + not done by the deadline."""
        return self.done_late + self.undone

    @property
    def rate(self) -> float:
        """完成率: share of the due tasks (:attr:`due`, not the pending ones) done in time or late, 0–100;
        0.0 when nothing is due yet (:attr:`rate_text` says "—" then)."""
        return round(100 * (self.done + self.done_late) / self.due, 1) if self.due else 0.0

    @property
    def rate_text(self) -> str:
        """完成率 as printed: "66.7%", or "—" when no task is due yet."""
        return f"{self.rate}%" if self.due else "—"


def quarter_review(scope: Scope, year: int, quarter: int, *, unit_depth: int | None = None,
                   today: dt.date | None = None) -> list[UnitReviewRow]:
    """季末评议 per responsible unit: tasks (kind task) due within the quarter, as of ``today``
    (default the machine's date; see :func:`unit_outcomes` for the rule)."""
    q_start, q_end = quarter_bounds(year, quarter)
    return unit_outcomes(scope, q_start, q_end, unit_depth=unit_depth, today=today)


def unit_outcomes(scope: Scope, q_start: dt.date, q_end: dt.date, *, unit_depth: int | None = None,
                  today: dt.date | None = None) -> list[UnitReviewRow]:
    """Task outcomes per unit for tasks (kind task) due in [q_start, q_end], as of ``today`` (default
    the machine's date). One GROUP BY, plus one for lead-only rows.

    A task counts for each of its responsible units and its lead unit (a unit once per task), and
    is done *for that unit* when that unit reported completion on or before min(q_end, today).
    The rule (the status rule's "完成时限已过" is "due before today"):

    - ``done`` 按时完成: completed on or before the due date;
    - ``done_late`` 逾期完成: completed after the due date, by the period's end;
    - ``undone`` 未完成: not completed, and the due date has passed (due < today);
    - ``pending`` 未到期: not completed, and the due date has not passed (due ≥ today). A period
      still running (a quarter reviewed on its 68th day) has such tasks; they are not failures
      and stay out of ``due`` and of the 完成率. Once the period is over, nothing is pending.

    Units are those in the scope's subtree. Returns rows ordered by unit path.
    """
    today = today or dt.date.today()
    cut = min(q_end, today)
    done_on = Subquery(
        ProgressReport.objects.filter(task_id=OuterRef("task_id"), unit_id=OuterRef("unit_id"), completes=True,
                                      date__lte=cut)
        .order_by("date").values("date")[:1],
        output_field=DateField(),
    )
    through = Task.responsible_units.through
    # (task, unit) pairs: responsible units, plus lead units not already responsible
    pairs_resp = through.objects.filter(
        task__kind=TaskKind.TASK, task__due__gte=q_start, task__due__lte=q_end, unit__path__startswith=scope.unit_path
    )
    visible = tasks_in_scope(scope).values("pk")
    pairs_resp = pairs_resp.filter(task_id__in=visible)
    rows = (
        pairs_resp.annotate(done_on=done_on)
        .values("unit_id", "unit__name", "unit__path")
        .annotate(
            done=Count("task_id", filter=Q(done_on__isnull=False, done_on__lte=Coalesce("task__due", q_end))),
            done_late=Count("task_id", filter=Q(done_on__isnull=False, done_on__gt=Coalesce("task__due", q_end))),
            undone=Count("task_id", filter=Q(done_on__isnull=True, task__due__lt=today)),
            pending=Count("task_id", filter=Q(done_on__isnull=True, task__due__gte=today)),
        )
        .order_by("unit__path")
    )
    out = {
        r["unit_id"]: UnitReviewRow(r["unit_id"], r["unit__name"], r["unit__path"], r["done"] + r["done_late"] + r["undone"],
                                    r["done"], r["done_late"], r["undone"], r["pending"])
        for r in rows
    }
    lead_done_on = Subquery(
        ProgressReport.objects.filter(task_id=OuterRef("pk"), unit_id=OuterRef("lead_unit_id"), completes=True,
                                      date__lte=cut)
        .order_by("date").values("date")[:1],
        output_field=DateField(),
    )
    lead_only = (
        Task.objects.filter(pk__in=visible, kind=TaskKind.TASK, due__gte=q_start, due__lte=q_end,
                            lead_unit__path__startswith=scope.unit_path)
        .exclude(Exists(through.objects.filter(task_id=OuterRef("pk"), unit_id=OuterRef("lead_unit_id"))))
        .annotate(done_on=lead_done_on)
        .values("lead_unit_id", "lead_unit__name", "lead_unit__path")
        .annotate(
            done=Count("id", filter=Q(done_on__isnull=False, done_on__lte=Coalesce("due", q_end))),
            done_late=Count("id", filter=Q(done_on__isnull=False, done_on__gt=Coalesce("due", q_end))),
            undone=Count("id", filter=Q(done_on__isnull=True, due__lt=today)),
            pending=Count("id", filter=Q(done_on__isnull=True, due__gte=today)),
        )
        .order_by()
    )
    for r in lead_only:
        row = out.setdefault(
            r["lead_unit_id"], UnitReviewRow(r["lead_unit_id"], r["lead_unit__name"], r["lead_unit__path"], 0, 0, 0, 0)
        )
        row.due += r["done"] + r["done_late"] + r["undone"]
        row.done += r["done"]
        row.done_late += r["done_late"]
        row.undone += r["undone"]
        row.pending += r["pending"]
    result = sorted(out.values(), key=lambda r: r.unit_path)
    if unit_depth is not None:
        result = [r for r in result if len(r.unit_path) // 4 == unit_depth]
    return result


def quarter_tasks(scope: Scope, year: int, quarter: int, *, today: dt.date | None = None) -> QuerySet[Task]:
    """Tasks (kind task) due within the quarter that the scope sees, with the scope's reports and
    evidence (``visible_reports``) and the status as the scope sees it (:func:`with_status`).

    The status is that of ``today`` (default the machine's date) while the quarter runs — a task not
    yet due is 推进中 / 滞后 / 未开始, never 未完成 — and, once the quarter is over, that of the day
    after its last day counting the reports up to the last day (a task due on the last day and not
    done by then is 未完成).
    """
    q_start, q_end = quarter_bounds(year, quarter)
    today = today or dt.date.today()
    on = min(today, q_end + dt.timedelta(days=1))
    qs = tasks_in_scope(scope).filter(kind=TaskKind.TASK, due__gte=q_start, due__lte=q_end)
    return (
        with_status(qs, on, scope=scope, reports_until=min(today, q_end))
        .select_related("document", "lead_unit")
        .prefetch_related("responsible_units", "targets", _visible_reports(scope))
        .order_by("due", "document_id", "seq")
    )


# ----------------------------------------------------------------------------- evidence for appraisal


@dataclass
class CadreOutcome:
    """Task outcomes credited to a cadre: those of the unit whose leadership team the cadre sits on."""

    cadre_id: int
    person_name: str
    post_title: str
    outcome: UnitReviewRow


def outcomes_by_cadre(scope: Scope, start: dt.date, end: dt.date, *, on: dt.date | None = None) -> list[CadreOutcome]:
    """用好考据: for each cadre holding (on ``on``, default ``end``) a post on the 领导班子 of a unit
    with task outcomes in [start, end], that unit's outcomes (:func:`unit_outcomes`).

    The cadre appraisal issue reads this (and :func:`unit_outcomes`) as evidence; nothing is
    stored twice. Cadres are those whose post's unit lies in the scope's subtree.
    """
    from zugong.cadres.models import Appointment

    on = on or end
    outcomes = {r.unit_id: r for r in unit_outcomes(scope, start, end)}
    if not outcomes:
        return []
    rows = (
        Appointment.objects.filter(post__team__unit_id__in=list(outcomes), start__lte=on)
        .filter(Q(end__isnull=True) | Q(end__gt=on))
        .filter(post__unit__path__startswith=scope.unit_path)
        .values("cadre_id", "cadre__person__name", "post__title", "post__team__unit_id")
        .order_by("post__team__unit__path", "post__sort", "cadre_id")
    )
    return [CadreOutcome(r["cadre_id"], r["cadre__person__name"], r["post__title"], outcomes[r["post__team__unit_id"]])
            for r in rows]


# --------------------------------------------------------------------------------------------
# A hint when the layout of a document was probably not recognised
# --------------------------------------------------------------------------------------------
#: Lines that mark an item of a list: 1． 1. 1、 （1） (1) ① ◆ ● ■ ▲ ★ ○ ◇ • · － 任务1, or a table row
#: (three or more cells separated by tabs).
_ITEM_LINE = re.compile(r"^\s*(?:\d{1,3}\s*[．.、]|[（(]\d{1,3}[）)]|[①-⑳]|[◆●■▲★○◇•·－]|任务\s*\d{1,3}\b)|(?:[^\t\n]+\t){2,}[^\t\n]+")
#: Warn when fewer tasks than this share of the item lines were extracted (and there are at least
#: ``_MIN_ITEMS`` item lines): a plan, list or table in a layout the extractor does not know yet.
_TASK_SHARE = 0.6
_MIN_ITEMS = 5


def layout_warning(text: str, n_tasks: int) -> str:
    """A Chinese warning for the document page when ``text`` (the analysed text) has many item-marked
    lines (numbered, bulleted or table rows) but only ``n_tasks`` items (tasks and 指导性要求) were
    extracted, '' otherwise.

    Each new layout of work plan met so far cost recall until the rules knew it (bench/README.md,
    extraction rounds 4–9); this tells the user to check the table against the original.
    """
    items = sum(1 for line in text.splitlines() if _ITEM_LINE.match(line))
    if items < _MIN_ITEMS or n_tasks >= items * _TASK_SHARE:
        return ""
    return (f"本文件有{items}个编号、项目符号或表格条目，只提取到{n_tasks}项，版式可能未被完全识别。"
            "请对照原文核对提取结果，在任务分解表中补充遗漏的任务。")
