"""Name keys for search and official ordering: pinyin initials and the 姓氏笔画 sort key."""

from __future__ import annotations

import functools
import unicodedata

from django.db.models import F, Q
from django.db.models.functions import Substr
from django.db.models.lookups import In
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


_VOWELS = frozenset("aeiouv")
#: Letters a syllable may start with; 'i', 'u' and 'v' never do, so they are no initials.
_INITIAL_LETTERS = frozenset("abcdefghjklmnopqrstwxyz")
#: At most this many readings of typed pinyin are searched (wangxm: wang + x + m; xian: xian | xi + an …).
MAX_SPELLINGS = 12
#: At most this many characters are bound in one search's IN lists (a stock SQLite allows 32,766
#: parameters per statement; 'jianjianjianjianzh' read every way would bind about 34,000).
MAX_BOUND_CHARACTERS = 12_000


def _toneless(reading: str) -> str:
    """'lǚ' → 'lv', 'zhāng' → 'zhang': tone marks dropped, ü written v as keyboards type it."""
    decomposed = unicodedata.normalize("NFD", reading).replace("u\u0308", "v")
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@functools.cache
def chars_by_syllable() -> dict[str, frozenset[str]]:
    """Toneless pinyin syllable → the CJK Unified Ideographs (U+4E00–U+9FFF) read so, every reading of a
    character counted ('曾' under both zeng and ceng): 'wang' → {王, 汪, 望, …}. Built once per process
    from pypinyin's dictionary (≈0.3 s); syllables without a vowel (m, n, ng, hm) are left out, being
    indistinguishable from initials."""
    from pypinyin.pinyin_dict import pinyin_dict

    found: dict[str, set[str]] = {}
    for codepoint, readings in pinyin_dict.items():
        if 0x4E00 <= codepoint <= 0x9FFF:
            for reading in readings.split(","):
                syllable = _toneless(reading)
                if syllable.isascii() and syllable.isalpha() and _VOWELS.intersection(syllable):
                    found.setdefault(syllable, set()).add(chr(codepoint))
    return {k: frozenset(v) for k, v in found.items()}


@functools.cache
def chars_by_syllable_start() -> dict[str, frozenset[str]]:
    """The start of a syllable (two letters or more) → the characters of every syllable it begins:
    'min' → those of min and ming, 'hon' → those of hong; a whole syllable is its own start."""
    found: dict[str, set[str]] = {}
    for syllable, chars in chars_by_syllable().items():
        for k in range(2, len(syllable) + 1):
            found.setdefault(syllable[:k], set()).update(chars)
    return {k: frozenset(v) for k, v in found.items()}


def pinyin_spellings(text: str) -> list[tuple[tuple[str, ...], str]]:
    """The readings of typed Latin letters as the start of a name in pinyin: full syllables first, then
    the initials of the characters after them, as (syllables, initials). Readings that use every letter
    in syllables win ('xian' → [(('xian',), ''), (('xi', 'an'), '')]; 'zhangsan' → zhang + san, not
    zhang + s, a, n); else those leaving the fewest initials ('wangxm' → [(('wang',), 'xm')], not wan +
    g, x, m). At least one syllable of two or more letters, at most 8 characters, at most
    ``MAX_SPELLINGS`` readings (fewest syllables first). ``text`` is lower-case ASCII letters; [] when
    there is no reading ('zxm' reads as initials only, which the initials search covers). After a first
    syllable the last letters may be the start of one ('wangxiaomi', 'lihon': typed so far), which
    ``pinyin_condition`` reads as every syllable they begin."""
    syllables = chars_by_syllable()
    starts = chars_by_syllable_start()
    found: list[tuple[tuple[str, ...], str]] = []

    def walk(at: int, taken: tuple[str, ...]) -> None:
        if len(found) >= 200 or len(taken) > 8:
            return
        rest = text[at:]
        if taken and len(taken) + len(rest) <= 8 and all(c in _INITIAL_LETTERS for c in rest):
            found.append((taken, rest))
        for end in range(min(len(text), at + 6), at + 1, -1):  # the longest syllable (zhuang) has 6 letters
            piece = text[at:end]
            if piece in syllables or (taken and end == len(text) and piece in starts):
                walk(end, (*taken, piece))

    walk(0, ())
    if not found:
        return []
    fewest = min(len(rest) for _, rest in found)
    best = sorted((r for r in found if len(r[1]) == fewest), key=lambda r: len(r[0]))
    return best[:MAX_SPELLINGS]


def pinyin_condition(text: str, field: str = "name", initials_field: str = "name_initials") -> Q | None:
    """The search condition for a name typed in full pinyin, or pinyin then initials ('wang',
    'wangxiaoming', 'wangxm', 'lv' for 吕): for each reading of ``pinyin_spellings``, the stored pinyin
    initials start with the reading's initials and the name's first characters are each one read as
    the typed syllable (SUBSTR(name, i, 1) IN the syllable's characters, so the database filters and
    lists page as before). None when ``text`` is not such pinyin. ``field`` and ``initials_field`` are
    the Person fields as reached from the queried model ("person__name").

    The last syllable after a first one is read as a start ('wangxiaomin' finds 王晓明 as well as 王晓敏:
    min and ming, in and ing are confused in speech and names are typed before they are finished); a
    single syllable is read whole ('li' is 李, not 刘 or 林). 'lü' is read as 'lv'.

    A character's stored initial is its usual reading (surnames: 单 s, 曾 z): typing a name in another
    reading of a heteronym finds it only where that reading has the same initial. The readings are
    searched most likely first until :data:`MAX_BOUND_CHARACTERS` characters are bound (the first always).
    """
    text = text.lower().replace("ü", "v")
    if not (text.isascii() and text.isalpha()) or len(text) < 2:
        return None
    chars, starts = chars_by_syllable(), chars_by_syllable_start()
    found: Q | None = None
    bound = 0
    for taken, rest in pinyin_spellings(text):
        sets = [starts[s] if position == len(taken) and not rest and position > 1 else chars[s]
                for position, s in enumerate(taken, start=1)]
        bound += sum(map(len, sets))
        if found is not None and bound > MAX_BOUND_CHARACTERS:
            break  # the readings are ordered most likely first
        cond = Q(**{f"{initials_field}__startswith": "".join(s[0] for s in taken) + rest})
        for position, candidates in enumerate(sets, start=1):
            cond &= Q(In(Substr(F(field), position, 1), sorted(candidates)))
        found = cond if found is None else found | cond
    return found

