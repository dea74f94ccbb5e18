"""Statistics of a subtree as of a date: SQL conditional aggregates and GROUP BY, never row loops.

Every function takes a :class:`Target` (the user's subtree, optionally narrowed to a sub-node, and
an as-of date) built by :func:`resolve_target`, which applies the user's Scope and raises Http404
for a node outside it (DESIGN.md, decisions 1, 2 and 6).

Dating (decision 2):
- a member counts on day d when an ``Affiliation`` runs on d (start ≤ d and (end is null or
  end > d)) and the membership itself does (joined_date ≤ d and (left_date is null or > d));
  the member is probationary on d unless confirmed_date ≤ d;
- a cadre counts on day d when one of its ``Appointment`` rows runs on d (start ≤ d < end), and
  belongs to the subtree of the unit of that appointment's post; a cadre holding no post on d but a
  职级 (``CadreRank`` running on d: a 二级调研员 without a 领导职务) counts too, in the subtree of the
  cadre's unit (``Cadre.unit``, 工作单位) — :func:`rank_only_on`.

Ages are full years (周岁, ``zugong.core.rules.age_on``). Conditions "age ≥ N on d" are written as
``birth_date ≤ d shifted back N years`` (exact, and the birth_date index can serve it); averages
use ``zugong.core.dbfunctions.age_expr``, the same full-year age computed in SQL (from the dates as
YYYYMMDD numbers, without per-row Python calls on SQLite), identical on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Substr
from django.http import Http404

from zugong.cadres.models import Appointment, CadreRank, ManagementLevel
from zugong.core import codes
from zugong.core.dbfunctions import age_expr
from zugong.core.models import Role
from zugong.core.scope import Scope
from zugong.members.models import Affiliation
from zugong.orgs.models import GRASSROOTS_GROUPS, STEP, OrgKind, PartyOrganization, Unit, UnitKind
from zugong.orgs.selectors import party_org_get, unit_get

# --------------------------------------------------------------------------------------------
# Categories, in the order and with the labels of the 中国共产党党内统计公报 (REGULATIONS.md)
# --------------------------------------------------------------------------------------------

#: Member age bands of the bulletin: (label, lowest age, highest age) in full years, None = open.
MEMBER_AGE_BANDS: tuple[tuple[str, int | None, int | None], ...] = (
    ("30岁及以下", None, 30),
    ("31至35岁", 31, 35),
    ("36至40岁", 36, 40),
    ("41至45岁", 41, 45),
    ("46至50岁", 46, 50),
    ("51至55岁", 51, 55),
    ("56至60岁", 56, 60),
    ("61岁及以上", 61, None),
)

#: Cadre age bands. Chosen so that the speech figures read straight off the chart: the two
#: upper bands are exactly "55–58周岁" (55 ≤ age < 58) and "58周岁及以上" (see FIGURE_DEFINITIONS).
CADRE_AGE_BANDS: tuple[tuple[str, int | None, int | None], ...] = (
    ("35岁及以下", None, 35),
    ("36至40岁", 36, 40),
    ("41至45岁", 41, 45),
    ("46至50岁", 46, 50),
    ("51至54岁", 51, 54),
    ("55至57岁", 55, 57),
    ("58岁及以上", 58, None),
)

#: Joining periods of the bulletin, as half-open date intervals [start, end).
#: Boundaries: 中华人民共和国成立 1949-10-01; 党的十一届三中全会 opened 1978-12-18 (held
#: 18–22 Dec 1978); 党的十八大 opened 2012-11-08 (held 8–14 Nov 2012). A member admitted on the
#: opening day of a meeting counts as "after/since" it.
FOUNDING_OF_PRC = dt.date(1949, 10, 1)
THIRD_PLENUM_11TH = dt.date(1978, 12, 18)
CONGRESS_18TH = dt.date(2012, 11, 8)
JOINING_PERIODS: tuple[tuple[str, dt.date | None, dt.date | None], ...] = (
    ("新中国成立前入党的", None, FOUNDING_OF_PRC),
    ("新中国成立后至党的十一届三中全会前入党的", FOUNDING_OF_PRC, THIRD_PLENUM_11TH),
    ("党的十一届三中全会后至党的十八大前入党的", THIRD_PLENUM_11TH, CONGRESS_18TH),
    ("党的十八大以来入党的", CONGRESS_18TH, None),
)

#: Unit kinds that make a member "rural" (农村党员): the member's branch is set up in a 村.
RURAL_UNIT_KINDS = (UnitKind.VILLAGE,)
#: Unit kinds shown one row each in the breakdown below a node (counties, towns, streets).
BREAKDOWN_UNIT_KINDS = (UnitKind.COUNTY, UnitKind.TOWNSHIP, UnitKind.SUBDISTRICT)
#: Local committees (地方委员会) are not grassroots organizations: committees of a city or county unit.
LOCAL_COMMITTEE_UNIT_KINDS = (UnitKind.CITY, UnitKind.COUNTY)

FIGURE_DEFINITIONS = {
    "city_cadres_55_58": "市管干部：管理权限为市管、在统计日有任职（任职起始日≤统计日<免职日）且职务所在单位属于本范围的干部，"
    "以及在统计日未任职务而有职级（任职级时间≤统计日<免职级时间）且工作单位属于本范围的干部（同一人只计一次）。"
    "55–58周岁：统计日周岁年龄满55周岁、不满58周岁（即55、56、57周岁），与“58周岁及以上”互不重叠。"
    "管理权限按干部现登记的管理权限统计，不随统计日回溯。",
    "city_cadres_58_plus": "58周岁及以上：统计日周岁年龄满58周岁（含58周岁）。分母为本范围全部市管干部。",
    "team_average_age": "领导班子平均年龄：本范围内各领导班子在统计日在任成员周岁年龄之和 ÷ 在任成员人数"
    "（同一人在同一班子任多个职务只计一次；在不同班子任职的分别计入各班子，因此人数可略多于“领导班子”页按人计的合计）。"
    "分子为年龄之和（岁），分母为人数（人）。",
    "rural_members_60_plus": "农村党员：统计日所在党支部设在“村”类单位（不含社区）的党员。60岁及以上：统计日满60周岁（含60周岁）。",
    "rural_members_junior_high": "初中及以下学历：学历代码为初中、小学、其他（GB/T 4658）；未填学历者计入分母、不计入分子。"
    "学历按现登记信息统计，不随统计日回溯。",
}


def years_before(on: dt.date, years: int) -> dt.date:
    """``on`` shifted back ``years`` calendar years; 29 Feb becomes 28 Feb in a common year.

    Someone is at least N full years old on ``on`` exactly when born on or before
    ``years_before(on, N)`` (consistent with ``zugong.core.rules.age_on``).
    """
    try:
        return on.replace(year=on.year - years)
    except ValueError:
        return on.replace(year=on.year - years, day=28)


def age_q(birth_field: str, on: dt.date, lo: int | None = None, hi: int | None = None) -> Q:
    """Q for ``lo ≤ age ≤ hi`` in full years on ``on`` (either bound may be None = open)."""
    q = Q()
    if lo is not None:
        q &= Q(**{f"{birth_field}__lte": years_before(on, lo)})
    if hi is not None:
        q &= Q(**{f"{birth_field}__gt": years_before(on, hi + 1)})
    return q


def percent(numerator: int | float | None, denominator: int | None) -> Decimal | None:
    """numerator / denominator as a percentage rounded half-up to 1 decimal; None when the base is 0."""
    if not denominator or numerator is None:
        return None
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def one_decimal(value) -> Decimal | None:
    """Round half-up to 1 decimal (None stays None)."""
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# --------------------------------------------------------------------------------------------
# Target: scope + optional sub-node + date
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """What a statistic is about.

    ``org_path``: members whose branch path starts with it (always the scope's path or below);
    ``member_unit_path``: when set, members whose branch's unit path also starts with it (a unit
    was chosen); ``cadre_unit_path``: cadres whose post's unit path (a cadre with a 职级 only:
    whose unit's path) starts with it, None = no cadres (an organization without a unit);
    ``unit_path``: the unit node for breakdowns.
    """

    name: str
    on: dt.date
    org_path: str
    member_unit_path: str | None
    cadre_unit_path: str | None
    unit_path: str | None
    org_id: int | None = None
    unit_id: int | None = None
    is_scope_root: bool = True

    @property
    def key(self) -> str:
        """A cache key part that identifies the subtree and the date."""
        return f"{self.org_path}|{self.member_unit_path}|{self.cadre_unit_path}|{self.on.isoformat()}"


def parse_date(raw: str | None) -> dt.date:
    """``YYYY-MM-DD`` → date; today (Asia/Shanghai) when empty; Http404 for garbage."""
    if not raw:
        from django.utils import timezone

        return timezone.localdate()
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise Http404("日期格式应为YYYY-MM-DD") from None


def resolve_target(scope: Scope, *, org_id=None, unit_id=None, on: dt.date | None = None) -> Target:
    """The Target for ``scope`` narrowed to party organization ``org_id`` or unit ``unit_id``.

    Raises Http404 when the node does not exist or lies outside the scope (strangers learn nothing).
    """
    on = on or parse_date(None)
    if org_id not in (None, ""):
        org = party_org_get(scope, org_id)
        unit = org.unit if org.unit_id and org.unit.path.startswith(scope.unit_path) else None
        return Target(
            name=org.name, on=on, org_path=org.path, member_unit_path=None,
            cadre_unit_path=unit.path if unit else None, unit_path=unit.path if unit else None,
            org_id=org.pk, unit_id=unit.pk if unit else None, is_scope_root=org.pk == scope.org_id,
        )
    if unit_id not in (None, ""):
        unit = unit_get(scope, unit_id)
        return Target(
            name=unit.name, on=on, org_path=scope.org_path, member_unit_path=unit.path,
            cadre_unit_path=unit.path, unit_path=unit.path, unit_id=unit.pk,
            is_scope_root=unit.pk == scope.unit_id,
        )
    # a branch secretary's statistics are its branch's (三岔河村党支部), not its village's (三岔河村委会)
    name = scope.org_name if scope.role == Role.BRANCH_SECRETARY else scope.unit_name
    return Target(
        name=name, on=on, org_path=scope.org_path, member_unit_path=None,
        cadre_unit_path=scope.unit_path, unit_path=scope.unit_path, org_id=scope.org_id, unit_id=scope.unit_id,
    )


# --------------------------------------------------------------------------------------------
# Base querysets
# --------------------------------------------------------------------------------------------


def memberships_on(target: Target) -> QuerySet[Affiliation]:
    """Affiliation rows of the members who belong to the target's subtree on ``target.on``."""
    d = target.on
    qs = Affiliation.objects.filter(
        Q(end__isnull=True) | Q(end__gt=d),
        Q(member__left_date__isnull=True) | Q(member__left_date__gt=d),
        start__lte=d,
        member__joined_date__lte=d,
        org__path__startswith=target.org_path,
    )
    if target.member_unit_path is not None:
        qs = qs.filter(org__unit__path__startswith=target.member_unit_path)
    return qs


def appointments_on(target: Target) -> QuerySet[Appointment]:
    """Appointment rows running on ``target.on`` whose post's unit is in the target's subtree."""
    if target.cadre_unit_path is None:
        return Appointment.objects.none()
    d = target.on
    return Appointment.objects.filter(
        Q(end__isnull=True) | Q(end__gt=d), start__lte=d, post__unit__path__startswith=target.cadre_unit_path
    )


def rank_only_on(target: Target) -> QuerySet[CadreRank]:
    """``CadreRank`` rows running on ``target.on`` of cadres who hold no post on that day (no running
    ``Appointment`` anywhere) and whose unit (``Cadre.unit``) is in the target's cadre subtree: the
    cadres with a 职级 only, counted beside :func:`appointments_on` (the two never share a cadre).
    A 职级 is not a 职务 (《公务员职务与职级并行规定》, 2019), so these cadres have no post to place them."""
    if target.cadre_unit_path is None:
        return CadreRank.objects.none()
    d = target.on
    posts = Appointment.objects.filter(Q(end__isnull=True) | Q(end__gt=d), start__lte=d, cadre=OuterRef("cadre"))
    return CadreRank.objects.filter(
        Q(end__isnull=True) | Q(end__gt=d), ~Exists(posts), start__lte=d, cadre__unit__path__startswith=target.cadre_unit_path
    )


def once_per_team_member(appointments: QuerySet[Appointment]) -> QuerySet[Appointment]:
    """Of ``appointments``, those to a post of a team, one row per (team, cadre): the lowest id.

    A cadre holding several posts of one team (e.g. 办事处主任 and 党工委副书记) is one member of
    it, so counting the rows counts persons per team (人) and summing the ages counts each person
    once per team; a cadre in two different teams keeps one row in each. ``appointments`` must
    not refer to an outer query (no ``OuterRef``): it is also the set the duplicates are looked
    up in (an anti-join ``NOT EXISTS`` on the cadre index, the same SQL on SQLite and PostgreSQL);
    narrow the result afterwards, e.g. ``.filter(post__team=OuterRef("pk"))``.
    """
    teams = appointments.filter(post__team__isnull=False)
    earlier = teams.filter(cadre=OuterRef("cadre"), post__team=OuterRef("post__team"), pk__lt=OuterRef("pk"))
    return teams.filter(~Exists(earlier))


def team_memberships_on(target: Target) -> QuerySet[Appointment]:
    """Team membership of the target on its date: ``appointments_on`` to team posts, one row per
    (team, cadre) (:func:`once_per_team_member`)."""
    return once_per_team_member(appointments_on(target))


# --------------------------------------------------------------------------------------------
# Result shapes
# --------------------------------------------------------------------------------------------


@dataclass
class Row:
    """One line of a structure table: label, head count and share of the table's base (percent)."""

    label: str
    count: int
    share: Decimal | None = None
    indent: int = 0


@dataclass
class Section:
    """A structure table: title, base (denominator of the shares) and rows in official order."""

    title: str
    base: int
    rows: list[Row] = field(default_factory=list)

    def add(self, label: str, count: int | None, indent: int = 0) -> None:
        count = int(count or 0)
        self.rows.append(Row(label, count, percent(count, self.base), indent))

    def as_dict(self) -> dict:
        return {"title": self.title, "base": self.base, "rows": [r.__dict__ for r in self.rows]}


# --------------------------------------------------------------------------------------------
# Members
# --------------------------------------------------------------------------------------------

_P = "member__person__"


def _member_aggregates(d: dt.date) -> dict:
    """The conditional aggregates of the member structure, keyed by short names."""
    birth = f"{_P}birth_date"
    agg: dict = {
        "total": Count("id"),
        "full": Count("id", filter=Q(member__confirmed_date__lte=d)),
        "women": Count("id", filter=Q(**{f"{_P}gender": "2"})),
        "minority": Count("id", filter=~Q(**{f"{_P}ethnicity": codes.HAN})),
        "college": Count("id", filter=Q(**{f"{_P}education__in": codes.COLLEGE_OR_ABOVE})),
        "edu_blank": Count("id", filter=Q(**{f"{_P}education": ""})),
    }
    for code, _label in codes.EDUCATION:
        agg[f"edu_{code}"] = Count("id", filter=Q(**{f"{_P}education": code}))
    for i, (_label, lo, hi) in enumerate(MEMBER_AGE_BANDS):
        agg[f"age_{i}"] = Count("id", filter=age_q(birth, d, lo, hi))
    for code, _label in codes.OCCUPATION:
        agg[f"occ_{code}"] = Count("id", filter=Q(member__occupation=code))
    for i, (_label, start, end) in enumerate(JOINING_PERIODS):
        q = Q()
        if start is not None:
            q &= Q(member__joined_date__gte=start)
        if end is not None:
            q &= Q(member__joined_date__lt=end)
        agg[f"join_{i}"] = Count("id", filter=q)
    rural = Q(org__unit__kind__in=RURAL_UNIT_KINDS)
    agg["rural"] = Count("id", filter=rural)
    agg["rural_60"] = Count("id", filter=rural & age_q(birth, d, 60, None))
    agg["rural_jh"] = Count("id", filter=rural & Q(**{f"{_P}education__in": codes.JUNIOR_HIGH_OR_BELOW}))
    return agg


def admissions_in_year(target: Target) -> QuerySet[Affiliation]:
    """今年发展党员 of the target: the members admitted (入党时间) from 1 January of ``target.on``'s
    year up to that date by a branch of the target, one 组织关系 row each — the one running on the
    day of admission. A flow, as 党内统计 counts 发展党员 by the admitting organization: a member
    admitted here and since transferred away or left still counts here, one admitted elsewhere and
    transferred in does not (its first 组织关系 here begins after its 入党时间)."""
    d = target.on
    joined = F("member__joined_date")
    qs = Affiliation.objects.filter(
        Q(end__isnull=True) | Q(end__gt=joined),
        start__lte=joined,
        member__joined_date__gte=dt.date(d.year, 1, 1),
        member__joined_date__lte=d,
        org__path__startswith=target.org_path,
    )
    if target.member_unit_path is not None:
        qs = qs.filter(org__unit__path__startswith=target.member_unit_path)
    return qs


def member_counts(target: Target) -> dict[str, int]:
    """Raw counts of the member structure of ``target`` on its date: one SQL query over the
    members, and one over the year's admissions (``new_this_year``, :func:`admissions_in_year`).

    Keys: total, full, women, minority, college, new_this_year, edu_<code>, edu_blank, age_<i>
    (MEMBER_AGE_BANDS index), occ_<code>, join_<i> (JOINING_PERIODS index), rural, rural_60, rural_jh.
    """
    row = memberships_on(target).aggregate(**_member_aggregates(target.on))
    row["new_this_year"] = admissions_in_year(target).count()
    return _finish_counts(row)


def _finish_counts(row: dict) -> dict[str, int]:
    row = {k: int(v or 0) for k, v in row.items()}
    row["probationary"] = row["total"] - row["full"]
    return row


def member_counts_by_child(target: Target) -> tuple[dict[str, int], dict[str, dict[str, int]]]:
    """``member_counts`` of the target and of each breakdown child, from ONE scan of the members.

    Returns (totals, {child unit path: counts}). Members are attributed to the child whose unit
    subtree holds their branch's unit (GROUP BY the unit-path prefix of the children's width);
    the totals add up every group, including members outside any child (e.g. city organs).
    """
    children = breakdown_units(target)
    if not children:
        return member_counts(target), {}
    width = len(children[0].path)
    agg = _member_aggregates(target.on)
    rows = list(
        memberships_on(target).annotate(k=Substr("org__unit__path", 1, width)).order_by().values("k").annotate(**agg)
    )
    admitted = dict(
        admissions_in_year(target).annotate(k=Substr("org__unit__path", 1, width)).order_by().values("k")
        .annotate(n=Count("id")).values_list("k", "n")
    )  # fmt: skip
    totals = {name: sum(int(r[name] or 0) for r in rows) for name in agg}
    totals["new_this_year"] = sum(admitted.values())
    wanted = {c.path for c in children}
    by_child = {
        r["k"]: _finish_counts({**{name: r[name] for name in agg}, "new_this_year": admitted.get(r["k"], 0)})
        for r in rows if r["k"] in wanted
    }  # fmt: skip
    return _finish_counts(totals), by_child


def member_sections(counts: dict[str, int], year: int) -> dict[str, Section]:
    """The member structure tables in the bulletin's order and labels, from ``member_counts`` of a
    date in ``year`` (the admissions row reads "<year>年发展党员", as the bulletin and the dashboard
    do, so that a table as of a past date does not say 今年).

    Keys: basic (总数, 正式/预备, 女, 少数民族, 大专及以上, 发展党员), education, age, occupation, joining.
    """
    total = counts["total"]
    basic = Section("党员基本情况", total)
    basic.add("党员总数", total)
    basic.add("正式党员", counts["full"], 1)
    basic.add("预备党员", counts["probationary"], 1)
    basic.add("女党员", counts["women"])
    basic.add("少数民族党员", counts["minority"])
    basic.add("大专及以上学历", counts["college"])
    basic.add(f"{year}年发展党员", counts["new_this_year"])
    edu = Section("学历", total)
    for code, label in codes.EDUCATION:
        edu.add(label, counts[f"edu_{code}"])
    if counts["edu_blank"]:
        edu.add("未填写", counts["edu_blank"])
    age = Section("年龄", total)
    for i, (label, _lo, _hi) in enumerate(MEMBER_AGE_BANDS):
        age.add(label, counts[f"age_{i}"])
    occ = Section("职业", total)
    for code, label in codes.OCCUPATION:
        occ.add(label, counts[f"occ_{code}"])
    join = Section("入党时间", total)
    for i, (label, _s, _e) in enumerate(JOINING_PERIODS):
        join.add(label, counts[f"join_{i}"])
    return {"basic": basic, "education": edu, "age": age, "occupation": occ, "joining": join}


# --------------------------------------------------------------------------------------------
# Organizations
# --------------------------------------------------------------------------------------------


def grassroots_orgs(target: Target) -> QuerySet[PartyOrganization]:
    """Grassroots organizations of the target on its date (GRASSROOTS_GROUPS kinds, established ≤ date).

    Committees of a city or county unit are local committees (地方委员会), not grassroots, and
    are left out; so are the working committees of a city or county unit (直属机关工委, 两新工委:
    派出机关 of the local committee, not grassroots organizations), unlike a 街道党工委, whose unit
    is the 街道.
    """
    kinds = [k for _label, group in GRASSROOTS_GROUPS for k in group]
    qs = PartyOrganization.objects.filter(path__startswith=target.org_path, kind__in=kinds).filter(
        Q(established__isnull=True) | Q(established__lte=target.on)
    )
    qs = qs.exclude(kind__in=(OrgKind.COMMITTEE, OrgKind.WORKING_COMMITTEE), unit__kind__in=LOCAL_COMMITTEE_UNIT_KINDS)
    if target.member_unit_path is not None:
        qs = qs.filter(unit__path__startswith=target.member_unit_path)
    return qs


def org_sections(target: Target) -> dict[str, Section]:
    """基层党组织 by kind (基层党委, 总支部, 支部; one query) and by unit kind (one GROUP BY)."""
    qs = grassroots_orgs(target)
    agg = {"total": Count("id")}
    for i, (_label, kinds) in enumerate(GRASSROOTS_GROUPS):
        agg[f"g{i}"] = Count("id", filter=Q(kind__in=kinds))
    row = qs.aggregate(**agg)
    by_kind = Section("基层党组织", row["total"])
    by_kind.add("基层党组织总数", row["total"])
    for i, (label, _kinds) in enumerate(GRASSROOTS_GROUPS):
        by_kind.add(label, row[f"g{i}"], 1)
    grouped = {r["unit__kind"]: r["n"] for r in qs.order_by().values("unit__kind").annotate(n=Count("id"))}
    by_unit = Section("按单位类别", row["total"])
    for kind, label in UnitKind.choices:
        if grouped.get(kind):
            by_unit.add(label, grouped[kind])
    if grouped.get(None):
        by_unit.add("未关联单位", grouped[None])
    return {"by_kind": by_kind, "by_unit": by_unit}


# --------------------------------------------------------------------------------------------
# Cadres
# --------------------------------------------------------------------------------------------

_B = "cadre__person__birth_date"


def cadre_counts(target: Target) -> dict[str, dict[str, int]]:
    """Cadres on the target's date by management level: {level: {total, age_<i>, age_55_58, age_58_plus}}
    (head counts); two GROUP BY queries, one over running appointments and one over the cadres with a
    职级 only (:func:`rank_only_on`), added up (they share no cadre).

    Distinct cadres (a cadre with several running posts counts once); ``age_<i>`` indexes
    CADRE_AGE_BANDS; level keys 'city', 'county' and 'all'.
    """
    d = target.on
    agg: dict = {"total": Count("cadre", distinct=True)}
    for i, (_label, lo, hi) in enumerate(CADRE_AGE_BANDS):
        agg[f"age_{i}"] = Count("cadre", distinct=True, filter=age_q(_B, d, lo, hi))
    agg["age_55_58"] = Count("cadre", distinct=True, filter=age_q(_B, d, 55, 57))
    agg["age_58_plus"] = Count("cadre", distinct=True, filter=age_q(_B, d, 58, None))
    out: dict[str, dict[str, int]] = {}
    for level, _label in ManagementLevel.choices:
        out[level] = {k: 0 for k in agg}
    for qs in (appointments_on(target), rank_only_on(target)):
        for r in qs.order_by().values("cadre__management_level").annotate(**agg):
            level = r.pop("cadre__management_level")
            out[level] = {k: out[level][k] + int(v or 0) for k, v in r.items()}
    out["all"] = {k: sum(out[lvl][k] for lvl, _ in ManagementLevel.choices) for k in agg}
    return out


def cadre_section(counts: dict[str, dict[str, int]]) -> list[dict]:
    """Cadre age structure rows per management level: [{level, label, total, bands: [Row]}]."""
    out = []
    for level, label in (*ManagementLevel.choices, ("all", "合计")):
        c = counts[level]
        bands = [Row(b, c[f"age_{i}"], percent(c[f"age_{i}"], c["total"])) for i, (b, _l, _h) in enumerate(CADRE_AGE_BANDS)]
        out.append({"level": level, "label": label, "total": c["total"], "bands": bands})
    return out


def team_ages(target: Target, *, order: str = "-avg") -> list[dict]:
    """Average age of each leadership team of the target on its date; one GROUP BY.

    Returns [{id, name, management_level, unit_path, size, age_sum, avg}], one per team with a
    member: ``size`` (int, 人) the distinct cadres holding a running appointment to a post of the
    team on the date (a cadre with two posts of the team counts once), ``age_sum`` (int, 岁) the
    sum of their full-year ages (周岁), each member once, ``avg`` = age_sum ÷ size as Decimal
    years to 1 decimal. ``order``: avg, -avg, size, -size, name.
    """
    d = target.on
    rows = (
        team_memberships_on(target)
        .order_by()
        .values("post__team", "post__team__name", "post__team__management_level", "post__team__unit__path")
        .annotate(size=Count("id"), age_sum=Sum(age_expr(_B, d)))
    )
    out = [
        {
            "id": r["post__team"],
            "name": r["post__team__name"],
            "management_level": r["post__team__management_level"],
            "unit_path": r["post__team__unit__path"],
            "size": r["size"],
            "age_sum": int(r["age_sum"] or 0),
            "avg": one_decimal(r["age_sum"] / r["size"]) if r["size"] else None,
        }
        for r in rows
    ]
    keys = {
        "avg": lambda t: (t["avg"], t["name"]),
        "size": lambda t: (t["size"], t["name"]),
        "name": lambda t: (t["unit_path"], t["name"]),
    }
    out.sort(key=keys.get(order.lstrip("-"), keys["avg"]), reverse=order.startswith("-"))
    return out


def team_age_total(target: Target) -> dict[str, int]:
    """Pooled team membership of the target on its date, summed over its teams; one query.

    Returns {'size': int, 人, 'age_sum': int, 岁}: ``size`` the team members counted once per
    team (the sum of the ``team_ages`` sizes: a cadre with two posts in one team counts once, a
    cadre in two different teams counts once in each, as a member of each), ``age_sum`` the sum
    of their full-year ages (周岁) counted the same way. age_sum ÷ size is the 领导班子平均年龄.
    """
    row = (
        team_memberships_on(target)
        .aggregate(size=Count("id"), age_sum=Sum(age_expr(_B, target.on)))
    )
    return {"size": int(row["size"] or 0), "age_sum": int(row["age_sum"] or 0)}


# --------------------------------------------------------------------------------------------
# The speech figures
# --------------------------------------------------------------------------------------------


@dataclass
class Figure:
    """One figure a speech quotes: numerator, denominator and the value (percent, or years for ages)."""

    key: str
    label: str
    numerator: int
    denominator: int
    value: Decimal | None
    unit: str  # "%" or "岁"
    definition: str

    def sentence(self, where: str) -> str:
        """E.g. '全市55–58周岁的市管干部占12.3%（45/366）'."""
        value = "—" if self.value is None else f"{self.value}{self.unit}"
        verb = "为" if self.unit == "岁" else "占"
        return f"{where}{self.label}{verb}{value}（{self.numerator}/{self.denominator}）"

    def as_dict(self) -> dict:
        return {
            "key": self.key, "label": self.label, "numerator": self.numerator,
            "denominator": self.denominator, "value": self.value, "unit": self.unit,
            "definition": self.definition,
        }


FIGURE_LABELS = (
    ("city_cadres_55_58", "55–58周岁的市管干部", "%"),
    ("city_cadres_58_plus", "58周岁及以上的市管干部", "%"),
    ("team_average_age", "领导班子平均年龄", "岁"),
    ("rural_members_60_plus", "农村党员中60岁及以上的", "%"),
    ("rural_members_junior_high", "农村党员中初中及以下学历的", "%"),
)


def figures_from(members: dict[str, int], cadres: dict[str, dict[str, int]], teams: dict[str, int]) -> list[Figure]:
    """The five speech figures from ``member_counts``, ``cadre_counts`` and ``team_age_total`` results."""
    city = cadres["city"]
    pairs = {
        "city_cadres_55_58": (city["age_55_58"], city["total"]),
        "city_cadres_58_plus": (city["age_58_plus"], city["total"]),
        "team_average_age": (teams["age_sum"], teams["size"]),
        "rural_members_60_plus": (members["rural_60"], members["rural"]),
        "rural_members_junior_high": (members["rural_jh"], members["rural"]),
    }
    out = []
    for key, label, unit in FIGURE_LABELS:
        num, den = pairs[key]
        value = one_decimal(num / den) if unit == "岁" and den else percent(num, den)
        out.append(Figure(key, label, num, den, value, unit, FIGURE_DEFINITIONS[key]))
    return out


def figures(target: Target) -> list[Figure]:
    """The five speech figures of ``target`` on its date (three SQL queries)."""
    return figures_from(member_counts(target), cadre_counts(target), team_age_total(target))


def breakdown_units(target: Target) -> list[Unit]:
    """Child units of the target shown one row each (counties of a city, towns/streets of a county)."""
    if target.unit_path is None:
        return []
    return list(
        Unit.objects.filter(
            path__startswith=target.unit_path, depth=len(target.unit_path) // STEP + 1, kind__in=BREAKDOWN_UNIT_KINDS
        ).order_by("path")
    )


def figures_by_child(target: Target, members: dict[str, dict[str, int]] | None = None) -> list[dict]:
    """The speech figures for each child unit of the target (e.g. each county).

    ``members`` is the per-child part of ``member_counts_by_child`` when the caller has it
    already (the dashboard does: one member scan for everything); otherwise it is computed.
    Cadres take 2 GROUP BY queries (posts, 职级 only), teams 1. Members are attributed to the child whose subtree
    holds their branch's unit; cadres to the child holding their post's unit; team members (each
    once per team, like ``team_age_total``) to the child holding the unit of their post; cadres with a
    职级 only (:func:`rank_only_on`) to the child holding their unit.
    Returns [{unit, figures: [Figure]}] in tree order.
    """
    children = breakdown_units(target)
    if not children:
        return []
    if members is None:
        members = member_counts_by_child(target)[1]
    d = target.on
    width = len(children[0].path)
    paths = [c.path for c in children]
    cadres: dict[str, dict[str, int]] = {}
    for qs, unit_path in ((appointments_on(target), "post__unit__path"), (rank_only_on(target), "cadre__unit__path")):
        rows = (
            qs.filter(cadre__management_level=ManagementLevel.CITY)
            .annotate(k=Substr(unit_path, 1, width))
            .filter(k__in=paths)
            .order_by()
            .values("k")
            .annotate(
                total=Count("cadre", distinct=True),
                age_55_58=Count("cadre", distinct=True, filter=age_q(_B, d, 55, 57)),
                age_58_plus=Count("cadre", distinct=True, filter=age_q(_B, d, 58, None)),
            )
        )
        for r in rows:
            had = cadres.get(r["k"], {})
            cadres[r["k"]] = {n: had.get(n, 0) + int(r[n] or 0) for n in ("total", "age_55_58", "age_58_plus")}
    team_rows = (
        team_memberships_on(target)
        .annotate(k=Substr("post__unit__path", 1, width))
        .filter(k__in=paths)
        .order_by()
        .values("k")
        .annotate(size=Count("id"), age_sum=Sum(age_expr(_B, d)))
    )
    teams = {r["k"]: r for r in team_rows}
    zero_m = {"rural": 0, "rural_60": 0, "rural_jh": 0}
    zero_c = {"total": 0, "age_55_58": 0, "age_58_plus": 0}
    out = []
    for child in children:
        c = cadres.get(child.path, zero_c)
        t = teams.get(child.path, {"size": 0, "age_sum": 0})
        figs = figures_from(
            members.get(child.path, zero_m),
            {"city": c},
            {"size": int(t["size"] or 0), "age_sum": int(t["age_sum"] or 0)},
        )
        out.append({"unit": child, "figures": figs})
    return out
