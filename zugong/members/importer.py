"""Member roster import: validate every row, classify against the database, write in bulk.

The shape of an import (see ``zugong.members.services`` for the job lifecycle):

1. ``read_sheet`` (python-calamine) gives the cells; ``prepare_members`` maps the header row, then
   validates the rows 5,000 at a time, column by column, in plain Python against prebuilt lookup
   dicts (code tables, the branches of the whole tree with the user's subtree marked; each
   distinct cell is parsed once) and collects ``[row, column, value, reason]``.
2. Every 身份证号 is parsed and keyed once (duplicates in the file are found then) and the persons
   on file are read by blind index; each good row is then classified: new / update / transfer
   (branch changed) / unchanged (``_Run``). Validation and imports of only the good rows do this
   for the whole file first; an all-or-nothing import on PostgreSQL chunk by chunk.
3. ``import_members`` does the same in one pass inside the caller's transaction and writes as it
   goes. PostgreSQL: a CopyWorker thread owns the connection and runs, in order, the lookups (with
   the id blocks of their new rows) and the binary ``COPY`` of each chunk, formatted by the
   validating thread, so the server writes one chunk while Python validates the next; with the
   row triggers off, the references are checked per chunk (``zugong.core.bulkload``). SQLite:
   ``executemany``. Updates follow through a temporary table and ``UPDATE … FROM`` (SQLite:
   ``executemany``). A changed branch closes the open Affiliation today and opens a new one
   (组织关系转接 recorded as a dated fact, DESIGN.md decision 2).

Figures and the reasons behind each step: bench/README.md ("Fourth look" for this shape).

Rules and their sources:
- 身份证号: GB 11643-1999 (``zugong.core.rules.parse_id_number``); 出生年月 and 性别 must agree with it.
- 入党时年满十八岁: 《中国共产党章程》第一条; 《中国共产党发展党员工作细则》（2014）第二条.
- 预备期为一年: 《中国共产党章程》第七条 (转正时间 at least one year after 入党时间).
"""

from __future__ import annotations

import collections
import concurrent.futures
import contextlib
import datetime as dt
import functools
import gc
import io
import json
import queue
import re
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import pairwise, repeat
from operator import is_, itemgetter
from typing import NamedTuple

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import Model
from django.db.utils import DatabaseErrorWrapper
from django.utils import timezone

from zugong.core import bulkload, codes, crypto
from zugong.core.models import ID_CONTEXT, PHONE_CONTEXT, Person, Role
from zugong.core.names import NameKeys, name_initials, name_stroke_key
from zugong.core.rules import IdNumberError, IdNumberInfo, add_years, age_on, mask_id_number, parse_id_number
from zugong.core.scope import Scope
from zugong.core.services import id_number_index, id_number_indexes
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
from zugong.orgs.divisions import code_prefix, enclosing, national
from zugong.orgs.models import BRANCH_KINDS, STEP, OrgKind, PartyOrganization, Unit
from zugong.orgs.selectors import division_name

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


def _month_end(day: dt.date) -> dt.date:
    nxt = day.replace(day=28) + dt.timedelta(days=4)
    return nxt - dt.timedelta(days=nxt.day)


# --------------------------------------------------------------------------- lookups


@dataclass
class BranchResolver:
    """Finds a 所在党支部 by exact name or unique name suffix, within the user's subtree.

    Names are compared without blanks. A name known only outside the subtree yields
    ``OUT_OF_SCOPE``; a name that fits several branches yields an 'ambiguous' reason listing them.
    Where branches share a name (a city has several 太平村党支部), the cell names it with its
    superior organizations before it, separated by "/": “中共城北乡委员会/太平村党支部”, or
    shorter “城北乡/太平村党支部” (a qualifier matches an ancestor whose name contains it);
    ``label`` writes the shortest such name for the export, so an exported list imports again.
    """

    scope_path: str
    exact: dict[str, list[tuple[int, str, str, str]]] = field(default_factory=dict)
    branches_in_scope: list[tuple[str, int, str]] = field(default_factory=list)
    branch_names_outside: list[str] = field(default_factory=list)
    paths: dict[int, str] = field(default_factory=dict)
    names_by_path: dict[str, tuple[str, str]] = field(default_factory=dict)  # path → (compact name, name)
    _cache: dict[str, tuple[int | None, str]] = field(default_factory=dict)

    @classmethod
    def build(cls, scope: Scope) -> BranchResolver:
        res = cls(scope_path=scope.org_path)
        exact: dict[str, list] = defaultdict(list)
        for pk, name, path, kind in PartyOrganization.objects.values_list("id", "name", "path", "kind"):
            key = _compact(name)
            exact[key].append((pk, name, path, kind))
            res.paths[pk] = path
            res.names_by_path[path] = (key, name)
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

    def _ancestor_names(self, path: str) -> list[str]:
        """Compact names of the organizations above ``path``, nearest first."""
        return [self.names_by_path.get(path[:n], ("", ""))[0] for n in range(len(path) - STEP, 0, -STEP)]

    def _named(self, key: str) -> tuple[str, bool, list[tuple], list[tuple]]:
        """For a compact cell: (its last part, whether it has qualifiers, the organizations of that
        name that fit the qualifiers, those of them in the subtree). A name that itself has a "/"
        (机关/事业单位联合党支部) is taken whole; a cell of slashes alone names nothing."""
        parts = [key] if key in self.exact else [part for part in key.split("/") if part]
        if not parts:
            return "", False, [], []
        *qualifiers, key = parts
        found = self.exact.get(key, [])
        if qualifiers:  # every qualifier names an ancestor, nearest last: "县/乡/支部"
            found = [f for f in found if self._qualified(f[2], qualifiers)]
        return key, bool(qualifiers), found, [f for f in found if f[2].startswith(self.scope_path)]

    def _resolve(self, key: str, text: str) -> tuple[int | None, str]:
        key, qualified, found, inside = self._named(key)
        if not key or qualified and not found:
            return None, f"未找到党支部“{text}”"
        if len(inside) == 1:
            pk, name, _, kind = inside[0]
            if kind not in BRANCH_KINDS:
                return None, f"“{name}”是{OrgKind(kind).label}，党员应编入党支部（联合党支部）"
            return pk, ""
        if len(inside) > 1:
            example = self.label(inside[0][0])
            if not self._names_only(example, inside[0][0]):  # two of one name under one organization
                return None, f"有{len(inside)}个党组织名为“{text}”，无法确定，请联系管理员区分名称"
            return None, (f"有{len(inside)}个党组织名为“{text}”，无法确定，请在名称前写明上级党组织，"
                          f"用“/”分隔，如“{example}”")  # fmt: skip
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

    def _qualified(self, path: str, qualifiers: list[str]) -> bool:
        """True when ``qualifiers`` (outermost first) each fit an ancestor of ``path``, in order."""
        above = self._ancestor_names(path)  # nearest first
        i = 0
        for q in reversed(qualifiers):
            while i < len(above) and q not in above[i]:
                i += 1
            if i == len(above):
                return False
            i += 1
        return True

    def _names_only(self, text: str, org_id: int) -> bool:
        """True when ``text`` names ``org_id`` and no other organization in the subtree."""
        inside = self._named(_compact(text))[3]
        return len(inside) == 1 and inside[0][0] == org_id

    def label(self, org_id: int) -> str:
        """The name to write in 所在党支部 for ``org_id`` (a branch in the subtree): its own name when
        that resolves to it, else with as many superior organizations before it ("/") as it takes;
        its own name again when none does (two branches of one name under one organization: the
        import then asks to have them told apart)."""
        path = self.paths[org_id]
        own = text = self.names_by_path[path][1]
        for n in range(len(path) - STEP, 0, -STEP):
            if self._names_only(text, org_id):
                return text
            text = f"{self.names_by_path.get(path[:n], ('', ''))[1]}/{text}"
        return text if self._names_only(text, org_id) else own


def _compact(text: str) -> str:
    return re.sub(r"\s", "", text).replace("(", "（").replace(")", "）").replace("／", "/")


#: A 籍贯 as the 党员名册 export writes it: the place's name with its code in brackets, 六安市金安区（341502）.
_PLACE_WITH_CODE = re.compile(r"[（(]\s*(\d{6}|\d{9}|\d{12})\s*[）)]\s*$")


class NativePlaceResolver:
    """籍贯 → 行政区划代码. 6/9/12 digits are kept, and so is such a code in brackets after a name
    (六安市金安区（341502）, 江苏省南京市（320100）, as the export writes it). A name is looked up in the
    unit tree (its units with a code: 金安区, 金安区一镇) and in the national table
    (``zugong.orgs.divisions``) in the forms people type: 江苏省南京市, 南京市, 南京, 江苏南京, 南京市玄武区,
    河北正定, 黔东南州, 北京朝阳. When the names found lie within one of them, that one is the code
    (辽宁朝阳: 朝阳市 and its 朝阳县 → 211300); when they are places apart (朝阳区 of 北京市 and of 长春市;
    幸福社区 of two towns) nothing is guessed: ``resolve`` gives None and ``problem`` names the candidates.

    Each distinct text is resolved once (memoized); the national table is read once per process and
    its name index built on the first name that is not a code."""

    def __init__(self) -> None:
        self.by_name: dict[str, set[str]] = {}  # a unit's name → codes (幸福社区 is in two towns)
        for name, code, kind in Unit.objects.exclude(division_code="").values_list("name", "division_code", "kind"):
            short = code[:6] if kind in ("city", "county") else code
            self.by_name.setdefault(_compact(name), set()).add(short)
        self._cache: dict[str, str | None] = {}
        self._ambiguous: dict[str, list[str]] = {}
        self._problems: dict[str, str] = {}

    def resolve(self, text: str) -> str | None:
        """Division code for a 籍贯 cell, None when unknown or ambiguous (memoized by the cell text)."""
        try:
            return self._cache[text]
        except KeyError:
            pass
        key = _compact(text)
        if key.isdigit() and len(key) in (6, 9, 12):
            hit = key
        elif coded := _PLACE_WITH_CODE.search(text):
            hit = coded.group(1)
        else:
            hit = self._by_name(text, key)
        self._cache[text] = hit
        return hit

    def _by_name(self, text: str, key: str) -> str | None:
        found = national().candidates(key) | self.by_name.get(key, set())
        if found:
            hit = enclosing(found)
            if hit is None:
                self._ambiguous[text] = sorted(found)
            return hit
        # a unit's name after the places above it (六安市金安区金安区一镇): what comes before must enclose it
        ends = {c for n, codes in self.by_name.items() if key.endswith(n) and len(n) >= 2
                for c in codes if self._encloses(key[: -len(n)], c)}  # fmt: skip
        if len(ends) > 1:
            self._ambiguous[text] = sorted(ends)
        return ends.pop() if len(ends) == 1 else None

    def _encloses(self, text: str, code: str) -> bool:
        """Whether ``text`` names a division that ``code`` lies within (安徽省六安市 for 341502100000)."""
        above = national().candidates(text) | self.by_name.get(text, set())
        return any(code.startswith(code_prefix(c)) for c in above)

    def candidates(self, text: str) -> list[str]:
        """The codes of the places apart that an ambiguous ``text`` names (朝阳区 → [110105, 220104]);
        [] when it resolves or names nothing."""
        return [] if self.resolve(text) is not None else self._ambiguous.get(text, [])

    def problem(self, text: str) -> str:
        """Why ``text`` has no code, for the error of its row: the candidates of an ambiguous name
        (籍贯“朝阳区”有2处同名：北京市朝阳区（110105）、吉林省长春市朝阳区（220104），请写明省、市或填写区划代码),
        else that no division has this name. '' when ``text`` resolves. Memoized by the text: a file
        of many rows naming one ambiguous place reads the candidates' names once."""
        try:
            return self._problems[text]
        except KeyError:
            pass
        self._problems[text] = message = self._problem(text)
        return message

    def _problem(self, text: str) -> str:
        if self.resolve(text) is not None:
            return ""
        candidates = self._ambiguous.get(text, [])
        if candidates:
            # national names have at most 4 (鼓楼区, 朝阳); a village name of the tree up to 30 (街道居委会)
            named = "、".join(map(self._describe, candidates[:_LISTED])) + ("等" if len(candidates) > _LISTED else "")
            return f"籍贯“{text}”有{len(candidates)}处同名：{named}，请写明省、市或填写区划代码"
        return f"籍贯“{text}”无法对应行政区划代码（请填写6位区划代码，或省、市、县（市、区）名称，如江苏省南京市、安徽金寨）"

    def _describe(self, code: str) -> str:
        name = division_name(code, full=True)  # the tree's (六安市金安区中市街道幸福社区), else the national table's
        return f"{name}（{code}）" if name != code else code


#: Candidates an ambiguous 籍贯's message names before "等".
_LISTED = 5


# --------------------------------------------------------------------------- validation


#: Person fields a roster can give, in the order of ``MemberRecord.values`` (and of ``person``).
PERSON_FIELDS = (
    "name", "gender", "birth_date", "ethnicity", "education", "degree", "native_place", "work_start_date", "phone",
)  # fmt: skip
#: Member fields, in the order of ``MemberRecord.member_values`` (and of ``member``).
MEMBER_FIELDS = ("occupation", "org_id", "status", "joined_date", "confirmed_date")


class NewRow(NamedTuple):
    """A valid roster row as validation leaves it (outcome "new" until classified): a tuple, cheap
    to make for 100,000 rows. ``values``/``member_values`` as in MemberRecord; a row whose person
    is on file becomes a MemberRecord (``MemberRecord.of``)."""

    row: int
    id_index: str
    id_number: str
    values: tuple
    member_values: tuple
    present: tuple[int, ...]

    outcome = "new"
    person_id = None
    person_changes = None
    member_changes = None

    @property
    def org_id(self) -> int:
        return self.member_values[1]

    @property
    def person(self) -> dict:
        """Person field → value for the columns present in the roster."""
        values = self.values
        return {PERSON_FIELDS[i]: values[i] for i in self.present}

    @property
    def member(self) -> dict:
        """Member field → value (occupation, org_id, status, joined_date, confirmed_date)."""
        return dict(zip(MEMBER_FIELDS, self.member_values, strict=True))


_new_row = functools.partial(tuple.__new__, NewRow)


class MemberRecord:
    """One valid roster row: the person's values (``values``, in PERSON_FIELDS order; absent
    columns hold the defaults a new person gets) and the member's (``member_values``,
    MEMBER_FIELDS order). ``person``/``member`` give them as dicts of the columns present in the
    roster (built on use: a new person needs only the tuples). Classification fills the rest.
    """

    __slots__ = (
        "row", "id_index", "id_number", "values", "member_values", "org_id", "present", "person_id", "member_id",
        "affiliation_id", "outcome", "person_changes", "member_changes", "open_affiliation",
    )  # fmt: skip

    def __init__(
        self, row: int, id_index: str, id_number: str, values: tuple, member_values: tuple, org_id: int,
        present: tuple[int, ...] = tuple(range(len(PERSON_FIELDS))),
    ) -> None:  # fmt: skip
        self.row, self.id_index, self.id_number, self.org_id = row, id_index, id_number, org_id
        self.values, self.member_values, self.present = values, member_values, present
        self.person_id: int | None = None
        self.member_id: int | None = None
        self.affiliation_id: int | None = None
        self.outcome = "new"  # new | new_member | update | transfer | unchanged
        self.person_changes: dict | None = None  # field → new value, set when the person is on file
        self.member_changes: dict | None = None
        self.open_affiliation: tuple[int, dt.date] | None = None

    @property
    def person(self) -> dict:
        """Person field → value for the columns present in the roster (name, gender and birth date always)."""
        values = self.values
        return {PERSON_FIELDS[i]: values[i] for i in self.present}

    @property
    def member(self) -> dict:
        """Member field → value (occupation, org_id, status, joined_date, confirmed_date)."""
        return dict(zip(MEMBER_FIELDS, self.member_values, strict=True))

    def __repr__(self) -> str:
        return f"MemberRecord(row={self.row}, outcome={self.outcome!r})"

    @classmethod
    def of(cls, row: NewRow) -> MemberRecord:
        """The record of a validated row, to be classified against the person on file."""
        return cls(row.row, row.id_index, row.id_number, row.values, row.member_values, row.member_values[1], row.present)


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
    with bulk_mode():
        run = _Run(rows, scope, today=today or timezone.localdate(), progress=progress)
        for _ in run.chunks():
            pass
        return run.finish()


class _Run:
    """One pass over a roster, in the order that lets the writer stream it (``import_members``).

    1. The header is mapped. 2. Every 身份证号 is parsed, keyed (HMAC blind index) and checked for
    duplicates in the file. 3. The persons already on file are read by blind index, one query per
    LOOKUP_BATCH keys, with membership, open affiliation and cadre unit. 4. ``chunks()`` validates the rows chunk by
    chunk (``chunk_bounds``) and yields each chunk's good records with their outcome (new / new_member / update /
    transfer / unchanged). ``finish()`` sorts the errors and counts the outcomes.

    Steps 2 and 3 run for the whole file before the first chunk (``upfront``), so a duplicate is
    known before any row is written, and no query runs while the chunks are written on the same
    connection. Without ``upfront`` the caller runs them chunk by chunk (``_id_pass``, the lookup,
    ``validate``, ``classify``): see ``_stream_members``.
    """

    def __init__(
        self, rows: Sequence[Sequence[object]], scope: Scope, *, today: dt.date, progress: ProgressFn | None,
        upfront: bool = True,
    ):  # fmt: skip
        t0 = time.perf_counter()
        self.p = p = Prepared()
        self.scope, self.progress = scope, progress
        hmap, header_idx = map_roster(rows, MEMBER_COLUMNS, p)
        self.data = list(iter_data_rows(rows, header_idx)) if hmap is not None else []
        p.total_rows = len(self.data)
        self.v: _MemberValidator | None = None
        self.found: dict[str, tuple] = {}
        self.infos: list[IdNumberInfo | str] = []  # per data row: the parsed 身份证号 or why it is bad
        self.id_keys: list[str | None] = []  # per data row: its blind index (None for a bad number)
        self.seen: dict[str, int] = {}  # blind index → first row with it
        self.dup_errors: list[list] = []  # the errors "身份证号与第N行重复", listed first among their row's errors
        p.timings["validate.lookup"] = 0.0
        if p.header_error:
            p.error_rows.update(r for r, _ in self.data)
        else:
            self.v = _MemberValidator(hmap.index, scope, today, p)
            if upfront:
                self._look_up(self._id_pass(0, len(self.data)))
        p.timings["validate"] = time.perf_counter() - t0

    def _look_up(self, keys: list[str]) -> None:
        """Read the persons on file with these blind indexes into ``found``, LOOKUP_BATCH keys per query."""
        t1 = time.perf_counter()
        for start in range(0, len(keys), LOOKUP_BATCH):
            self.found.update((f[0], f[1:]) for f in _lookup_persons(keys[start : start + LOOKUP_BATCH]))
        self.p.timings["validate.lookup"] += time.perf_counter() - t1

    def _id_pass(self, start: int, end: int) -> list[str]:
        """Parse and key the 身份证号 of data rows [start, end) (appended to ``infos``/``id_keys``);
        report duplicates (also of earlier rows) on both rows. Returns the keys first seen here."""
        v, add = self.v, self.p.add_error
        col = v.ix["id_number"]
        id_info = v.id_info
        data = self.data
        infos = [
            id_info(raw.strip() if type(raw) is str else cell_text(raw))
            for raw in (cells[col] if col < len(cells) else None for _, cells in data[start:end])
        ]
        good = [(i, info.number) for i, info in enumerate(infos, start) if type(info) is not str]
        id_keys = [None] * len(infos)
        seen, new = self.seen, []
        for (i, number), key in zip(good, v.keys_of([n for _, n in good]), strict=True):
            id_keys[i - start] = key
            row = data[i][0]
            first = seen.setdefault(key, row)
            if first == row:
                new.append(key)
            else:
                add(row, "身份证号", number, f"身份证号与第{first}行重复（同一人出现两次）")
                add(first, "身份证号", number, f"身份证号与第{row}行重复（同一人出现两次）")
                self.dup_errors += self.p.errors[-2:]
        self.infos.extend(infos)
        self.id_keys.extend(id_keys)
        return new

    def chunks(self) -> Iterator[list[NewRow | MemberRecord]]:
        """Validate and classify the rows chunk by chunk (``chunk_bounds``); yield each chunk's good records."""
        if self.v is None:
            return
        total = len(self.data)
        for start, end in chunk_bounds(total):
            good = self.classify(self.validate(start, end))
            if self.progress is not None:
                self.progress(end, total)
            yield good

    def validate(self, start: int, end: int) -> list[NewRow]:
        """The good rows among data rows [start, end), whose 身份证号 are keyed (``_id_pass``)."""
        t0 = time.perf_counter()
        got = self.v.rows(*(x[start:end] for x in (self.data, self.infos, self.id_keys)))
        self.p.timings["validate"] += time.perf_counter() - t0
        return got

    def classify(self, recs: list[NewRow]) -> list[NewRow | MemberRecord]:
        """Drop rows with errors; a row whose person is on file (``found``) becomes a classified
        MemberRecord, or is dropped with an error. Adds the rest to ``records`` and returns them."""
        t0 = time.perf_counter()
        bad, found = self.p.error_rows, self.found
        if bad or found:
            recs = [rec for rec in recs if rec.row not in bad]
            for i, rec in enumerate(recs):
                if rec.id_index in found:
                    recs[i] = self._classify(MemberRecord.of(rec))
            recs = [rec for rec in recs if rec is not None]
        self.p.records.extend(recs)
        self.p.timings["validate"] += time.perf_counter() - t0
        return recs

    def _classify(self, rec: MemberRecord) -> MemberRecord | None:  # noqa: C901 (one branch per outcome)
        """Set the outcome of a good record from the person on file; None (with an error) when it may not be written."""
        found = self.found.get(rec.id_index)
        if found is None:
            return rec  # outcome "new"
        n = len(_PERSON_COMPARE) + 1
        rec.person_id, old = found[0], found[1:n]  # old: the compared person fields, _PERSON_COMPARE order
        phone_cipher, mid, morg, mstatus, mjoined, mconf, mocc, mleft, aff_id, aff_start, cadre_unit_path, cadre_level = found[n:]
        values, changes = rec.values, {}
        for i in rec.present:  # the roster's columns, PERSON_FIELDS order
            v, at = values[i], _OLD_AT[i]
            if at is None:  # the phone, kept encrypted: compared in clear
                if (crypto.decrypt(phone_cipher, context=PHONE_CONTEXT) if phone_cipher else "") != v:
                    changes["phone"] = v
            elif old[at] != v:
                changes[PERSON_FIELDS[i]] = v
        rec.person_changes = changes
        add, scope = self.p.add_error, self.scope
        if mid is None:
            if cadre_unit_path is not None and not cadre_unit_path.startswith(scope.unit_path):
                # a cadre of another county (not a member): not ours to change
                add(rec.row, "身份证号", rec.id_number, "该身份证号的人员不在您的管理范围内")
                return None
            if changes and cadre_unit_path is not None:
                refusal = _cadre_person_refusal(scope, cadre_unit_path, cadre_level)
                if refusal:  # a cadre without a membership here yet: the person record is still not ours
                    add(rec.row, "身份证号", rec.id_number, refusal + _differing(changes))
                    return None
            rec.outcome = "new_member"
            return rec
        if mleft is not None:
            add(rec.row, "身份证号", rec.id_number, "该党员已减少（死亡、出党、停止党籍或转出本市），不能通过名册导入恢复；如系误办，请在人员页撤销减少")
            return None
        branches = self.v.branches
        if not branches.paths.get(morg, "").startswith(scope.org_path):
            # the other branch is not named: its members are not this user's to know about
            add(rec.row, "身份证号", rec.id_number, "该党员的组织关系不在您的管理范围内，请通过组织关系转接办理")
            return None
        if changes and cadre_unit_path is not None:
            refusal = _cadre_person_refusal(scope, cadre_unit_path, cadre_level)
            if refusal:  # the person record of a cadre the user does not manage (as the cadre roster refuses)
                add(rec.row, "身份证号", rec.id_number, refusal + _differing(changes))
                return None
        rec.member_id = mid
        compared = (morg, mstatus, mjoined, mconf, mocc)  # _MEMBER_COMPARE order
        on_file = tuple(compared[j] for j in _MEMBER_OLD_AT)  # MEMBER_FIELDS order, as member_values
        mv = rec.member_values
        rec.member_changes = {} if mv == on_file else {f: v for f, v, o in zip(MEMBER_FIELDS, mv, on_file, strict=True) if o != v}
        if "org_id" in rec.member_changes:
            rec.outcome = "transfer"
            rec.open_affiliation = (aff_id, aff_start) if aff_id is not None else None
        elif rec.member_changes or rec.person_changes:
            rec.outcome = "update"
        else:
            rec.outcome = "unchanged"
        return rec

    def finish(self) -> Prepared:
        """Drop records of rows that got an error after they were classified; sort errors; count outcomes.

        Errors are sorted by row; within a row the duplicate error comes first, then the others in
        the order of the checks. Chunk by chunk (``_stream_members``), the first of two rows with
        one 身份证号 is validated and classified before the second is seen, so it may also carry
        an error of its own that the upfront pass would not have reached (e.g. not in scope).
        """
        p = self.p
        if any(r.row in p.error_rows for r in p.records):
            p.records = [r for r in p.records if r.row not in p.error_rows]
        counts = dict.fromkeys(("new", "update", "transfer", "unchanged"), 0)
        for rec in p.records:
            counts["new" if rec.outcome in ("new", "new_member") else rec.outcome] += 1
        p.counts = counts
        if self.dup_errors:
            first = set(map(id, self.dup_errors))
            p.errors.sort(key=lambda e: (e[0], id(e) not in first))
        else:
            p.errors.sort(key=lambda e: e[0])
        return p


class _MemberValidator:
    """Validates rows with lookups built once per import.

    Hot path of the import: ``rows`` takes a chunk of rows and works column by column; codes,
    dates, texts and branch names are memoized by the cell as typed, and only a good row builds
    its record (a ``NewRow`` tuple; a ``MemberRecord`` only when its person is on file).
    """

    def __init__(self, index: dict[str, int], scope: Scope, today: dt.date, prepared: Prepared):
        self.ix = index
        self.today = today
        self.p = prepared
        self.branches = BranchResolver.build(scope)
        self.places = NativePlaceResolver() if "native_place" in index else None
        self._dates: dict[object, ParsedDate | _Reason | None] = {}  # cell → parsed date, memoized (see ``_mapped``)
        self._texts: dict[object, str] = {}  # cell → its text
        self._adult_day: dict[dt.date, dt.date] = {}  # birth date → 18th birthday
        self._year_on: dict[dt.date, dt.date] = {}  # 入党时间 → one year later
        self._codes: dict[str, dict[str, str | None]] = defaultdict(dict)
        self._has = frozenset(index)
        self._ids: dict[str, IdNumberInfo | str] = {}  # 身份证号 as typed → parsed, or the reason it is bad
        self._keys: dict[str, str] = {}  # normalized 身份证号 → blind index
        self._width = max(index.values(), default=-1) + 1
        always = ("name", "gender", "birth_date")
        self._present = tuple(i for i, f in enumerate(PERSON_FIELDS) if f in always or f in index)

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

    def keys_of(self, numbers: Sequence[str]) -> list[str]:
        """``key_of`` of each number; the new ones keyed in one batch."""
        memo = self._keys
        todo = [n for n in set(numbers) if n not in memo]
        memo.update(zip(todo, id_number_indexes(todo), strict=True))
        return [memo[n] for n in numbers]

    def key_of(self, number: str) -> str:
        """The blind index of a normalized 身份证号, memoized."""
        got = self._keys.get(number)
        if got is None:
            got = self._keys[number] = id_number_index(number)
        return got

    def _code(self, table: str, text: str) -> str | None:
        memo = self._codes[table]
        try:
            return memo[text]
        except KeyError:
            code = memo[text] = code_of(table, text)
            return code

    def row(self, row: int, cells: Sequence[object]) -> NewRow | None:
        """Validate one data row (Excel row number ``row``); errors go to ``prepared``, a good row gives a record."""
        got = self.rows([(row, cells)])
        return got[0] if got else None

    def rows(  # noqa: C901 (one pass per column)
        self,
        items: Sequence[tuple[int, Sequence[object]]],
        infos: list[IdNumberInfo | str] | None = None,
        keys: list[str | None] | None = None,
    ) -> list[NewRow]:
        """Validate data rows ``(Excel row number, cells)`` column by column; return the good rows.

        Each column is mapped through a memo of its distinct cells (a roster repeats its codes,
        dates and branch names), then the checks that join columns run row by row. Errors go to
        ``prepared`` in the order of the checks; ``_Run.finish`` orders them by row, so a row's
        errors read in the order of the checks (姓名, 身份证号, 性别, 出生年月, …).
        """
        n = len(items)
        if not n:
            return []
        add, has, today = self.p.add_error, self._has, self.today
        nums = [r for r, _ in items]
        width = self._width
        grid = [c if len(c) >= width else [*c, *[None] * (width - len(c))] for _, c in items]
        none_col = [None] * n
        cols = {key: list(map(itemgetter(i), grid)) for key, i in self.ix.items()}

        def col(key: str) -> list[object]:
            return cols.get(key, none_col)

        bad: set[int] = set()  # indexes into items of rows with an error

        def err(i: int, header: str, value: object, reason: str) -> None:
            add(nums[i], header, value, reason)
            bad.add(i)

        texts = self._texts
        # 姓名
        names = _mapped(col("name"), cell_text, texts)
        if any(not t or len(t) > 40 for t in set(names)):
            for i, name in enumerate(names):
                if not name:
                    err(i, "姓名", "", "姓名不能为空")
                elif len(name) > 40:
                    err(i, "姓名", name, "姓名超过40个字")
        # 身份证号 (parsed and keyed by the id pass, which passes ``infos``; ``id_info`` memoizes by text)
        if infos is None:
            infos = [self.id_info(v.strip() if type(v) is str else cell_text(v)) for v in col("id_number")]
        if str in set(map(type, infos)):
            for i, info in enumerate(infos):
                if type(info) is str:
                    err(i, "身份证号", cell_text(col("id_number")[i]), info)
                    infos[i] = None
        if keys is None:
            keys = [self.key_of(info.number) if info is not None else None for info in infos]
        # 性别
        g_texts = _mapped(col("gender"), cell_text, texts)
        g_codes = _mapped(g_texts, lambda t: self._code("gender", t), self._codes["gender/"])
        id_genders = [info.gender if info is not None else None for info in infos]
        # else every row has a good 身份证号 and its gender (a row without one still needs the 性别 check)
        if g_codes != id_genders or None in id_genders:
            for i, (t, g, info) in enumerate(zip(g_texts, g_codes, infos, strict=True)):
                if t:
                    if g is None:
                        err(i, "性别", t, f"未知的性别“{t}”（应为男或女）")
                    elif info is not None and g != info.gender:
                        err(i, "性别", t, f"性别“{t}”与身份证号（{codes.label('gender', info.gender)}）不一致")
        # 出生年月
        births = self._dates_of(col("birth_date"), "出生年月", err)
        id_births = [info.birth_date if info is not None else None for info in infos]
        for i, (birth, b) in enumerate(zip(births, id_births, strict=True)):
            if birth is not None and b is not None and birth.date != b:
                if birth.day_known or birth.date != b.replace(day=1):
                    shown = f"{birth.date:%Y.%m.%d}" if birth.day_known else f"{birth.date:%Y.%m}"
                    err(i, "出生年月", _stripped(col("birth_date")[i]), f"出生年月{shown}与身份证号中的出生日期不一致")  # not quoted: the digits the mask hides
        person_cols: dict[str, list] = {"name": names, "gender": id_genders, "birth_date": id_births}
        # 民族, 学历, 学位
        for key, header, default in (("ethnicity", "民族", codes.HAN), ("education", "学历", ""), ("degree", "学位", "0")):
            if key not in has:
                continue
            vals = _mapped(col(key), cell_text, texts)
            got = _mapped(vals, lambda t, key=key, default=default: self._code(key, t) if t else default, self._codes[key + "/"])
            for i in _indexes(got, None):
                v = vals[i]
                err(i, header, v, f"未知的{header}“{v}”（应为{codes.TABLE_TITLES[key]}中的名称）")
            person_cols[key] = got
        # 籍贯
        if "native_place" in has:
            vals = _mapped(col("native_place"), cell_text, texts)
            got = _mapped(vals, lambda t: self.places.resolve(t) if t else "", self._codes["native_place/"])
            for i in _indexes(got, None):
                v = vals[i]
                err(i, "籍贯", v, self.places.problem(v).removeprefix("籍贯"))  # 籍贯：“朝阳区”有2处同名…
            person_cols["native_place"] = got
        # 参加工作时间
        if "work_start_date" in has:
            works = self._dates_of(col("work_start_date"), "参加工作时间", err)
            for i, (work, info) in enumerate(zip(works, infos, strict=True)):
                if work is not None:
                    if info is not None and work.date <= info.birth_date:
                        err(i, "参加工作时间", _stripped(col("work_start_date")[i]), "参加工作时间早于出生日期")
                    elif work.date > today:
                        err(i, "参加工作时间", _stripped(col("work_start_date")[i]), "参加工作时间晚于今天")
            person_cols["work_start_date"] = [w.date if w is not None else None for w in works]
        # 联系电话
        if "phone" in has:
            # nearly every number differs: no memo
            phones = [v.strip() if type(v) is str else cell_text(v) for v in col("phone")]
            match = _PHONE.match
            for i, t in enumerate(phones):
                if t and not match(t):
                    err(i, "联系电话", t, "联系电话格式不正确（应为数字，可含-）")
            person_cols["phone"] = phones
        # 所在党支部
        b_texts = _mapped(col("branch"), cell_text, texts)
        resolve = self.branches.resolve
        orgs = _mapped(b_texts, lambda t: resolve(t) if t else (None, ""), self._codes["branch/"])
        org_ids = [o[0] for o in orgs]
        for i in _indexes(org_ids, None):
            reason = orgs[i][1]
            if not b_texts[i]:
                err(i, "所在党支部", "", "所在党支部不能为空")
            else:
                err(i, "所在党支部", b_texts[i], reason)
        # 人员类别
        o_texts = _mapped(col("occupation"), cell_text, texts)
        occs = _mapped(o_texts, lambda t: self._code("occupation", t) if t else None, self._codes["occupation/"])
        for i in _indexes(occs, None):
            t = o_texts[i]
            if not t:
                err(i, "人员类别", "", "人员类别不能为空")
            else:
                err(i, "人员类别", t, f"未知的人员类别“{t}”（应为党内统计的职业类别，如农牧渔民、离退休人员）")
        # 入党时间, 转正时间, 党员类别
        joined_col, confirmed_col = col("joined_date"), col("confirmed_date")
        joins = self._dates_of(joined_col, "入党时间", err)
        for i in _indexes(joins, None):
            raw = _stripped(joined_col[i])
            if raw is None or raw == "":
                err(i, "入党时间", "", "入党时间不能为空")
        confirms = self._dates_of(confirmed_col, "转正时间", err)
        s_texts = _mapped(col("status"), cell_text, texts)
        statuses = _mapped(s_texts, lambda t: self._code("member_status", t) if t else None, self._codes["member_status/"])
        for i in _indexes(statuses, None):
            if s_texts[i]:
                t = s_texts[i]
                err(i, "党员类别", t, f"未知的党员类别“{t}”（应为正式党员或预备党员）")
        # rules joining 入党时间, 转正时间, 党员类别 and 身份证号 (章程第一条、第七条)
        # A row passes the quick test (joined by its 18th birthday and not after today; confirmed a
        # full year after joining and not after today) or gets the exact checks and their messages.
        full, probationary = MemberStatus.FULL, MemberStatus.PROBATIONARY
        adult, year_on = self._adult_day, self._year_on
        for i in range(n):
            joined, confirmed, status = joins[i], confirms[i], statuses[i]
            if status is None and not s_texts[i]:
                status = statuses[i] = full if confirmed is not None else probationary
            if joined is not None:
                j, b = joined.date, id_births[i]
                if j > today or (b is not None and j < (adult.get(b) or self._adult(b))):
                    self._check_joined(nums[i], joined, _stripped(joined_col[i]), infos[i], bad, i)
                if confirmed is not None:
                    c = confirmed.date
                    if c > today or c < (year_on.get(j) or self._year_after(j)):
                        self._check_confirmed(nums[i], joined, confirmed, _stripped(confirmed_col[i]), bad, i)
                elif status == full and today < (year_on.get(j) or self._year_after(j)):
                    err(i, "党员类别", s_texts[i], f"入党不满一年，不能为正式党员（{SOURCE_PROBATION}）")
            if status == probationary and confirmed is not None:
                err(i, "转正时间", _stripped(confirmed_col[i]), "预备党员不应填写转正时间")
        # records of the good rows (values in PERSON_FIELDS / MEMBER_FIELDS order; absent columns: defaults)
        defaults = {"ethnicity": codes.HAN, "education": "", "degree": "0", "native_place": "", "work_start_date": None, "phone": ""}
        values = zip(*(person_cols.get(f) or [defaults[f]] * n for f in PERSON_FIELDS), strict=True)
        member_values = zip(
            occs, org_ids, map(str, statuses), [j.date if j is not None else None for j in joins],
            [c.date if c is not None else None for c in confirms], strict=True,
        )  # fmt: skip
        numbers = [info.number if info is not None else None for info in infos]
        rows = zip(nums, keys, numbers, values, member_values, repeat(self._present, n), strict=True)
        if bad:
            rows = (r for i, r in enumerate(rows) if i not in bad)
        return list(map(_new_row, rows))

    def _adult(self, birth: dt.date) -> dt.date:
        """The first day on which ``age_on`` gives 18 (memoized): the 18th birthday; for 29 February, 1 March."""
        got = add_years(birth, 18)
        if (birth.month, birth.day) == (2, 29) and got.day == 28:
            got = got + dt.timedelta(days=1)
        self._adult_day[birth] = got
        return got

    def _year_after(self, day: dt.date) -> dt.date:
        """``day`` one year on (memoized)."""
        got = self._year_on[day] = add_years(day, 1)
        return got

    def _dates_of(self, column: Sequence[object], header: str, err: Callable) -> list[ParsedDate | None]:
        """Parsed dates of a column (None for empty cells); a bad cell is reported under ``header``."""
        got = _mapped(column, _parse_date_or_reason, self._dates)
        if _Reason in set(map(type, got)):
            for i, d in enumerate(got):
                if type(d) is _Reason:
                    err(i, header, _stripped(column[i]), d)
                    got[i] = None
        return got

    def _check_joined(self, row: int, joined: ParsedDate, raw: object, info, bad: set[int], i: int) -> None:
        if joined.date > self.today:
            self.p.add_error(row, "入党时间", raw, "入党时间晚于今天")
            bad.add(i)
        if info is not None:
            last_day = joined.date if joined.day_known else _month_end(joined.date)
            if age_on(info.birth_date, last_day) < 18:
                self.p.add_error(
                    row, "入党时间", raw, f"入党时未满18周岁（按身份证号中的出生日期计算；{SOURCE_AGE}）"
                )  # the 18th birthday is not quoted: it gives back the birth digits the stored mask hides
                bad.add(i)

    def _check_confirmed(self, row: int, joined: ParsedDate, confirmed: ParsedDate, raw: object, bad: set[int], i: int) -> None:
        j, c = joined.date, confirmed.date
        if c > self.today:
            self.p.add_error(row, "转正时间", raw, "转正时间晚于今天")
            bad.add(i)
        if c <= j and (joined.day_known and confirmed.day_known or (c.year, c.month) < (j.year, j.month)):
            self.p.add_error(row, "转正时间", raw, "转正时间早于入党时间")
            bad.add(i)
            return
        if joined.day_known and confirmed.day_known:
            short = c < add_years(j, 1)
        else:
            short = (c.year, c.month) < (j.year + 1, j.month)
        if short:
            self.p.add_error(row, "转正时间", raw, f"预备期不足一年（{SOURCE_PROBATION}）")
            bad.add(i)


class _Reason(str):
    """Why a cell is bad (a memoized parse result that is not a value)."""


def _parse_date_or_reason(value: object) -> ParsedDate | None:
    if value is None or value == "":
        return None
    if type(value) is str:
        value = value.strip()
        if not value:
            return None
    try:
        return parse_date(value)
    except DateParseError as exc:
        return _Reason(str(exc))


def _indexes(values: list, value: object) -> list[int]:
    """Positions of ``value`` (None or False) in ``values``, found at C speed and by identity (a
    dataclass value would otherwise be compared with ``__eq__`` in Python)."""
    values = list(map(is_, values, repeat(value)))
    value = True
    out, i = [], -1
    try:
        while True:
            i = values.index(value, i + 1)
            out.append(i)
    except ValueError:
        return out


def _stripped(value: object) -> object:
    return value.strip() if type(value) is str else value


_PLAIN = frozenset((str, type(None)))


def _mapped(column: Sequence[object], fn: Callable[[object], object], memo: dict) -> list:
    """``[fn(v) for v in column]`` through ``memo``: texts key it by value, other cells by (type, value)
    (1, 1.0 and True are different cells); ``fn`` runs once per distinct cell."""
    try:  # every cell seen before: the memo holds texts as themselves and other cells only as tuples
        return list(map(memo.__getitem__, column))
    except (KeyError, TypeError):  # TypeError: an unhashable cell, refused below
        pass
    if set(map(type, column)) <= _PLAIN:
        keys = column
    else:
        keys = [v if v is None or type(v) is str else (type(v), v) for v in column]
    for k in set(keys).difference(memo):
        memo[k] = fn(k[1] if type(k) is tuple else k)
    return list(map(memo.__getitem__, keys))


# --------------------------------------------------------------------------- persons on file

_PERSON_COMPARE = ("name", "gender", "ethnicity", "birth_date", "native_place", "education", "degree", "work_start_date")
_MEMBER_COMPARE = ("org_id", "status", "joined_date", "confirmed_date", "occupation")
#: per PERSON_FIELDS index, where its value on file is among the compared fields (None: the phone)
_OLD_AT = tuple(None if f == "phone" else _PERSON_COMPARE.index(f) for f in PERSON_FIELDS)
#: per MEMBER_FIELDS index, where its value on file is among _MEMBER_COMPARE
_MEMBER_OLD_AT = tuple(_MEMBER_COMPARE.index(f) for f in MEMBER_FIELDS)


def _lookup_persons(indexes: list[str]) -> list[tuple]:
    """Persons with these blind indexes, one row each: (blind index, id, *_PERSON_COMPARE, phone
    cipher, member id, org, status, joined, confirmed, occupation, left date, open affiliation id
    and start, cadre unit path); the member, affiliation and cadre columns are None when absent.

    PostgreSQL takes the keys as one text parameter split on the server (dumping a 20,000-element
    array costs more in Python); SQLite as one JSON parameter.
    """
    if not indexes:
        return []
    sql, param = _lookup_query()
    with connection.cursor() as cur:
        cur.execute(sql, [param(indexes)])
        return cur.fetchall()


def _differing(changes: dict) -> str:
    """“（与在册信息不同：姓名、学历）”: the roster's headers of the person fields a row would change."""
    headers = {c.key: c.header for c in MEMBER_COLUMNS}
    return "（与在册信息不同：" + "、".join(headers.get(f, f) for f in changes) + "）"


def _cadre_person_refusal(scope: Scope, unit_path: str, level: str) -> str:
    """Why ``scope`` may not change the person record (姓名, 学历, 联系电话 …) of a member who is a
    cadre of the unit at ``unit_path`` with management ``level``: any cadre for a branch secretary, a
    市管 cadre for anyone but the city administrator, another county's cadre for a county; '' when it
    may (``cadres.access.may_manage``'s rule; a row that changes nothing passes)."""
    if not scope.is_admin:
        return "该人员是干部，个人信息由组织部门维护，不能通过党支部名册导入修改"
    if not unit_path.startswith(scope.unit_path):
        return "该人员的个人信息由其干部管理部门维护，不能通过本名册导入修改"
    from zugong.cadres.models import ManagementLevel  # not at the top: cadres imports this module

    if level == ManagementLevel.CITY and scope.role != Role.CITY_ADMIN:
        return "该人员是市管干部，个人信息由市委组织部维护，不能通过县区名册导入修改"
    return ""


def _lookup_query() -> tuple[str, Callable[[list[str]], str]]:
    """The SQL of ``_lookup_persons`` and the function that makes its one parameter from the keys.

    PostgreSQL: one probe of the unique blind index per distinct key, then of the member, open affiliation
    and cadre by their person or member (LATERAL … LIMIT 1: each is unique, and the LIMIT keeps the
    planner from flattening the probes into joins). Left to choose, it hashed the whole person and
    member tables once per batch of keys, work that grows with the tables: 64 ms instead of 17 ms
    per 5,000 keys not on file with 100,000 persons on file, and more with a city's 250,000
    (bench/README.md, "Seventh look"). SQLite plans the IN list as index probes itself.
    """
    qn = connection.ops.quote_name
    meta = Person._meta
    person_cols = ", ".join(f"p.{qn(meta.get_field(f).column)}" for f in ("id_number_index", "id", *_PERSON_COMPARE, "phone_cipher"))
    member_fields = ("id", "org_id", "status", "joined_date", "confirmed_date", "occupation", "left_date")
    member_cols = ", ".join(f"m.{qn(f)}" for f in member_fields)
    from zugong.cadres.models import Cadre

    person_t, member_t, aff_t = (qn(m._meta.db_table) for m in (Person, PartyMember, Affiliation))
    cadre_t, unit_t = qn(Cadre._meta.db_table), qn(Unit._meta.db_table)
    id_, key_col, end = qn("id"), qn(meta.get_field("id_number_index").column), qn("end")
    level = qn(Cadre._meta.get_field("management_level").column)
    if _is_pg():
        sql = (
            f"SELECT {person_cols}, {member_cols}, a.{id_}, a.{qn('start')}, cu.{qn('path')}, cu.{level} "
            f"FROM (SELECT DISTINCT unnest(string_to_array(%s, ','))) AS k(key) "
            f"CROSS JOIN LATERAL (SELECT * FROM {person_t} p WHERE p.{key_col} = k.key LIMIT 1) p "
            f"LEFT JOIN LATERAL (SELECT {', '.join(map(qn, member_fields))} FROM {member_t} m "
            f"WHERE m.{qn('person_id')} = p.{id_} LIMIT 1) m ON true "
            f"LEFT JOIN LATERAL (SELECT a.{id_}, a.{qn('start')} FROM {aff_t} a "
            f"WHERE a.{qn('member_id')} = m.{id_} AND a.{end} IS NULL LIMIT 1) a ON true "
            f"LEFT JOIN LATERAL (SELECT u.{qn('path')}, c.{level} FROM {cadre_t} c JOIN {unit_t} u ON u.{id_} = c.{qn('unit_id')} "
            f"WHERE c.{qn('person_id')} = p.{id_} LIMIT 1) cu ON true"
        )
        return sql, ",".join
    sql = (
        f"SELECT {person_cols}, {member_cols}, a.{id_}, a.{qn('start')}, u.{qn('path')}, c.{level} "
        f"FROM {person_t} p "
        f"LEFT JOIN {member_t} m ON m.{qn('person_id')} = p.{id_} "
        f"LEFT JOIN {aff_t} a ON a.{qn('member_id')} = m.{id_} AND a.{end} IS NULL "
        f"LEFT JOIN {cadre_t} c ON c.{qn('person_id')} = p.{id_} "
        f"LEFT JOIN {unit_t} u ON u.{id_} = c.{qn('unit_id')} "
        f"WHERE p.{key_col} IN (SELECT value FROM json_each(%s))"
    )
    return sql, json.dumps


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


def chunk_bounds(total: int) -> list[tuple[int, int]]:
    """``[start, end)`` of the chunks an import validates and writes: COPY_CHUNK rows each, except that
    the first two and the last two are smaller (a fifth and a half of COPY_CHUNK) when the roster
    is long enough, so the server starts writing after a fifth of a chunk is validated instead of
    two chunks, and has a fifth of a chunk left to write when the last row is validated.
    Covers ``range(total)`` in order without gaps; ``[]`` for 0."""
    head = (max(1, COPY_CHUNK // 5), max(1, COPY_CHUNK // 2))
    if total <= 2 * sum(head) + COPY_CHUNK:
        return [(s, min(s + COPY_CHUNK, total)) for s in range(0, total, COPY_CHUNK)]
    a, b = head[0], sum(head)
    middle = total - 2 * b
    n = -(-middle // COPY_CHUNK)  # ceil: chunks of at most COPY_CHUNK, evenly spread
    cuts = [0, a, *(b + middle * i // n for i in range(n + 1)), total - a, total]
    return list(pairwise(cuts))


def copy_pipelined(
    tables: Sequence[tuple[type[Model], Sequence[str]]],
    chunks: Iterable[Sequence[list[tuple]]],
    *,
    after: Callable | None = None,
    timings: dict[str, float] | None = None,
) -> None:
    """PostgreSQL: COPY chunks of rows into ``tables`` ((model, columns) pairs; one list of tuples
    in column order per table per chunk), through a ``CopyWorker``: ``chunks`` may be a generator
    that validates as it goes, the server writes one chunk while Python makes the next.
    ``after``/``timings`` as in CopyWorker. Exceptions of the worker are raised here."""
    worker = CopyWorker(tables, after=after, timings=timings)
    try:
        for chunk in chunks:
            worker.copy(chunk)
    finally:
        worker.close()


class CopyWorker:
    """PostgreSQL: a thread that runs COPY statements and queries, in order, on this thread's
    connection (same transaction) while the calling thread validates.

    ``copy(chunk)`` formats the chunk (one list of tuples per table, in column order) as binary
    COPY data on the calling thread and queues it; the worker sends it, then runs
    ``after(cursor, chunk)`` when given (set-based reference checks). ``call(fn)`` queues
    ``fn(cursor)`` and returns a Future of its result (lookups and id blocks that must wait their
    turn on the connection). ``close()`` waits for the queue to drain and raises the worker's
    first exception; after one, queued calls fail with it and copies are skipped.
    ``timings`` gets seconds per table ("copy.<table>"), in ``after`` ("copy.checks"), in calls
    ("copy.calls") and the calling thread's waits on a full queue ("copy.wait").
    """

    def __init__(
        self, tables: Sequence[tuple[type[Model], Sequence[str]]], *, after: Callable | None = None,
        timings: dict[str, float] | None = None, depth: int = 4,
    ):  # fmt: skip
        self.clock = timings if timings is not None else {}
        self.labels = [f"copy.{m._meta.db_table}" for m, _ in tables]
        qn = connection.ops.quote_name
        self.sqls = [f"COPY {qn(m._meta.db_table)} ({', '.join(map(qn, cols))}) FROM STDIN (FORMAT BINARY)" for m, cols in tables]
        with connection.cursor() as cur:
            self.types = [_pg_types(cur, m._meta.db_table, list(cols)) for m, cols in tables]
        self.after = after
        self.db = connections[DEFAULT_DB_ALIAS]  # the import's Django connection: ``connection`` is per thread
        self.raw = self.db.connection  # its psycopg connection, shared with the worker thread
        self.todo: queue.Queue = queue.Queue(maxsize=depth)
        self.failure: list[BaseException] = []
        self.fmt = self.raw.cursor()  # formats only: no statement runs on it
        self.payload = _binary_copy_formatter(self.fmt)
        self.thread = threading.Thread(target=self._work, name="import-copy", daemon=True)
        self.thread.start()

    def _tick(self, label: str, t0: float) -> None:
        self.clock[label] = self.clock.get(label, 0.0) + time.perf_counter() - t0

    def _work(self) -> None:
        item: tuple | None = ()
        try:
            with self.raw.cursor() as cur:
                while (item := self.todo.get()) is not None:
                    self._run(cur, item)
        except BaseException as exc:  # outside one item's work (the cursor failed): raised by the calling thread too
            self.failure.append(exc)
        finally:
            # after such a failure, fail the item at hand and keep taking items, so that no caller
            # waits for ever on a full queue or on the Future of a call
            while item is not None:
                if item and item[0] == "call" and not item[2].done():
                    item[2].set_exception(self.failure[0])
                item = self.todo.get()

    def _run(self, cur, item: tuple) -> None:
        kind, what, extra = item
        if self.failure:
            if kind == "call":
                extra.set_exception(self.failure[0])
            return  # skip copies until the end marker
        try:
            with DatabaseErrorWrapper(self.db):  # psycopg's errors as Django's, flagged on the import's connection
                self._do(cur, kind, what, extra)
        except BaseException as exc:  # re-raised by the calling thread
            self.failure.append(exc)
            if kind == "call" and not extra.done():
                extra.set_exception(exc)

    def _do(self, cur, kind: str, what, extra) -> None:
        t0 = time.perf_counter()
        if kind == "call":
            extra.set_result(what(cur))
            self._tick("copy.calls", t0)
            return
        for sql, payload, label in zip(self.sqls, extra, self.labels, strict=True):
            if payload is not None:
                with cur.copy(sql) as copy:
                    copy.write(payload)
                self._tick(label, t0)
                t0 = time.perf_counter()
        if self.after is not None:
            self.after(cur, what)
            self._tick("copy.checks", t0)

    def _put(self, item: tuple) -> None:
        t0 = time.perf_counter()
        self.todo.put(item)
        self._tick("copy.wait", t0)

    def copy(self, chunk: Sequence[list[tuple]]) -> None:
        """Format ``chunk`` here and queue its COPY; raises the worker's exception if it failed."""
        if self.failure:
            raise self.failure[0]
        payloads = [self.payload(oids, rows) if rows else None for oids, rows in zip(self.types, chunk, strict=True)]
        self._put(("copy", chunk, payloads))

    def call(self, fn: Callable) -> concurrent.futures.Future:
        """Queue ``fn(cursor)`` after what is queued; its result or exception comes in the Future."""
        future: concurrent.futures.Future = concurrent.futures.Future()
        self._put(("call", fn, future))
        return future

    def close(self) -> None:
        """Wait for everything queued; raise the worker's first exception."""
        self.todo.put(None)
        self.thread.join()
        self.fmt.close()
        if self.failure:
            raise self.failure[0]


def _binary_copy_formatter(cur) -> Callable[[Sequence[int], Sequence[tuple]], bytes]:
    """``payload(type oids, rows)``: the rows as one binary COPY stream (header, rows, trailer),
    made with psycopg's formatter on ``cur``'s adapters without running anything on it
    (``psycopg.copy.Copy`` with a ``FileWriter``, as psycopg documents for copying to a file)."""
    from psycopg.adapt import PyFormat
    from psycopg.copy import Copy, FileWriter

    # bytea by the dumper of bytes (C in psycopg-binary): the one found by the type's oid is the
    # DB-API Binary wrapper's, a Python method per value
    cur.adapters.register_dumper(bytes, cur.adapters.get_dumper(bytes, PyFormat.BINARY))

    def payload(oids: Sequence[int], rows: Sequence[tuple]) -> bytes:
        out = io.BytesIO()
        with Copy(cur, binary=True, writer=FileWriter(out)) as copy:
            copy.set_types(oids)
            write = copy.write_row
            for row in rows:
                write(row)
        return out.getvalue()

    return payload


class _BulkMode:
    """Interpreter settings for the few seconds of a bulk import, process-wide and shared: the
    first import in sets them, the last one out restores them (imports may run concurrently in
    one server process).

    - The thread switch interval drops from 5 ms to 0.5 ms: the COPY worker gives up the GIL at
      every network write and must get it back from the validating thread; at 5 ms per handoff it
      fell behind and the validating thread waited ≈0.5 s per 100,000 rows on a full queue.
    - The cyclic garbage collector pauses: an import holds millions of cells, lists and tuples,
      and every full collection walked all of them (≈0.5 s per 100,000 rows, for no garbage —
      the import makes no reference cycles). It runs again when the import ends.

    The cost is process-wide: while any import runs, other threads of the process (other
    requests, and the preview of a roster, ``prepare_members``, which runs in this mode too)
    collect no cycles either and switch threads more often. Garbage of theirs that needs the
    cyclic collector waits for the end of the import; a few seconds per 100,000 rows.

    Figures: bench/README.md, "Fourth look".
    """

    def __init__(self, interval: float = 0.0005):
        self.interval, self.lock, self.users = interval, threading.Lock(), 0
        self.saved_interval, self.gc_was_enabled = 0.0, True

    @contextlib.contextmanager
    def __call__(self) -> Iterator[None]:
        with self.lock:
            if self.users == 0:
                self.saved_interval = sys.getswitchinterval()
                sys.setswitchinterval(min(self.interval, self.saved_interval))
                self.gc_was_enabled = gc.isenabled()
                gc.disable()
            self.users += 1
        try:
            yield
        finally:
            with self.lock:
                self.users -= 1
                if self.users == 0:
                    sys.setswitchinterval(self.saved_interval)
                    if self.gc_was_enabled:
                        gc.enable()


bulk_mode = _BulkMode()


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
_BY_BLIND_INDEX = itemgetter(PERSON_COLUMNS.index("id_number_index"))


def new_rows(
    recs: Sequence[NewRow | MemberRecord], now: dt.datetime, ids: Sequence[Iterator[int]], name_keys: NameKeys | None = None
) -> tuple[list[tuple], list[tuple], list[tuple]]:
    """Rows of PERSON_COLUMNS, MEMBER_COLUMNS_DB and AFFILIATION_COLUMNS for new persons (outcome
    "new") and new members of persons on file ("new_member", which have ``person_id``).

    ``ids``: iterators of reserved person, member and affiliation ids, drawn in order. A new person
    gives a person row; every record a member and its first affiliation (from 入党时间, in the
    branch of the roster). 身份证号 and phone are encrypted here (AES-GCM). ``name_keys``: the
    import's memo of name characters (one is made when None). The person rows come sorted by blind
    index (their ids, drawn in roster order, do not follow it); members and affiliations in roster order.
    """
    keys_of = (name_keys or NameKeys()).keys
    person_ids, member_ids, aff_ids = ids
    people, members, affiliations = [], [], []
    for r in recs:
        if r.outcome == "new":
            pid = next(person_ids)
            people.append((pid, r))
        else:
            pid = r.person_id
        occupation, org_id, status, joined, confirmed = r.member_values
        mid = next(member_ids)
        members.append((mid, pid, org_id, status, joined, confirmed, occupation, None, now, now))
        affiliations.append((next(aff_ids), mid, org_id, joined, None, "", "名册导入"))
    id_ciphers = crypto.encrypt_many([r.id_number for _, r in people], context=ID_CONTEXT)
    phone_ciphers = iter(crypto.encrypt_many([r.values[8] for _, r in people if r.values[8]], context=PHONE_CONTEXT))
    persons = []
    for (pid, r), id_cipher in zip(people, id_ciphers, strict=True):
        name, gender, birth, ethnicity, education, degree, native, work, phone = r.values
        persons.append((
            pid, name, *keys_of(name), id_cipher, r.id_index, mask_id_number(r.id_number), gender, ethnicity,
            birth, native, education, degree, work, next(phone_ciphers) if phone else None, now, now,
        ))  # fmt: skip
    # in blind-index order: the unique index's insertions then walk its leaves in order instead of
    # jumping to a random leaf per row (the ids stay in roster order)
    persons.sort(key=_BY_BLIND_INDEX)
    return persons, members, affiliations


def allocate_id_blocks(counts: Sequence[tuple[type[Model], int]]) -> list[list[int]]:
    """``allocate_ids`` for several models at once (PostgreSQL: one statement for all sequences)."""
    if not _is_pg() or len(counts) < 2:
        return [allocate_ids(m, n) for m, n in counts]
    with connection.cursor() as cur:
        return _IdBlocks(cur, [m for m, _ in counts]).take(cur, [n for _, n in counts])


class _IdBlocks:
    """PostgreSQL: reserves ids of several models in one statement. The sequences are resolved once
    (``cur`` of this thread); ``take`` may run on any cursor of any connection (sequence values
    are not transactional) and returns one list of ids per model."""

    def __init__(self, cur, models: Sequence[type[Model]]):
        self.seqs = [_sequence(cur, model._meta.db_table) for model in models]
        cols = ", ".join("CASE WHEN g <= %s THEN nextval(%s::regclass) END" for _ in self.seqs)
        self.sql = f"SELECT {cols} FROM generate_series(1, %s) AS g"

    def take(self, cur, counts: Sequence[int]) -> list[list[int]]:
        n = max(counts, default=0)
        if n == 0:
            return [[] for _ in counts]
        cur.execute(self.sql, [*(x for c, seq in zip(counts, self.seqs, strict=True) for x in (c, seq)), n])
        got = cur.fetchall()
        return [[row[i] for row in got[:c]] for i, c in enumerate(counts)]


def import_members(
    rows: Sequence[Sequence[object]], scope: Scope, *, today: dt.date, good_rows_only: bool = False,
    progress: ProgressFn | None = None,
) -> tuple[Prepared, dict[str, int] | None]:
    """Validate and write a member roster in one pass; the caller holds the transaction.

    Returns ``(prepared, counts)``; counts (created, updated, unchanged, transferred) is None when
    nothing may be kept — a header error, or rows with errors while ``good_rows_only`` is False —
    and the caller must roll back: new rows of earlier chunks may already be written.

    New persons, members and affiliations are written chunk by chunk while the next chunk is
    validated (PostgreSQL: ``_stream_members`` for an all-or-nothing import, ``copy_pipelined``
    after the upfront pass of ``_Run`` with ``good_rows_only``; SQLite: executemany). With ``good_rows_only`` the
    in-file duplicates and the persons on file are known before the first chunk (``_Run``), so a
    row that is written is never taken back; otherwise the first error anywhere stops the writing
    and the caller rolls back. Updates and transfers follow at the end; unused reserved ids are
    gaps. Raises whatever the database raises (e.g. IntegrityError when another import wrote the
    same person meanwhile); the caller's transaction then writes nothing.

    ``progress(done, total)`` (rows) is called after each chunk is validated and handed to the writer.
    """
    with bulk_mode():
        return _import_members(rows, scope, today=today, good_rows_only=good_rows_only, progress=progress)


def _import_members(
    rows: Sequence[Sequence[object]], scope: Scope, *, today: dt.date, good_rows_only: bool,
    progress: ProgressFn | None,
) -> tuple[Prepared, dict[str, int] | None]:
    t0 = time.perf_counter()
    streamed = _is_pg() and not good_rows_only  # see _stream_members
    run = _Run(rows, scope, today=today, progress=progress, upfront=not streamed)
    p = run.p
    if p.header_error or (p.error_rows and not good_rows_only):
        for _ in run.chunks():  # report every error; write nothing
            pass
        return run.finish(), None
    now, name_keys = timezone.now(), NameKeys()
    t_stream = time.perf_counter()
    if streamed:
        with bulkload.bulk_load([m for m, _ in _NEW_ROW_TABLES]) as set_based:
            _stream_members(run, now=now, name_keys=name_keys, set_based=set_based)
    else:
        # ids: an upper bound of new persons / members is known from the lookup; unused ids are gaps
        member_of = len(_PERSON_COMPARE) + 2  # position of the member id in a lookup row (after id, fields, phone)
        n_persons = max(0, len(run.data) - len(run.found))
        n_members = n_persons + sum(1 for f in run.found.values() if f[member_of] is None)
        ids = tuple(map(iter, allocate_id_blocks([(Person, n_persons), (PartyMember, n_members), (Affiliation, n_members)])))
        p.timings["write.ids"] = time.perf_counter() - t_stream

        def chunks() -> Iterator[tuple[list[tuple], ...]]:
            for recs in run.chunks():
                if p.error_rows and not good_rows_only:
                    continue  # stop writing, keep validating to report every error; the caller rolls back
                new = [r for r in recs if r.outcome in ("new", "new_member")]
                if new:
                    yield new_rows(new, now, ids, name_keys)

        if _is_pg():  # only the good rows: every duplicate and person on file known before writing
            with bulkload.bulk_load([m for m, _ in _NEW_ROW_TABLES]) as set_based:
                copy_pipelined(_NEW_ROW_TABLES, chunks(), after=_chunk_checks() if set_based else None, timings=p.timings)
        else:
            for chunk in chunks():
                for (model, cols), rows_ in zip(_NEW_ROW_TABLES, chunk, strict=True):
                    insert_rows(model, cols, rows_)
    p = run.finish()
    p.timings["write.stream"] = time.perf_counter() - t_stream  # chunks validated while earlier ones are written
    if p.error_count and not good_rows_only:
        return p, None
    counts = write_changes(p, today=today)
    p.timings["write"] = time.perf_counter() - t0 - p.timings["validate"]
    return p, counts


def _stream_members(run: _Run, *, now: dt.datetime, name_keys: NameKeys, set_based: bool) -> None:
    """PostgreSQL, all-or-nothing: key, look up, validate and write the roster chunk by chunk.

    One CopyWorker thread owns the connection; its queue holds, in order, the lookup of the
    persons on file for chunk k+2 (with the id blocks its new rows may need) behind the COPY of
    chunk k, so the server writes one chunk while Python keys and validates the next ones and
    nothing waits for the whole file to be keyed first. A duplicate of a row written in an
    earlier chunk is an error like any other: writing stops and the caller rolls back.
    """
    p, total = run.p, len(run.data)
    bounds = chunk_bounds(total)
    sql, param = _lookup_query()
    with connection.cursor() as cur:
        id_blocks = _IdBlocks(cur, [Person, PartyMember, Affiliation])
    checks = _chunk_checks() if set_based else None
    member_at = len(_PERSON_COMPARE) + 3  # member id in a lookup row (after key, id, fields, phone)

    def look_up(keys: list[str]) -> Callable:
        def job(cur) -> tuple[list[tuple], list[list[int]]]:
            found = []
            for i in range(0, len(keys), LOOKUP_BATCH):  # once while COPY_CHUNK <= LOOKUP_BATCH
                cur.execute(sql, [param(keys[i : i + LOOKUP_BATCH])])
                found += cur.fetchall()
            n_persons = len(keys) - len(found)
            n_members = n_persons + sum(1 for f in found if f[member_at] is None)
            return found, id_blocks.take(cur, [n_persons, n_members, n_members])

        return job

    def prepare(k: int) -> tuple[list[NewRow], concurrent.futures.Future]:
        start, end = bounds[k]
        t0 = time.perf_counter()
        keys = run._id_pass(start, end)
        p.timings["validate"] += time.perf_counter() - t0
        return run.validate(start, end), worker.call(look_up(keys))

    worker = CopyWorker(_NEW_ROW_TABLES, after=checks, timings=p.timings)  # closed by the finally below
    try:
        ahead = collections.deque(prepare(k) for k in range(min(2, len(bounds))))
        for k in range(len(bounds)):
            recs, future = ahead.popleft()
            t0 = time.perf_counter()
            found, ids = future.result()
            p.timings["validate.lookup"] += time.perf_counter() - t0
            run.found.update((f[0], f[1:]) for f in found)
            recs = run.classify(recs)
            if not p.error_rows:  # after an error: keep validating to report every error, write nothing
                new = [r for r in recs if r.outcome in ("new", "new_member")]
                if new:
                    worker.copy(new_rows(new, now, tuple(map(iter, ids)), name_keys))
            if run.progress is not None:
                run.progress(bounds[k][1], total)
            if k + 2 < len(bounds):
                ahead.append(prepare(k + 2))
    finally:
        worker.close()


def _chunk_checks() -> Callable:
    """The reference checks of one written chunk after a load with row triggers off
    (``zugong.core.bulkload``), for the CopyWorker: every member points at a person written in the
    chunk or on file, every affiliation at a member of the chunk; the branches and the persons on
    file are locked as the foreign-key triggers would lock them, in one statement. Raises IntegrityError."""
    lock = bulkload.LockReferenced([(PartyOrganization, "党支部"), (Person, "人员")])

    def check(cur, chunk: tuple[list[tuple], ...]) -> None:
        person_rows, member_rows, aff_rows = chunk
        # a member's person was written in this chunk, or was on file before: then it is locked
        on_file = {m[1] for m in member_rows}.difference(p[0] for p in person_rows)
        bulkload.check_links("组织关系", (a[1] for a in aff_rows), {m[0] for m in member_rows})
        lock.run(cur, [{m[2] for m in member_rows}.union(a[2] for a in aff_rows), on_file])

    return check


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
