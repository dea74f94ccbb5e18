"""Reads of appraisal: rounds in scope, a round's figures (one aggregate query), consequences,
team "1+N" scores with the formula, incentive flags. Source: 《公务员考核规定》（2020）."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from zugong.cadres import rules
from zugong.cadres.models import (
    AppraisalEntry,
    AppraisalRound,
    Cadre,
    LeadershipTeam,
    RoundStatus,
    TeamScore,
    TeamScorePart,
    UnitCategory,
)
from zugong.core.scope import Scope
from zugong.members.selectors import search_condition
from zugong.orgs.models import Unit


@dataclass(frozen=True)
class RoundFilters:
    """Filters of the 年度考核 list (all optional): ``year`` (考核年度), ``category`` (a UnitCategory
    value), ``status`` (a RoundStatus value). ``from_params`` drops what is not one of those."""

    year: int | None = None
    category: str = ""
    status: str = ""

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> RoundFilters:
        year, category, status = (str(params.get(k) or "") for k in ("year", "category", "status"))
        return cls(year=int(year) if re.fullmatch(r"\d{4}", year) else None, category=category if category in UnitCategory.values else "",
                   status=status if status in RoundStatus.values else "")  # fmt: skip

    def __bool__(self) -> bool:
        return bool(self.year or self.category or self.status)


def rounds_in_scope(scope: Scope, filters: RoundFilters | None = None) -> QuerySet[AppraisalRound]:
    """Rounds whose unit lies in the scope, newest year first, then by unit (tree order) and category,
    with ``participants`` and ``excellent`` (优秀) counted; narrowed by ``filters``."""
    f = filters or RoundFilters()
    qs = AppraisalRound.objects.filter(unit__path__startswith=scope.unit_path)
    if f.year is not None:
        qs = qs.filter(year=f.year)
    if f.category:
        qs = qs.filter(category=f.category)
    if f.status:
        qs = qs.filter(status=f.status)
    return (qs.select_related("unit")
            .annotate(participants=Count("entries"), excellent=Count("entries", filter=Q(entries__grade=rules.EXCELLENT)))
            .order_by("-year", "unit__path", "category"))  # fmt: skip


def default_round_year(today: dt.date) -> int:
    """The year the 开启考核 form proposes: the year itself from November on (年度考核 is held at the year's
    end and in the first weeks of the next), the year before until then."""
    return today.year if today.month >= 11 else today.year - 1


def round_years(scope: Scope) -> list[int]:
    """The years that have a round in the scope, newest first (the choices of the year filter)."""
    qs = AppraisalRound.objects.filter(unit__path__startswith=scope.unit_path)
    return list(qs.order_by("-year").values_list("year", flat=True).distinct())


def round_get(scope: Scope, round_id) -> AppraisalRound:
    """The round ``round_id`` if its unit lies in the scope; Http404 otherwise."""
    try:
        return AppraisalRound.objects.select_related("unit").get(pk=round_id, unit__path__startswith=scope.unit_path)
    except (AppraisalRound.DoesNotExist, ValueError, TypeError):
        raise Http404("考核不存在或不在管理范围内") from None


def round_figures(rnd: AppraisalRound) -> dict:
    """Figures of a round from one aggregate query:

    ``participants``; ``not_graded`` (不定等次); ``graded_base`` = participants − not graded (the base
    of the ratio); ``exact`` = base × ratio (Decimal, the theoretical number); ``quota`` = exact
    rounded per the round's rule; ``excellent``/``competent``/``basic``/``incompetent`` counts;
    ``ungraded`` = participants with neither grade nor reason; ``over`` = excellent − quota if positive.
    """
    raw = AppraisalEntry.objects.filter(round=rnd).aggregate(
        n_participants=Count("pk"),
        n_not_graded=Count("pk", filter=~Q(not_graded="")),
        n_ungraded=Count("pk", filter=Q(grade="", not_graded="")),
        **{f"n_{g}": Count("pk", filter=Q(grade=g)) for g, _ in rules.GRADES},
    )  # aliases differ from field names: an alias "not_graded" would shadow the field in the filters
    agg = {k.removeprefix("n_"): v for k, v in raw.items()}
    base = agg["participants"] - agg["not_graded"]
    agg["graded_base"] = base
    agg["exact"] = Decimal(base) * rnd.excellent_ratio
    agg["quota"] = rules.excellent_quota(base, rnd.excellent_ratio, rnd.rounding)
    agg["over"] = max(0, agg[rules.EXCELLENT] - agg["quota"])
    agg["excellent"] = agg[rules.EXCELLENT]
    return agg


#: Rows a page of a round's participants (a district round has thousands).
ROUND_PAGE_SIZE = 50
UNGRADED, NOT_GRADED = "ungraded", "not_graded"
#: The 等次 filter of a round page: still to grade, each grade, not graded (不定等次).
GRADE_FILTERS = ((UNGRADED, "未定等次"), *rules.GRADES, (NOT_GRADED, "不定等次"))


@dataclass(frozen=True)
class EntryFilters:
    """Filters of a round's participants (all optional): ``q`` 姓名 or pinyin initials (as the 名册),
    ``unit`` a unit id (that unit and below), ``grade`` a key of :data:`GRADE_FILTERS`."""

    q: str = ""
    unit: int | None = None
    grade: str = ""

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> EntryFilters:
        unit = str(params.get("unit") or "")
        grade = params.get("grade") or ""
        return cls(q=(params.get("q") or "").strip()[:40], unit=int(unit) if unit.isdigit() else None,
                   grade=grade if grade in dict(GRADE_FILTERS) else "")  # fmt: skip

    def query(self, page: int | None = None) -> str:
        """The filters (and ``page``) as a query string, without empty values."""
        pairs = {"q": self.q, "unit": self.unit or "", "grade": self.grade, "page": page if page and page > 1 else ""}
        return urlencode({k: v for k, v in pairs.items() if v})


def round_entries(rnd: AppraisalRound, filters: EntryFilters | None = None) -> QuerySet[AppraisalEntry]:
    """Participants of a round in 姓氏笔画 order with cadre, person and unit, narrowed by ``filters``."""
    qs = AppraisalEntry.objects.filter(round=rnd).select_related("cadre__person", "cadre__unit")
    if filters is not None:
        qs = _filter_entries(rnd, qs, filters)
    return qs.order_by("cadre__person__stroke_key", "cadre__person__name", "id")


def _filter_entries(rnd: AppraisalRound, qs: QuerySet[AppraisalEntry], f: EntryFilters) -> QuerySet[AppraisalEntry]:
    cond = search_condition(f.q, "cadre__person__")
    if cond is not None:
        qs = qs.filter(cond)
    if f.unit:
        path = Unit.objects.filter(pk=f.unit, path__startswith=rnd.unit.path).values_list("path", flat=True).first()
        qs = qs.filter(cadre__unit__path__startswith=path) if path else qs.none()
    if f.grade == UNGRADED:
        qs = qs.filter(grade="", not_graded="")
    elif f.grade == NOT_GRADED:
        qs = qs.exclude(not_graded="")
    elif f.grade:
        qs = qs.filter(grade=f.grade)
    return qs


def grade_filter_choices(figures: dict) -> list[tuple[str, str, int]]:
    """The 等次 filter as (key, label, count) from a round's ``figures`` (no further query)."""
    counts = {UNGRADED: figures["ungraded"], NOT_GRADED: figures["not_graded"]}
    return [(key, label, counts.get(key, figures.get(key, 0))) for key, label in GRADE_FILTERS]


def round_units(rnd: AppraisalRound) -> list[dict]:
    """The units of a round's participants (one GROUP BY), in tree order: ``id``, ``name``, ``n``."""
    rows = (AppraisalEntry.objects.filter(round=rnd).order_by().values("cadre__unit_id", "cadre__unit__name", "cadre__unit__path")
            .annotate(n=Count("pk")).order_by("cadre__unit__path"))  # fmt: skip
    return [{"id": r["cadre__unit_id"], "name": r["cadre__unit__name"], "n": r["n"]} for r in rows]


def entry_get(rnd: AppraisalRound, entry_id) -> AppraisalEntry:
    """The participant ``entry_id`` of ``rnd`` with cadre, person and unit; Http404 otherwise."""
    try:
        return AppraisalEntry.objects.select_related("cadre__person", "cadre__unit").get(pk=entry_id, round=rnd)
    except (AppraisalEntry.DoesNotExist, ValueError, TypeError):
        raise Http404("参加考核人员不存在") from None


def quota_warning(figures: dict) -> str:
    """The 优秀 share-limit message for a round's ``figures`` (those of :func:`round_figures`) when the
    number of 优秀 exceeds the quota ('' otherwise): the very text ``round_close`` refuses with."""
    try:
        rules.check_round_closable(excellent=figures["excellent"], quota=figures["quota"], ungraded=0)
    except rules.RuleViolation as exc:
        return str(exc)
    return ""


def annual_grades(cadre: Cadre) -> dict[int, str]:
    """{year: grade} of the cadre's graded entries in closed rounds."""
    return dict(AppraisalEntry.objects.filter(cadre=cadre, round__status=RoundStatus.CLOSED).exclude(grade="")
                .values_list("year", "grade"))  # fmt: skip


def consequences(cadre: Cadre) -> list[rules.Consequence]:
    """The consequences computed from the cadre's annual grades (never typed), each with its rule."""
    return rules.appraisal_consequences(annual_grades(cadre))


def task_completion_score(team: LeadershipTeam, year: int, scope: Scope | None = None) -> Decimal | None:
    """The team unit's on-time completion rate of work-plan tasks due in ``year``, 0–100 (2 decimals):
    按时完成 ÷ 到期任务 × 100, from ``zugong.work.selectors.unit_outcomes``. None without a scope, when
    the work app offers nothing or no task of the unit fell due (then the part is typed or left out)."""
    if scope is None:
        return None
    try:
        from zugong.work.selectors import unit_outcomes
    except ImportError:
        return None
    row = next((r for r in unit_outcomes(scope, dt.date(year, 1, 1), dt.date(year, 12, 31)) if r.unit_id == team.unit_id), None)
    if row is None or not row.due:
        return None
    return (Decimal(row.done) * 100 / Decimal(row.due)).quantize(Decimal("0.01"))


def team_score(team: LeadershipTeam, year: int, scope: Scope | None = None) -> dict:
    """The "1+N" score of ``team`` for ``year``: ``parts`` [(label, weight, value, source)], ``score``
    (weighted mean of the parts with a value, 2 decimals) and ``formula`` (text with the weights)."""
    values = dict(TeamScore.objects.filter(team=team, year=year).values_list("part_id", "value"))
    parts = []
    for p in TeamScorePart.objects.all():
        value, source = values.get(p.pk), "录入"
        if value is None and p.code == "task":
            value, source = task_completion_score(team, year, scope), "工作落实：按时完成率"
        parts.append((p.label, p.weight, value, source if value is not None else "—"))
    score, formula = rules.weighted_score([(label, w, v) for label, w, v, _ in parts])
    return {"parts": parts, "score": score, "formula": "综合得分 = " + formula, "year": year}


def incentive_flags(cadre: Cadre, *, today: dt.date | None = None) -> list[str]:
    """Reasons the cadre has priority under equal conditions (同等条件下优先), [] when none:
    national/provincial commendation (not tolerated-away); 优秀 in the last two appraised consecutive
    years; within the top share of a ranked closed round (rules.TOP_RANKING_SHARE)."""
    from zugong.cadres.models import AwardLevel, Evidence, EvidenceKind

    out = []
    awards = Evidence.objects.filter(cadre=cadre, kind=EvidenceKind.COMMENDATION, level__in=[AwardLevel.NATIONAL, AwardLevel.PROVINCIAL])
    for e in awards.order_by("-on")[:3]:
        out.append(f"获{e.get_level_display()}表彰：{e.title}（{e.on:%Y.%m}）")
    grades = annual_grades(cadre)
    years = sorted(grades)
    for y in reversed(years):
        if grades[y] == rules.EXCELLENT and grades.get(y - 1) == rules.EXCELLENT:
            out.append(f"{y - 1}、{y}年度连续两年考核优秀")
            break
    ranked = (AppraisalEntry.objects.filter(cadre=cadre, round__status=RoundStatus.CLOSED, ranking__isnull=False)
              .select_related("round").order_by("-year").first())  # fmt: skip
    if ranked:
        n = AppraisalEntry.objects.filter(round=ranked.round).count()
        if ranked.ranking <= rules.top_ranking_cut(n):
            out.append(f"{ranked.year}年度考核排名第{ranked.ranking}（共{n}人，前{rules.TOP_RANKING_SHARE * 100:.0f}%）")
    return out


def incentive_candidates(qs: QuerySet[Cadre]) -> QuerySet[Cadre]:
    """Narrow a (scoped, filtered) cadre queryset to those with an incentive flag, in SQL:
    a national/provincial commendation, 优秀 in two consecutive years of closed rounds, or a ranking
    within the top share (ceil(participants × 10%)) of a closed round."""
    from django.db.models import Exists, F, OuterRef, Subquery

    from zugong.cadres.models import AwardLevel, Evidence, EvidenceKind

    award = Evidence.objects.filter(cadre=OuterRef("pk"), kind=EvidenceKind.COMMENDATION, tolerated=False,
                                    level__in=[AwardLevel.NATIONAL, AwardLevel.PROVINCIAL])  # fmt: skip
    closed_excellent = AppraisalEntry.objects.filter(round__status=RoundStatus.CLOSED, grade=rules.EXCELLENT)
    prior = closed_excellent.filter(cadre=OuterRef("cadre"), year=OuterRef("year") - 1)
    two_years = closed_excellent.filter(cadre=OuterRef("pk")).filter(Exists(prior))
    size = (AppraisalEntry.objects.filter(round=OuterRef("round")).order_by().values("round")
            .annotate(n=Count("pk")).values("n"))  # fmt: skip
    # ranking ≤ ceil(n × a/b)  ⟺  ranking × b − b < n × a  (integers only: no float rounding)
    a, b = rules.TOP_RANKING_SHARE.as_integer_ratio()
    top = (AppraisalEntry.objects.filter(cadre=OuterRef("pk"), round__status=RoundStatus.CLOSED, ranking__isnull=False)
           .annotate(lhs=F("ranking") * b - b, rhs=Subquery(size) * a).filter(lhs__lt=F("rhs")))  # fmt: skip
    return qs.filter(Q(Exists(award)) | Q(Exists(two_years)) | Q(Exists(top)))
