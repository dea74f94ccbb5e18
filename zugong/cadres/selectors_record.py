"""Reads of one cadre's record: résumé lines, posts, ranks, appraisals, consequences, evidence, flags,
the 任免审批表 profile and family members.

The caller has already checked the scope (``access.cadre_get``); these functions read one cadre.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from zugong.cadres import rules
from zugong.cadres.models import Appointment, Cadre, CadreRank

#: Suffixes of the names of places of county level and above, whose organs' titles repeat them
#: (金安区 + 区委书记, 霍邱县 + 县人大常委会主任, 六安市 + 市委副书记).
PLACE_SUFFIXES = ("省", "市", "区", "县", "旗", "州", "盟")
#: Words that, after a place's suffix, name an organ of that place: 区委 (区委员会), 区人大常委会, 区政协,
#: 区政府 / 区人民政府, 区纪委, 区监委, 区人民法院, 区人民检察院. Not 长: 区长 / 县长 / 市长 keep their
#: suffix (金安区区长, as 毛坦厂镇镇长 and 财政局局长).
ORGAN_WORDS = ("委", "人大", "政协", "政府", "人民政府", "纪委", "监委", "人民法院", "人民检察院")
#: Names ending in 区/市 that are no place with organs of its own: a 社区's 委员 is not a 区委员, nor an
#: 开发区's 委员会主任 a 区委员会主任 (a 新区 or 城区 is a place: not listed).
NOT_PLACES = ("社区", "开发区", "园区", "景区", "小区", "片区", "街区", "示范区", "试验区", "保护区", "超市")


def _place_suffix(unit_name: str) -> str | None:
    """The suffix (PLACE_SUFFIXES) that makes ``unit_name`` a place of county level or above, or None."""
    if unit_name.endswith(NOT_PLACES):
        return None
    return next((s for s in PLACE_SUFFIXES if unit_name.endswith(s)), None)


def post_name(unit_name: str, title: str) -> str:
    """The post as written in 现任职务 and 简历: the unit's name followed by the title, without the
    place's suffix twice when the title names an organ of the place by its short form.

    "金安区" + "区委书记" → "金安区委书记" (not 金安区区委书记); "霍邱县" + "县委常委、常务副县长" →
    "霍邱县委常委、常务副县长"; "金安区" + "区政协副主席" → "金安区政协副主席"; "六安市" + "市委副书记" →
    "六安市委副书记". Unchanged: "金安区" + "区长" → "金安区区长", "金安区" + "副区长" → "金安区副区长",
    "毛坦厂镇" + "镇长" → "毛坦厂镇镇长", "毛坦厂镇" + "党委书记" → "毛坦厂镇党委书记", "六安市财政局" +
    "局长" → "六安市财政局局长". The official long form (中共六安市金安区委员会书记, 金安区人民政府区长) is
    not derived: the unit tree holds 金安区, not the committee. Inverse: ``post_title_candidates``.
    """
    suffix = _place_suffix(unit_name)
    if suffix and title.startswith(suffix) and title[len(suffix):].startswith(ORGAN_WORDS):
        return unit_name + title[len(suffix):]
    return unit_name + title


def post_title_candidates(unit_name: str, rest: str) -> list[str]:
    """The titles a post of ``unit_name`` may have when written ``unit_name + rest`` (``post_name``'s
    inverse, for reading 简历 lines): [rest] and, when ``rest`` names an organ of the place without its
    suffix, the title with it, most likely first ("金安区", "委书记" → ["区委书记", "委书记"]; "金安区",
    "政协副主席" → ["政协副主席", "区政协副主席"]: a title may say 政协 alone, never 委 alone)."""
    suffix = _place_suffix(unit_name)
    if suffix and rest.startswith(ORGAN_WORDS):
        full = suffix + rest
        return [full, rest] if rest.startswith("委") else [rest, full]
    return [rest]


@dataclass(frozen=True)
class ResumeLine:
    """One 简历 line: ``start``–``end`` (None = 至今) and the text, e.g. "1998.07--2003.09 金安区一镇副镇长"."""

    start: dt.date
    end: dt.date | None
    text: str
    is_rank: bool = False  # a 职级 period ("2021.03--  六安市财政局二级调研员"), not a post

    def __str__(self) -> str:
        end = f"{self.end:%Y.%m}" if self.end else "    "
        return f"{self.start:%Y.%m}--{end} {self.text}"


def resume_lines(cadre: Cadre) -> list[ResumeLine]:
    """简历 generated from the dated facts, oldest first (a post before a rank of the same start): main
    appointments (with concurrent posts held at the same time appended "（兼任…）"), each post worded by
    ``post_name``, and each 职级 period (``CadreRank``) as the forms write a rank, its unit and the rank
    by ``post_name`` too: "2021.03--     六安市财政局二级调研员" (``rank_written_name``).

    ``CadreRank`` keeps no unit: the running rank is written with the cadre's 工作单位 (``Cadre.unit``, as
    现任职务 writes it and where the statistics count a cadre with a rank only,
    ``stats.selectors.rank_only_on``; the .lrmx import moves a cadre without a post to the unit of that
    line, so its own file comes back unchanged); an ended rank with the unit of the main post the cadre
    held on the day it began, else with the 工作单位. A past rank held in another unit without a post
    there is therefore written with today's 工作单位. The .lrmx import reads such lines back
    (``services.lrmx_import``), as it reads the older "（二级调研员）"."""
    appts = list(Appointment.objects.filter(cadre=cadre).select_related("post__unit").order_by("start", "id"))
    lines = []
    for a in appts:
        if a.is_concurrent:
            continue
        text = a.post.written_name
        conc = [c for c in appts if c.is_concurrent and c.start < (a.end or dt.date.max) and (c.end or dt.date.max) > a.start]
        if conc:
            text += "（兼任" + "、".join(c.post.written_name for c in conc) + "）"
        lines.append(ResumeLine(a.start, a.end, text))
    main = [a for a in appts if not a.is_concurrent]
    ranks = list(CadreRank.objects.filter(cadre=cadre))
    unit_name = cadre.unit.name if ranks else ""
    for r in ranks:
        held = None if r.end is None else next((a for a in reversed(main) if a.start <= r.start < (a.end or dt.date.max)), None)
        lines.append(ResumeLine(r.start, r.end, rank_written_name(held.post.unit.name if held else unit_name, r.rank), is_rank=True))
    lines.sort(key=lambda x: (x.start, x.is_rank))
    return lines


def rank_written_name(unit_name: str, rank: str) -> str:
    """A 职级 as 现任职务 and 简历 write it: the unit's name and the rank's (``rules.RANKS`` code ``rank``),
    by ``post_name`` like a post: "六安市财政局" + "04" → "六安市财政局二级调研员", "金安区一镇" + "10" →
    "金安区一镇四级主任科员". KeyError for an unknown code."""
    return post_name(unit_name, rules.RANK_LABELS[rank])


def cadre_record(cadre: Cadre, today: dt.date, scope) -> dict:
    """Everything the record page shows, as a dict of context entries: among them ``current_post``
    (现任职务 as the 任免审批表 writes it on ``today``, ``lrmx.current_post_text``: "六安市财政局二级调研员"
    for a cadre with a rank only), ``rank_held`` (the CadreRank running on ``today`` or None), and the
    form's ``native_place`` (安徽六安), ``birthplace`` and ``party_date`` (1998.07, 群众) as it prints them."""
    from zugong.cadres import selectors_appraisal as sa
    from zugong.cadres.lrmx import birthplace_text, current_post_text, party_date_text, place_text
    from zugong.cadres.models import AppraisalEntry, AwardLevel, Evidence, EvidenceKind, RoutineAppraisal
    from zugong.cadres.services.evidence import task_outcomes_for

    return {
        "appraisals": AppraisalEntry.objects.filter(cadre=cadre).select_related("round__unit").order_by("-year"),
        "consequences": sa.consequences(cadre),
        "flags": sa.incentive_flags(cadre),
        "routine": RoutineAppraisal.objects.filter(cadre=cadre),
        "routine_grades": rules.ROUTINE_GRADES,
        "evidence": Evidence.objects.filter(cadre=cadre).select_related("tolerance"),
        "task_outcomes": task_outcomes_for(cadre, scope),
        "evidence_kinds": EvidenceKind.choices,
        "award_levels": AwardLevel.choices,
        "resume": resume_lines(cadre),
        **_reserve_and_cases(cadre),
        "appointments": Appointment.objects.filter(cadre=cadre).select_related("post__unit").order_by("-start", "id"),
        "ranks": CadreRank.objects.filter(cadre=cadre).order_by("-start"),
        "rank_held": CadreRank.objects.filter(cadre=cadre, start__lte=today).exclude(end__lte=today).order_by("-start", "-id").first(),
        "current_post": current_post_text(cadre, today),
        "rank_labels": rules.RANK_LABELS,
        "native_place": place_text(cadre.person.native_place),
        "party_date": party_date_text(cadre, today),
        **(family := profile_and_family(cadre, today)),
        "birthplace": birthplace_text(family["profile"]) if family["profile"] is not None else "",
    }


def profile_and_family(cadre: Cadre, today: dt.date) -> dict:
    """``profile`` (CadreProfile or None), ``family`` (FamilyMember rows in order, each with ``age``
    in full years on ``today`` or None) and ``has_photo``."""
    from zugong.cadres.models import CadreProfile, FamilyMember
    from zugong.core.rules import age_on

    profile = CadreProfile.objects.filter(cadre=cadre).first()
    family = list(FamilyMember.objects.filter(cadre=cadre).order_by("sort", "id"))
    for m in family:
        m.age = age_on(m.birth_date, today) if m.birth_date else None
    return {"profile": profile, "family": family, "has_photo": bool(profile and profile.photo)}


def family_member_get(scope, member_id):
    """The family member ``member_id`` (with cadre, unit and person) when its cadre lies in ``scope``; Http404 otherwise."""
    from django.http import Http404

    from zugong.cadres.models import FamilyMember

    try:
        return FamilyMember.objects.select_related("cadre__unit", "cadre__person").get(
            pk=member_id, cadre__unit__path__startswith=scope.unit_path)
    except (FamilyMember.DoesNotExist, ValueError, TypeError):
        raise Http404("家庭成员不存在或不在管理范围内") from None


def _reserve_and_cases(cadre: Cadre) -> dict:
    from zugong.cadres.models import (
        AdjustmentCase,
        DevelopmentRecord,
        EntryRoute,
        ErrorTolerance,
        ReserveEntry,
        ReserveStatus,
        Sector,
    )
    from zugong.core import codes

    entries = list(ReserveEntry.objects.filter(cadre=cadre).prefetch_related("developments").order_by("-entered_on"))
    return {
        "reserve_entries": entries,
        "active_reserve": any(e.status in (ReserveStatus.IN_POOL, ReserveStatus.UNDER_INSPECTION) for e in entries),
        "reserve_statuses": ReserveStatus.choices, "development_kinds": DevelopmentRecord.Kind.choices,
        "post_levels": codes.POST_LEVEL, "sectors": Sector.choices, "routes": EntryRoute.choices,
        "cases": AdjustmentCase.objects.filter(cadre=cadre), "circumstance_choices": rules.CIRCUMSTANCES,
        "measures": rules.MEASURES, "distinctions": ErrorTolerance.Distinction.choices,
    }  # fmt: skip
