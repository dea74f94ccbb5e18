"""Name keys for search and official ordering: pinyin initials and the 姓氏笔画 sort key."""

from __future__ import annotations

import functools

from pypinyin import Style, pinyin

from zugong.core.strokes import STROKE_KEY_MAX_LEN, key_pieces, stroke_sort_key


@functools.lru_cache(maxsize=50_000)
def _initial(char: str) -> str:
    if char.isascii():
        return char.lower() if char.isalnum() else ""
    got = pinyin(char, style=Style.FIRST_LETTER, heteronym=False, errors="ignore")
    return got[0][0].lower() if got and got[0] else ""


_SURNAME_READINGS = {"单": "s", "解": "x", "仇": "q", "区": "o", "查": "z", "曾": "z", "覃": "q", "朴": "p", "缪": "m", "翟": "z", "尉": "y", "乐": "y", "华": "h"}


@functools.lru_cache(maxsize=65536)  # names repeat in rosters; the result depends on the name only
def name_initials(name: str) -> str:
    """Pinyin initials of a Chinese name, lower case: '张晓明' → 'zxm'. Surname readings
    (单 shàn, 解 xiè, 曾 zēng …) are used for the first character."""
    name = name.strip()
    if not name:
        return ""
    first = _SURNAME_READINGS.get(name[0]) or _initial(name[0])
    return first + "".join(_initial(c) for c in name[1:])


@functools.lru_cache(maxsize=65536)
def name_stroke_key(name: str) -> str:
    """Sort key that orders names by 姓氏笔画 (see zugong.core.strokes)."""
    return stroke_sort_key(name.strip())


class NameKeys:
    """``name_initials`` and ``name_stroke_key`` for many names, with per-character memos.

    A roster of 100,000 people has tens of thousands of different names, too many for the
    per-name caches above; characters repeat. ``keys(name)`` returns ``(initials, stroke key)``,
    equal to the two functions' results (a test compares them). One instance per import.
    """

    def __init__(self) -> None:
        self._initials: dict[str, str] = {}
        self._pieces = key_pieces()
        self._first: dict[str, str] = {}

    def keys(self, name: str) -> tuple[str, str]:
        """(pinyin initials, 姓氏笔画 key) of ``name``; names with unusual characters take the exact path."""
        name = name.strip()
        if not name:
            return "", ""
        try:
            first = self._first[name[0]]
        except KeyError:
            first = self._first[name[0]] = _SURNAME_READINGS.get(name[0]) or _initial(name[0])
        memo = self._initials
        try:
            initials = first + "".join([memo[c] for c in name[1:]])
        except KeyError:
            for c in name[1:]:
                if c not in memo:
                    memo[c] = _initial(c)
            initials = first + "".join([memo[c] for c in name[1:]])
        try:
            stroke = "".join([self._pieces[c] for c in name])
        except KeyError:  # a character without stroke data: the general function
            return initials, name_stroke_key(name)
        if len(stroke) > STROKE_KEY_MAX_LEN:
            return initials, name_stroke_key(name)
        return initials, stroke
