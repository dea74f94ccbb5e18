"""Reads of party members and persons, scoped to the acting user's subtree (DESIGN.md, decision 1).

Every function takes the user's :class:`~zugong.core.scope.Scope`. Lists filter by the indexed
party-organization path prefix; object getters raise Http404 for anything outside the subtree, so
that strangers learn nothing. The member list, its export and the API share :class:`MemberFilters`
and :func:`members_search`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import Substr
from django.http import Http404

from zugong.core import codes
from zugong.core.models import Person
from zugong.core.names import pinyin_condition
from zugong.core.rules import IdNumberError, add_years, parse_id_number
from zugong.core.scope import Scope
from zugong.core.services import id_number_index
from zugong.members.models import Affiliation, MemberStatus, PartyMember
from zugong.orgs.models import PartyOrganization
from zugong.orgs.selectors import party_org_get

#: Age bands of the 党内统计公报, in its order: (key, label, lowest age, highest age or None).
AGE_BANDS: tuple[tuple[str, str, int, int | None], ...] = (
    ("0-30", "30岁及以下", 0, 30),
    ("31-35", "31至35岁", 31, 35),
    ("36-40", "36至40岁", 36, 40),
    ("41-45", "41至45岁", 41, 45),
    ("46-50", "46至50岁", 46, 50),
    ("51-55", "51至55岁", 51, 55),
    ("56-60", "56至60岁", 56, 60),
    ("61-", "61岁及以上", 61, None),
)
_AGE_BAND_INDEX = {key: (low, high) for key, _, low, high in AGE_BANDS}

SORTS = (("stroke", "按姓氏笔画"), ("joined", "按入党时间"))
PAGE_SIZE = 50

_ID_LIKE = re.compile(r"^[0-9０-９]{17}[0-9０-９xXｘＸ]$")
_INITIALS = re.compile(r"^[A-Za-z]{1,40}$")


def years_before(on: dt.date, years: int) -> dt.date:
    """The same calendar day ``years`` years before ``on`` (29 February → 28 February)."""
    try:
        return on.replace(year=on.year - years)
    except ValueError:
        return on.replace(year=on.year - years, day=28)


def birth_range_for_ages(low: int, high: int | None, on: dt.date, field: str = "birth_date") -> Q:
    """Condition on ``field`` (a birth date) for full ages (周岁) ``low``–``high`` (None: no upper limit) on ``on``.

    Age ≥ low ⇔ born on or before the day ``low`` years ago; age ≤ high ⇔ born after the day
    ``high + 1`` years ago. Both are plain, indexable date comparisons.
    """
    cond = Q(**{f"{field}__lte": years_before(on, low)})
    if high is not None:
        cond &= Q(**{f"{field}__gt": years_before(on, high + 1)})
    return cond


def search_condition(q: str, prefix: str = "") -> Q | None:
    """The search condition for box text ``q`` on a Person reached through ``prefix`` (e.g. "person__").

    - 18 characters that look like a 身份证号: exact match of the HMAC blind index (never compared
      in plain text); an invalid number (checksum, date) matches nothing.
    - Latin letters: 姓名 contains them, or pinyin initials start with them ('zxm' → 张晓明), or they
      are the name in full pinyin or pinyin then initials ('zhangxiaoming', 'zhangxm', 'lv' for 吕;
      ``zugong.core.names.pinyin_condition``).
    - Anything else: 姓名 contains it.
    Returns None for an empty query (no condition).
    """
    q = "".join(q.split())
    if not q:
        return None
    q = q.replace("ü", "v").replace("Ü", "V")  # 吕 typed lü is typed lv on a keyboard
    if _ID_LIKE.match(q):
        try:
            number = parse_id_number(q).number
        except IdNumberError:
            return Q(pk__in=[])
        return Q(**{f"{prefix}id_number_index": id_number_index(number)})
    if _INITIALS.match(q):
        cond = Q(**{f"{prefix}name_initials__startswith": q.lower()}) | Q(**{f"{prefix}name__contains": q})
        spelled = pinyin_condition(q, field=f"{prefix}name", initials_field=f"{prefix}name_initials")
        return cond | spelled if spelled is not None else cond
    return Q(**{f"{prefix}name__contains": q})


#: The 党员类别 filter of the 党员名册: the MemberStatus values, and LEFT for the members who left
#: (党员减少), who are otherwise not listed.
LEFT = "left"
STATUS_CHOICES = (*codes.MEMBER_STATUS, (LEFT, "已减少党员"))


@dataclass(frozen=True)
class MemberFilters:
    """Filters of the 党员名册 (all optional; '' or None means no filter).

    ``org``: party organization id (its subtree); ``status``: MemberStatus value, or LEFT (the
    members who left instead of the current ones); ``gender``,
    ``education``, ``occupation``: codes of GB/T 2261.1, GB/T 4658 and the bulletin's occupation
    table; ``age_band``: a key of :data:`AGE_BANDS`; ``sort``: 'stroke' (姓氏笔画) or 'joined'
    (入党时间); ``on``: the date ages are computed for (today when None).
    """

    q: str = ""
    org: int | None = None
    status: str = ""
    gender: str = ""
    education: str = ""
    occupation: str = ""
    age_band: str = ""
    sort: str = "stroke"
    on: dt.date | None = None

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> MemberFilters:
        """Build filters from a query string (request.GET); unknown codes are ignored, a bad org id is None."""

        def code(name: str, table: tuple[tuple[str, str], ...]) -> str:
            value = (params.get(name) or "").strip()
            return value if value in dict(table) else ""

        try:
            org = int(params.get("org") or "") or None
        except ValueError:
            org = None
        band = (params.get("age_band") or "").strip()
        sort = params.get("sort") or "stroke"
        return cls(
            q=(params.get("q") or "").strip()[:60],
            org=org,
            status=code("status", STATUS_CHOICES),
            gender=code("gender", codes.GENDER),
            education=code("education", codes.EDUCATION),
            occupation=code("occupation", codes.OCCUPATION),
            age_band=band if band in _AGE_BAND_INDEX else "",
            sort=sort if sort in dict(SORTS) else "stroke",
        )


_LIST_FIELDS = (
    "id", "status", "joined_date", "occupation", "org_id", "person_id",
    "org__id", "org__name",
    "person__id", "person__name", "person__gender", "person__ethnicity", "person__birth_date",
    "person__id_number_masked", "person__education", "person__stroke_key", "left_date", "left_reason",
)


def orgs_under(path: str) -> QuerySet[PartyOrganization]:
    """Ids of the party organizations at ``path`` and below, as a subquery for ``org_id__in``.

    Members are filtered by ``org_id IN (subtree)`` rather than by a join on the branch's path:
    the planners then fetch the subtree's members through the index on ``org_id`` (27 rows for a
    branch) instead of scanning all members, or walking the 姓氏笔画 index over every person to
    fill a page (0.6 s for a branch secretary on SQLite with 250,000 members). The subtree itself
    is a scan of the few thousand organizations (≈1 ms). bench/bench_members_list.py.
    """
    return PartyOrganization.objects.filter(path__startswith=path).values("id")


def members_in_scope(scope: Scope) -> QuerySet[PartyMember]:
    """Current members (not left) whose branch lies in the scope's party-organization subtree."""
    return PartyMember.objects.filter(org_id__in=orgs_under(scope.org_path), left_date__isnull=True)


def members_search(scope: Scope, filters: MemberFilters) -> QuerySet[PartyMember]:
    """Members in scope matching ``filters`` (current ones; those who left with ``status`` LEFT),
    with Person and branch loaded (only the list columns).

    Sorted by 姓氏笔画 (Person.stroke_key, then name) or by 入党时间. Raises Http404 when
    ``filters.org`` is outside the scope.
    """
    path = scope.org_path
    if filters.org is not None:
        path = party_org_get(scope, filters.org).path  # Http404 outside the scope
    qs = PartyMember.objects.filter(org_id__in=orgs_under(path), left_date__isnull=filters.status != LEFT)
    cond = search_condition(filters.q, "person__")
    if cond is not None:
        qs = qs.filter(cond)
    if filters.status and filters.status != LEFT:
        qs = qs.filter(status=filters.status)
    if filters.gender:
        qs = qs.filter(person__gender=filters.gender)
    if filters.education:
        qs = qs.filter(person__education=filters.education)
    if filters.occupation:
        qs = qs.filter(occupation=filters.occupation)
    if filters.age_band:
        low, high = _AGE_BAND_INDEX[filters.age_band]
        qs = qs.filter(birth_range_for_ages(low, high, filters.on or dt.date.today(), "person__birth_date"))
    qs = qs.select_related("person", "org").only(*_LIST_FIELDS)
    if filters.sort == "joined":
        return qs.order_by("joined_date", "id")
    return qs.order_by("person__stroke_key", "person__name", "id")


def member_count_by_child(scope: Scope, parent: PartyOrganization) -> dict[str, int]:
    """Members in the subtree of each child of ``parent``, keyed by the child's path.

    One GROUP BY query: all children of a node share the path length ``len(parent.path) + 4``, so
    the path prefix of that length names the child a member's branch lies under. ``parent`` must
    already be checked to lie in the scope.
    """
    width = len(parent.path) + 4
    rows = (
        members_in_scope(scope)
        .filter(org__path__startswith=parent.path)
        .annotate(child=Substr("org__path", 1, width))
        .values("child")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["child"]: row["n"] for row in rows}


def member_count_in(scope: Scope, org: PartyOrganization) -> int:
    """Current members in the subtree of ``org`` (which must lie in the scope)."""
    return members_in_scope(scope).filter(org__path__startswith=org.path).count()


def persons_in_scope(scope: Scope) -> QuerySet[Person]:
    """Persons whose membership branch lies in the party subtree or whose cadre unit lies in the unit subtree."""
    return Person.objects.filter(
        Q(membership__org__path__startswith=scope.org_path) | Q(cadre__unit__path__startswith=scope.unit_path)
    )


def person_get(scope: Scope, person_id: int) -> Person:
    """The Person ``person_id`` if it lies in the scope (see :func:`persons_in_scope`); Http404 otherwise."""
    try:
        return persons_in_scope(scope).get(pk=person_id)
    except (Person.DoesNotExist, ValueError, TypeError):
        raise Http404("人员不存在或不在管理范围内") from None


@dataclass
class PersonProfile:
    """What the person page shows: the Person, its membership with branch (or None), its dated
    affiliations (组织关系, oldest first), its cadre record (or None) with current appointments,
    its 职级 (``rank``) on ``on``, ages in full years on ``on`` and 党龄 (``PartyMember.party_standing_years``: from 转正时间; None
    while probationary or without 转正时间); the membership may have ended
    (``member.left_date``). ``org_in_scope`` says whether the
    branch lies in the user's subtree (for links); each appointment has ``team_in_scope``."""

    person: Person
    member: PartyMember | None
    affiliations: list[Affiliation]
    cadre: object | None
    appointments: list
    on: dt.date
    age: int
    party_years: int | None
    org_in_scope: bool = False
    cadre_in_scope: bool = False  # the cadre's unit lies in the user's subtree (its 干部信息页 opens)
    native_place_name: str = ""  # 籍贯 in words (六安市金安区, 江苏省南京市), '' when none or unknown (division_name)
    rank: object | None = None  # the cadre's 职级 (CadreRank) running on ``on``, the latest begun; None without one

    @property
    def probation_end(self) -> dt.date | None:
        """The day a probationary member's one-year 预备期 ends (earliest 转正时间); None otherwise."""
        if self.member is None or self.member.status != MemberStatus.PROBATIONARY:
            return None
        return add_years(self.member.joined_date, 1)


def person_profile(scope: Scope, person_id: int, on: dt.date | None = None) -> PersonProfile:
    """Everything the person page shows, in a fixed handful of queries; Http404 outside the scope."""
    from zugong.cadres.models import Appointment, Cadre, CadreRank
    from zugong.core.rules import age_on
    from zugong.orgs.selectors import division_name

    on = on or dt.date.today()
    person = person_get(scope, person_id)
    member = (
        PartyMember.objects.select_related("org", "org__unit")
        .prefetch_related(Prefetch("affiliations", queryset=Affiliation.objects.select_related("org").order_by("start", "id")))
        .filter(person=person)
        .first()
    )
    cadre = Cadre.objects.select_related("unit").filter(person=person).first()
    appointments = []
    rank = None
    if cadre is not None:
        rank = (CadreRank.objects.filter(cadre=cadre, start__lte=on).exclude(end__lte=on)
                .order_by("-start", "-id").first())  # fmt: skip
        appointments = list(
            Appointment.objects.filter(cadre=cadre, end__isnull=True)
            .select_related("post", "post__unit", "post__team", "post__team__unit")
            .order_by("is_concurrent", "start")
        )
        for a in appointments:
            a.team_in_scope = a.post.team is not None and scope.has_unit_path(a.post.team.unit.path)
    return PersonProfile(
        person=person,
        member=member,
        affiliations=list(member.affiliations.all()) if member else [],
        cadre=cadre,
        appointments=appointments,
        on=on,
        age=age_on(person.birth_date, on),
        party_years=member.party_standing_years(on) if member else None,
        org_in_scope=member is not None and scope.has_org_path(member.org.path),
        cadre_in_scope=cadre is not None and scope.has_unit_path(cadre.unit.path),
        rank=rank,
        native_place_name=place if (place := division_name(person.native_place, full=True)) != person.native_place else "",
    )


STATUS_LABELS = dict(MemberStatus.choices)


def member_of_person(scope: Scope, person_id: int) -> PartyMember | None:
    """The membership (current or ended) of person ``person_id`` when its branch lies in the scope; else None."""
    return (
        PartyMember.objects.select_related("org", "person")
        .filter(person_id=person_id, org__path__startswith=scope.org_path)
        .first()
    )


def member_get(scope: Scope, member_id: int) -> PartyMember:
    """The membership ``member_id`` (current or ended) if its branch lies in the scope; Http404 otherwise."""
    try:
        return PartyMember.objects.get(pk=member_id, org__path__startswith=scope.org_path)
    except (PartyMember.DoesNotExist, ValueError, TypeError):
        raise Http404("党员不存在或不在管理范围内") from None


def branch_names(scope: Scope) -> list[str]:
    """The 党支部/联合党支部 of the scope, in tree order, each by the shortest name the roster import
    and the transfer form resolve to it (“城北乡/太平村党支部” where names repeat)."""
    from zugong.members.importer import BranchResolver

    resolver = BranchResolver.build(scope)
    return [resolver.label(pk) for pk in sorted((pk for _, pk, _ in resolver.branches_in_scope), key=resolver.paths.__getitem__)]
