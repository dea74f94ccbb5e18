"""The 干部名册 export (.xlsx): the cadre roster with the import's columns (``zugong.cadres.roster``).

出生年月 is written as the text "1986.09", as the 党员名册 (``members.services``) and the 班子成员名册
(``services.career.team_roster_export``) write it: a 年月, not a day. The roster import reads it back
by year and month against the 身份证号 (``roster_import``), so the county's own export still
re-imports unchanged. 任职时间 stays a full date: the import compares the appointment's day, and a
"2021.06" would read back as the 1st and move every appointment's start.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction

from zugong.cadres.roster import CADRE_COLUMNS
from zugong.core import codes, crypto
from zugong.core.audit import Actor, audit_record
from zugong.core.models import ID_CONTEXT
from zugong.core.scope import Scope
from zugong.core.xlsx import rows_to_xlsx


def cadre_export(*, actor: Actor, scope: Scope, params: Mapping[str, str] | None = None) -> bytes:
    """The scoped cadre list (filters of the 干部名册: ``q``, ``unit``, ``management_level``, ``post_level``,
    and ``org`` = the unit subtree of a party organization) as .xlsx with the import's columns.

    One row per cadre: 姓名, 性别, 民族, 出生年月 ("1986.09" text), 身份证号, 学历, 工作单位, 现任职务 (the
    first current post's unit and title; the cadre's unit and '' without one), 职务级别, 任职时间 (date),
    任职文号, 职级 (the ``rules.RANKS`` name of the 职级 held today, ``selectors.held_rank``; '' without
    one), 任现职级时间 (date, as 任职时间: the import compares the day), 职级文号, 管理权限, 是否中共党员. A cadre
    with a rank only has 现任职务, 任职时间 and 任职文号 empty. Sorted by 姓氏笔画; 身份证号 masked unless the
    scope may view it; audited (``cadres.export``). Http404 for an ``org`` or ``unit`` outside the scope.
    """
    from zugong.cadres.rules import RANK_LABELS
    from zugong.cadres.selectors import CadreFilters, cadres_search, held_rank, running_ranks
    from zugong.orgs.selectors import party_org_get

    params = params or {}
    qs = cadres_search(scope, CadreFilters.from_params(params)).prefetch_related(running_ranks())
    if params.get("org"):
        org = party_org_get(scope, params["org"])
        qs = qs.filter(unit__path__startswith=org.unit.path) if org.unit else qs.none()
    unmasked = scope.may_view_id_numbers
    lab = codes.label
    rows = []
    for c in qs:
        p = c.person
        appt = c.current[0] if c.current else None
        rank = held_rank(c)
        rows.append([
            p.name, lab("gender", p.gender), lab("ethnicity", p.ethnicity), f"{p.birth_date:%Y.%m}" if p.birth_date else "",
            crypto.decrypt(p.id_number_cipher, context=ID_CONTEXT) if unmasked else p.id_number_masked,
            lab("education", p.education), appt.post.unit.name if appt else c.unit.name, appt.post.title if appt else "",
            lab("post_level", c.post_level), appt.start if appt else None, appt.document_no if appt else "",
            RANK_LABELS[rank.rank] if rank else "", rank.start if rank else None, rank.document_no if rank else "",
            lab("management_level", c.management_level), "是" if c.is_party_member else "否",
        ])  # fmt: skip
    content = rows_to_xlsx("干部名册", [col.header for col in CADRE_COLUMNS], rows)
    with transaction.atomic():
        audit_record(
            actor, "cadres.export", object_type="Cadre", scope_path=scope.org_path,
            summary=f"导出干部名册{len(rows):,}人" + ("（含完整身份证号）" if unmasked else ""),
            after={"count": len(rows), "filters": dict(params), "unmasked": unmasked},
        )  # fmt: skip
    return content
