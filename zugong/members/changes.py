"""Changes to one membership, made on the person page: 组织关系转接, 预备党员转正, 党员减少 and its
correction (撤销减少). Each is one transaction with its audit event (DESIGN.md, decision 4); the
member and its open 组织关系 are locked while they change.

Who may: a change needs a writing role and the member's branch in the user's subtree; a transfer's
new branch must be in the subtree too (a county moves members between its own branches; the city
department between counties). 党员减少 and 撤销减少 are for the organization departments (city and
county administrators); for a 市管 cadre, whose cadre record they change, for the city department
only. Refusals raise :class:`ChangeRefused` with the Chinese reason.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction

from zugong.core.audit import Actor, audit_record
from zugong.core.models import AuditEvent, Role
from zugong.core.rules import add_years
from zugong.core.scope import Scope, require_write
from zugong.members.importer import SOURCE_PROBATION
from zugong.members.models import Affiliation, LeaveReason, MemberStatus, PartyMember
from zugong.orgs.models import BRANCH_KINDS, STEP, PartyOrganization

#: Reason written on a 组织关系 opened by a transfer when the user gives none.
TRANSFER_REASON = "组织关系转接"


def _common_path(a: str, b: str) -> str:
    """The path of the nearest organization above both ``a`` and ``b`` (paths of STEP-character steps)."""
    n = 0
    while n + STEP <= min(len(a), len(b)) and a[n : n + STEP] == b[n : n + STEP]:
        n += STEP
    return a[:n]


class ChangeRefused(ValueError):
    """A change refused by a rule; ``str(exc)`` is the Chinese reason shown to the user."""


def _locked(member: PartyMember) -> tuple[PartyMember, Affiliation | None]:
    """The member (with person and branch) and its open 组织关系, both locked for update."""
    m = PartyMember.objects.select_for_update(of=("self",)).select_related("person", "org").get(pk=member.pk)
    return m, Affiliation.objects.select_for_update().filter(member=m, end__isnull=True).first()


#: Why a county administrator may not record (nor undo) the 党员减少 of a 市管 cadre: it changes the
#: cadre record (中共党员), which only the city department writes (``zugong.cadres.access``). Every
#: reason is refused, 组织关系转出本市 included: it leaves the cadre record alone, but a 市管 cadre
#: whose membership leaves the city is the city department's to record.
CITY_CADRE_LEAVE = "该党员是市管干部，其党员减少由市委组织部办理"
CITY_CADRE_LEAVE_UNDO = "该党员是市管干部，撤销其党员减少由市委组织部办理"
#: The same for a cadre of a unit outside the scope (``unit``: its name; ``what``: the change).
OTHER_CADRE_LEAVE = "该党员是{unit}的干部，不在您的干部管理范围内，{what}由其干部管理部门办理"


def cadre_leave_refusal(scope: Scope, member: PartyMember) -> str:
    """Why ``scope`` may not record (or, for a member who has left, undo) the 党员减少 of ``member``,
    whose cadre record it would change: a 市管 cadre for anyone but the city administrator
    (``CITY_CADRE_LEAVE``/``CITY_CADRE_LEAVE_UNDO``), a cadre whose unit lies outside the scope's
    units (``OTHER_CADRE_LEAVE``: another county's cadre with a membership in this county); '' when
    none (no cadre record, or one the scope manages: ``cadres.access.may_manage``). The person page
    shows it in place of the form."""
    from zugong.cadres.access import may_manage
    from zugong.cadres.models import Cadre, ManagementLevel

    cadre = Cadre.objects.select_related("unit").filter(person_id=member.person_id).first()
    if cadre is None or not scope.is_admin or may_manage(scope, cadre):
        return ""
    if cadre.management_level == ManagementLevel.CITY and scope.role != Role.CITY_ADMIN:
        return CITY_CADRE_LEAVE_UNDO if member.left_date else CITY_CADRE_LEAVE
    return OTHER_CADRE_LEAVE.format(unit=cadre.unit.name, what="撤销其党员减少" if member.left_date else "其党员减少")


def _refuse_city_cadre(scope: Scope, member: PartyMember) -> None:
    """ChangeRefused with ``cadre_leave_refusal``'s reason, if any."""
    if reason := cadre_leave_refusal(scope, member):
        raise ChangeRefused(reason)


def _check(scope: Scope, member: PartyMember, on: dt.date, today: dt.date | None) -> None:
    require_write(scope)
    if not scope.has_org_path(member.org.path):
        raise PermissionDenied("该党员不在您的管理范围内")
    if member.left_date is not None:
        raise ChangeRefused(f"该党员已于{member.left_date:%Y.%m.%d}减少（{member.get_left_reason_display()}），不能办理")
    if on > (today or dt.date.today()):
        raise ChangeRefused("日期不能晚于今天")


@transaction.atomic
def member_transfer(
    *, actor: Actor, scope: Scope, member: PartyMember, org: PartyOrganization, on: dt.date,
    document_no: str = "", reason: str = "", today: dt.date | None = None,
) -> Affiliation:
    """组织关系转接 within the user's subtree: from ``on`` the member belongs to branch ``org``.

    Closes the open 组织关系 on ``on`` (exclusive end) and opens one in ``org`` from ``on`` with the
    介绍信编号 ``document_no`` and ``reason`` (default 组织关系转接); a transfer dated the day the
    open one began corrects its branch in place (back to the branch it came from: the earlier
    relation is open again). Returns the open Affiliation. Audited for the new branch, and, when
    the two branches lie in different counties (their nearest common organization is the city's),
    once more for the sending branch (转出), so that the sending county sees it in its log.

    Raises ChangeRefused (not a 党支部/联合党支部, the same branch, ``on`` before the open
    组织关系 began or after today, a member who has left) and PermissionDenied (read-only role,
    member or branch outside the subtree).
    """
    m, open_aff = _locked(member)
    _check(scope, m, on, today)
    if not scope.has_org_path(org.path):
        raise PermissionDenied("转入的党支部不在您的管理范围内")
    if org.kind not in BRANCH_KINDS:
        raise ChangeRefused(f"“{org.name}”是{org.get_kind_display()}，党员应编入党支部（联合党支部）")
    if org.pk == m.org_id:
        raise ChangeRefused(f"该党员已在{org.name}")
    if open_aff is not None and on < open_aff.start:
        raise ChangeRefused(f"转接日期应不早于现组织关系的转入日期{open_aff.start:%Y.%m.%d}")
    if on < m.joined_date:
        raise ChangeRefused(f"转接日期应不早于入党时间{m.joined_date:%Y.%m.%d}")
    old_path = m.org.path
    before = {"org": m.org.name}
    correction = open_aff is not None and on == open_aff.start
    document_no = document_no.strip()
    reason = reason.strip() or (open_aff.reason if correction and open_aff.reason else TRANSFER_REASON)
    sending = old_path  # whose log gets the 转出 event
    if correction:  # same-day correction: the branch is wrong
        before.update(letter_no=open_aff.document_no, reason=open_aff.reason)
        earlier = Affiliation.objects.select_for_update().select_related("org").filter(member=m, end=on).exclude(pk=open_aff.pk).first()
        sending = earlier.org.path if earlier is not None else org.path  # the branch it really came from
        if earlier is not None and earlier.org_id == org.pk:  # back to the branch it came from: one relation again
            open_aff.delete()
            earlier.end = None
            earlier.save(update_fields=["end"])
            new = earlier
        else:
            open_aff.org, open_aff.document_no, open_aff.reason = org, document_no or open_aff.document_no, reason
            open_aff.save(update_fields=["org", "document_no", "reason"])
            new = open_aff
    else:
        if open_aff is not None:
            open_aff.end = on
            open_aff.save(update_fields=["end"])
        new = Affiliation.objects.create(member=m, org=org, start=on, document_no=document_no, reason=reason)
    m.org = org
    m.save(update_fields=["org", "updated_at"])
    verb = "更正为" if correction else "转入"
    after = {"org": org.name, "transfer_date": on, "letter_no": new.document_no, "reason": new.reason}
    letter = f"，{new.document_no}" if new.document_no else ""
    audit_record(
        actor, "members.transfer", object_type="PartyMember", object_id=m.pk, scope_path=org.path,
        summary=f"{m.person.name}组织关系由{before['org']}{verb}{org.name}（{on:%Y.%m.%d}{letter}）", before=before, after=after,
    )  # fmt: skip
    if len(_common_path(sending, org.path)) <= STEP:  # another county (or a city organ): its log too
        audit_record(
            actor, "members.transfer", object_type="PartyMember", object_id=m.pk, scope_path=sending,
            summary=f"{m.person.name}组织关系由{before['org']}{'更正为' if correction else '转出至'}{org.name}（{on:%Y.%m.%d}{letter}）",
            before=before, after=after,
        )  # fmt: skip
    return new


@transaction.atomic
def member_confirm(*, actor: Actor, scope: Scope, member: PartyMember, on: dt.date, today: dt.date | None = None) -> PartyMember:
    """预备党员转正: the probationary member becomes a full member on ``on`` (转正时间).

    ``on`` is at least one year after 入党时间 (SOURCE_PROBATION; an extended probation ends later)
    and not after today. Raises ChangeRefused (a full member, a member who has left, the date) and
    PermissionDenied (read-only role, member outside the subtree).
    """
    m, _ = _locked(member)
    _check(scope, m, on, today)
    if m.status != MemberStatus.PROBATIONARY:
        raise ChangeRefused(f"该党员已是正式党员（转正时间{m.confirmed_date:%Y.%m.%d}）" if m.confirmed_date else "该党员已是正式党员")
    earliest = add_years(m.joined_date, 1)
    if on < earliest:
        raise ChangeRefused(f"预备期不足一年：入党时间{m.joined_date:%Y.%m.%d}，最早{earliest:%Y.%m.%d}转正（{SOURCE_PROBATION}）")
    m.status, m.confirmed_date = MemberStatus.FULL, on
    m.save(update_fields=["status", "confirmed_date", "updated_at"])
    audit_record(
        actor, "members.confirm", object_type="PartyMember", object_id=m.pk, scope_path=m.org.path,
        summary=f"{m.person.name}按期转正为正式党员（转正时间{on:%Y.%m.%d}）",
        before={"status": MemberStatus.PROBATIONARY, "confirmed_date": None}, after={"status": MemberStatus.FULL, "confirmed_date": on},
    )  # fmt: skip
    return m


@transaction.atomic
def member_leave(
    *, actor: Actor, scope: Scope, member: PartyMember, on: dt.date, reason: str, note: str = "", today: dt.date | None = None,
) -> PartyMember:
    """党员减少: the membership ends on ``on`` (exclusive: a member on the day before) for ``reason``
    (a LeaveReason value) with ``note`` (减少说明, at most 100 characters: the decision's document
    number, or where the membership went); the open 组织关系 ends that day.

    The member drops out of lists and of statistics dated ``on`` or later; earlier dates still
    count it. A cadre's record becomes 非中共党员 unless the membership moved out of the city.
    Raises ChangeRefused (unknown reason, ``on`` not after the open 组织关系 began or after today, a
    member who has left, a cadre still holding a 党内职务, a 市管 cadre for a county administrator)
    and PermissionDenied (not an administrator, outside the subtree).
    """
    if not scope.is_admin:
        raise PermissionDenied("党员减少由组织部门办理")
    m, open_aff = _locked(member)
    _check(scope, m, on, today)
    _refuse_city_cadre(scope, m)
    if reason not in LeaveReason.values:
        raise ChangeRefused("请选择减少原因")
    start = open_aff.start if open_aff is not None else m.joined_date
    if on <= start:
        raise ChangeRefused(f"减少日期应晚于现组织关系的转入日期{start:%Y.%m.%d}")
    label, note = LeaveReason(reason).label, note.strip()[:100]
    cadre = _cadre_leaving_the_party(m, on, reason)
    m.left_date, m.left_reason, m.left_note = on, reason, note
    m.save(update_fields=["left_date", "left_reason", "left_note", "updated_at"])
    if open_aff is not None:
        open_aff.end = on
        open_aff.save(update_fields=["end"])
    audit_record(
        actor, "members.leave", object_type="PartyMember", object_id=m.pk, scope_path=m.org.path,
        summary=f"{m.person.name}党员减少：{label}（{on:%Y.%m.%d}{'，' + note if note else ''}）",
        before={"left_date": None, "left_reason": "", "left_note": "", **({"cadre_is_party_member": True} if cadre else {})},
        after={"left_date": on, "left_reason": reason, "left_note": note, **({"cadre_is_party_member": False} if cadre else {})},
    )  # fmt: skip
    return m


def _cadre_leaving_the_party(m: PartyMember, on: dt.date, reason: str):
    """For a leave that ends Party membership (every reason but 组织关系转出本市): the person's cadre
    record, locked and marked 非中共党员 — or None when the person is no cadre (or is recorded as a
    non-member already). Raises ChangeRefused while the cadre holds a 党内职务 on ``on`` or later
    (removed first: 免职, then 减少)."""
    from zugong.cadres.models import Appointment, Cadre
    from zugong.cadres.rules import is_party_post

    if reason == LeaveReason.TRANSFERRED_OUT:
        return None
    cadre = Cadre.objects.select_for_update().filter(person_id=m.person_id, is_party_member=True).first()
    if cadre is None:
        return None
    running = Appointment.objects.filter(cadre=cadre).exclude(end__lte=on).values_list("post__title", flat=True)  # on or after ``on``
    party = [t for t in running if is_party_post(t)]
    if party:
        raise ChangeRefused(f"该党员现任党内职务（{'、'.join(party)}），请先办理免职，再办理党员减少")
    cadre.is_party_member = False
    cadre.save(update_fields=["is_party_member"])
    return cadre


@transaction.atomic
def member_leave_undo(*, actor: Actor, scope: Scope, member: PartyMember) -> PartyMember:
    """撤销减少 (a correction): the member counts again as if it had never left; the 组织关系 that
    the leave closed is open again.

    Raises ChangeRefused (the member has not left, a 市管 cadre for a county administrator, or
    another member has since been recorded with an open 组织关系 — impossible through these
    services) and PermissionDenied (not an administrator, outside the subtree).
    """
    if not scope.is_admin:
        raise PermissionDenied("党员减少由组织部门办理")
    m, open_aff = _locked(member)
    require_write(scope)
    if not scope.has_org_path(m.org.path):
        raise PermissionDenied("该党员不在您的管理范围内")
    if m.left_date is None:
        raise ChangeRefused("该党员未办理减少")
    _refuse_city_cadre(scope, m)
    if open_aff is not None:
        raise ChangeRefused("该党员已有现组织关系，无需撤销")
    closed = Affiliation.objects.select_for_update().filter(member=m, end=m.left_date).order_by("-start", "-id").first()
    before = {"left_date": m.left_date, "left_reason": m.left_reason, "left_note": m.left_note}
    if closed is not None:
        closed.end = None
        closed.save(update_fields=["end"])
    leave = AuditEvent.objects.filter(action="members.leave", object_type="PartyMember", object_id=str(m.pk)).order_by("-id").first()
    if leave is not None and (leave.after or {}).get("cadre_is_party_member") is False:  # the leave made the cadre a non-member
        from zugong.cadres.models import Cadre

        Cadre.objects.filter(person_id=m.person_id).update(is_party_member=True)
        before["cadre_is_party_member"] = False
    m.left_date, m.left_reason, m.left_note = None, "", ""
    m.save(update_fields=["left_date", "left_reason", "left_note", "updated_at"])
    audit_record(
        actor, "members.leave_undo", object_type="PartyMember", object_id=m.pk, scope_path=m.org.path,
        summary=f"撤销{m.person.name}的党员减少（原为{before['left_date']:%Y.%m.%d}{LeaveReason(before['left_reason']).label}）",
        before=before, after={"left_date": None, "left_reason": "", "left_note": "",
                              **({"cadre_is_party_member": True} if "cadre_is_party_member" in before else {})},
    )  # fmt: skip
    return m
