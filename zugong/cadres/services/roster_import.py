"""Cadre roster import (the export is ``roster_export``). Every write happens inside the import's transaction with its audit event.

A cadre roster row creates or updates the Person (by 身份证号 blind index), its Cadre record
(管理权限, 职务级别, 工作单位, 是否中共党员) and the current appointment: the 现任职务 in the
工作单位 (the Post is created when the unit has none of that title), dated 任职时间 with 任职文号.
When the row names a different post than the cadre's open appointments, those are closed on
the new 任职时间 (appointments are dated facts, DESIGN.md decision 2).

职级 (``CadreRank``): a row with a 职级 (a ``rules.RANKS`` name) and its 任现职级时间 gives the cadre that
rank from that day as ``career.rank_grant`` does — one running rank at a time, the running one ends when
the new one starts, which must be after every rank on file; a promotion not inside a waiting period —
and the running rank of the same name with another 任现职级时间 has its start corrected. 职级文号 is the
rank's document: written on a new rank, and on the running one of the same name when it differs (an
empty cell keeps the one on file). A row with an empty 职级 leaves the ranks on file as they are.
现任职务 (with 任职时间 and 任职文号) is left empty for a
cadre with a rank only: such a row records no post, and is refused for a cadre who holds a main post
(a removal is made on the pages, not by an empty cell). No rule relates the 职级 to the 职务级别
(``rules`` has none, nor REGULATIONS.md), so none is checked.

A county administrator's roster writes 县管 cadres only (``access``, as the LRMX import): a row
that makes a cadre 市管, or would change a person who is a 市管 cadre already, is an error of that
row — a row equal to the 市管 cadre on file writes nothing and counts as unchanged, so that the
county's own export (which lists its 市管 cadres) imports back; so is a row that would appoint to or
end a post of a 市管 leadership team (``_CityTeamSeats``, as ``access.require_manage_post`` for the pages).

The commit (``members.services``) validates again inside its write transaction, with ``lock=True``: the
Person, PartyMember and Cadre rows of the file's 身份证号 are read ``SELECT … FOR UPDATE`` (in that
order, the order of 党员减少's locks, and in id order within a table, so that neither two imports nor
an import and a 党员减少 deadlock on them), so a change of the city to one of them either is committed
before (and then seen: the lock waits for it) or waits for the import's commit — the refusal of a row
("市管干部…不能通过县区名册导入修改") is decided on the state that is written. On SQLite the commit's
transaction (BEGIN IMMEDIATE) holds the database's only write lock from its start, which does the same.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone

from zugong.cadres import rules
from zugong.cadres.access import may_manage, team_is_city
from zugong.cadres.models import Appointment, Cadre, CadreRank, ManagementLevel, Post
from zugong.cadres.roster import CADRE_COLUMNS
from zugong.cadres.rules import SOURCE_PARTY_POST, is_party_post
from zugong.core import codes
from zugong.core.audit import Actor
from zugong.core.models import Person, Role
from zugong.core.rules import IdNumberError, age_on, parse_id_number
from zugong.core.scope import Scope
from zugong.core.services import PersonData, id_number_index, person_fields
from zugong.members.importer import Prepared, code_of, map_roster
from zugong.members.models import PartyMember
from zugong.members.roster import DateParseError, cell_text, iter_data_rows, parse_date
from zugong.orgs.models import Unit

_MANAGEMENT = {"市管": "city", "市管干部": "city", "县管": "county", "县管干部": "county", "区管": "county", "县区管": "county"}
_RANK_BY_LABEL = {label: code for code, label in rules.RANKS}
_PARTY = {"是": True, "中共党员": True, "党员": True, "中共预备党员": True, "预备党员": True, "y": True,
          "否": False, "群众": False, "非党员": False, "民主党派": False, "无党派人士": False, "n": False}  # fmt: skip


@dataclass(slots=True)
class CadreRecord:
    """One valid cadre row: person values, cadre values, unit, post title and appointment."""

    row: int
    id_number: str
    id_index: str
    person: dict
    cadre: dict
    unit_id: int
    post_title: str  # '' for a cadre with a 职级 only
    start: dt.date | None  # None with post_title ''
    document_no: str
    rank: str = ""  # code of rules.RANKS ('' when the 职级 cell is empty or the column absent)
    rank_start: dt.date | None = None  # 任现职级时间
    rank_document_no: str = ""  # 职级文号 ('' when empty: the one on file is kept)
    party_text: str = ""  # the 是否中共党员 cell as typed ('' when empty or the column is absent)
    management_text: str = ""  # the 管理权限 cell as typed
    outcome: str = "new"
    person_obj: Person | None = None
    extra: dict = field(default_factory=dict)


class _UnitResolver:
    """工作单位 → unit id by exact name or unique suffix within the user's unit subtree."""

    def __init__(self, scope: Scope):
        self.scope = scope
        self.rows = list(Unit.objects.values_list("id", "name", "path"))
        self.cache: dict[str, tuple[int | None, str]] = {}

    def resolve(self, text: str) -> tuple[int | None, str]:
        key = re.sub(r"\s", "", text)
        if key not in self.cache:
            self.cache[key] = self._resolve(key)
        return self.cache[key]

    def _resolve(self, key: str) -> tuple[int | None, str]:
        path = self.scope.unit_path
        for matches in ([r for r in self.rows if r[1] == key], [r for r in self.rows if r[1].endswith(key)]):
            inside = [r for r in matches if r[2].startswith(path)]
            if len(inside) == 1:
                return inside[0][0], ""
            if len(inside) > 1:
                return None, f"“{key}”对应多个单位（{'、'.join(r[1] for r in inside[:3])}），请填写全称"
            if matches:
                return None, "工作单位不在您的管理范围内"
        return None, f"未找到单位“{key}”"


def prepare_cadres(
    rows: Sequence[Sequence[object]],
    scope: Scope,
    *,
    today: dt.date | None = None,
    progress=None,
    lock: bool = False,
) -> Prepared:
    """Validate a cadre roster for ``scope``; classify good rows as new / update / unchanged. Writes nothing.

    ``progress(rows done, rows in all)`` is called once the rows are validated. With ``lock`` (the
    commit, inside its transaction: TransactionManagementError on PostgreSQL outside one) the persons,
    party members and cadres the rows name are locked as they are read (see the module's note)."""
    prepared = Prepared()
    t0 = time.perf_counter()
    today = today or timezone.localdate()
    hmap, header_idx = map_roster(rows, CADRE_COLUMNS, prepared)
    data = list(iter_data_rows(rows, header_idx)) if hmap is not None else []
    prepared.total_rows = len(data)
    if prepared.header_error:
        prepared.error_rows.update(r for r, _ in data)
        return prepared
    units = _UnitResolver(scope)
    seen: dict[str, int] = {}
    for row_no, cells in data:
        rec = _cadre_row(row_no, cells, hmap.index, scope, today, units, prepared)
        if rec is None:
            continue
        first = seen.get(rec.id_index)
        if first is not None:
            prepared.add_error(row_no, "身份证号", rec.id_number, f"身份证号与第{first}行重复（同一人出现两次）")
            prepared.add_error(first, "身份证号", rec.id_number, f"身份证号与第{row_no}行重复（同一人出现两次）")
        else:
            seen[rec.id_index] = row_no
            prepared.records.append(rec)
    prepared.records = [r for r in prepared.records if r.row not in prepared.error_rows]
    _classify(prepared, scope, lock=lock)
    prepared.errors.sort(key=lambda e: e[0])
    prepared.timings["validate"] = time.perf_counter() - t0
    if progress is not None:
        progress(prepared.total_rows, prepared.total_rows)
    return prepared


def _cadre_row(row, cells, ix, scope, today, units, p: Prepared) -> CadreRecord | None:  # noqa: C901
    def cell(key):
        i = ix.get(key)
        return cells[i] if i is not None and i < len(cells) else None

    before = len(p.errors)
    name = cell_text(cell("name"))
    if not name:
        p.add_error(row, "姓名", "", "姓名不能为空")
    info = None
    raw_id = cell_text(cell("id_number"))
    if not raw_id:
        p.add_error(row, "身份证号", "", "身份证号不能为空")
    else:
        try:
            info = parse_id_number(raw_id)
        except IdNumberError as exc:
            p.add_error(row, "身份证号", raw_id, str(exc))
    person: dict = {"name": name}
    gender = cell_text(cell("gender"))
    if gender:
        g = code_of("gender", gender)
        if g is None:
            p.add_error(row, "性别", gender, f"未知的性别“{gender}”（应为男或女）")
        elif info is not None and g != info.gender:
            p.add_error(row, "性别", gender, f"性别“{gender}”与身份证号（{codes.label('gender', info.gender)}）不一致")

    def date(key, header):
        raw = cell(key)
        try:
            return parse_date(raw)
        except DateParseError as exc:
            p.add_error(row, header, raw, str(exc))
            return None

    birth = date("birth_date", "出生年月")
    if birth is not None and info is not None:
        b = info.birth_date
        if (birth.date != b) if birth.day_known else ((birth.date.year, birth.date.month) != (b.year, b.month)):
            p.add_error(row, "出生年月", cell("birth_date"), "出生年月与身份证号中的出生日期不一致")  # not quoted: the digits the mask hides
    for key, header, table in (("ethnicity", "民族", "ethnicity"), ("education", "学历", "education")):
        if key in ix:
            text = cell_text(cell(key))
            if text:
                code = code_of(table, text)
                if code is None:
                    p.add_error(row, header, text, f"未知的{header}“{text}”（应为{codes.TABLE_TITLES[table]}中的名称）")
                person[key] = code
    unit_text = cell_text(cell("unit"))
    unit_id = None
    if not unit_text:
        p.add_error(row, "工作单位", "", "工作单位不能为空")
    else:
        unit_id, reason = units.resolve(unit_text)
        if unit_id is None:
            p.add_error(row, "工作单位", unit_text, reason)
    post = cell_text(cell("post"))
    rank_text = cell_text(cell("rank"))
    rank = _RANK_BY_LABEL.get(re.sub(r"\s", "", rank_text)) if rank_text else ""
    if rank is None:
        p.add_error(row, "职级", rank_text, f"未知的职级“{rank_text}”（应为一级巡视员至二级科员十二个职级之一，如二级调研员、一级主任科员）")
    level_text = cell_text(cell("post_level"))
    level = code_of("post_level", level_text) if level_text else None
    if level is None:
        p.add_error(row, "职务级别", level_text, f"未知的职务级别“{level_text}”（应为GB/T 12407中的名称，如县处级正职）" if level_text else "职务级别不能为空")
    start = date("start", "任职时间")
    if not post and not rank_text and (cell_text(cell("start")) or cell_text(cell("document_no"))):
        # a post's time or document without the post: the post was left out
        p.add_error(row, "现任职务", "", "现任职务不能为空（只任职级、不任职务的干部请填写职级）")
    elif not post:  # a cadre with a 职级 only (no 任职时间 or 任职文号), or one on file who holds neither
        for key, header in (("start", "任职时间"), ("document_no", "任职文号")) if rank_text else ():
            if cell_text(cell(key)):
                hint = "（职级的时间填在任现职级时间）" if key == "start" else ""
                p.add_error(row, header, cell(key), f"未填现任职务，{header}应为空{hint}")
    elif start is None and cell("start") in (None, ""):
        p.add_error(row, "任职时间", "", "任职时间不能为空")
    elif start is not None:
        if start.date > today:
            p.add_error(row, "任职时间", cell("start"), "任职时间晚于今天")
        elif info is not None and age_on(info.birth_date, start.date) < 18:
            p.add_error(row, "任职时间", cell("start"), "任职时未满18周岁")
    rank_start = date("rank_start", "任现职级时间")
    if rank_text and rank_start is None and cell("rank_start") in (None, ""):
        p.add_error(row, "任现职级时间", "", "填写了职级，任现职级时间不能为空")
    elif rank_start is not None:
        if not rank_text:
            p.add_error(row, "任现职级时间", cell("rank_start"), "填写了任现职级时间，请同时填写职级")
        elif rank_start.date > today:
            p.add_error(row, "任现职级时间", cell("rank_start"), "任现职级时间晚于今天")
        elif info is not None and age_on(info.birth_date, rank_start.date) < 18:
            p.add_error(row, "任现职级时间", cell("rank_start"), "任职级时未满18周岁")
    rank_document_no = cell_text(cell("rank_document_no"))[:60]
    if rank_document_no and not rank_text:
        p.add_error(row, "职级文号", rank_document_no, "填写了职级文号，请同时填写职级")
    mgmt_text = cell_text(cell("management_level"))
    mgmt = _MANAGEMENT.get(mgmt_text)
    if mgmt is None:
        p.add_error(row, "管理权限", mgmt_text, "管理权限应为市管或县管" if mgmt_text else "管理权限不能为空")
    cadre = {"management_level": mgmt, "post_level": level, "unit_id": unit_id}
    management_text = mgmt_text  # for _classify's refusal of 市管 to a county administrator
    party_text = cell_text(cell("is_party_member"))  # errors show it as typed; Y/N match in either case
    if party_text:
        flag = _PARTY.get(party_text.lower())
        if flag is None:
            p.add_error(row, "是否中共党员", party_text, "是否中共党员应填是或否")
        cadre["is_party_member"] = flag
        if flag is False and post and is_party_post(post):
            p.add_error(row, "是否中共党员", party_text, f"现任职务“{post}”是党内职务，非中共党员不能担任（{SOURCE_PARTY_POST}）")  # fmt: skip
    if len(p.errors) != before:
        return None
    return CadreRecord(
        row=row, id_number=info.number, id_index=id_number_index(info.number), person=person, cadre=cadre,
        unit_id=unit_id, post_title=post[:60], start=start.date if post else None,
        document_no=cell_text(cell("document_no"))[:60] if post else "", party_text=party_text, management_text=management_text,
        rank=rank, rank_start=rank_start.date if rank_start else None, rank_document_no=rank_document_no if rank else "",
    )  # fmt: skip


#: Why a county administrator's row may not touch a 市管 cadre (the LRMX import refuses the same).
CITY_CADRE_REASON = "市管干部由市委组织部管理，不能通过县区名册导入修改"


class _CityTeamSeats:
    """For a county administrator: the seats of 市管 leadership teams a row would appoint to or end."""

    def __init__(self, recs: list[CadreRecord], cadres: dict[int, Cadre]):
        self.posts: dict[tuple[int, str], Post] = {}  # (unit, title) → the post write_cadres would use
        for post in Post.objects.filter(unit_id__in={r.unit_id for r in recs}).select_related("team").order_by("-id"):
            self.posts[(post.unit_id, post.title)] = post  # lowest id last: the one write_cadres picks
        self.held: dict[int, list[Appointment]] = {}  # cadre → open main appointments to 市管 team seats
        city_seats = Appointment.objects.filter(cadre__in=cadres.values(), end__isnull=True, is_concurrent=False,
                                                post__team__management_level=ManagementLevel.CITY)  # fmt: skip
        for a in city_seats.select_related("post__unit", "post__team"):
            self.held.setdefault(a.cadre_id, []).append(a)

    def refusal(self, rec: CadreRecord, cadre: Cadre | None, same_post: bool) -> str:
        """The reason the row may not be written, or ""."""
        post = self.posts.get((rec.unit_id, rec.post_title))
        if post is not None and team_is_city(post.team) and not same_post:
            return f"“{rec.post_title}”是市管领导班子“{post.team.name}”的职务，其任免由市委组织部办理"
        for a in self.held.get(cadre.pk, []) if cadre is not None else []:
            if a.post_id != (post.pk if post is not None else None):
                return (f"该干部现任{a.post.written_name}，属市管领导班子“{a.post.team.name}”，"
                        "其免职由市委组织部办理，不能通过县区名册导入免去")  # fmt: skip
        return ""


def _party_post_refusal(rec: CadreRecord, cadre: Cadre | None) -> tuple[str, str, str] | None:
    """(column, value, reason) when the row would leave a non-member in a 党内职务: its 现任职务 for a
    cadre recorded as not a member (the row's 是否中共党员 empty or absent; a row saying 否 is refused
    in ``_cadre_row``), or a kept concurrent 党内职务 when the row makes the cadre a non-member."""
    flag = rec.cadre.get("is_party_member")
    if cadre is None or (flag if flag is not None else cadre.is_party_member):
        return None
    if flag is None and is_party_post(rec.post_title):
        return "现任职务", rec.post_title, f"现任职务“{rec.post_title}”是党内职务，该干部不是中共党员，不能担任（{SOURCE_PARTY_POST}）"
    kept = Appointment.objects.filter(cadre=cadre, end__isnull=True, is_concurrent=True).values_list("post__title", flat=True)
    party = [t for t in kept if is_party_post(t)]
    if party:
        return "是否中共党员", rec.party_text, f"该干部兼任党内职务“{'、'.join(party)}”，非中共党员不能担任，请先办理免职（{SOURCE_PARTY_POST}）"  # fmt: skip
    return None


def _same_post(rec: CadreRecord, cadre: Cadre) -> bool:
    """Whether ``cadre`` holds the row's post now, from the row's 任职时间 with its 任职文号; for a row
    without a post (a 职级 only), whether the cadre holds no main post now."""
    if not rec.post_title:
        return not _open_main_posts(cadre).exists()
    return Appointment.objects.filter(
        cadre=cadre, end__isnull=True, post__unit_id=rec.unit_id, post__title=rec.post_title,
        start=rec.start, document_no=rec.document_no,
    ).exists()  # fmt: skip


def _open_main_posts(cadre: Cadre) -> QuerySet[Appointment]:
    return Appointment.objects.filter(cadre=cadre, end__isnull=True, is_concurrent=False)


def _running_rank(ranks: list[CadreRank]) -> CadreRank | None:
    """The running 职级 among the cadre's ``ranks`` (oldest first): the latest begun without an end."""
    return next((r for r in reversed(ranks) if r.end is None), None)


def _same_rank(rec: CadreRecord, ranks: list[CadreRank]) -> bool:
    """Whether the row's 职级 is the running one from its 任现职级时间, with its 职级文号 when the row has
    one (True for a row without a 职级: a roster does not take a rank away, nor an empty 职级文号 the one on file)."""
    current = _running_rank(ranks)
    return not rec.rank or (
        current is not None and (current.rank, current.start) == (rec.rank, rec.rank_start)
        and (not rec.rank_document_no or current.document_no == rec.rank_document_no)
    )


def _rank_refusal(rec: CadreRecord, cadre: Cadre, ranks: list[CadreRank]) -> str:
    """Why the row's 职级 cannot be written for ``cadre`` (whose ``ranks`` are oldest first), or "".

    As ``career.rank_grant``: one running rank at a time, a new rank starts after every rank on file
    (the running one ends on that day), a promotion (``rules.rank_is_promotion``) not inside a waiting
    period (``rules.check_waiting_period``). The same rank with another 任现职级时间 corrects its start,
    which must then fall after the start of the rank before it."""
    from zugong.cadres.services.career import waiting_dates

    if not rec.rank or _same_rank(rec, ranks):
        return ""
    current = _running_rank(ranks)
    others = [r for r in ranks if r is not current] if current is not None and current.rank == rec.rank else ranks
    latest = max(others, key=lambda r: r.start, default=None)
    if latest is not None and rec.rank_start <= latest.start:
        word = "现任职级" if latest.end is None else "此前职级"
        return f"{word}{rules.RANK_LABELS[latest.rank]}自{latest.start:%Y.%m.%d}起，任现职级时间应晚于该日"
    if current is not None and current.rank == rec.rank:
        return ""  # a corrected start or 职级文号
    try:
        rules.check_waiting_period(dates=waiting_dates(cadre), on=rec.rank_start, leadership_post=False,
                                   promotion=rules.rank_is_promotion(current.rank if current else None, rec.rank))  # fmt: skip
    except rules.RuleViolation as exc:
        return str(exc)
    return ""


def _unchanged(rec: CadreRecord, person: Person, cadre: Cadre, ranks: list[CadreRank]) -> bool:
    """Whether the row would write nothing: the person's and the cadre's values, the post and the 职级 as on file."""
    return (
        all(getattr(person, k) == v for k, v in rec.person.items())
        and all(getattr(cadre, k) == v for k, v in rec.cadre.items())
        and _same_post(rec, cadre)
        and _same_rank(rec, ranks)
    )


def _locked(qs: QuerySet) -> None:
    """Lock the rows of ``qs`` (SELECT … FOR UPDATE, in id order; nothing on SQLite). Read apart from
    the lock, with its joins: PostgreSQL would drop a locked row whose join key changed while it waited."""
    list(qs.select_for_update().order_by("pk").values_list("pk", flat=True))


def _classify(prepared: Prepared, scope: Scope, *, lock: bool = False) -> None:
    counts = dict.fromkeys(("new", "update", "transfer", "unchanged"), 0)
    recs = prepared.records
    found = Person.objects.filter(id_number_index__in=[r.id_index for r in recs])
    if lock:  # the commit: what it decides on stays so until it ends (see the module's note)
        found = found.select_for_update().order_by("pk")
    persons = {p.id_number_index: p for p in found}
    if lock:  # PartyMember before Cadre, as 党员减少 locks them (members.changes): no deadlock with it
        _locked(PartyMember.objects.filter(person__in=persons.values()))
        _locked(Cadre.objects.filter(person__in=persons.values()))
    cadres = {c.person_id: c for c in Cadre.objects.filter(person__in=persons.values()).select_related("unit")}
    ranks: dict[int, list[CadreRank]] = {}  # cadre id → its 职级, oldest first (the cadres are locked: so are they)
    for r in CadreRank.objects.filter(cadre__in=cadres.values()).order_by("start", "id"):
        ranks.setdefault(r.cadre_id, []).append(r)
    # party members who are not cadres yet: one of another county must not be changed (nor become ours)
    member_paths = dict(PartyMember.objects.filter(person__in=persons.values()).values_list("person_id", "org__path"))
    seats = _CityTeamSeats(recs, cadres) if scope.role != Role.CITY_ADMIN else None
    bad = set()
    for rec in recs:
        person = persons.get(rec.id_index)
        rec.person_obj = person
        cadre = cadres.get(person.pk) if person is not None else None
        if seats and rec.cadre["management_level"] == ManagementLevel.CITY and (cadre is None or may_manage(scope, cadre)):
            # a new 市管 cadre, or a 县管 one made 市管: the city department's (an unchanged row of a
            # 市管 cadre on file passes below, so that the county's own export imports back)
            prepared.add_error(rec.row, "管理权限", rec.management_text, "市管干部由市委组织部导入")
            bad.add(rec.row)
            continue
        if cadre is None and not rec.post_title and not rec.rank:
            # a cadre on file may hold neither (免职 without a new post; the demo's retired predecessors):
            # the row then writes the person and keeps the rest; a new cadre needs one of them
            prepared.add_error(rec.row, "现任职务", "", "现任职务不能为空（只任职级、不任职务的干部请填写职级）")
            bad.add(rec.row)
            continue
        if person is None:
            reason = seats.refusal(rec, None, same_post=False) if seats else ""
            if reason:
                prepared.add_error(rec.row, "现任职务", rec.post_title, reason)
                bad.add(rec.row)
                continue
            counts["new"] += 1
            continue
        outside = (cadre is not None and not cadre.unit.path.startswith(scope.unit_path)) or (
            cadre is None and not member_paths.get(person.pk, scope.org_path).startswith(scope.org_path))
        if outside:
            # one message for a cadre and a member elsewhere, naming neither their unit nor their branch
            prepared.add_error(rec.row, "身份证号", rec.id_number, "该身份证号的人员不在您的管理范围内")
            bad.add(rec.row)
            continue
        if cadre is not None and not may_manage(scope, cadre):
            # a 市管 cadre: not the county's to update, nor to turn into a 县管 cadre (as the LRMX import);
            # a row equal to what is on file writes nothing and counts as unchanged
            if _unchanged(rec, person, cadre, ranks.get(cadre.pk, [])):
                rec.outcome = "unchanged"
                counts["unchanged"] += 1
                continue
            prepared.add_error(rec.row, "身份证号", rec.id_number, CITY_CADRE_REASON)
            bad.add(rec.row)
            continue
        rec.extra["cadre"] = cadre
        held = ranks.get(cadre.pk, []) if cadre is not None else []
        rec.extra["ranks"] = held
        reason = _party_post_refusal(rec, cadre)
        if reason:
            prepared.add_error(rec.row, reason[0], reason[1], reason[2])
            bad.add(rec.row)
            continue
        posts = list(_open_main_posts(cadre).select_related("post__unit")) if cadre is not None and not rec.post_title else []
        if posts:
            prepared.add_error(rec.row, "现任职务", "", f"现任职务为空，但该干部现任{'、'.join(a.post.written_name for a in posts)}："
                               "请填写现任职务，免职请在领导班子或干部信息页办理")  # fmt: skip
            bad.add(rec.row)
            continue
        reason = _rank_refusal(rec, cadre, held) if cadre is not None else ""
        if reason:
            prepared.add_error(rec.row, "任现职级时间", f"{rec.rank_start:%Y.%m.%d}", reason)
            bad.add(rec.row)
            continue
        same_post = cadre is not None and _same_post(rec, cadre)
        reason = seats.refusal(rec, cadre, same_post) if seats else ""
        if reason:
            prepared.add_error(rec.row, "现任职务", rec.post_title, reason)
            bad.add(rec.row)
            continue
        rec.outcome = "unchanged" if same_post and _unchanged(rec, person, cadre, held) else ("update" if cadre else "new")
        counts["new" if rec.outcome == "new" else rec.outcome] += 1
    prepared.records = [r for r in recs if r.row not in bad]
    prepared.counts = counts


def write_cadres(prepared: Prepared, *, today: dt.date, actor: Actor, scope: Scope) -> dict[str, int]:
    """Write the classified good rows (inside the caller's transaction): Person, Cadre, Post, Appointment.

    Returns the counts {created, updated, unchanged, transferred}. A row's 现任职务 is the unit's post of
    that title with the lowest id; when the unit has none, a post without a team is created. Two posts of
    one unit, team and title are legitimate and not prevented by a constraint: a team has one Post per
    seat (the demo's 副镇长 ×3, 副县长 ×5 of one team, and a 镇长's concurrent 党委副书记 beside the
    party committee's own 党委副书记 seat), and tests make one teamless post per cadre. What must not
    happen is two imports running at once both finding no post of a title and both creating one: the
    titles to be created are locked by name first (``career.hold_post_titles``, in key order, after the
    import's row locks of persons, party members and cadres), so the second import waits for the first
    to commit and then finds its post. On SQLite the import's BEGIN IMMEDIATE already serialises them."""
    from zugong.cadres.services.career import hold_post_titles

    todo = [r for r in prepared.records if r.outcome != "unchanged"]
    wanted = {(r.unit_id, r.post_title) for r in todo if r.post_title}
    have = set(Post.objects.filter(unit_id__in={u for u, _ in wanted}).values_list("unit_id", "title"))
    hold_post_titles(wanted - have)
    for rec in todo:
        person = rec.person_obj
        if person is None:
            fields = person_fields(PersonData(name=rec.person["name"], id_number=rec.id_number,
                                              ethnicity=rec.person.get("ethnicity") or codes.HAN,
                                              education=rec.person.get("education") or ""))  # fmt: skip
            person = Person.objects.create(**fields)
        else:
            changed = {k: v for k, v in rec.person.items() if getattr(person, k) != v}
            if changed:
                for k, v in changed.items():
                    setattr(person, k, v)
                if "name" in changed:
                    from zugong.core.names import name_initials, name_stroke_key

                    person.name_initials, person.stroke_key = name_initials(person.name), name_stroke_key(person.name)
                person.save()
        cadre = rec.extra.get("cadre")
        values = {k: v for k, v in rec.cadre.items() if v is not None}
        if cadre is None:
            cadre = Cadre.objects.create(person=person, **values)
        else:
            for k, v in values.items():
                setattr(cadre, k, v)
            cadre.save()
        if rec.rank:
            _write_rank(rec, cadre, rec.extra.get("ranks", []))
        if not rec.post_title:  # a 职级 only: no post (the validation found none open)
            continue
        post = Post.objects.filter(unit_id=rec.unit_id, title=rec.post_title).order_by("id").first()
        if post is None:
            post = Post.objects.create(unit_id=rec.unit_id, title=rec.post_title, post_level=rec.cadre["post_level"])
        open_appts = list(Appointment.objects.filter(cadre=cadre, end__isnull=True, is_concurrent=False))
        current = next((a for a in open_appts if a.post_id == post.pk), None)
        for a in open_appts:
            if a is not current:
                a.end = rec.start if rec.start > a.start else max(today, a.start + dt.timedelta(days=1))
                a.removal_document_no = a.removal_document_no or rec.document_no
                a.save(update_fields=["end", "removal_document_no"])
        if current is None:
            Appointment.objects.create(cadre=cadre, post=post, start=rec.start, document_no=rec.document_no)
        elif (current.start, current.document_no) != (rec.start, rec.document_no):
            current.start, current.document_no = rec.start, rec.document_no
            current.save(update_fields=["start", "document_no"])
    c = prepared.counts
    return {"created": c["new"], "updated": c["update"], "unchanged": c["unchanged"], "transferred": 0}


def _write_rank(rec: CadreRecord, cadre: Cadre, ranks: list[CadreRank]) -> None:
    """The row's 职级 from its 任现职级时间, as ``career.rank_grant`` (checked by ``_rank_refusal``): the running
    rank of the same name gets the row's start and its 职级文号 when it has one (and the rank before it ends
    then); another rank ends the running one on that day and is created after it, with the row's 职级文号."""
    if _same_rank(rec, ranks):
        return
    current = _running_rank(ranks)
    if current is not None and current.rank == rec.rank:
        for r in ranks:
            if r.end == current.start and current.start != rec.rank_start:
                r.end = rec.rank_start
                r.save(update_fields=["end"])
        current.start = rec.rank_start
        current.document_no = rec.rank_document_no or current.document_no
        current.save(update_fields=["start", "document_no"])
        return
    if current is not None:
        current.end = rec.rank_start
        current.save(update_fields=["end"])
    CadreRank.objects.create(cadre=cadre, rank=rec.rank, start=rec.rank_start, document_no=rec.rank_document_no)
