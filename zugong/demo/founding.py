"""成立日期 of the demo's party organizations, and members' affiliations that agree with them.

Every organization gets a plausible founding date (``PartyOrganization.established``) drawn from a
span of years chosen by its kind and the kind of its unit (``founding_span``), never before its
parent's: the city committee in 1949, the county committees 1949–1950, town committees in the 1950s,
village branches 1950–1965, schools' and hospitals' organizations from the 1950s, 街道 and communities
from 1980 and 2000, 两新组织 branches 2005–2022 and 联合党支部 2008–2024, the organ branches of the
organs set up by the 2019 institutional reform in 2019. These are plausible, not historical records.

A member whose 入党 is older than the branch they belong to cannot have belonged to it since then: such
a member gets an earlier affiliation in an older branch (of the same county when there is one) and a
组织关系转接 into their branch within three years of its founding (:meth:`Founding.fit`). What the
draws cannot satisfy (a member who joined before every branch was founded) is settled afterwards by
moving the organization's date back to its earliest affiliation, and a parent's back to its earliest
child (:func:`settle`), so that the data never has an affiliation before its organization's date nor a
child before its parent. Draws come from the caller's own ``random.Random``, apart from the stream that
draws the people, so that the population of a seed stays what it was.
"""

from __future__ import annotations

import bisect
import datetime as dt
import random
from collections import defaultdict

from zugong.demo.people import REF_DATE, random_date
from zugong.orgs.models import OrgKind, PartyOrganization, UnitKind

#: Organs set up (or merged into a new organ) by the 2019 institutional reform of the city and the
#: counties, and the 网信办 set up in 2015–2017: their organ branches are founded then. Word → years.
REFORMED_ORGANS: dict[str, tuple[int, int]] = {
    "退役军人事务局": (2019, 2019), "应急管理局": (2019, 2019), "医疗保障局": (2019, 2019), "数据资源管理局": (2019, 2019),
    "自然资源和规划局": (2019, 2019), "农业农村局": (2019, 2019), "文化和旅游局": (2019, 2019), "文化旅游局": (2019, 2019),
    "市场监督管理局": (2019, 2019), "卫生健康委员会": (2019, 2019), "生态环境局": (2019, 2019), "网信办": (2015, 2017),
}  # fmt: skip
#: Counties set up later from another: code → (the county its places belonged to, first and last day
#: the new county's committee is dated). 叶集区 was set up in late 2015 from towns of 霍邱县; every
#: organization under its committee is dated from then on (plausible dates, not the record), and its
#: members' earlier affiliations are in 霍邱县's branches.
NEW_COUNTIES: dict[str, tuple[str, dt.date, dt.date]] = {"341504": ("341522", dt.date(2015, 12, 1), dt.date(2016, 3, 31))}
#: The latest founding date drawn: a year before the demo's "today".
LATEST = REF_DATE - dt.timedelta(days=365)
#: A member who joined before their branch was founded moves in within this many days of its founding.
MOVE_IN_DAYS = 3 * 365


def founding_span(org: PartyOrganization) -> tuple[int, int]:
    """First and last year (inclusive) in which an organization like ``org`` is plausibly founded.

    Reads ``org.kind``, ``org.name``, ``org.parent`` and ``org.unit.kind`` (objects in memory, no query).
    """
    kind, name = org.kind, org.name
    unit = org.unit.kind if org.unit is not None else None
    committee = kind in (OrgKind.COMMITTEE, OrgKind.WORKING_COMMITTEE)
    if kind == OrgKind.COMMITTEE and unit == UnitKind.COUNTY and (org.unit.division_code or "")[:6] in NEW_COUNTIES:
        return NEW_COUNTIES[org.unit.division_code[:6]][1].year, NEW_COUNTIES[org.unit.division_code[:6]][1].year
    if org.parent is None or (kind == OrgKind.COMMITTEE and unit == UnitKind.COUNTY):
        return 1949, 1949  # the city committee (六安地委 then) and the county committees
    if name.endswith("直属机关工作委员会"):
        return 1955, 1985
    if name.endswith("两新组织工作委员会"):
        return 2005, 2016
    if "离退休" in name:
        return 1990, 2010
    if unit == UnitKind.TOWNSHIP:
        if kind == OrgKind.WORKING_COMMITTEE:  # 开发区 (and 水产局管辖村) 党工委
            return 1992, 2010
        return (1950, 1958) if committee else (1950, 1975)
    if unit == UnitKind.SUBDISTRICT:
        return 1980, 2012
    if unit == UnitKind.VILLAGE:
        return (1985, 2010) if kind == OrgKind.GENERAL_BRANCH else (1950, 1965)
    if unit == UnitKind.COMMUNITY:
        return 2000, 2015
    if unit == UnitKind.ORGAN:
        if committee:  # a big organ's 党委, the 教育体育局 and 卫生健康系统 committees (over schools, hospitals)
            return 1956, 1980
        return next((span for word, span in REFORMED_ORGANS.items() if word in name), (1956, 2000))
    if unit in (UnitKind.SCHOOL, UnitKind.HOSPITAL):
        if committee:
            return 1952, 1985
        return (1985, 2008) if "学生" in name else (1956, 1995)
    if unit == UnitKind.SOE:
        return 1995, 2015
    if unit == UnitKind.NONPUBLIC:
        return (2008, 2024) if kind == OrgKind.JOINT_BRANCH else (2005, 2022)
    if unit == UnitKind.SOCIAL:
        return (2010, 2024) if kind == OrgKind.JOINT_BRANCH else (2010, 2023)
    return 1956, 2000


def plan_founding(orgs: list[PartyOrganization], rng: random.Random) -> None:
    """Set ``established`` on each of ``orgs`` (in memory; parents listed before their children):
    a date of its ``founding_span``, not before its parent's and not after :data:`LATEST`. The committee
    of a county of :data:`NEW_COUNTIES` gets a date of its set-up; its organizations none before it
    (within a year after it when their span ended earlier)."""
    for org in orgs:
        first, last = founding_span(org)
        lo, hi = dt.date(first, 1, 1), dt.date(last, 12, 31)
        new = NEW_COUNTIES.get((org.unit.division_code or "")[:6]) if org.unit is not None and org.unit.kind == UnitKind.COUNTY \
            and org.kind == OrgKind.COMMITTEE else None
        if org.parent is not None:
            lo = max(lo, org.parent.established)
        hi = min(max(hi, lo + dt.timedelta(days=365)), LATEST)
        if new is not None:
            lo, hi = new[1], new[2]
        org.established = random_date(rng, lo, hi)


class Founding:
    """Fits members' affiliations to the founding dates of ``branches`` [(org, county code)].

    ``rng`` is a stream of its own (the people's draws stay as they were for a seed).
    """

    def __init__(self, branches: list[tuple[PartyOrganization, str]], rng: random.Random):
        self.rng = rng
        by_county: dict[str | None, list[tuple[dt.date, int, PartyOrganization]]] = defaultdict(list)
        villages: dict[str, list[tuple[dt.date, int, PartyOrganization]]] = defaultdict(list)
        for i, (org, county) in enumerate(branches):
            by_county[county].append((org.established, i, org))
            by_county[None].append((org.established, i, org))
            if org.unit is not None and org.unit.kind == UnitKind.VILLAGE:
                villages[county].append((org.established, i, org))
        self._first_village = {k: min(v, key=lambda x: x[:2])[2] for k, v in villages.items()}
        self._dates = {k: [d for d, _, _ in sorted(v, key=lambda x: x[:2])] for k, v in by_county.items()}
        self._orgs = {k: [o for _, _, o in sorted(v, key=lambda x: x[:2])] for k, v in by_county.items()}
        self.moved_in = 0  # members given a transfer because they joined before their branch was founded

    def older_branch(self, on: dt.date, county: str) -> PartyOrganization | None:
        """A branch founded on or before ``on``, of ``county`` when it has one, else of the county it was set up
        from (:data:`NEW_COUNTIES`), else of the city; None when none."""
        for key in self._counties(county):
            n = bisect.bisect_right(self._dates.get(key, []), on)
            if n:
                return self._orgs[key][self.rng.randrange(n)]
        return None

    @staticmethod
    def _counties(county: str) -> tuple[str | None, ...]:
        before = NEW_COUNTIES.get(county)
        return (county, before[0], None) if before else (county, None)

    def oldest_village(self, county: str) -> PartyOrganization | None:
        """The first-founded village branch of ``county`` (of the county it was set up from, for a county of
        :data:`NEW_COUNTIES`; else of the city): where a member who joined before every branch was founded
        (before 1950) first belonged; :func:`settle` then dates it back (a village branch of the 革命老区
        from before 1949 is plausible; a community's or a new county's is not)."""
        keys = [k for k in self._counties(county) if k is not None]
        keys = keys[1:] if len(keys) > 1 else keys
        for key in keys:
            if key in self._first_village:
                return self._first_village[key]
        return next(iter(self._first_village.values()), None)

    def fit(self, joined: dt.date, org: PartyOrganization, county: str, previous: PartyOrganization | None,
            moved: dt.date | None) -> tuple[PartyOrganization | None, dt.date | None]:
        """The (previous branch, date moved) of a member who joined on ``joined`` and now belongs to ``org``
        (``previous``/``moved`` as drawn, or None), changed so that no affiliation starts before its
        branch's founding: an earlier branch founded after ``joined`` is replaced by an older one, a move
        before ``org``'s founding is put after it, and a member who joined before ``org`` was founded
        moves in from an older branch (the county's first village branch when none is older: ``settle`` then
        moves that branch's date back). Returns them unchanged when that is ``org`` itself."""
        if previous is not None and previous.established > joined:
            previous = self.older_branch(joined, county)
            if previous is org:
                previous = None
        if previous is None:
            moved = None
            if joined >= org.established:
                return None, None
            previous = self.older_branch(joined, county) or self.oldest_village(county)
            if previous is None or previous is org:
                return None, None
            self.moved_in += 1
        if moved is None or moved < org.established:
            lo = max(org.established, joined + dt.timedelta(days=30))
            moved = random_date(self.rng, lo, min(lo + dt.timedelta(days=MOVE_IN_DAYS), REF_DATE - dt.timedelta(days=1)))
        return previous, moved


def settle(orgs: list[PartyOrganization], earliest: dict[int, dt.date]) -> list[PartyOrganization]:
    """Move founding dates back where the data needs it: an organization's to the earliest start of
    its affiliations (``earliest``: org id → date) and a parent's to its earliest child's. Returns
    the organizations changed (to be saved)."""
    changed = []
    for org in sorted(orgs, key=lambda o: -o.depth):  # children first
        first = earliest.get(org.pk)
        if first is not None and first < org.established:
            org.established = first
            changed.append(org)
        parent = org.parent
        if parent is not None and org.established < parent.established:
            parent.established = org.established
            changed.append(parent)
    return list({id(o): o for o in changed}.values())
