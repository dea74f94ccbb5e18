"""Cleaning of text copied out of PDFs and web pages, as a list of reversible edits.

The cleaner never rewrites the raw text in place. :func:`detect_edits` returns a list of
:class:`Edit` (kind, raw span, original, replacement, reason); :func:`apply_edits` applies any
subset of them, so a page can show the raw text and the cleaned text side by side and let the
user undo any single edit (apply all edits except that one). :class:`Cleaned` carries the
cleaned text and maps cleaned offsets back to raw offsets.

Edit kinds (all present in the seed documents):

- ``doubled``: characters doubled by bold rendering — a stretch where *every* character is
  doubled, at least :data:`MIN_DOUBLED_PAIRS` consecutive pairs (推推动动组组织织 → 推动组织).
  Single legitimate doubles (常常, 人人, 层层, 原原本本, 一一) are never touched.
- ``doubled_punct``: isolated doubled punctuation ““ ”” 。。 ，， 、、 (but not …… or ——).
- ``repeat``: a phrase repeated by mistake, "X、X" with len(X) ≥ 3 or "XX" with len(X) ≥ 4.
- ``line_join``: a line break inside a sentence or a word (also across a blank line when a
  page break cut a word: 二 / 十大).
- ``paragraph``: blank lines between paragraphs collapsed to one line break.
- ``page_marker``: page numbers, "03-PDF 版面", running headers/footers repeated ≥ 3 times.
- ``advert``: advertising / watermark / editor lines (扫码关注, 公众号, 责任编辑, http…).
- ``preamble``: a block before the title (pull quote, teaser), when a title is recognised.
- ``layout``: spaced-out layout labels from page diagrams ("重 点 任 务").
- ``whitespace``: leading/trailing spaces, tabs and carriage returns on a line.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from functools import lru_cache

MIN_DOUBLED_PAIRS = 3
"""A stretch counts as bold-doubled only with at least this many consecutive doubled pairs."""

TERMINAL = "。！？；：…!?;:"
"""Characters that end a sentence (a line ending with one of them is not joined)."""
CLOSERS = "”’」』）)》】"
OPEN_PUNCT = "，、（(“‘《【—-"
"""A line ending with one of these certainly continues on the next line."""

HEADING_START = re.compile(
    r"^\s*(?:[一二三四五六七八九十]{1,3}[、是]|（[一二三四五六七八九十]{1,3}）|\([一二三四五六七八九十]{1,3}\)"
    r"|\d{1,2}[.．、](?!\d)|（\d{1,2}）|\(\d{1,2}\)|第[一二三四五六七八九十]+[章节部分条]|任务\d{1,3}[\s\u3000、.．:：])"
)
"""A line opening with a numbered heading marker (一、 （一） 1. （1） 第一部分)."""

_PAGE_MARKERS = [
    re.compile(r"^\d{1,3}\s*[-—－–]?\s*PDF\s*版面$", re.I),
    re.compile(r"^[-—－–]\s*\d{1,3}\s*[-—－–]$"),
    re.compile(r"^第\s*\d{1,3}\s*页(?:\s*[/，,]?\s*共\s*\d{1,3}\s*页)?$"),
    re.compile(r"^\d{1,3}\s*/\s*\d{1,3}$"),
    re.compile(r"^page\s*\d{1,3}(?:\s*of\s*\d{1,3})?$", re.I),
    re.compile(r"^\d{1,3}$"),
]
_ADVERT = re.compile(
    r"扫码|扫一扫|二维码|公众号|微信号|关注我们|点击(?:上方|下方|蓝字)|阅读原文|责任编辑|版权所有|"
    r"转载请|原标题|广告|https?://|www\.|来源[:：]|编辑[:：]|审核[:：]|校对[:：]|本文转自|"
    r"^(?:阅读(?:量|数)?|浏览(?:量|次数)?|点赞|在看)\s*[:：]?\s*\d|^\d+\s*(?:人)?(?:阅读|浏览)$|"
    r"^(?:上一篇|下一篇|上一条|下一条|上一页|下一页)\s*[:：]"
)
_LAYOUT = re.compile(r"^(?:\S+\s+)?(?:[\u4e00-\u9fff]\s){2,}[\u4e00-\u9fff]$")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_LATIN_END = re.compile(r"[A-Za-z0-9]$")
_LATIN_START = re.compile(r"^[A-Za-z0-9]")
_NEVER_DOUBLE_PUNCT = "…—-·. "
_DOUBLE_PUNCT = re.compile(r"([“”‘’。，、；：！？《》（）「」])\1")


@dataclass(frozen=True)
class Edit:
    """One reversible change: replace ``raw[start:end]`` (== ``original``) by ``replacement``.

    ``id`` is the edit's index in the list returned by :func:`detect_edits` (stable for a given
    raw text), used to undo single edits.
    """

    id: int
    kind: str
    start: int
    end: int
    original: str
    replacement: str
    reason: str

    def as_dict(self) -> dict:
        """JSON-ready dict (for persisting the edit list next to the document)."""
        return asdict(self)


@dataclass
class Cleaned:
    """The result of cleaning: ``text`` and the ``edits`` applied to ``raw`` to obtain it.

    ``_segments`` is a sorted list of (clean_start, raw_start, length, is_copy) used by
    :meth:`to_raw` to map a cleaned offset to a raw offset.
    """

    raw: str
    text: str
    edits: list[Edit]
    all_edits: list[Edit] = field(default_factory=list)
    _segments: list[tuple[int, int, int, bool]] = field(default_factory=list, repr=False)

    def to_raw(self, pos: int) -> int:
        """Raw offset of cleaned offset ``pos`` (inside a replacement: the edit's raw start)."""
        starts = [s[0] for s in self._segments]
        i = bisect.bisect_right(starts, pos) - 1
        if i < 0:
            return 0
        cstart, rstart, length, is_copy = self._segments[i]
        if is_copy:
            return rstart + min(pos - cstart, length)
        return rstart

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Raw span of the cleaned span [start, end)."""
        return self.to_raw(start), self.to_raw(end)


def apply_edits(raw: str, edits: list[Edit]) -> Cleaned:
    """Apply ``edits`` (any subset of :func:`detect_edits` output) to ``raw``.

    Edits must not overlap (those from :func:`detect_edits` never do). Returns a
    :class:`Cleaned` whose ``edits`` are exactly the applied ones.
    """
    ordered = sorted(edits, key=lambda e: (e.start, e.end))
    out: list[str] = []
    segments: list[tuple[int, int, int, bool]] = []
    pos = 0
    clen = 0
    for e in ordered:
        if e.start < pos:
            raise ValueError(f"overlapping edits at {e.start}")
        if e.start > pos:
            chunk = raw[pos : e.start]
            segments.append((clen, pos, len(chunk), True))
            out.append(chunk)
            clen += len(chunk)
        segments.append((clen, e.start, len(e.replacement), False))
        out.append(e.replacement)
        clen += len(e.replacement)
        pos = e.end
    if pos < len(raw):
        segments.append((clen, pos, len(raw) - pos, True))
        out.append(raw[pos:])
    return Cleaned(raw=raw, text="".join(out), edits=ordered, _segments=segments)


def clean(raw: str, *, undo: set[int] | frozenset[int] = frozenset()) -> Cleaned:
    """Detect all edits on ``raw`` and apply them except those whose id is in ``undo``."""
    all_edits = detect_edits(raw)
    result = apply_edits(raw, [e for e in all_edits if e.id not in undo])
    result.all_edits = all_edits
    return result


# --------------------------------------------------------------------------- detection


@dataclass
class _Line:
    start: int  # raw offset of the first content char (after leading whitespace)
    end: int  # raw offset after the last content char
    eol: int  # raw offset of the line's "\n" (or len(raw))
    line_start: int  # raw offset of the line's first char
    removed: str = ""  # kind when the whole line is removed
    eff: str = ""  # content with doubled runs undone (used for decisions)


def _doubled_runs(s: str, base: int) -> list[tuple[int, int]]:
    """Spans (absolute) of stretches in ``s`` made only of doubled pairs, ≥ MIN_DOUBLED_PAIRS."""
    runs = []
    i = 0
    n = len(s)
    while i < n - 1:
        j = i
        while j + 1 < n and s[j] == s[j + 1] and not s[j].isspace() and s[j] not in _NEVER_DOUBLE_PUNCT:
            j += 2
        pairs = (j - i) // 2
        if pairs >= MIN_DOUBLED_PAIRS:
            runs.append((base + i, base + j))
            i = j
        else:
            i += 1
    return runs


@lru_cache(maxsize=1)
def _jieba():
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def _word_spans_boundary(left: str, right: str) -> bool:
    """True when jieba segments a word across the junction of ``left`` + ``right``."""
    a, b = left[-3:], right[:3]
    if not a or not b or not _CJK.match(a[-1]) or not _CJK.match(b[0]):
        return False
    pos = 0
    for tok in _jieba().lcut(a + b, HMM=False):
        if pos < len(a) < pos + len(tok):
            return True
        pos += len(tok)
    return False


def looks_like_heading_line(s: str) -> bool:
    """A line that is a heading (numbered marker, or short with no sentence punctuation)."""
    s = s.strip()
    if not s:
        return False
    if HEADING_START.match(s) and len(s) <= 60 and s[-1] not in "，、":
        return True
    return len(s) <= 16 and not any(c in s for c in "，。；、") and s[-1] not in OPEN_PUNCT


LIST_START = re.compile(r"^(?:——|--|[●○■□◆◇▲△★☆•·\-－]|[①-⑳])")
#: A bulleted work item ending in its time bracket ("◆ “某某”微信公众号每周更新不少于3期（全年）"): never
#: an advert line, though it names a 公众号.
_ITEM_LINE = re.compile(r"^(?:[◆●■▲★◇•]{1,2}|[◆◆●●■■]{2})\s*.{4,}[）)]$")
#: A bulleted item or a 【…】 group heading: a line so marked is never the wrapped tail of the line above
#: (a 工作要点 item "◆ ……（全年）" is as long as a wrapped line but ends without 。).
_BULLET_OR_GROUP = re.compile(r"^(?:[●○■□◆◇▲△★☆•]|【)")
"""A line opening with an unnumbered list bullet (——, ●, ①): it never continues the line before."""
_NUM_CONT = re.compile(r"^(?:\d|[%％.．]\d?|[至到~～\-－—][\d一二三四五六七八九十]|(?:个|名|家|所|人|次|期|批|项|万|亿|元|年|月|日|天|余|多|%|以上|以下|左右))")
_MIN_WRAP, _MAX_WRAP = 16, 48


def _wrap_tolerance(n: int) -> int:
    """Length difference (chars) still counted as 'the same width' for lines of length ``n``.

    Generous enough for wrappers that count display columns (digits and Latin are half width).
    """
    return max(2, round(0.1 * n))


def _wrap_peer(line: str) -> bool:
    """A line that may be one of the full lines of a hard-wrapped stretch (length band, no
    table/column spacing, not a bare numbered heading)."""
    n = len(line)
    if not (_MIN_WRAP <= n <= _MAX_WRAP) or "\t" in line or "  " in line or "|" in line:
        return False
    return not (HEADING_START.match(line) and not any(c in line for c in "。；："))


def local_wrap_full(lengths_ok: list[bool], lengths: list[int], k: int, window: int = 4) -> bool:
    """True when line ``k`` is as long as a neighbouring line of a hard-wrapped stretch.

    Per-line, local statistics: a web page copied with only *some* sections hard-wrapped (every
    ~24–34 characters) has, around each wrapped line, other lines of the same length (within
    :func:`_wrap_tolerance`), while normal paragraphs are long single lines. ``lengths_ok[j]``
    says whether line j can be a wrapped line at all (:func:`_wrap_peer`); ``window`` is counted
    in surviving lines either side.
    """
    if not lengths_ok[k]:
        return False
    n = lengths[k]
    tol = _wrap_tolerance(n)
    lo, hi = max(0, k - window), min(len(lengths), k + window + 1)
    return any(j != k and lengths_ok[j] and abs(lengths[j] - n) <= tol for j in range(lo, hi))


_TABLE_GAP = re.compile(r"\S(?:\t+|[ \u3000]{2,})\S")


def _is_field_line(line: str) -> bool:
    """A field line ("牵头单位：县委组织部组织股"): repeated in a ledger, yet never a running header."""
    from .fields import is_field_line

    return is_field_line(line)


def _closed_field_line(line: str) -> bool:
    """A field line whose last field is a unit, leader or deadline field ("【牵头】X　【时限】2026年10月底前",
    "责任领导：…　责任科室：…　完成时限：…"): such lines are short and never wrapped, so the next line
    starts a new item even without sentence punctuation. A line ending in 、，(a wrapped list) is not closed."""
    from .fields import is_field_line, parse_fields

    if not is_field_line(line) or line[-1] in OPEN_PUNCT:
        return False
    fields = parse_fields(line)
    return bool(fields) and fields[-1].role in ("lead", "responsible", "leader", "deadline", "seq")


def is_table_row(line: str) -> bool:
    """A row of a table rendered as text (pdftotext -layout, pasted Word tables): two or more
    cells separated by tabs or runs of ≥ 2 spaces. Such a line is never joined to its neighbours."""
    return len(_TABLE_GAP.findall(line.strip())) >= 2 or ("\t" in line.strip() and bool(_TABLE_GAP.search(line.strip())))


def _splits_number(a: str, b: str) -> bool:
    """The break cuts a number or a figure from its unit/qualifier ("3" / "至5名", "12" / "50名",
    "60%" / "以上")."""
    if len(a) >= 2 and a[-1] in ".．" and a[-2].isdigit() and b[:1].isdigit():
        return True  # a decimal cut at its point: "1." / "2万人次"
    return bool(a) and (a[-1].isdigit() or a[-1] in "%％") and bool(_NUM_CONT.match(b))


def _split_doubled_pair(a: str, b: str) -> bool:
    """The break cuts a bold-doubled pair in two: raw ``a`` ends with doubled pairs and one single
    character X, raw ``b`` opens with X and doubled pairs ("打打开开新新局局面" / "面。。要要在在"): the
    two halves are one character of a doubled run, so the lines join and one X goes."""
    if len(a) < 5 or len(b) < 5 or a[-1] != b[0] or not _CJK.match(a[-1]):
        return False
    return a[-5] == a[-4] and a[-3] == a[-2] != a[-1] and b[1] == b[2] and b[3] == b[4] and b[0] != b[1]


def _body_line(a: str) -> bool:
    """A line of body text: it holds sentence punctuation after any numbered marker (titles, headings,
    speaker and signature lines hold none)."""
    m = HEADING_START.match(a)
    return any(c in a[m.end() if m else 0 :] for c in "，。；、：！？")


def _numbered_item_wrapped(line: str, width: int) -> bool:
    """A wrapped line that opens with a numbered marker but is body text, not a heading.

    In work plans (工作要点) an item reads "1.压实……责任。落实……" and is wrapped at the page
    width: the first line is full (≥ 0.75 of the typical width), does not end a sentence and
    already holds sentence punctuation after the marker (a run-in head "。" or a comma), so it
    continues on the next line. A numbered heading ("（一）加强……领导") holds no such punctuation.
    """
    m = HEADING_START.match(line)
    if not m or len(line) < 0.75 * width:
        return False
    body = line[m.end() :]
    return any(c in body for c in "。，；、：")


def _title_index(lines: list[_Line], raw: str) -> int | None:
    """Index of the title line: the first fully bold-doubled line near the top."""
    seen = 0
    for i, ln in enumerate(lines):
        if ln.removed or ln.start == ln.end:
            continue
        seen += 1
        if seen > 15:
            return None
        content = raw[ln.start : ln.end]
        if HEADING_START.match(content) or content.startswith("同志们"):
            return None
        runs = _doubled_runs(content, 0)
        covered = sum(b - a for a, b in runs)
        if content.startswith("【【") and covered >= 0.9 * len(content):
            return None  # a bold 【组织股】 group heading: a section of the text, the title is above it
        if len(content) >= 8 and covered >= 0.9 * len(content):
            return i
    return None


def detect_edits(raw: str) -> list[Edit]:
    """All cleaning edits for ``raw``, sorted by position, non-overlapping, ids 0..n-1."""
    edits: list[tuple[str, int, int, str, str]] = []  # kind, start, end, replacement, reason
    lines: list[_Line] = []
    pos = 0
    for piece in raw.split("\n"):
        eol = pos + len(piece)
        lead = len(piece) - len(piece.lstrip(" \t\r\u3000\u00a0\ufeff"))
        content = piece.strip(" \t\r\u3000\u00a0\ufeff")
        start = pos + lead
        lines.append(_Line(start=start, end=start + len(content), eol=eol, line_start=pos))
        pos = eol + 1

    # 1. whole-line removals: page markers, running headers, adverts, layout labels
    counts = Counter(raw[ln.start : ln.end] for ln in lines if 0 < ln.end - ln.start <= 30)
    for ln in lines:
        content = raw[ln.start : ln.end]
        if not content:
            continue
        if any(p.match(content) for p in _PAGE_MARKERS):
            ln.removed = "page_marker"
        elif (counts[content] >= 3 and not HEADING_START.match(content) and not content.startswith("同志们")
              and not _is_field_line(content)):
            # a short line repeated verbatim three times or more is a running header/footer
            # (headings of a speech are never repeated word for word; numbered ones are kept)
            ln.removed = "page_marker"
        elif len(content) <= 80 and _ADVERT.search(content) and not _ITEM_LINE.match(content):
            ln.removed = "advert"
        elif _LAYOUT.match(content):
            ln.removed = "layout"

    # 1b. a short line repeated at least twice right after/before a page number is a running header
    for i, ln in enumerate(lines):
        content = raw[ln.start : ln.end]
        if ln.removed or not content or counts[content] < 2 or HEADING_START.match(content):
            continue
        near = [j for j in (i - 1, i - 2, i + 1, i + 2) if 0 <= j < len(lines)]
        near_marker = any(
            lines[j].removed == "page_marker" and any(p.match(raw[lines[j].start : lines[j].end]) for p in _PAGE_MARKERS)
            and all(lines[x].start == lines[x].end for x in range(min(i, j) + 1, max(i, j)))
            for j in near
        )
        if near_marker:
            ln.removed = "page_marker"

    # 2. block before the title (pull quote, teaser) when a bold title is recognised
    t = _title_index(lines, raw)
    if t is not None:
        before = [ln for ln in lines[:t] if not ln.removed and ln.end > ln.start]
        if before and sum(ln.end - ln.start for ln in before) <= 400:
            for ln in before:
                ln.removed = "preamble"

    # 3. per surviving line: doubled runs, doubled punctuation, repeated phrases
    for ln in lines:
        content = raw[ln.start : ln.end]
        if ln.removed or not content:
            ln.eff = ""
            continue
        if ln.start > ln.line_start:
            edits.append(("whitespace", ln.line_start, ln.start, "", "行首空白"))
        if ln.eol > ln.end:
            edits.append(("whitespace", ln.end, ln.eol, "", "行尾空白"))
        runs = _doubled_runs(content, ln.start)
        eff = []
        cursor = ln.start
        for a, b in runs:
            eff.append(raw[cursor:a])
            undoubled = raw[a:b:2]
            eff.append(undoubled)
            edits.append(("doubled", a, b, undoubled, "加粗渲染造成的重复字符"))
            cursor = b
        eff.append(raw[cursor : ln.end])
        ln.eff = "".join(eff)
        taken = runs[:]

        def free(a: int, b: int, taken=taken) -> bool:
            return all(b <= x or a >= y for x, y in taken)

        for m in _DOUBLE_PUNCT.finditer(content):
            a, b = ln.start + m.start(), ln.start + m.end()
            if free(a, b):
                edits.append(("doubled_punct", a, b, m.group(1), "重复的标点"))
                taken.append((a, b))
        for m in re.finditer(r"([^\s，。；、：“”]{3,}?)、\1(?=等|[\s，。；、：“”]|$)", content):
            a = ln.start + m.start() + len(m.group(1))
            b = ln.start + m.end()
            if free(a, b):
                edits.append(("repeat", a, b, "", f"误重复的短语“{m.group(1)}”"))
                taken.append((a, b))
        for m in re.finditer(r"([\u4e00-\u9fff]{4,})\1", content):
            a = ln.start + m.start() + len(m.group(1))
            b = ln.start + m.end()
            if free(a, b):
                edits.append(("repeat", a, b, "", f"误重复的短语“{m.group(1)}”"))
                taken.append((a, b))

    # 4. removed lines: drop the line and its newline
    for ln in lines:
        if ln.removed:
            end = min(ln.eol + 1, len(raw))
            reason = {
                "page_marker": "页码/页眉页脚",
                "advert": "广告/水印/编辑信息",
                "preamble": "标题之前的导语或摘录块",
                "layout": "版面图示标签",
            }[ln.removed]
            edits.append((ln.removed, ln.line_start, end, "", reason))

    # 5. line joins and paragraph breaks between surviving lines
    alive = [i for i, ln in enumerate(lines) if not ln.removed and ln.eff]
    lengths = sorted(len(lines[i].eff) for i in alive)
    width = lengths[int(0.8 * (len(lengths) - 1))] if lengths else 0
    wrapped = bool(lengths) and width <= 45
    # paragraphs marked by a first-line indent (　　): a line without it continues a paragraph
    indented = set()
    for i in alive:
        lead = raw[lines[i].line_start : lines[i].start]
        if "\u3000" in lead or "\t" in lead or len(lead) >= 2:
            indented.add(i)
    indent_marks_paragraphs = wrapped and len(indented) >= 5 and len(indented) >= 0.1 * len(alive)
    # per-line (local) wrap evidence, for documents where only some sections are hard-wrapped
    alens = [len(lines[i].eff) for i in alive]
    peer_ok = [_wrap_peer(lines[i].eff) for i in alive]
    full_here = [local_wrap_full(peer_ok, alens, k) for k in range(len(alive))]
    from .fields import is_field_line  # (late: fields → deadlines → targets → structure → clean)

    table_joins = _table_joins(raw, lines, alive)
    open_depth = 0  # brackets opened and not yet closed in the paragraph being joined
    for k in range(len(alive) - 1):
        cur, nxt = lines[alive[k]], lines[alive[k + 1]]
        gap_start, gap_end = cur.eol, nxt.line_start
        blank_between = any(
            lines[j].end == lines[j].start and not lines[j].removed for j in range(alive[k] + 1, alive[k + 1])
        )
        a, b = cur.eff, nxt.eff
        join = False
        why = ""
        a_numbered = bool(HEADING_START.match(a))
        b_starts_block = bool(HEADING_START.match(b) or LIST_START.match(b)) or looks_like_heading_line(b)
        # local: this line is as long as its wrapped neighbours (and is not a bare numbered heading)
        full_local = full_here[k] and not (
            a_numbered and not any(c in a[HEADING_START.match(a).end() :] for c in "。；：")
        )
        depth = max(0, open_depth + a.count("（") + a.count("(") - a.count("）") - a.count(")"))
        raw_a, raw_b = raw[cur.start : cur.end], raw[nxt.start : nxt.end]
        if not blank_between and _split_doubled_pair(raw_a, raw_b):
            # "（一）在引才聚才上打开新局局面" / "面。。要要在在……": one doubled pair cut by the break
            edits.append(("line_join", gap_start, gap_end, "", "加粗重复字符被断行分开"))
            edits.append(("doubled", nxt.start, nxt.start + 1, "", "加粗渲染造成的重复字符（跨行）"))
            open_depth = 0
            continue
        if k in table_joins:
            # a 任务分解表 row whose cell was wrapped onto the next line: one row, one line
            sep = table_joins[k]
            if sep is not None:
                edits.append(("line_join", gap_start, gap_end, sep, "表格单元格内换行（续行不以下一序号开头）"))
            open_depth = 0
            continue
        if is_table_row(a) or is_table_row(b) or is_field_line(b) or _closed_field_line(a):
            # a 工作清单 row rendered as text (columns split by tabs/spaces) is one line, and a field
            # line ("责任单位：……", "完成时限：……") starts a line of its own
            join = False
        elif b[0] in CLOSERS or b[0] in "，。、；：！？":
            join, why = True, "下一行以标点开头（断行不能在标点之前）"
        elif (
            depth
            and a[-1] in "：:；;，、"
            and not HEADING_START.match(b)
            and not LIST_START.match(b)
            and len(b) <= 80
            and not blank_between
        ):
            # inside a field bracket ("（牵头单位：……；完成时限：" / "2026年5月31日前）")
            join, why = True, "括号内断行（括号未闭合）"
        elif (
            a[-1] not in TERMINAL
            and not b_starts_block
            and len(a) >= 10
            and not (a_numbered and len(a) < _MIN_WRAP)
            and _splits_number(a, b)
        ):
            join, why = True, "断开的数字（数字与单位/后续数字被断行分开）"
        elif (
            full_local
            and a[-1] == "；"
            and not blank_between
            and not b_starts_block
            and lines[alive[k + 1]].line_start == lines[alive[k + 1]].start
        ):
            join, why = True, "局部硬换行（与相邻行等宽，下一行非标题/列表）"
        elif (
            indent_marks_paragraphs
            and alive[k + 1] not in indented
            and not blank_between
            and len(a) >= 0.9 * width
            and not looks_like_heading_line(b)
            and not HEADING_START.match(b)
        ):
            join, why = True, "段内断行（下一行无段首缩进）"
        elif a[-1] in TERMINAL or (a[-1] in CLOSERS and len(a) >= 2 and a[-2] in TERMINAL):
            join = False
        elif (
            ((wrapped and len(a) >= 0.5 * width) or full_local)
            and not HEADING_START.match(a)
            and not (full_local and not wrapped and b_starts_block)
            and _word_spans_boundary(a, b)
        ):
            join, why = True, "断开的词语"
        elif (
            (wrapped and _numbered_item_wrapped(a, width) and (full_local or not any(c in a for c in "，、") or any(c in a[HEADING_START.match(a).end() :] for c in "。；：")))
            or (full_local and a_numbered)
        ) and not b_starts_block:
            join, why = True, "编号条目内断行（满行且无句末标点）"
        elif looks_like_heading_line(a) and not (wrapped and len(a) >= width - 4 and a[-1] in OPEN_PUNCT):
            join = False
        elif HEADING_START.match(b):
            join = False
        elif a[-1] in OPEN_PUNCT:
            join, why = True, "句中断行（行末为逗号/顿号等）"
        elif (
            wrapped
            and len(a) >= 10
            and (_CJK.match(a[-1]) or a[-1].isdigit())
            and any(c in a[HEADING_START.match(a).end() if a_numbered else 0 :] for c in "。！？；")
            and not blank_between
            and not b_starts_block
        ):
            # body text (it holds a sentence end) that stops in the middle of the next sentence:
            # a wrapped line shorter than its neighbours ("……。县人社局要会同各乡镇开展乡土" / "人才普查，")
            join, why = True, "句中断行（行内已有句末标点，行末无标点）"
        elif full_local and not blank_between and not b_starts_block:
            join, why = True, "局部硬换行（与相邻行等宽且无句末标点）"
        elif wrapped and len(a) >= 0.75 * width and not _BULLET_OR_GROUP.match(b):
            if not blank_between:
                join, why = True, "句中断行（满行且无句末标点）"
            elif any(c in a for c in "，、；"):
                join, why = True, "跨页/跨栏断行（满行且无句末标点）"
        elif (
            not blank_between
            and not b_starts_block
            and (_CJK.match(a[-1]) or a[-1].isdigit() or a[-1] in "%％")
            and len(a) >= 8
            and _body_line(a)
        ):
            # a paragraph of body text that stops mid-sentence, the next line not a heading, list item,
            # field or table row: a hard wrap even where the rest of the document is not wrapped
            # ("……配备比例要比去年提高5个百" / "分点，……"; "……其中硕士、博" / "士研究生3000名以上。")
            join, why = True, "段内断行（行末无句末标点，下一行非标题/序号/字段）"
        open_depth = depth if join else 0
        if join:
            # a space between two Latin words; nothing between digits of a number broken by the wrap
            sep = " " if _LATIN_END.search(a) and _LATIN_START.match(b) and not (a[-1].isdigit() or b[0].isdigit()) else ""
            edits.append(("line_join", gap_start, gap_end, sep, why))
        elif blank_between or any(lines[j].removed for j in range(alive[k] + 1, alive[k + 1])):
            # keep one paragraph break; the whitespace/removed lines in between are edits already
            inner_blank = [
                j for j in range(alive[k] + 1, alive[k + 1]) if not lines[j].removed and lines[j].end == lines[j].start
            ]
            for j in inner_blank:
                ln = lines[j]
                edits.append(("paragraph", ln.line_start, min(ln.eol + 1, len(raw)), "", "多余空行"))

    # trailing blank lines at the end / leading at the start
    if alive:
        first, last = lines[alive[0]], lines[alive[-1]]
        for j, ln in enumerate(lines):
            if ln.removed or ln.end > ln.start:
                continue
            if j < alive[0]:
                edits.append(("paragraph", ln.line_start, min(ln.eol + 1, len(raw)), "", "文首空行"))
            elif j > alive[-1]:
                edits.append(("paragraph", max(ln.line_start - 1, last.eol), ln.eol, "", "文末空行"))
        del first

    return _resolve(raw, edits)


def _table_joins(raw: str, lines: list[_Line], alive: list[int]) -> dict[int, str | None]:
    """Joins inside the rows of 任务分解表 pasted as text: {k: separator or None} for the break
    between alive lines k and k + 1 (None: no join, the break ends a row).

    After a header row (:func:`~.fields.table_header`) the rows are grouped by
    :func:`~.fields.table_rows` (a line opening with the next 序号 starts a row, other lines continue
    it). A continuation is joined with nothing (a wrap inside a cell, also inside a number: "达到8" /
    "0个"), or with a tab when the break stood at a cell boundary (whitespace at the end of the line
    or the start of the next) or when joining with nothing leaves the row short of the header's
    columns by exactly the number of such breaks. Breaks across a blank line are not joined.
    """
    from .fields import table_cells, table_header, table_rows

    out: dict[int, str | None] = {}
    texts = [lines[i].eff for i in alive]
    k = 0
    while k < len(alive):
        roles = table_header(texts[k])
        if not roles:
            k += 1
            continue
        rows = table_rows(texts[k + 1 :], roles)
        for row in rows:
            ks = [k + 1 + r for r in row]
            seps = []
            for x, y in zip(ks, ks[1:], strict=False):
                cur, nxt = lines[alive[x]], lines[alive[y]]
                blank = any(lines[j].end == lines[j].start and not lines[j].removed for j in range(alive[x] + 1, alive[y]))
                edge = raw[cur.end : cur.eol] + raw[nxt.line_start : nxt.start]
                seps.append(None if blank else "\t" if ("\t" in edge or "  " in edge or "\u3000" in edge) else "")
            short = len(roles) - len(table_cells("".join(
                texts[x] + (s or "") for x, s in zip(ks, [*seps, ""], strict=True))))
            inner = [i for i, sp in enumerate(seps) if sp == ""]
            if 0 < short == len(inner):
                for i in inner:
                    seps[i] = "\t"
            for x, sp in zip(ks, seps, strict=False):
                out[x] = sp
            out[ks[-1]] = None
        k += 1 + (max((r for row in rows for r in row), default=-1) + 1)
    return out


def _resolve(raw: str, edits: list[tuple[str, int, int, str, str]]) -> list[Edit]:
    """Sort, merge line joins that swallow removed lines, drop overlaps; number the edits."""
    edits = sorted(edits, key=lambda e: (e[1], -(e[2] - e[1])))
    result: list[tuple[str, int, int, str, str]] = []
    for e in edits:
        kind, s, t, rep, why = e
        if s == t and not rep:
            continue
        if result and s < result[-1][2]:
            prev = result[-1]
            if kind in ("whitespace", "paragraph") or t <= prev[2]:
                continue  # swallowed by a larger edit (a join across removed lines)
            if prev[0] in ("whitespace", "paragraph") and kind == "line_join":
                result[-1] = (kind, prev[1], max(t, prev[2]), rep, why)
                continue
            if kind in ("page_marker", "advert", "layout", "preamble") and prev[0] == "line_join":
                result[-1] = (prev[0], prev[1], max(t, prev[2]), prev[3], prev[4] + "；跨越" + why)
                continue
            continue
        result.append(e)
    return [
        Edit(id=i, kind=k, start=s, end=t, original=raw[s:t], replacement=rep, reason=why)
        for i, (k, s, t, rep, why) in enumerate(result)
    ]
