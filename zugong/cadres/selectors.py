"""Reads of cadres and leadership teams, scoped to the acting user's unit subtree (DESIGN.md, decision 1).

A cadre is in scope when its unit (``Cadre.unit``, the unit of the main post) lies in the user's
unit subtree; a leadership team when its unit does. Getters raise Http404 outside the subtree.
Ages are full years (周岁) computed in the database so that team figures are one GROUP BY query.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import (
    Avg,
    Case,
    Count,
    Exists,
    F,
    FloatField,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.http import Http404
from django.utils import timezone

from zugong.cadres import rules
from zugong.cadres.models import Appointment, Cadre, LeadershipTeam, ManagementLevel
from zugong.core import codes
from zugong.core.dbfunctions import age_expr
from zugong.core.models import Role
from zugong.core.rules import age_on
from zugong.core.scope import Scope
from zugong.members.selectors import search_condition, years_before
from zugong.orgs.selectors import unit_get

PAGE_SIZE = 50
#: 年轻干部 threshold used on the teams page: under 40 full years.
YOUNG_AGE = 40


#: 在职状态 of the 干部名册: '' the cadres holding a post or a 职级 today (the default), 'former' those
#: holding neither (免职 without a new post, retired), 'all'.
STATUS_CHOICES = [("", "现职干部"), ("former", "已离任"), ("all", "全部")]


@dataclass(frozen=True)
class CadreFilters:
    """Filters of the 干部名册 (optional): ``q`` search like the member list, ``management_level``
    (市管/县管), ``post_level`` (GB/T 12407 code), ``unit`` (unit id, its subtree), ``status``
    (:data:`STATUS_CHOICES`: by default the cadres holding a post or a 职级 today)."""

    q: str = ""
    management_level: str = ""
    post_level: str = ""
    unit: int | None = None
    status: str = ""

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> CadreFilters:
        """Build filters from a query string; unknown codes are ignored."""
        level = (params.get("management_level") or "").strip()
        post = (params.get("post_level") or "").strip()
        try:
            unit = int(params.get("unit") or "") or None
        except ValueError:
            unit = None
        return cls(
            q=(params.get("q") or "").strip()[:60],
            management_level=level if level in ManagementLevel.values else "",
            post_level=post if post in dict(codes.POST_LEVEL) else "",
            unit=unit,
            status=status if (status := (params.get("status") or "").strip()) in dict(STATUS_CHOICES) else "",
        )


def cadres_in_scope(scope: Scope) -> QuerySet[Cadre]:
    """Cadres whose unit lies in the scope's unit subtree."""
    return Cadre.objects.filter(unit__path__startswith=scope.unit_path)


def current_appointments() -> Prefetch:
    """Prefetch of each cadre's current appointments (main posts first) as ``current``."""
    qs = Appointment.objects.filter(end__isnull=True).select_related("post", "post__unit").order_by("is_concurrent", "start", "id")
    return Prefetch("appointments", queryset=qs, to_attr="current")


def cadres_search(scope: Scope, filters: CadreFilters) -> QuerySet[Cadre]:
    """Cadres in scope matching ``filters`` (by default the 现职: :func:`holds_post_or_rank_on` today),
    sorted by 姓氏笔画, with Person, unit and current posts.

    Each row has ``current`` (list of current Appointments, main post first). Raises Http404 when
    ``filters.unit`` is outside the scope.
    """
    qs = cadres_in_scope(scope)
    if filters.unit is not None:
        qs = qs.filter(unit__path__startswith=unit_get(scope, filters.unit).path)
    cond = search_condition(filters.q, "person__")
    if cond is not None:
        qs = qs.filter(cond)
    if filters.management_level:
        qs = qs.filter(management_level=filters.management_level)
    if filters.post_level:
        qs = qs.filter(post_level=filters.post_level)
    if filters.status != "all":
        holds = holds_post_or_rank_on(dt.date.today())
        qs = qs.filter(~holds if filters.status == "former" else holds)
    return (
        qs.select_related("person", "unit")
        .prefetch_related(current_appointments())
        .order_by("person__stroke_key", "person__name", "id")
    )


def cadre_rows_with_age(cadres, on: dt.date | None = None):
    """Set ``age`` (周岁 on ``on``, default today) on each cadre of an already fetched page; returns it."""
    on = on or dt.date.today()
    for c in cadres:
        c.age = age_on(c.person.birth_date, on)
    return cadres


def with_rank_labels(cadres, on: dt.date | None = None):
    """Set ``rank_label`` on each cadre of an already fetched page: the name of the 职级 (``CadreRank``)
    it holds on ``on`` (default today), the latest begun when several run, '' when none; one query.
    Returns ``cadres``."""
    from zugong.cadres.models import CadreRank

    on = on or dt.date.today()
    held: dict[int, str] = {}
    rows = (CadreRank.objects.filter(running_on(on), cadre__in=[c.pk for c in cadres])
            .order_by("cadre_id", "start", "id").values_list("cadre_id", "rank"))  # fmt: skip
    for cadre_id, rank in rows:
        held[cadre_id] = rank  # the latest begun wins
    for c in cadres:
        c.rank_label = rules.RANK_LABELS.get(held.get(c.pk, ""), "")
    return cadres


def running_ranks(on: dt.date | None = None) -> Prefetch:
    """Prefetch of each cadre's 职级 (``CadreRank``) running on ``on`` (default today) as ``running_ranks``:
    a list oldest begun first, so that ``held_rank`` (the latest begun wins, as ``with_rank_labels``)
    reads its last. One query for all cadres fetched."""
    from zugong.cadres.models import CadreRank

    qs = CadreRank.objects.filter(running_on(on or dt.date.today())).order_by("start", "id")
    return Prefetch("ranks", queryset=qs, to_attr="running_ranks")


def held_rank(cadre: Cadre):
    """The 职级 the cadre holds (a ``CadreRank``; the latest begun when several run), or None, from the
    ``running_ranks`` prefetch (``running_ranks()``; AttributeError without it)."""
    return cadre.running_ranks[-1] if cadre.running_ranks else None


def member_average_age(appointments: QuerySet[Appointment], on: dt.date) -> Subquery:
    """Subquery for a LeadershipTeam queryset: the average 周岁 age on ``on`` (float years, NULL
    without members) of the team's members among ``appointments``, each cadre once per team.

    ``appointments`` (no ``OuterRef``) says which appointments make a member (current ones, or
    running on a date); a cadre holding two posts of the team counts once
    (``stats.selectors.once_per_team_member``), so the average matches the distinct ``size``.
    """
    from zugong.stats.selectors import once_per_team_member

    rows = (
        once_per_team_member(appointments)
        .filter(post__team=OuterRef("pk"))
        .order_by()
        .values("post__team")
        .annotate(avg=Avg(age_expr("cadre__person__birth_date", on)))
        .values("avg")
    )
    return Subquery(rows, output_field=FloatField())


def teams_in_scope(scope: Scope) -> QuerySet[LeadershipTeam]:
    """Leadership teams whose unit lies in the scope's unit subtree, in tree order."""
    return LeadershipTeam.objects.filter(unit__path__startswith=scope.unit_path).select_related("unit")


def teams_with_figures(scope: Scope, on: dt.date | None = None) -> QuerySet[LeadershipTeam]:
    """Teams in scope, each annotated (one GROUP BY query over current appointments) with:

    ``size`` (int, distinct cadres holding a current post of the team), ``avg_age`` (float years
    or None: the average 周岁 on ``on`` of those same cadres, each once, one correlated subquery),
    ``women``, ``young`` (under :data:`YOUNG_AGE`), ``youngest_birth`` / ``oldest_birth``
    (dates; the youngest and oldest member's birth dates).
    """
    on = on or dt.date.today()
    current = Q(posts__appointments__end__isnull=True)
    birth = "posts__appointments__cadre__person__birth_date"
    return (
        teams_in_scope(scope)
        .annotate(
            size=Count("posts__appointments__cadre", filter=current, distinct=True),
            avg_age=member_average_age(Appointment.objects.filter(end__isnull=True), on),
            women=Count("posts__appointments__cadre", filter=current & Q(posts__appointments__cadre__person__gender="2"), distinct=True),
            young=Count("posts__appointments__cadre", filter=current & Q(**{f"{birth}__gt": years_before(on, YOUNG_AGE)}), distinct=True),
            youngest_birth=Max(birth, filter=current),
            oldest_birth=Min(birth, filter=current),
        )
        .order_by("unit__path", "id")
    )


def team_get(scope: Scope, team_id: int) -> LeadershipTeam:
    """The team ``team_id`` if its unit lies in the scope; Http404 otherwise."""
    try:
        return teams_in_scope(scope).get(pk=team_id)
    except (LeadershipTeam.DoesNotExist, ValueError, TypeError):
        raise Http404("领导班子不存在或不在管理范围内") from None


def team_members(team: LeadershipTeam, on: dt.date | None = None) -> QuerySet[Appointment]:
    """Current appointments to posts of ``team`` in post order, with cadre, person and ``age`` (周岁)."""
    on = on or dt.date.today()
    return (
        Appointment.objects.filter(post__team=team, end__isnull=True)
        .select_related("post", "cadre", "cadre__person")
        .annotate(age=age_expr("cadre__person__birth_date", on))
        .order_by("post__sort", "post_id", F("cadre__person__stroke_key").asc(), "id")
    )


# ------------------------------------------------------------------------------------------------
# Team structure as of a date (issue 4 §1): one GROUP BY per question, thresholds from data
# ------------------------------------------------------------------------------------------------
def young_thresholds() -> dict[str, int]:
    """{职务级别 code: highest full-year age that counts as 年轻干部} (YoungThreshold rows)."""
    from zugong.cadres.models import YoungThreshold

    return dict(YoungThreshold.objects.values_list("post_level", "max_age"))


def young_q(on: dt.date, birth: str, level: str, thresholds: dict[str, int] | None = None) -> Q:
    """Q: the person born at ``birth`` is young on ``on`` for the 职务级别 at ``level`` (age ≤ threshold)."""
    from zugong.stats.selectors import age_q

    thresholds = young_thresholds() if thresholds is None else thresholds
    q = Q(pk__in=[])
    for code, age in thresholds.items():
        q |= Q(**{level: code}) & age_q(birth, on, hi=age)
    return q


def holds_post_or_rank_on(on: dt.date, *, since: dt.date | None = None) -> Q:
    """Condition on Cadre: holds a post (``Appointment``) or a 职级 (``CadreRank``) running on ``on`` — a
    现职 cadre, as the statistics count cadres on a date (``stats.selectors.appointments_on``,
    ``rank_only_on``); with ``since`` (a day ≤ ``on``), running on some day from ``since`` to ``on``
    (begun by ``on``, not ended by ``since``). Two EXISTS on the cadre indexes."""
    from zugong.cadres.models import CadreRank

    posts = Appointment.objects.filter(running_on(on, since=since), cadre=OuterRef("pk"))
    ranks = CadreRank.objects.filter(running_on(on, since=since), cadre=OuterRef("pk"))
    return Q(Exists(posts)) | Q(Exists(ranks))


def running_on(on: dt.date, prefix: str = "", since: dt.date | None = None) -> Q:
    """Condition on dated rows (``Appointment``, ``CadreRank``: ``start`` ≤ day < ``end``, ``end`` NULL while
    running; fields under ``prefix``, e.g. ``"appointments__"``): running on ``on`` — or, with ``since`` (a
    day ≤ ``on``), on some day from ``since`` to ``on``. The one spelling of "running on a date" for the
    cadre records (DESIGN.md decision 2: facts are dated)."""
    return Q(**{f"{prefix}start__lte": on}) & (Q(**{f"{prefix}end__isnull": True}) | Q(**{f"{prefix}end__gt": since or on}))


def team_structure(scope: Scope, on: dt.date, *, unit_path: str | None = None) -> QuerySet[LeadershipTeam]:
    """Teams in scope (optionally below ``unit_path``) annotated with their structure on ``on``.

    Members are cadres with an appointment to a post of the team running on ``on`` (start ≤ on <
    end). Annotations: ``size`` (int, distinct cadres), ``avg_age`` (float years or None: average
    周岁 of those cadres, each once however many posts of the team he holds, like the statistics'
    领导班子平均年龄),
    ``band_<i>`` per ``stats.selectors.CADRE_AGE_BANDS``, ``young`` (age ≤ YoungThreshold of the
    post's 职务级别), ``women``, ``non_party``, ``graduate`` (研究生), ``bachelor`` (大学本科),
    ``chief_holders`` / ``deputy_holders`` (x1 / x2 post levels), ``chief_quota`` / ``deputy_quota``
    (PostQuota or None) and ``vacant_posts`` (posts of the team nobody holds on ``on``).
    """
    from django.db.models import Exists, OuterRef, Subquery
    from django.db.models.functions import Coalesce

    from zugong.cadres.models import Post, PostQuota
    from zugong.stats.selectors import CADRE_AGE_BANDS, age_q

    a = "posts__appointments__"
    birth = f"{a}cadre__person__birth_date"
    run = running_on(on, a)
    who = f"{a}cadre"
    qs = teams_in_scope(scope)
    if unit_path:
        qs = qs.filter(unit__path__startswith=unit_path)
    bands = {f"band_{i}": Count(who, filter=run & age_q(birth, on, lo, hi), distinct=True) for i, (_, lo, hi) in enumerate(CADRE_AGE_BANDS)}
    quota = lambda kind: Subquery(PostQuota.objects.filter(team=OuterRef("pk"), kind=kind).values("number")[:1])  # noqa: E731
    held = Appointment.objects.filter(running_on(on), post=OuterRef("pk"))
    vacant = (Post.objects.filter(team=OuterRef("pk")).exclude(Exists(held)).order_by().values("team")
              .annotate(n=Count("pk")).values("n"))  # fmt: skip
    return qs.annotate(
        size=Count(who, filter=run, distinct=True),
        avg_age=member_average_age(Appointment.objects.filter(running_on(on)), on),
        young=Count(who, filter=run & young_q(on, birth, "posts__post_level"), distinct=True),
        women=Count(who, filter=run & Q(**{f"{a}cadre__person__gender": "2"}), distinct=True),
        non_party=Count(who, filter=run & Q(**{f"{a}cadre__is_party_member": False}), distinct=True),
        graduate=Count(who, filter=run & Q(**{f"{a}cadre__person__education": "10"}), distinct=True),
        bachelor=Count(who, filter=run & Q(**{f"{a}cadre__person__education": "20"}), distinct=True),
        chief_holders=Count(who, filter=run & Q(posts__post_level__endswith="1"), distinct=True),
        deputy_holders=Count(who, filter=run & Q(posts__post_level__endswith="2"), distinct=True),
        chief_quota=quota("chief"),
        deputy_quota=quota("deputy"),
        vacant_posts=Coalesce(Subquery(vacant), 0),
        **bands,
    ).order_by("unit__path", "id")


def structure_totals(scope: Scope, on: dt.date, *, unit_path: str | None = None) -> dict:
    """Distinct team members of all teams in scope (below ``unit_path``) on ``on``: one aggregate query.

    Keys: ``size``, ``avg_age``, ``young``, ``women``, ``non_party``, ``graduate``, ``bachelor`` and
    ``bands`` [(label, count)] per CADRE_AGE_BANDS. A cadre in several teams counts once; young
    when young for the level of any team post he holds.
    """
    from django.db.models import Exists, OuterRef

    from zugong.stats.selectors import CADRE_AGE_BANDS, age_q

    path = unit_path or scope.unit_path
    appts = Appointment.objects.filter(running_on(on), post__team__isnull=False, post__unit__path__startswith=path,
                                       cadre=OuterRef("pk"))  # fmt: skip
    young_appts = appts.filter(young_q(on, "cadre__person__birth_date", "post__post_level"))
    birth = "person__birth_date"
    qs = Cadre.objects.filter(Exists(appts), unit__path__startswith=scope.unit_path).annotate(is_young=Exists(young_appts))
    agg = qs.aggregate(
        size=Count("pk"),
        avg_age=Avg(age_expr(birth, on)),
        young=Count("pk", filter=Q(is_young=True)),
        women=Count("pk", filter=Q(person__gender="2")),
        non_party=Count("pk", filter=Q(is_party_member=False)),
        graduate=Count("pk", filter=Q(person__education="10")),
        bachelor=Count("pk", filter=Q(person__education="20")),
        **{f"band_{i}": Count("pk", filter=age_q(birth, on, lo, hi)) for i, (_, lo, hi) in enumerate(CADRE_AGE_BANDS)},
    )
    agg["bands"] = [(label, agg.pop(f"band_{i}")) for i, (label, _, _) in enumerate(CADRE_AGE_BANDS)]
    return agg


def teams_with_gaps(scope: Scope, on: dt.date, *, unit_path: str | None = None) -> QuerySet[LeadershipTeam]:
    """The "缺配年轻干部" list: teams (with members) lacking a young cadre or a woman, or with a post
    unfilled (正职/副职 below the quota, or a post of the team nobody holds), annotated like
    :func:`team_structure`."""
    rows = team_structure(scope, on, unit_path=unit_path).filter(size__gt=0)
    return rows.filter(
        Q(young=0) | Q(women=0) | Q(vacant_posts__gt=0)
        | Q(chief_holders__lt=F("chief_quota")) | Q(deputy_holders__lt=F("deputy_quota"))
    )


def gap_reasons(team) -> list[str]:
    """Chinese labels of what an annotated team lacks (see :func:`teams_with_gaps`)."""
    out = []
    if team.young == 0:
        out.append("缺年轻干部")
    if team.women == 0:
        out.append("缺女干部")
    if team.chief_quota is not None and team.chief_holders < team.chief_quota:
        out.append(f"正职缺{team.chief_quota - team.chief_holders}名")
    if team.deputy_quota is not None and team.deputy_holders < team.deputy_quota:
        out.append(f"副职缺{team.deputy_quota - team.deputy_holders}名")
    if team.vacant_posts:
        out.append(f"{team.vacant_posts}个职务空缺")
    return out


def team_members_on(team: LeadershipTeam, on: dt.date) -> QuerySet[Appointment]:
    """Appointments to posts of ``team`` running on ``on``, in post order, with ``age`` (周岁 on ``on``)
    and ``rank_label`` (the cadre's 职级 running on ``on``, '' when none)."""
    from django.db.models import OuterRef, Subquery

    from zugong.cadres.models import CadreRank

    rank = CadreRank.objects.filter(running_on(on), cadre=OuterRef("cadre")).order_by("-start").values("rank")[:1]
    return (
        Appointment.objects.filter(running_on(on), post__team=team)
        .select_related("post", "cadre", "cadre__person")
        .annotate(age=age_expr("cadre__person__birth_date", on), rank=Subquery(rank))
        .order_by("post__sort", "post_id", F("cadre__person__stroke_key").asc(), "id")
    )


#: How many cadres the 任职 picker lists for one search; more matches ask for more characters.
CANDIDATE_LIMIT = 20


def manageable_cadres(scope: Scope) -> QuerySet[Cadre]:
    """Cadres ``scope`` may write (``access.may_manage`` as one condition): in the scope's subtree, an
    administrator's, and 市管 cadres only for the city administrator. None for read-only roles."""
    if not scope.is_admin:
        return Cadre.objects.none()
    qs = cadres_in_scope(scope)
    return qs if scope.role == Role.CITY_ADMIN else qs.exclude(management_level=ManagementLevel.CITY)


def workplace_and_post(cadre: Cadre) -> str:
    """现工作单位及职务 of a cadre fetched with ``current`` (:func:`current_appointments`): the unit and
    title of the main current post as written ("孙岗镇党委委员、政法委员", "金安区委书记": ``Post.written_name``);
    without a post, the unit and the 职级 set by :func:`with_rank_labels` ("六安市财政局二级调研员", as the
    任免审批表 writes it), else the cadre's unit alone."""
    from zugong.cadres.selectors_record import post_name

    current = getattr(cadre, "current", None) or []
    if not current:
        rank = getattr(cadre, "rank_label", "")
        return post_name(cadre.unit.name, rank) if rank else cadre.unit.name
    return current[0].post.written_name


def team_candidates(scope: Scope, team: LeadershipTeam, q: str, limit: int = CANDIDATE_LIMIT) -> tuple[list[Cadre], bool]:
    """Cadres to appoint to a post of ``team`` matching the search text ``q``, at most ``limit``.

    ``q`` is read by ``members.selectors.search_condition`` (姓名 contains, pinyin initials, an exact
    身份证号 through the blind index); empty text finds nobody. Only cadres the scope may write
    (:func:`manageable_cadres`): those named exactly ``q`` first, then those holding a post or 职级
    today (:func:`holds_post_or_rank_on`) before former cadres, then those of the team's unit subtree,
    then 姓氏笔画 (so that the namesakes of a full name come before longer names). Each cadre has
    Person, unit, ``current``, ``workplace`` (:func:`workplace_and_post`) to tell namesakes apart and
    ``former`` (1 when holding neither today: retired predecessors are on file too, and the page marks them).
    Returns (cadres, more): ``more`` is True when further cadres match. The appointment service
    checks the chosen cadre again; this only narrows what the page offers.
    """
    cond = search_condition(q, "person__")
    if cond is None:
        return [], False
    first = lambda cond: Case(When(cond, then=Value(0)), default=Value(1), output_field=IntegerField())  # noqa: E731
    rows = list(
        manageable_cadres(scope).filter(cond).select_related("person", "unit").prefetch_related(current_appointments())
        .annotate(exact=first(Q(person__name="".join(q.split()))), former=first(holds_post_or_rank_on(timezone.localdate())),
                  home=first(Q(unit__path__startswith=team.unit.path)))
        .order_by("exact", "former", "home", "person__stroke_key", "person__name", "id")[: limit + 1]
    )  # fmt: skip
    for c in with_rank_labels(rows):
        c.workplace = workplace_and_post(c)
    return rows[:limit], len(rows) > limit


def quota_excesses(team) -> dict[str, int]:
    """超配 of a team annotated by :func:`team_structure`: {"chief": n, "deputy": n} (``rules.quota_excess``,
    0 at or below the 核定职数 or without one)."""
    return {
        rules.CHIEF: rules.quota_excess(quota=team.chief_quota, holders=team.chief_holders),
        rules.DEPUTY: rules.quota_excess(quota=team.deputy_quota, holders=team.deputy_holders),
    }
