"""Responsible parties named in a task sentence, with a normalized kind.

Kinds (mapping to units in the tree happens later, in the work app):
``city_org_dept`` 市委组织部, ``city_committee`` 市委, ``county_org_heads`` 县区委组织部长,
``county_org_depts`` 县区委组织部, ``all_counties`` 各县区, ``city_and_counties`` 市县,
``all_party_committees`` 各级党委（党组）, ``org_departments`` 组织部门/组工干部,
``industry_authorities`` 行业主管部门, ``towns`` 乡镇（街道）, ``city_departments`` 市直单位/有关部门,
``talent_group`` 人才工作领导小组.

A mention counts as a party when it is the subject of a directive (followed by 要/将/须/负责/
牵头/联动/自主/统一/在 …) or the object of 压实/督促/支持/鼓励/指导 (… 责任).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_P = "[（(]党组[)）]"
PARTY_PATTERNS: list[tuple[str, str]] = [
    (rf"各级党委{_P}|各级党组织|各级党委", "all_party_committees"),
    (r"(?:各)?(?:县|县（市、区）|县市区|县区)委组织部长", "county_org_heads"),
    (r"(?:各)?(?:县|县（市、区）|县市区|县区)委组织部", "county_org_depts"),
    (r"市委组织部", "city_org_dept"),
    (r"市委人才工作领导小组|人才工作领导小组", "talent_group"),
    (r"(?:各级)?组织部门(?:、组工干部)?|组工干部", "org_departments"),
    (r"(?:各)?行业主管部门", "industry_authorities"),
    (r"市直(?:各)?(?:部门|单位)|(?:各)?有关部门|(?:相关)?职能部门", "city_departments"),
    (r"(?:各)?乡镇[（(]街道[)）]|各乡镇", "towns"),
    (r"市县两级|市、县(?:、区)?|市县", "city_and_counties"),
    (r"(?:[^，。；、]{1,8}的)?(?:各)?县[（(]市、区[)）]|(?:[^，。；、]{1,8}的)?(?:各)?县(?:市)?区|各县", "all_counties"),
    (r"市委", "city_committee"),
]
_COMPILED = [(re.compile(p), k) for p, k in PARTY_PATTERNS]
_AFTER = re.compile(r"^(?:都|也|还|均|要|将|须|必须|负责|牵头|联动|自主|统一|在|应|务必|分别|各自)")
_BEFORE = re.compile(r"(?:压实|督促|支持|鼓励|指导|推动|要求)$")

KIND_LABELS = {
    "city_org_dept": "市委组织部",
    "city_committee": "市委",
    "county_org_heads": "县区委组织部长",
    "county_org_depts": "县区委组织部",
    "all_counties": "各县区",
    "city_and_counties": "市县",
    "all_party_committees": "各级党委（党组）",
    "org_departments": "组织部门",
    "industry_authorities": "行业主管部门",
    "towns": "乡镇（街道）",
    "city_departments": "市直有关部门",
    "talent_group": "人才工作领导小组",
}


@dataclass
class Party:
    """A responsible party: ``text`` as written, its span, its normalized ``kind``."""

    text: str
    kind: str
    start: int
    end: int


def normalize(name: str) -> str | None:
    """Kind of a party name ("各县区" → "all_counties"), or None if unknown."""
    for pat, kind in _COMPILED:
        if pat.fullmatch(name.strip()):
            return kind
    return None


def find_parties(text: str, base: int = 0) -> list[Party]:
    """Parties named as actors in ``text`` (a sentence); spans are ``base`` + offsets."""
    out: list[Party] = []
    taken: list[tuple[int, int]] = []
    for pat, kind in _COMPILED:
        for m in pat.finditer(text):
            a, b = m.start(), m.end()
            if any(x < b and a < y for x, y in taken):
                continue
            after, before = text[b : b + 4], text[max(0, a - 4) : a]
            if not (_AFTER.match(after) or (_BEFORE.search(before) and kind != "city_committee")):
                continue
            name = m.group(0)
            if "的" in name:
                name = name  # keep the qualifier ("基础比较好的县区") as written
            out.append(Party(text=name, kind=kind, start=base + a, end=base + b))
            taken.append((a, b))
    out.sort(key=lambda p: p.start)
    return out
