"""Writes of a cadre's career: appointments and removals (职务), ranks (职级), 职数, young-cadre thresholds.

Every function is one transaction that also writes its audit event. Rule violations raise
``zugong.cadres.rules.RuleViolation`` (Chinese reason with citation); writes outside the scope
raise Http404, by read-only roles PermissionDenied (see ``zugong.cadres.access``). Appointments to and
removals from the posts of a 市管 leadership team are the city administrator's (PermissionDenied for a
county administrator, ``access.require_manage_post``), as are the 市管 cadres themselves.

Locks (PostgreSQL; on SQLite every transaction holds the one write lock from BEGIN IMMEDIATE): a writer
of a cadre's posts locks the Cadre row before it reads what its rules read, in the order of the other
cadre writers — persons, party members, cadres (``roster_import``, 党员减少 in ``members.changes``) —
then the LeadershipTeam row of the post (``lock_team``: 职数 and 管理权限 are read from it and its
posts), then named locks (``hold_post_titles``). Nothing locks a team before a cadre.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from zugong.cadres import rules
from zugong.cadres.access import require_admin_of, require_manage, require_manage_post
from zugong.cadres.models import (
    AdjustmentCase,
    Appointment,
    Cadre,
    CadreRank,
    EvidenceKind,
    LeadershipTeam,
    ManagementLevel,
    Post,
    PostQuota,
    YoungThreshold,
)
from zugong.core import codes, locks
from zugong.core.audit import Actor, audit_record
from zugong.core.models import Role
from zugong.core.scope import Scope


def running_on(on: dt.date, prefix: str = "") -> Q:
    """Q for dated facts running on ``on``: start ≤ on and (end null or end > on)."""
    return Q(**{f"{prefix}start__lte": on}) & (Q(**{f"{prefix}end__isnull": True}) | Q(**{f"{prefix}end__gt": on}))


def lock_cadre(cadre: Cadre | int) -> None:
    """Lock the cadre's row (SELECT … FOR UPDATE; a Cadre or its id) until the transaction ends; a Cadre
    given is reloaded, so that the rules read what concurrent writers committed (a 党员减少 that made it a
    non-member, an import that made it 市管 or moved it). Inside a transaction; DoesNotExist when gone."""
    pk = cadre if isinstance(cadre, int) else cadre.pk
    Cadre.objects.select_for_update().values_list("pk", flat=True).get(pk=pk)
    if isinstance(cadre, Cadre):
        cadre.refresh_from_db(fields=["management_level", "post_level", "unit", "is_party_member"])


def lock_team(team_id: int | None) -> None:
    """Lock the LeadershipTeam row ``team_id`` (FOR NO KEY UPDATE: rows referring to the team may still
    be inserted) until the transaction ends: a writer that reads the team's 职数, its posts' holders or
    its 管理权限 and then writes on them takes it, after any cadre lock (see the module's note). A future
    change of ``LeadershipTeam.management_level`` must take it too. None: nothing to lock."""
    if team_id is not None:
        list(LeadershipTeam.objects.select_for_update(no_key=True).filter(pk=team_id).values_list("pk", flat=True))


def hold_post_titles(pairs: Iterable[tuple[int, str]]) -> None:
    """Hold named locks on (unit id, 职务名称) pairs until the transaction ends (``core.locks.hold``, in
    key order): a writer that creates a teamless Post when its unit has none of that title takes them
    before it looks, so that two writers at once create one post, not two (``roster_import.write_cadres``,
    ``lrmx_import._lock_for_write``). Inside a transaction."""
    locks.hold(*(f"cadres.post:{unit_id}:{title}" for unit_id, title in pairs))


def quota_holders(team: LeadershipTeam, kind: str, on: dt.date, *, exclude_cadre: Cadre | None = None) -> int:
    """Distinct cadres holding a 正职 (x1) / 副职 (x2) post of ``team`` on ``on`` (concurrent posts count)."""
    digit = "1" if kind == rules.CHIEF else "2"
    qs = Appointment.objects.filter(running_on(on), post__team=team, post__post_level__endswith=digit)
    if exclude_cadre is not None:
        qs = qs.exclude(cadre=exclude_cadre)
    return qs.values("cadre").distinct().count()


def waiting_dates(cadre: Cadre) -> rules.WaitingDates:
    """The latest effective dates of the cadre's completed adjustments, by kind of waiting period.

    A 免职 counts as 因问责被免职 when the case rests on a 问责处理 evidence record, else as removal
    for unsuitability (see ``rules.check_waiting_period``).
    """
    done = AdjustmentCase.objects.filter(cadre=cadre, effective_on__isnull=False)
    accountable_removal = Q(measure="remove", evidence__kind=EvidenceKind.ACCOUNTABILITY)

    def latest(q: Q) -> dt.date | None:
        return done.filter(q).order_by("-effective_on").values_list("effective_on", flat=True).first()

    return rules.WaitingDates(
        accountable_on=latest(Q(measure__in=rules.ACCOUNTABILITY_MEASURES) | accountable_removal),
        unsuitable_on=latest(Q(measure__in=rules.UNSUITABLE_MEASURES) & ~Q(pk__in=done.filter(accountable_removal).values("pk"))),
        demoted_on=latest(Q(measure__in=rules.DEMOTION_MEASURES)),
    )


def check_appointment(cadre: Cadre, post: Post, start: dt.date) -> None:
    """All rules an appointment of ``cadre`` to ``post`` from ``start`` must pass (RuleViolation otherwise):
    a 党内职务 only for a member of the Party; no second running appointment to the same post; 职数 of
    the team; waiting periods."""
    rules.check_party_post(name=cadre.person.name, title=post.title, is_party_member=cadre.is_party_member)
    if Appointment.objects.filter(running_on(start), cadre=cadre, post=post).exists():
        raise rules.RuleViolation(f"{cadre.person.name}在{start:%Y.%m.%d}已担任{post.title}")
    kind = rules.post_kind(post.post_level)
    if post.team_id and kind:
        quota = PostQuota.objects.filter(team_id=post.team_id, kind=kind).values_list("number", flat=True).first()
        holders = quota_holders(post.team, kind, start, exclude_cadre=cadre)
        rules.check_post_quota(team_name=post.team.name, kind=kind, quota=quota, holders=holders)
    rules.check_waiting_period(
        dates=waiting_dates(cadre), on=start, leadership_post=kind is not None,
        promotion=post.post_level < cadre.post_level and post.post_level in dict(codes.POST_LEVEL),
    )  # fmt: skip


@transaction.atomic
def appointment_create(*, actor: Actor, scope: Scope, cadre: Cadre, post: Post, start: dt.date, document_no: str,
                       is_concurrent: bool = False) -> Appointment:
    """任职: ``cadre`` holds ``post`` from ``start`` (任职文号 ``document_no``).

    A main (non-concurrent) appointment ends the cadre's other running main appointments on ``start``
    (免去原职, same document) and makes the post's unit and level the cadre's. Raises RuleViolation
    (超职数, waiting period, already holds), Http404 / PermissionDenied per ``access``.

    The cadre's row, then the post's team's row, are locked before the rules read them (``lock_cadre``,
    ``lock_team``): two appointments at once — of one cadre (a 兼职 beside another, the same post twice)
    or to one team (its last 正职 seat) — or an appointment beside a 职数 cut or a 党员减少, are decided
    one after the other, the second on what the first committed. ``cadre`` is reloaded from the database.
    """
    lock_cadre(cadre)
    require_manage(scope, cadre)
    lock_team(Post.objects.values_list("team_id", flat=True).get(pk=post.pk))
    post = Post.objects.select_related("unit", "team__unit").get(pk=post.pk)
    if not post.unit.path.startswith(scope.unit_path):
        raise Http404("职务不在管理范围内")
    require_manage_post(scope, post)  # a 市管 team's seat: the city administrator's
    if not document_no.strip():
        raise rules.RuleViolation("请填写任职文号")
    check_appointment(cadre, post, start)
    ended = []
    if not is_concurrent:
        for a in Appointment.objects.filter(running_on(start), cadre=cadre, is_concurrent=False).select_related("post__unit", "post__team__unit"):
            require_manage_post(scope, a.post)  # 免去原职 is a removal from that post too
            if a.start >= start:
                raise rules.RuleViolation(f"现任{a.post.title}的任职时间{a.start:%Y.%m.%d}不早于新任职时间")
            a.end, a.removal_document_no = start, a.removal_document_no or document_no
            a.save(update_fields=["end", "removal_document_no"])
            ended.append(a.post.title)
        cadre.unit, cadre.post_level = post.unit, post.post_level
        cadre.save(update_fields=["unit", "post_level", "updated_at"])
    appt = Appointment.objects.create(cadre=cadre, post=post, start=start, document_no=document_no.strip(), is_concurrent=is_concurrent)
    audit_record(
        actor, "cadres.appointment_create", object_type="Appointment", object_id=appt.pk, scope_unit_path=post.unit.path,
        summary=f"任命{cadre.person.name}为{post.written_name}{'（兼）' if is_concurrent else ''}（{appt.document_no}）",
        after={"cadre": cadre.pk, "post": post.pk, "start": start, "document_no": appt.document_no,
               "is_concurrent": is_concurrent, "ended": ended},
    )  # fmt: skip
    return appt


@transaction.atomic
def appointment_end(*, actor: Actor, scope: Scope, appointment: Appointment, end: dt.date, removal_document_no: str) -> Appointment:
    """免职: end ``appointment`` on ``end`` (exclusive) with 免职文号. RuleViolation when already ended or
    ``end`` is not after the start."""
    # the cadre first, as every cadre writer (see the module's note), then the appointment row alone: a
    # lock of the joined rows too would take the cadre before its person, against the roster import's order
    lock_cadre(Appointment.objects.values_list("cadre_id", flat=True).get(pk=appointment.pk))
    appt = Appointment.objects.select_related("cadre__person", "cadre__unit", "post__unit", "post__team").select_for_update(of=("self",)).get(pk=appointment.pk)
    require_manage(scope, appt.cadre)
    require_manage_post(scope, appt.post)  # a 市管 team's seat: the city administrator's
    if appt.end is not None:
        raise rules.RuleViolation(f"该任职已于{appt.end:%Y.%m.%d}免去")
    if end <= appt.start:
        raise rules.RuleViolation("免职时间应晚于任职时间")
    if not removal_document_no.strip():
        raise rules.RuleViolation("请填写免职文号")
    appt.end, appt.removal_document_no = end, removal_document_no.strip()
    appt.save(update_fields=["end", "removal_document_no"])
    audit_record(
        actor, "cadres.appointment_end", object_type="Appointment", object_id=appt.pk, scope_unit_path=appt.post.unit.path,
        summary=f"免去{appt.cadre.person.name}{appt.post.written_name}职务（{appt.removal_document_no}）",
        before={"end": None}, after={"end": end, "removal_document_no": appt.removal_document_no},
    )  # fmt: skip
    return appt


@transaction.atomic
def rank_grant(*, actor: Actor, scope: Scope, cadre: Cadre, rank: str, start: dt.date, document_no: str) -> CadreRank:
    """晋升/任职级: ``cadre`` holds ``rank`` (code of rules.RANKS) from ``start``; the running rank ends then.

    Raises RuleViolation for an unknown rank, a start not after the running rank's start, or a
    promotion inside a waiting period (``rules.check_waiting_period``); Http404 / PermissionDenied per
    ``access.require_manage``. Holds the cadre's row until the transaction ends (``lock_cadre``) and
    checks the cadre as it then is: a second grant at once reads the first's rank, an import that made
    the cadre 市管 meanwhile is seen.
    """
    lock_cadre(cadre)  # reloads the cadre: the scope is checked on what the lock found
    require_manage(scope, cadre)
    if rank not in rules.RANK_LABELS:
        raise rules.RuleViolation(f"未知的职级代码{rank}", rules.SOURCE_RANKS)
    current = CadreRank.objects.filter(cadre=cadre, end__isnull=True).first()
    if current is not None and start <= current.start:
        raise rules.RuleViolation(f"现任职级{current.get_rank_display()}自{current.start:%Y.%m.%d}起，新职级时间应晚于该日")
    if current is not None and current.rank == rank:
        raise rules.RuleViolation(f"已任{current.get_rank_display()}")
    rules.check_waiting_period(dates=waiting_dates(cadre), on=start, leadership_post=False,
                               promotion=rules.rank_is_promotion(current.rank if current else None, rank))
    if current is not None:
        current.end = start
        current.save(update_fields=["end"])
    new = CadreRank.objects.create(cadre=cadre, rank=rank, start=start, document_no=document_no.strip())
    audit_record(
        actor, "cadres.rank_grant", object_type="CadreRank", object_id=new.pk, scope_unit_path=cadre.unit.path,
        summary=f"{cadre.person.name}任{new.get_rank_display()}（{new.document_no or '无文号'}）",
        before={"rank": current.rank if current else None}, after={"rank": rank, "start": start, "document_no": new.document_no},
    )  # fmt: skip
    return new


@transaction.atomic
def post_quota_set(*, actor: Actor, scope: Scope, team: LeadershipTeam, kind: str, number: int, document_no: str = "") -> PostQuota:
    """核定职数: set the 正职/副职 quota of ``team``. City teams only by the city administrator.

    A quota below the current staffing is saved (it may be cut ahead of a reshuffle); the audit event
    then says in its summary how many hold such posts today and the 超配 (``rules.quota_excess_note``); further
    appointments of that kind are refused until the excess is absorbed (``check_appointment``).
    Raises Http404 outside the scope, PermissionDenied for read-only roles and for a county
    administrator on a 市管 team, RuleViolation for an unknown kind or a negative number.
    """
    lock_team(team.pk)  # an appointment to the team at the same time decides on the new quota, or waits
    team = LeadershipTeam.objects.select_related("unit").get(pk=team.pk)
    require_admin_of(scope, team.unit.path)
    if team.management_level == ManagementLevel.CITY and scope.role != Role.CITY_ADMIN:
        raise PermissionDenied("市管领导班子职数由市委组织部核定")
    if kind not in rules.POST_KIND_LABELS or number < 0:
        raise rules.RuleViolation("职数类别或数量不正确")
    quota, created = PostQuota.objects.get_or_create(team=team, kind=kind, defaults={"number": number, "document_no": document_no})
    before = None if created else {"number": quota.number, "document_no": quota.document_no}
    quota.number, quota.document_no = number, document_no
    quota.save()
    holders = quota_holders(team, kind, timezone.localdate())
    note = rules.quota_excess_note(kind=kind, quota=number, holders=holders)
    audit_record(
        actor, "cadres.post_quota_set", object_type="PostQuota", object_id=quota.pk, scope_unit_path=team.unit.path,
        summary=f"核定{team.name}{rules.POST_KIND_LABELS[kind]}职数{number}名" + (f"（{note}）" if note else ""), before=before,
        after={"number": number, "document_no": document_no},
    )  # fmt: skip
    return quota


@transaction.atomic
def young_threshold_set(*, actor: Actor, scope: Scope, post_level: str, max_age: int) -> YoungThreshold:
    """Set the 年轻干部 age limit (周岁, inclusive) of a 职务级别. City administrator only (city-wide standard)."""
    if scope.role != Role.CITY_ADMIN:
        raise PermissionDenied("年轻干部年龄标准由市委组织部设定")
    if post_level not in dict(codes.POST_LEVEL) or not 18 <= max_age <= 70:
        raise rules.RuleViolation("职务级别或年龄不正确")
    row, created = YoungThreshold.objects.get_or_create(post_level=post_level, defaults={"max_age": max_age})
    before = None if created else {"max_age": row.max_age}
    row.max_age = max_age
    row.save()
    audit_record(
        actor, "cadres.young_threshold_set", object_type="YoungThreshold", object_id=row.pk, scope_unit_path=scope.unit_path,
        summary=f"{codes.label('post_level', post_level)}年轻干部年龄上限设为{max_age}周岁", before=before, after={"max_age": max_age},
    )  # fmt: skip
    return row


__all__ = ["appointment_create", "appointment_end", "rank_grant", "post_quota_set", "young_threshold_set",
           "running_on", "quota_holders", "check_appointment", "waiting_dates", "lock_cadre", "lock_team", "hold_post_titles"]


def team_roster_export(*, actor: Actor, scope: Scope, on: dt.date, unit_path: str | None = None,
                       team: LeadershipTeam | None = None, by_strokes: bool = False) -> bytes:
    """班子成员名册 (.xlsx): members of the teams in scope (below ``unit_path``, or one ``team``) on ``on``;
    one row per member of a team, as the team page and the statistics count them (``once_per_team_member``):
    a cadre holding several posts of one team has them in one 职务 cell in post order, "党委副书记、乡长";
    职务级别, 任职时间 and 任职文号 are of the first of them that is not concurrent (兼任). Teams in tree
    order and each team's members in post order (书记, 副书记 …, as the team page lists them), or with
    ``by_strokes`` all rows by 姓氏笔画. Audited (``cadres.team_roster_export``, the count in persons)."""
    from django.db.models import OuterRef, Subquery

    from zugong.core.rules import age_on
    from zugong.core.xlsx import rows_to_xlsx

    rank = CadreRank.objects.filter(running_on(on), cadre=OuterRef("cadre")).order_by("-start").values("rank")[:1]
    qs = (Appointment.objects.filter(running_on(on), post__team__isnull=False, post__team__unit__path__startswith=scope.unit_path)
          .select_related("cadre__person", "post__team").annotate(rank=Subquery(rank)))  # fmt: skip
    if unit_path:
        qs = qs.filter(post__team__unit__path__startswith=unit_path)
    if team is not None:
        qs = qs.filter(post__team=team)
    if by_strokes:
        qs = qs.order_by("cadre__person__stroke_key", "cadre__person__name", "cadre_id", "post__sort", "id")
    else:
        qs = qs.order_by("post__team__unit__path", "post__team_id", "post__sort", "post_id", "cadre__person__stroke_key", "id")
    held: dict[tuple[int, int], list[Appointment]] = {}  # (team, cadre) → posts, in the order asked
    for a in qs:
        held.setdefault((a.post.team_id, a.cadre_id), []).append(a)
    rows = []
    for i, posts in enumerate(held.values(), start=1):
        main = next((a for a in posts if not a.is_concurrent), posts[0])
        p = main.cadre.person
        if len(posts) == 1:
            title = main.post.title + ("（兼）" if main.is_concurrent else "")
        else:
            title = "、".join(a.post.title for a in sorted(posts, key=lambda a: (a.post.sort, a.post_id)))
        rows.append([i, p.name, p.gender_label, p.ethnicity_label, p.birth_date.strftime("%Y.%m"), age_on(p.birth_date, on),
                     p.education_label, "中共党员" if main.cadre.is_party_member else "非中共党员", main.post.team.name,
                     title, main.post.get_post_level_display(), rules.RANK_LABELS.get(main.rank or "", ""),
                     main.start.strftime("%Y.%m"), main.document_no])  # fmt: skip
    columns = ["序号", "姓名", "性别", "民族", "出生年月", "年龄", "学历", "政治面貌", "领导班子", "职务", "职务级别", "职级", "任职时间", "任职文号"]
    content = rows_to_xlsx("班子成员名册", columns, rows, heading=f"领导班子成员名册（截至{on.year}年{on.month}月{on.day}日）")
    with transaction.atomic():
        audit_record(actor, "cadres.team_roster_export", object_type="LeadershipTeam", object_id=team.pk if team else "",
                     scope_unit_path=unit_path or scope.unit_path, summary=f"导出领导班子成员名册{len(rows):,}人",
                     after={"count": len(rows), "on": on})  # fmt: skip
    return content
