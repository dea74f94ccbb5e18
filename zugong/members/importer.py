"""Member roster import: validate every row, classify against the database, write in bulk.

The shape of an import (see ``zugong.members.services`` for the job lifecycle):

1. ``read_sheet`` (python-calamine) gives the cells; ``prepare_members`` maps the header row, then
   validates every row in plain Python against prebuilt lookup dicts (code tables, the branches of
   the whole tree with the user's subtree marked) and collects ``[row, column, value, reason]``.
2. Before any row is validated, every 身份证号 is parsed and keyed once (duplicates in the file are
   found then) and the persons on file are read by blind index, one query per 20,000 keys; each
   good row is then classified: new / update / transfer (branch changed) / unchanged (``_Run``).
3. ``import_members`` does the same in one pass inside the caller's transaction and writes as it
   goes: ids are allocated in one statement, new rows go in with PostgreSQL ``COPY`` from a worker
   thread while the next chunk is validated (SQLite: ``executemany``); updates follow through a
   temporary table and ``UPDATE … FROM`` (SQLite: ``executemany``). A changed branch closes the open
   Affiliation today and opens a new one (组织关系转接 recorded as a dated fact, DESIGN.md decision 2).

Rules and their sources:
- 身份证号: GB 11643-1999 (``zugong.core.rules.parse_id_number``); 出生年月 and 性别 must agree with it.
- 入党时年满十八岁: 《中国共产党章程》第一条; 《中国共产党发展党员工作细则》（2014）第二条.
- 预备期为一年: 《中国共产党章程》第七条 (转正时间 at least one year after 入党时间).
"""

from __future__ import annotations

import datetime as dt
import json
import queue
import re
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from operator import itemgetter

from django.db import connection
from django.db.models import Model
from django.utils import timezone

from zugong.core import codes, crypto
from zugong.core.models import ID_CONTEXT, PHONE_CONTEXT, Person
from zugong.core.names import name_initials, name_stroke_key
from zugong.core.rules import IdNumberError, IdNumberInfo, age_on, mask_id_number, parse_id_number
from zugong.core.scope import Scope
from zugong.core.services import id_number_index
from zugong.members.models import Affiliation, MemberStatus, PartyMember
from zugong.members.roster import (
    MEMBER_COLUMNS,
    Column,
    DateParseError,
    ParsedDate,
    cell_text,
    find_header_row,
    iter_data_rows,
    map_headers,
    parse_date,
)
from zugong.orgs.models import BRANCH_KINDS, OrgKind, PartyOrganization, Unit

SOURCE_AGE = "《中国共产党章程》第一条、《中国共产党发展党员工作细则》（2014）第二条：年满十八岁方可申请入党"
SOURCE_PROBATION = "《中国共产党章程》第七条：预备党员的预备期为一年"
LOOKUP_BATCH = 20000
OUT_OF_SCOPE = "所在党支部不在您的管理范围内"

ProgressFn = Callable[[int, int], None]


# --------------------------------------------------------------------------- value parsing


def _norm_label(text: str) -> str:
    return re.sub(r"\s", "", text).replace("(", "（").replace(")", "）").replace(",", "、").replace("，", "、")


_OCCUPATION = {_norm_label(k): v for k, v in codes._BY_LABEL["occupation"].items()}
_OCCUPATION.update(
    {
        "工人": "01", "工勤技能人员": "01", "工人（工勤技能人员）": "01",
        "农民": "02", "牧民": "02", "渔民": "02", "农牧民": "02",
        "企事业单位、社会组织专业技术人员": "03", "社会组织专业技术人员": "03", "专技人员": "03",
        "企业管理人员": "04", "事业单位管理人员": "04", "社会组织管理人员": "04",
        "公务员": "05", "机关干部": "05", "党政机关干部": "05",
        "在校学生": "06", "学生": "06",
        "其他职业人员": "07", "其他人员": "07", "其它职业": "07", "其它": "07",
        "退休人员": "08", "离休人员": "08", "离退休干部": "08", "退休": "08", "离休": "08",
    }
)
_STATUS = {"正式党员": "full", "正式": "full", "预备党员": "probationary", "预备": "probationary"}
_GENDER = {"男": "1", "女": "2", "男性": "1", "女性": "2", "1": "1", "2": "2"}
_PHONE = re.compile(r"^[0-9+\-() ]{5,20}$")


def code_of(table: str, text: str) -> str | None:
    """Code for a roster value of ``table`` (label, code or common variant); None when unknown."""
    if table == "occupation":
        return _OCCUPATION.get(_norm_label(text))
    if table == "member_status":
        return _STATUS.get(text.strip())
    if table == "gender":
        return _GENDER.get(text.strip())
    return codes.code_for_label(table, _norm_label(text)) or codes.code_for_label(table, text)


def add_years(day: dt.date, years: int) -> dt.date:
    """``day`` plus ``years`` calendar years; 29 February becomes 28 February in common years."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _month_end(day: dt.date) -> dt.date:
    nxt = day.replace(day=28) + dt.timedelta(days=4)
    return nxt - dt.timedelta(days=nxt.day)


# --------------------------------------------------------------------------- lookups


@dataclass
class BranchResolver:
    """Finds a 所在党支部 by exact name or unique name suffix, within the user's subtree.

    Names are compared without blanks. A name known only outside the subtree yields
    ``OUT_OF_SCOPE``; a name that fits several branches yields an 'ambiguous' reason listing them.
    """

    scope_path: str
    exact: dict[str, list[tuple[int, str, str, str]]] = field(default_factory=dict)
    branches_in_scope: list[tuple[str, int, str]] = field(default_factory=list)
    branch_names_outside: list[str] = field(default_factory=list)
    paths: dict[int, str] = field(default_factory=dict)
    names: dict[int, str] = field(default_factory=dict)
    _cache: dict[str, tuple[int | None, str]] = field(default_factory=dict)

    @classmethod
    def build(cls, scope: Scope) -> BranchResolver:
        res = cls(scope_path=scope.org_path)
        exact: dict[str, list] = defaultdict(list)
        for pk, name, path, kind in PartyOrganization.objects.values_list("id", "name", "path", "kind"):
            key = _compact(name)
            exact[key].append((pk, name, path, kind))
            res.paths[pk] = path
            res.names[pk] = name
            if kind in BRANCH_KINDS:
                if path.startswith(scope.org_path):
                    res.branches_in_scope.append((key, pk, name))
                else:
                    res.branch_names_outside.append(key)
        res.exact = dict(exact)
        return res

    def resolve(self, text: str) -> tuple[int | None, str]:
        """Return ``(org_id, '')`` or ``(None, Chinese reason)`` for a 所在党支部 cell."""
        hit = self._cache.get(text)  # by the cell text as typed: the few branch names of a roster repeat
        if hit is None:
            hit = self._cache[text] = self._resolve(_compact(text), text)
        return hit

    def _resolve(self, key: str, text: str) -> tuple[int | None, str]:
        found = self.exact.get(key, [])
        inside = [f for f in found if f[2].startswith(self.scope_path)]
        if len(inside) == 1:
            pk, name, _, kind = inside[0]
            if kind not in BRANCH_KINDS:
                return None, f"“{name}”是{OrgKind(kind).label}，党员应编入党支部（联合党支部）"
            return pk, ""
        if len(inside) > 1:
            return None, f"有{len(inside)}个党组织名为“{text}”，无法确定，请联系管理员区分名称"
        if found:
            return None, OUT_OF_SCOPE
        suffix = [(pk, name) for k, pk, name in self.branches_in_scope if k.endswith(key)]
        if len(suffix) == 1:
            return suffix[0][0], ""
        if len(suffix) > 1:
            names = "、".join(n for _, n in suffix[:3]) + ("等" if len(suffix) > 3 else "")
            return None, f"“{text}”对应多个党支部（{names}），请填写全称"
        if any(k.endswith(key) for k in self.branch_names_outside):
            return None, OUT_OF_SCOPE
        return None, f"未找到党支部“{text}”"


def _compact(text: str) -> str:
    return re.sub(r"\s", "", text).replace("(", "（").replace(")", "）")


class NativePlaceResolver:
    """籍贯 → 行政区划代码: 6/9/12 digits are kept; a name matches a unit of the tree that has a code."""

    def __init__(self) -> None:
        self.by_name: dict[str, str] = {}
        for name, code, kind in Unit.objects.exclude(division_code="").values_list("name", "division_code", "kind"):
            short = code[:6] if kind in ("city", "county") else code
            self.by_name.setdefault(_compact(name), short)
        self._cache: dict[str, str | None] = {}

    def resolve(self, text: str) -> str | None:
        """Division code for a 籍贯 cell, None when unknown (memoized by the cell text)."""
        try:
            return self._cache[text]
        except KeyError:
            pass
        key = _compact(text)
        if key.isdigit() and len(key) in (6, 9, 12):
            hit = key
        else:
            hit = self.by_name.get(key)
            if hit is None:
                ends = {c for n, c in self.by_name.items() if key.endswith(n) and len(n) >= 2}
                hit = ends.pop() if len(ends) == 1 else None
        self._cache[text] = hit
        return hit


# --------------------------------------------------------------------------- validation


@dataclass(slots=True)
class MemberRecord:
    """One valid roster row. ``person``/``member`` hold the model values of the columns present."""

    row: int
    id_index: str
    id_number: str
    person: dict
    member: dict
    org_id: int
    # filled by classification
    person_id: int | None = None
    member_id: int | None = None
    affiliation_id: int | None = None
    outcome: str = "new"  # new | new_member | update | transfer | unchanged
    person_changes: dict | None = None  # field → new value, set when the person is on file
    member_changes: dict | None = None
    open_affiliation: tuple[int, dt.date] | None = None


@dataclass
class Prepared:
    """Outcome of validation: rows read, errors ``[row, column, value, reason]``, the write plan and counts."""

    total_rows: int = 0
    errors: list[list] = field(default_factory=list)
    error_rows: set[int] = field(default_factory=set)
    header_error: str = ""
    records: list = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    header_row: int = 1  # Excel row number of the header
    columns_present: set[str] = field(default_factory=set)

    @property
    def error_count(self) -> int:
        return len(self.error_rows)

    def add_error(self, row: int, column: str, value: object, reason: str) -> None:
        self.errors.append([row, column, cell_text(value)[:100], reason])
        self.error_rows.add(row)


def map_roster(rows: Sequence[Sequence[object]], columns: Sequence[Column], prepared: Prepared):
    """Find and map the header row; records a header error in ``prepared`` when required columns are missing."""
    if not rows:
        prepared.header_error = "文件中没有数据"
        return None, 0
    header_idx = find_header_row(rows, columns)
    hmap = map_headers(rows[header_idx], columns)
    prepared.header_row = header_idx + 1
    if hmap.missing:
        prepared.header_error = "缺少必填列：" + "、".join(hmap.missing) + "（可下载导入模板对照表头）"
        prepared.errors.extend([header_idx + 1, name, "", "缺少必填列"] for name in hmap.missing)
    if hmap.duplicate:
        prepared.header_error = prepared.header_error or ("重复的列：" + "、".join(hmap.duplicate))
    prepared.columns_present = set(hmap.index)
    return hmap, header_idx


def prepare_members(
    rows: Sequence[Sequence[object]], scope: Scope, *, today: dt.date | None = None, progress: ProgressFn | None = None
) -> Prepared:
    """Validate a member roster (all cells of the first sheet) for ``scope`` and classify each good row.

    Writes nothing. Returns ``Prepared`` with every error and, in ``records``, the good rows with
    their outcome; ``counts`` has new / update / transfer / unchanged among them.
    """
    run = _Run(rows, scope, today=today or timezone.localdate(), progress=progress)
    for _ in run.chunks():
        pass
    return run.finish()


class _Run:
    """One pass over a roster, in the order that lets the writer stream it (``import_members``).

    1. The header is mapped. 2. Every 身份证号 is parsed once, keyed (HMAC blind index) and checked
    for duplicates in the file, so a duplicate is known before any row is written. 3. The persons
    already on file are read by blind index, one query per LOOKUP_BATCH keys, with membership,
    open affiliation and cadre unit. 4. ``chunks()`` validates COPY_CHUNK rows at a time and
    yields each chunk's good records with their outcome (new / new_member / update / transfer /
    unchanged). No query runs after step 3, so the chunks may be written on the same connection
    while the next is validated. ``finish()`` sorts the errors and counts the outcomes.
    """

    def __init__(self, rows: Sequence[Sequence[object]], scope: Scope, *, today: dt.date, progress: ProgressFn | None):
        t0 = time.perf_counter()
        self.p = p = Prepared()
        self.scope, self.progress = scope, progress
        hmap, header_idx = map_roster(rows, MEMBER_COLUMNS, p)
        self.data = list(iter_data_rows(rows, header_idx)) if hmap is not None else []
        p.total_rows = len(self.data)
        self.v: _MemberValidator | None = None
        self.found: dict[str, tuple] = {}
        if p.header_error:
            p.error_rows.update(r for r, _ in self.data)
        else:
            self.v = _MemberValidator(hmap.index, scope, today, p)
            keys = self._id_pass()
            t1 = time.perf_counter()
            for start in range(0, len(keys), LOOKUP_BATCH):
                self.found.update((f[0], f[1:]) for f in _lookup_persons(keys[start : start + LOOKUP_BATCH]))
            p.timings["validate.lookup"] = time.perf_counter() - t1
        p.timings["validate"] = time.perf_counter() - t0

    def _id_pass(self) -> list[str]:
        """Parse and key every 身份证号 (memoized for ``row``); report duplicates on both rows. Returns the keys."""
        v, add = self.v, self.p.add_error
        col = v.ix["id_number"]
        seen: dict[str, int] = {}
        for row, cells in self.data:
            raw = cells[col] if col < len(cells) else None
            info = v.id_info(raw.strip() if type(raw) is str else cell_text(raw))
            if type(info) is str:
                continue  # no number or a bad one: ``row`` reports it
            key = v.key_of(info.number)
            first = seen.get(key)
            if first is None:
                seen[key] = row
            else:
                add(row, "身份证号", info.number, f"身份证号与第{first}行重复（同一人出现两次）")
                add(first, "身份证号", info.number, f"身份证号与第{row}行重复（同一人出现两次）")
        return list(seen)

    def chunks(self) -> Iterator[list[MemberRecord]]:
        """Validate and classify the rows, COPY_CHUNK at a time; yield each chunk's good records."""
        if self.v is None:
            return
        row_fn, bad, p, found, classify = self.v.row, self.p.error_rows, self.p, self.found, self._classify
        data, total = self.data, len(self.data)
        for start in range(0, total, COPY_CHUNK):
            t0 = time.perf_counter()
            good = []
            for row, cells in data[start : start + COPY_CHUNK]:
                rec = row_fn(row, cells)
                if rec is not None and row not in bad and (rec.id_index not in found or classify(rec)):
                    good.append(rec)
            p.records.extend(good)
            if self.progress is not None:
                self.progress(min(start + COPY_CHUNK, total), total)
            p.timings["validate"] += time.perf_counter() - t0
            yield good

    def _classify(self, rec: MemberRecord) -> bool:  # noqa: C901 (one branch per outcome)
        """Set the outcome of a good record from the person on file; False (with an error) when it may not be written."""
        found = self.found.get(rec.id_index)
        if found is None:
            return True  # outcome "new"
        pid, *rest = found
        rec.person_id = pid
        n = len(_PERSON_COMPARE)
        old = dict(zip(_PERSON_COMPARE, rest[:n], strict=True))
        phone_cipher, mid, morg, mstatus, mjoined, mconf, mocc, mleft, aff_id, aff_start, cadre_unit_path = rest[n:]
        changes = {}
        for k, v in rec.person.items():
            if k == "phone":
                if (crypto.decrypt(phone_cipher, context=PHONE_CONTEXT) if phone_cipher else "") != v:
                    changes[k] = v
            elif old[k] != v:
                changes[k] = v
        rec.person_changes = changes
        add, scope = self.p.add_error, self.scope
        if mid is None:
            if cadre_unit_path is not None and not cadre_unit_path.startswith(scope.unit_path):
                # a cadre of another county (not a member): not ours to change
                add(rec.row, "身份证号", rec.id_number, "该身份证号的人员不在您的管理范围内")
                return False
            rec.outcome = "new_member"
            return True
        if mleft is not None:
            add(rec.row, "身份证号", rec.id_number, "该人员已出党（停止党籍），不能通过名册导入恢复")
            return False
        branches = self.v.branches
        if not branches.paths.get(morg, "").startswith(scope.org_path):
            add(rec.row, "身份证号", rec.id_number, f"该党员现在{branches.names.get(morg, '')}，不在您的管理范围内，请办理组织关系转接")
            return False
        rec.member_id = mid
        old_member = dict(zip(_MEMBER_COMPARE, (morg, mstatus, mjoined, mconf, mocc), strict=True))
        rec.member_changes = {k: v for k, v in rec.member.items() if old_member[k] != v}
        if "org_id" in rec.member_changes:
            rec.outcome = "transfer"
            rec.open_affiliation = (aff_id, aff_start) if aff_id is not None else None
        elif rec.member_changes or rec.person_changes:
            rec.outcome = "update"
        else:
            rec.outcome = "unchanged"
        return True

    def finish(self) -> Prepared:
        """Drop records of rows that got an error after they were classified; sort errors; count outcomes."""
        p = self.p
        if any(r.row in p.error_rows for r in p.records):
            p.records = [r for r in p.records if r.row not in p.error_rows]
        counts = dict.fromkeys(("new", "update", "transfer", "unchanged"), 0)
        for rec in p.records:
            counts["new" if rec.outcome in ("new", "new_member") else rec.outcome] += 1
        p.counts = counts
        p.errors.sort(key=lambda e: e[0])
        return p


_ROW_KEYS = (
    "name", "gender", "ethnicity", "birth_date", "id_number", "education", "degree", "native_place",
    "work_start_date", "branch", "joined_date", "confirmed_date", "occupation", "status", "phone",
)  # fmt: skip


class _MemberValidator:
    """Validates single rows with lookups built once per import.

    Hot path of the import (≈100,000 calls): the mapped cells are fetched with one itemgetter,
    codes, dates and branch names are memoized by the text as typed, and only a good row builds
    its dicts and record.
    """

    def __init__(self, index: dict[str, int], scope: Scope, today: dt.date, prepared: Prepared):
        self.ix = index
        self.today = today
        self.p = prepared
        self.branches = BranchResolver.build(scope)
        self.places = NativePlaceResolver() if "native_place" in index else None
        self._dates: dict[object, ParsedDate | str] = {}
        self._codes: dict[str, dict[str, str | None]] = defaultdict(dict)
        self._has = frozenset(index)
        self._ids: dict[str, IdNumberInfo | str] = {}  # 身份证号 as typed → parsed, or the reason it is bad
        self._keys: dict[str, str] = {}  # normalized 身份证号 → blind index
        # absent columns read the None appended to every row (index -1)
        self._width = max(index.values(), default=-1) + 1
        self._get = itemgetter(*(index.get(k, -1) for k in _ROW_KEYS))

    def id_info(self, text: str) -> IdNumberInfo | str:
        """The parsed 身份证号 of a cell text, or the Chinese reason it is bad ('' text: 不能为空), memoized."""
        got = self._ids.get(text)
        if got is None:
            if not text:
                got = "身份证号不能为空"
            else:
                try:
                    got = parse_id_number(text)
                except IdNumberError as exc:
                    got = str(exc)
            self._ids[text] = got
        return got

    def key_of(self, number: str) -> str:
        """The blind index of a normalized 身份证号, memoized."""
        got = self._keys.get(number)
        if got is None:
            got = self._keys[number] = id_number_index(number)
        return got

    def _date(self, row: int, header: str, value: object) -> ParsedDate | None:
        if value is None or value == "":
            return None
        # Texts key the memo directly; other values by type too (True and 1, a date and a datetime differ).
        key = value if type(value) is str else (type(value), value)
        got = self._dates.get(key)
        if got is None:
            try:
                got = parse_date(value)
            except DateParseError as exc:
                got = str(exc)
            self._dates[key] = got
        if type(got) is str:
            self.p.add_error(row, header, value, got)
            return None
        return got

    def _code(self, table: str, text: str) -> str | None:
        memo = self._codes[table]
        try:
            return memo[text]
        except KeyError:
            code = memo[text] = code_of(table, text)
            return code

    def row(self, row: int, cells: Sequence[object]) -> MemberRecord | None:  # noqa: C901 (one check per column)
        """Validate one data row (Excel row number ``row``); errors go to ``prepared``, a good row gives a record."""
        add = self.p.add_error
        errors_before = len(self.p.errors)
        if len(cells) < self._width:
            cells = [*cells, *[None] * (self._width - len(cells))]
        (name, gender_raw, ethnicity, birth_raw, raw_id, education, degree, native, work_raw, branch_text,
         joined_raw, confirmed_raw, occ_text, status_text, phone) = [
            v.strip() if type(v) is str else v for v in self._get([*cells, None])
        ]  # fmt: skip
        has = self._has

        if type(name) is not str:
            name = cell_text(name)
        if not name:
            add(row, "姓名", "", "姓名不能为空")
        elif len(name) > 40:
            add(row, "姓名", name, "姓名超过40个字")
        if type(raw_id) is not str:
            raw_id = cell_text(raw_id)
        info = self.id_info(raw_id)
        if type(info) is str:
            add(row, "身份证号", raw_id, info)
            info = None
        person: dict = {"name": name}
        member: dict = {}
        # 性别
        if type(gender_raw) is not str:
            gender_raw = cell_text(gender_raw)
        if gender_raw:
            g = self._code("gender", gender_raw)
            if g is None:
                add(row, "性别", gender_raw, f"未知的性别“{gender_raw}”（应为男或女）")
            elif info is not None and g != info.gender:
                add(row, "性别", gender_raw, f"性别“{gender_raw}”与身份证号（{codes.label('gender', info.gender)}）不一致")
        if info is not None:
            person["gender"] = info.gender
            person["birth_date"] = info.birth_date
        # 出生年月
        birth = self._date(row, "出生年月", birth_raw)
        if birth is not None and info is not None:
            b = info.birth_date
            if (birth.date != b) if birth.day_known else ((birth.date.year, birth.date.month) != (b.year, b.month)):
                shown = f"{birth.date:%Y.%m.%d}" if birth.day_known else f"{birth.date:%Y.%m}"
                add(row, "出生年月", birth_raw, f"出生年月{shown}与身份证号（{b:%Y.%m.%d}）不一致")
        # codes
        for key, header, default, value in (
            ("ethnicity", "民族", codes.HAN, ethnicity), ("education", "学历", "", education), ("degree", "学位", "0", degree)
        ):  # fmt: skip
            if key not in has:
                continue
            if type(value) is not str:
                value = cell_text(value)
            if not value:
                person[key] = default
                continue
            code = self._code(key, value)
            if code is None:
                add(row, header, value, f"未知的{header}“{value}”（应为{codes.TABLE_TITLES[key]}中的名称）")
            else:
                person[key] = code
        if "native_place" in has:
            value = native if type(native) is str else cell_text(native)
            if not value:
                person["native_place"] = ""
            else:
                code = self.places.resolve(value)
                if code is None:
                    add(row, "籍贯", value, f"籍贯“{value}”无法对应行政区划代码（请填写6位区划代码或县（市、区）名称）")
                else:
                    person["native_place"] = code
        if "work_start_date" in has:
            work = self._date(row, "参加工作时间", work_raw)
            person["work_start_date"] = work.date if work else None
            if work is not None and info is not None and work.date <= info.birth_date:
                add(row, "参加工作时间", work_raw, "参加工作时间早于出生日期")
            elif work is not None and work.date > self.today:
                add(row, "参加工作时间", work_raw, "参加工作时间晚于今天")
        if "phone" in has:
            if type(phone) is not str:
                phone = cell_text(phone)
            if phone and not _PHONE.match(phone):
                add(row, "联系电话", phone, "联系电话格式不正确（应为数字，可含-）")
            person["phone"] = phone
        # 所在党支部
        if type(branch_text) is not str:
            branch_text = cell_text(branch_text)
        org_id = None
        if not branch_text:
            add(row, "所在党支部", "", "所在党支部不能为空")
        else:
            org_id, reason = self.branches.resolve(branch_text)
            if org_id is None:
                add(row, "所在党支部", branch_text, reason)
        # 人员类别
        if type(occ_text) is not str:
            occ_text = cell_text(occ_text)
        if not occ_text:
            add(row, "人员类别", "", "人员类别不能为空")
        else:
            occ = self._code("occupation", occ_text)
            if occ is None:
                add(row, "人员类别", occ_text, f"未知的人员类别“{occ_text}”（应为党内统计的职业类别，如农牧渔民、离退休人员）")
            member["occupation"] = occ
        # 入党时间, 转正时间, 党员类别
        joined = self._date(row, "入党时间", joined_raw)
        if joined is None and (joined_raw is None or joined_raw == ""):
            add(row, "入党时间", "", "入党时间不能为空")
        confirmed = self._date(row, "转正时间", confirmed_raw)
        if type(status_text) is not str:
            status_text = cell_text(status_text)
        status = None
        if status_text:
            status = self._code("member_status", status_text)
            if status is None:
                add(row, "党员类别", status_text, f"未知的党员类别“{status_text}”（应为正式党员或预备党员）")
        if status is None and not status_text:
            status = MemberStatus.FULL if confirmed is not None else MemberStatus.PROBATIONARY
        if joined is not None:
            self._check_joined(row, joined, joined_raw, info)
            if confirmed is not None:
                self._check_confirmed(row, joined, confirmed, confirmed_raw)
            elif status == MemberStatus.FULL and self.today < add_years(joined.date, 1):
                add(row, "党员类别", status_text, f"入党不满一年，不能为正式党员（{SOURCE_PROBATION}）")
        if status == MemberStatus.PROBATIONARY and confirmed is not None:
            add(row, "转正时间", confirmed_raw, "预备党员不应填写转正时间")
        if len(self.p.errors) != errors_before:
            return None
        member["org_id"] = org_id
        member["status"] = str(status)
        member["joined_date"] = joined.date
        member["confirmed_date"] = confirmed.date if confirmed else None
        return MemberRecord(row, self.key_of(info.number), info.number, person, member, org_id)

    def _check_joined(self, row: int, joined: ParsedDate, raw: object, info) -> None:
        if joined.date > self.today:
            self.p.add_error(row, "入党时间", raw, "入党时间晚于今天")
        if info is not None:
            last_day = joined.date if joined.day_known else _month_end(joined.date)
            if age_on(info.birth_date, last_day) < 18:
                self.p.add_error(
                    row, "入党时间", raw, f"入党时未满18周岁（18周岁生日为{add_years(info.birth_date, 18):%Y.%m.%d}；{SOURCE_AGE}）"
                )

    def _check_confirmed(self, row: int, joined: ParsedDate, confirmed: ParsedDate, raw: object) -> None:
        j, c = joined.date, confirmed.date
        if c > self.today:
            self.p.add_error(row, "转正时间", raw, "转正时间晚于今天")
        if c <= j and (joined.day_known and confirmed.day_known or (c.year, c.month) < (j.year, j.month)):
            self.p.add_error(row, "转正时间", raw, "转正时间早于入党时间")
            return
        if joined.day_known and confirmed.day_known:
            short = c < add_years(j, 1)
        else:
            short = (c.year, c.month) < (j.year + 1, j.month)
        if short:
            self.p.add_error(row, "转正时间", raw, f"预备期不足一年（{SOURCE_PROBATION}）")


# --------------------------------------------------------------------------- persons on file

_PERSON_COMPARE = ("name", "gender", "ethnicity", "birth_date", "native_place", "education", "degree", "work_start_date")
_MEMBER_COMPARE = ("org_id", "status", "joined_date", "confirmed_date", "occupation")


def _lookup_persons(indexes: list[str]) -> list[tuple]:
    """Persons with these blind indexes, one row each: (blind index, id, *_PERSON_COMPARE, phone
    cipher, member id, org, status, joined, confirmed, occupation, left date, open affiliation id
    and start, cadre unit path); the member, affiliation and cadre columns are None when absent.

    PostgreSQL takes the keys as one text parameter split on the server (dumping a 20,000-element
    array costs more in Python); SQLite as one JSON parameter.
    """
    if not indexes:
        return []
    qn = connection.ops.quote_name
    meta = Person._meta
    person_cols = ", ".join(f"p.{qn(meta.get_field(f).column)}" for f in ("id_number_index", "id", *_PERSON_COMPARE, "phone_cipher"))
    member_cols = ", ".join(f"m.{qn(f)}" for f in ("id", "org_id", "status", "joined_date", "confirmed_date", "occupation", "left_date"))
    from zugong.cadres.models import Cadre

    if _is_pg():
        match, param = "= ANY(string_to_array(%s, ','))", ",".join(indexes)
    else:
        match, param = "IN (SELECT value FROM json_each(%s))", json.dumps(indexes)
    sql = (
        f"SELECT {person_cols}, {member_cols}, a.{qn('id')}, a.{qn('start')}, u.{qn('path')} "
        f"FROM {qn(meta.db_table)} p "
        f"LEFT JOIN {qn(PartyMember._meta.db_table)} m ON m.{qn('person_id')} = p.{qn('id')} "
        f"LEFT JOIN {qn(Affiliation._meta.db_table)} a ON a.{qn('member_id')} = m.{qn('id')} AND a.{qn('end')} IS NULL "
        f"LEFT JOIN {qn(Cadre._meta.db_table)} c ON c.{qn('person_id')} = p.{qn('id')} "
        f"LEFT JOIN {qn(Unit._meta.db_table)} u ON u.{qn('id')} = c.{qn('unit_id')} "
        f"WHERE p.{qn('id_number_index')} {match}"
    )
    with connection.cursor() as cur:
        cur.execute(sql, [param])
        return cur.fetchall()




# --------------------------------------------------------------------------- writing


def _is_pg() -> bool:
    return connection.vendor == "postgresql"


def allocate_ids(model: type[Model], n: int) -> list[int]:
    """Reserve ``n`` primary keys of ``model`` (PostgreSQL: its sequence; SQLite: above the current maximum).

    Must run inside the write transaction (SQLite holds the write lock from BEGIN IMMEDIATE).
    """
    if n == 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cur:
        if _is_pg():
            seq = _sequence(cur, table)
            cur.execute("SELECT nextval(%s::regclass) FROM generate_series(1, %s)", [seq, n])
            return [r[0] for r in cur.fetchall()]
        cur.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{table}"')
        top = cur.fetchone()[0]
        cur.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        got = cur.fetchone()
        top = max(top, got[0] if got else 0)
        return list(range(top + 1, top + 1 + n))


def _sequence(cur, table: str) -> str:
    """The id sequence of ``table`` (PostgreSQL), resolved once per statement: pg_get_serial_sequence()
    evaluated per row made id allocation 10× slower."""
    cur.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
    return cur.fetchone()[0]


def _columns(model: type[Model]) -> list:
    return [f for f in model._meta.concrete_fields]


def _defaults(fields: list) -> dict:
    """attname → the value a row lacking it gets: now for auto_now(_add) fields, else the field's
    default ('' for text fields without one, else None), in column order."""
    now = timezone.now()
    return {f.attname: now if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False) else f.get_default()
            for f in fields}


def _pg_types(cur, table: str, columns: list[str]) -> list[int]:
    """PostgreSQL type oids of ``columns`` of ``table``, for binary COPY (about 3× faster than text here)."""
    cur.execute(
        "SELECT attname, atttypid::int FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0",
        [connection.ops.quote_name(table)],
    )
    oids = dict(cur.fetchall())
    return [oids[c] for c in columns]


def bulk_insert(model: type[Model], rows: Iterable[dict]) -> None:
    """Insert ``rows`` (dicts of field attname → value, including ``id``) into ``model``'s table.

    Fields a row lacks take their model default (auto_now fields: now). PostgreSQL uses COPY,
    SQLite executemany. Values are passed as parameters (never interpolated).
    """
    if isinstance(rows, list) and not rows:
        return
    fields = _columns(model)
    defaults = _defaults(fields)
    names = [f.attname for f in fields]
    cols = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cur:
        if _is_pg():
            types = _pg_types(cur, model._meta.db_table, [f.column for f in fields])
            # The queued writer sends buffers from a thread: the server inserts (and maintains its
            # indexes) while Python keeps preparing rows — rows may be a generator for that reason.
            from psycopg.copy import QueuedLibpqWriter

            writer = QueuedLibpqWriter(cur.cursor)
            with cur.copy(f"COPY {table} ({cols}) FROM STDIN (FORMAT BINARY)", writer=writer) as copy:
                copy.set_types(types)
                for r in rows:
                    copy.write_row([r[k] if k in r else defaults[k] for k in names])
        else:
            marks = ", ".join(["%s"] * len(fields))
            sql = f"INSERT INTO {table} ({cols}) VALUES ({marks})"
            batch = [[r[k] if k in r else defaults[k] for k in names] for r in rows]
            for i in range(0, len(batch), 20000):
                cur.executemany(sql, batch[i : i + 20000])


def bulk_update(model: type[Model], names: Sequence[str], rows: list[tuple]) -> None:
    """Set fields ``names`` of ``model`` rows: each row is ``(id, value, …)`` in the order of ``names``.

    PostgreSQL: COPY into a temporary table, then one ``UPDATE … FROM``; SQLite: executemany.
    """
    if not rows:
        return
    meta = model._meta
    qn = connection.ops.quote_name
    table = qn(meta.db_table)
    cols = [meta.get_field(n).column for n in names]
    with connection.cursor() as cur:
        if _is_pg():
            tmp = f"_imp_{meta.db_table}"
            select = ", ".join(["id", *map(qn, cols)])
            cur.execute(f"DROP TABLE IF EXISTS {tmp}")
            cur.execute(f"CREATE TEMP TABLE {tmp} ON COMMIT DROP AS SELECT {select} FROM {table} WITH NO DATA")
            types = _pg_types(cur, meta.db_table, ["id", *cols])
            with cur.copy(f"COPY {tmp} ({select}) FROM STDIN (FORMAT BINARY)") as copy:
                copy.set_types(types)
                for r in rows:
                    copy.write_row(r)
            sets = ", ".join(f"{qn(c)} = t.{qn(c)}" for c in cols)
            cur.execute(f"UPDATE {table} AS m SET {sets} FROM {tmp} AS t WHERE m.id = t.id")
        else:
            sets = ", ".join(f"{qn(c)} = %s" for c in cols)
            sql = f"UPDATE {table} SET {sets} WHERE id = %s"
            cur.executemany(sql, [(*r[1:], r[0]) for r in rows])


COPY_CHUNK = 5000


def copy_pipelined(tables: Sequence[tuple[type[Model], Sequence[str]]], chunks: Iterable[Sequence[list[tuple]]]) -> None:
    """PostgreSQL: COPY chunks of rows into ``tables`` ((model, columns) pairs; one list of tuples
    in column order per table per chunk).

    A worker thread runs the binary COPY statements on this connection (same transaction) while the
    calling thread produces the next chunk — ``chunks`` may be a generator that validates as it
    goes — so the server's inserts, index updates and (immediate) foreign-key checks of one chunk
    overlap the Python work of the next. Exceptions of the worker are raised here after it stopped.
    """
    qn = connection.ops.quote_name
    sqls = [f"COPY {qn(m._meta.db_table)} ({', '.join(map(qn, cols))}) FROM STDIN (FORMAT BINARY)" for m, cols in tables]
    with connection.cursor() as cur:
        types = [_pg_types(cur, m._meta.db_table, list(cols)) for m, cols in tables]
    raw = connection.connection  # the psycopg connection: Django's wrapper is per thread
    todo: queue.Queue = queue.Queue(maxsize=2)
    failure: list[BaseException] = []

    def work() -> None:
        with raw.cursor() as cur:
            while (item := todo.get()) is not None:
                if failure:
                    continue  # drain until the end marker
                try:
                    for sql, oids, rows in zip(sqls, types, item, strict=True):
                        if not rows:
                            continue
                        with cur.copy(sql) as copy:
                            copy.set_types(oids)
                            write = copy.write_row
                            for row in rows:
                                write(row)
                except BaseException as exc:  # re-raised by the calling thread
                    failure.append(exc)

    worker = threading.Thread(target=work, name="import-copy", daemon=True)
    worker.start()
    try:
        for chunk in chunks:
            if failure:
                break
            todo.put(chunk)
    finally:
        todo.put(None)
        worker.join()
    if failure:
        raise failure[0]


def person_update_values(changes: dict) -> dict:
    """Model values for changed roster fields of an existing Person (name keys and phone re-derived)."""
    out = {k: v for k, v in changes.items() if k != "phone"}
    if "name" in changes:
        out["name_initials"] = name_initials(changes["name"])
        out["stroke_key"] = name_stroke_key(changes["name"])
    if "phone" in changes:
        out["phone_cipher"] = crypto.encrypt(changes["phone"], context=PHONE_CONTEXT) if changes["phone"] else None
    return out


def _grouped_updates(model: type[Model], items: list[tuple[int, dict]]) -> None:
    """Apply per-row change dicts, grouped by the set of changed fields (one bulk_update per group)."""
    groups: dict[tuple[str, ...], list[tuple]] = defaultdict(list)
    now = timezone.now()
    for pk, values in items:
        names = tuple(sorted(values))
        groups[names].append((pk, *(values[n] for n in names), now))
    for names, rows in groups.items():
        bulk_update(model, [*names, "updated_at"], rows)


class _Clock:
    """Adds the seconds since the previous call to ``timings[label]`` (for the benchmark's breakdown)."""

    def __init__(self, timings: dict):
        self.timings, self.t = timings, time.perf_counter()

    def __call__(self, label: str) -> None:
        now = time.perf_counter()
        self.timings[label] = self.timings.get(label, 0) + now - self.t
        self.t = now


# Column order of the COPY/INSERT of new rows; a test checks they cover the models' columns.
PERSON_COLUMNS = (
    "id", "name", "name_initials", "stroke_key", "id_number_cipher", "id_number_index", "id_number_masked", "gender",
    "ethnicity", "birth_date", "native_place", "education", "degree", "work_start_date", "phone_cipher", "created_at",
    "updated_at",
)  # fmt: skip
MEMBER_COLUMNS_DB = (
    "id", "person_id", "org_id", "status", "joined_date", "confirmed_date", "occupation", "left_date", "created_at", "updated_at",
)  # fmt: skip
AFFILIATION_COLUMNS = ("id", "member_id", "org_id", "start", "end", "document_no", "reason")
_NEW_ROW_TABLES = ((Person, PERSON_COLUMNS), (PartyMember, MEMBER_COLUMNS_DB), (Affiliation, AFFILIATION_COLUMNS))


def new_rows(recs: Sequence[MemberRecord], now: dt.datetime) -> tuple[list[tuple], list[tuple], list[tuple]]:
    """Rows of PERSON_COLUMNS, MEMBER_COLUMNS_DB and AFFILIATION_COLUMNS for records with ids assigned.

    A record of outcome "new" gives a person; every record a member and its first affiliation
    (from 入党时间, in the branch of the roster). 身份证号 and phone are encrypted here (AES-GCM).
    """
    people = [r for r in recs if r.outcome == "new"]
    id_ciphers = crypto.encrypt_many([r.id_number for r in people], context=ID_CONTEXT)
    phones = [r.person.get("phone", "") for r in people]
    phone_ciphers = iter(crypto.encrypt_many([ph for ph in phones if ph], context=PHONE_CONTEXT))
    persons = []
    for r, id_cipher, phone in zip(people, id_ciphers, phones, strict=True):
        p = r.person
        name = p["name"]
        persons.append((
            r.person_id, name, name_initials(name), name_stroke_key(name), id_cipher, r.id_index,
            mask_id_number(r.id_number), p["gender"], p.get("ethnicity", codes.HAN), p["birth_date"],
            p.get("native_place", ""), p.get("education", ""), p.get("degree", "0"), p.get("work_start_date"),
            next(phone_ciphers) if phone else None, now, now,
        ))  # fmt: skip
    members, affiliations = [], []
    for r in recs:
        m = r.member
        members.append((r.member_id, r.person_id, r.org_id, m["status"], m["joined_date"], m["confirmed_date"],
                        m["occupation"], None, now, now))  # fmt: skip
        affiliations.append((r.affiliation_id, r.member_id, r.org_id, m["joined_date"], None, "", "名册导入"))
    return persons, members, affiliations


def allocate_id_blocks(counts: Sequence[tuple[type[Model], int]]) -> list[list[int]]:
    """``allocate_ids`` for several models at once (PostgreSQL: one statement for all sequences)."""
    if not _is_pg() or len(counts) < 2:
        return [allocate_ids(m, n) for m, n in counts]
    n = max(c for _, c in counts)
    if n == 0:
        return [[] for _ in counts]
    with connection.cursor() as cur:
        seqs = [_sequence(cur, model._meta.db_table) for model, _ in counts]
        cols = ", ".join("CASE WHEN g <= %s THEN nextval(%s::regclass) END" for _ in seqs)
        params = [x for (_, c), seq in zip(counts, seqs, strict=True) for x in (c, seq)]
        cur.execute(f"SELECT {cols} FROM generate_series(1, %s) AS g", [*params, n])
        got = cur.fetchall()
    return [[row[i] for row in got[:c]] for i, (_, c) in enumerate(counts)]


def import_members(
    rows: Sequence[Sequence[object]], scope: Scope, *, today: dt.date, good_rows_only: bool = False
) -> tuple[Prepared, dict[str, int] | None]:
    """Validate and write a member roster in one pass; the caller holds the transaction.

    Returns ``(prepared, counts)``; counts (created, updated, unchanged, transferred) is None when
    nothing may be kept — a header error, or rows with errors while ``good_rows_only`` is False —
    and the caller must roll back: new rows of earlier chunks may already be written.

    New persons, members and affiliations are written chunk by chunk while the next chunk is
    validated (PostgreSQL: COPY from a worker thread on this connection; SQLite: executemany);
    in-file duplicates and the persons on file are known before the first chunk (``_Run``), so a
    row that is written is never taken back. Updates, transfers and id gaps follow at the end.
    Raises whatever the database raises (e.g. IntegrityError when another import wrote the same
    person meanwhile); the caller's transaction then writes nothing.
    """
    t0 = time.perf_counter()
    run = _Run(rows, scope, today=today, progress=None)
    p = run.p
    if p.header_error or (p.error_rows and not good_rows_only):
        for _ in run.chunks():  # report every error; write nothing
            pass
        return run.finish(), None
    # ids: an upper bound of new persons / members is known from the lookup; unused ids are gaps
    member_of = len(_PERSON_COMPARE) + 2  # position of the member id in a lookup row (after id, fields, phone)
    n_persons = max(0, len(run.data) - len(run.found))
    n_members = n_persons + sum(1 for f in run.found.values() if f[member_of] is None)
    person_ids, member_ids, aff_ids = map(iter, allocate_id_blocks([(Person, n_persons), (PartyMember, n_members), (Affiliation, n_members)]))
    now = timezone.now()
    t_ids = time.perf_counter()
    p.timings["write.ids"] = t_ids - t0 - p.timings["validate"]

    def chunks() -> Iterator[tuple[list[tuple], ...]]:
        for recs in run.chunks():
            if p.error_rows and not good_rows_only:
                continue  # stop writing, keep validating to report every error; the caller rolls back
            new = [r for r in recs if r.outcome in ("new", "new_member")]
            for r in new:
                if r.outcome == "new":
                    r.person_id = next(person_ids)
                r.member_id, r.affiliation_id = next(member_ids), next(aff_ids)
            if new:
                yield new_rows(new, now)

    if _is_pg():
        with connection.cursor() as cur:
            # foreign keys checked at the end of each COPY, in the server while Python validates the next chunk
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
        copy_pipelined(_NEW_ROW_TABLES, chunks())
    else:
        for chunk in chunks():
            for (model, cols), rows_ in zip(_NEW_ROW_TABLES, chunk, strict=True):
                insert_rows(model, cols, rows_)
    p = run.finish()
    p.timings["write.stream"] = time.perf_counter() - t_ids  # chunks validated while earlier ones are written
    if p.error_count and not good_rows_only:
        return p, None
    counts = write_changes(p, today=today)
    p.timings["write"] = time.perf_counter() - t0 - p.timings["validate"]
    return p, counts


def insert_rows(model: type[Model], columns: Sequence[str], rows: list[tuple]) -> None:
    """INSERT ``rows`` (tuples in ``columns`` order) into ``model``'s table with executemany (SQLite path)."""
    if not rows:
        return
    qn = connection.ops.quote_name
    sql = f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(map(qn, columns))}) VALUES ({', '.join(['%s'] * len(columns))})"
    with connection.cursor() as cur:
        cur.executemany(sql, rows)


def write_changes(prepared: Prepared, *, today: dt.date) -> dict[str, int]:
    """Apply the updates and transfers of ``prepared``'s records (new rows are written already).

    Returns counts: created (new members), updated, unchanged, transferred (branch changed; also
    counted as updated).
    """
    recs = prepared.records
    clock = _Clock(prepared.timings)
    person_updates = [(r.person_id, person_update_values(r.person_changes)) for r in recs if r.outcome != "new" and r.person_changes]
    _grouped_updates(Person, person_updates)
    clock("write.person_updates")
    aff_rows = []
    _grouped_updates(PartyMember, [(r.member_id, r.member_changes) for r in recs if r.member_changes])
    # transfers: close the open affiliation today and open a new one (same-day corrections edit in place)
    closes, moves = [], []
    for rec in recs:
        if rec.outcome != "transfer":
            continue
        aff = rec.open_affiliation
        if aff is not None and aff[1] >= today:
            moves.append((aff[0], rec.org_id))
            continue
        if aff is not None:
            closes.append((aff[0], today, "名册导入：党支部变更"))
        aff_rows.append({"member_id": rec.member_id, "org_id": rec.org_id, "start": today, "reason": "名册导入：党支部变更"})
    bulk_update(Affiliation, ["end", "reason"], closes)
    bulk_update(Affiliation, ["org"], moves)
    clock("write.member_updates")
    ids = allocate_ids(Affiliation, len(aff_rows))
    for row, pk in zip(aff_rows, ids, strict=True):
        row["id"] = pk
    bulk_insert(Affiliation, aff_rows)
    clock("write.affiliations")
    c = prepared.counts
    return {
        "created": c.get("new", 0),
        "updated": c.get("update", 0) + c.get("transfer", 0),
        "unchanged": c.get("unchanged", 0),
        "transferred": c.get("transfer", 0),
    }
