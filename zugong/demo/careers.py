"""Careers of the demo's cadres: earlier posts and ranks back to their 参加工作时间, and the holders of the
leadership seats on past dates.

Every cadre's current post or 职级 keeps its start; before it, the cadre gets 2–5 earlier periods (fewer
when the years since work start are short; one more where a 非领导职务 became a 职级 on 2019-06-01) from the
参加工作时间 on, each ending when the next begins (one main post or one rank at a time):

- a ladder 科员 → 副科 → 正科 → 副处 → 正处 (levels 0–4; 市管 cadres climb to 副处/正处, 县管 cadres to 副科/
  正科), each step at least :data:`MIN_PERIOD` (two years: 《党政领导干部选拔任用工作条例》（2019）asks two
  years in a 副职 before a 正职 and three in a lower 正职 before a higher 副职 — 条款号未核实; the demo keeps
  every period at two years or more, a plausibility bound, not a rule the system enforces);
- a period is a seat of a leadership team when one of its level is free for the whole period and the
  cadre was old enough (:data:`SEAT_AGE`) (a seat
  never has two holders at once, so a team never has more 正职/副职 holders than it has posts of that
  kind: the demo records no ``PostQuota``, its 职数 are its posts), a 党内职务 only for a party member
  who had joined by then; the concurrent 县委副书记/党委副书记 of a head's seat goes with the seat;
- otherwise a post without a team in an office of the cadre's county or of the city: 科员, and before
  2019-06-01 the 非领导职务 副主任科员, 主任科员, 副调研员, 调研员 (abolished then), 副科长/科长 in the 市直
  机关 at any time; one held on 2019-06-01 becomes the 职级 of its level that day (套转); from 2019-06-01
  (《公务员职务与职级并行规定》) a 职级 (``CadreRank``) instead of a 非领导职务, each rank more senior than the
  one before and after enough years of work
  (``catalog.RANK_MIN_SERVICE``), more junior than a current rank.

Seats still empty on past dates (from :data:`HISTORY_FROM` to their current holder's start) are given to
**predecessors** (a 正职 seat's every chunk and nine in ten others at scale 1, × the scale below it): cadres
who held them for 3–8
years and left aged 55–59 (retired by today). They are cadres without a running post or rank (``Cadre``
rows; the statistics of today do not count them) and members of a 离退休 branch; they have no earlier
period (the statistics would count each of them on every past date beside today's cadres, who all
hold earlier posts then).

Draws come from a stream of their own (``random.Random(seed + 3)``), after the members are drawn, so the
people, members and current posts and ranks of a seed stay what they were. Plausible, not records.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field

from zugong.cadres.models import Cadre, Post
from zugong.cadres.rules import is_party_post
from zugong.core.rules import add_years
from zugong.demo import catalog as cat

#: Seats are filled back to this date (predecessors where no cadre of today held them).
HISTORY_FROM = dt.date(2010, 1, 1)
#: 职级 exist from this date (《公务员职务与职级并行规定》, 2019); the 非领导职务 posts end then.
RANKS_FROM = dt.date(2019, 6, 1)
#: The shortest earlier period (days): two years.
MIN_PERIOD = 730
#: The youngest age (years) at which a cadre of today held a seat of a level on a past date (副科 30, 正科 32,
#: 副处 35, 正处 40): younger, the period is a post without a team, and the seat a predecessor's.
SEAT_AGE = {1: 30, 2: 32, 3: 35, 4: 40}
#: Ladder level of a 职务级别 code, and back.
LEVEL_OF = {"31": 4, "32": 3, "41": 2, "42": 1, "50": 0}
POST_LEVEL_OF = {v: k for k, v in LEVEL_OF.items()}
#: 非领导职务 (before 2019-06-01) by level; 科员 is a post before and a rank (一级科员) after.
NON_LEADING = {0: "科员", 1: "副主任科员", 2: "主任科员", 3: "副调研员", 4: "调研员"}
_CONVERTED = frozenset(NON_LEADING.values())
#: Leadership posts without a team in the 市直机关 (科室 heads).
CITY_OFFICE_POSTS = {1: "副科长", 2: "科长"}
#: 职级 codes (``rules.RANKS``) by level, junior first.
RANKS_OF_LEVEL = {0: ("12", "11"), 1: ("10", "09"), 2: ("08", "07"), 3: ("06", "05"), 4: ("04", "03")}
LEVEL_OF_RANK = {code: level for level, codes in RANKS_OF_LEVEL.items() for code in codes}
_JUNIOR_FIRST = sorted(LEVEL_OF_RANK, reverse=True)


@dataclass
class SeatSlot:
    """A seat (a team post) with its holders' periods [start, end) and its concurrent post, if any."""

    post: Post
    level: int
    county: str | None  # county code of the team's unit, None for the city's units
    city: bool  # a 市管 seat
    party: bool  # the title is a 党内职务
    extra: Post | None = None  # 县委副书记 / 党委副书记 held with it
    periods: list[tuple[dt.date, dt.date]] = field(default_factory=list)

    def free(self, start: dt.date, end: dt.date) -> bool:
        return all(e <= start or s >= end for s, e in self.periods)


@dataclass
class CareerCadre:
    """What the planner needs of a cadre: its row (``cadre``), dates, county (None: the city) and current
    period (start, ladder level, rank code or None for a post)."""

    cadre: Cadre
    birth: dt.date
    work: dt.date
    joined: dt.date | None  # 入党 (None: not a party member)
    county: str | None
    start: dt.date
    level: int
    rank: str | None


@dataclass
class Period:
    start: dt.date
    level: int
    post: Post | None = None
    rank: str | None = None
    seat: SeatSlot | None = None


class Careers:
    """Plans earlier periods for cadres and predecessors for the seats; collects the rows to write.

    ``seats``: every seat with its current holder's period in ``periods``; ``offices``: county code (None:
    the city) → units where a post without a team is held (organs, towns).
    """

    def __init__(self, rng: random.Random, seats: list[SeatSlot], offices: dict[str | None, list]):
        self.rng = rng
        self.seats = seats
        self.offices = offices
        self.by_level: dict[tuple[int, str | None], list[SeatSlot]] = defaultdict(list)
        for s in seats:
            self.by_level[(s.level, s.county)].append(s)
            self.by_level[(s.level, "*")].append(s)
        self.new_posts: dict[tuple[int, str], Post] = {}
        self.appointments: list[tuple[Cadre, Post, dt.date, dt.date, str, bool]] = []
        self.ranks: list[tuple[Cadre, str, dt.date, dt.date, str]] = []
        self._docs: dict[tuple[str, int], int] = defaultdict(lambda: 200)

    # --- documents, posts -------------------------------------------------------------------
    def doc_no(self, county: str | None, city: bool, year: int) -> str:
        """A document number of the issuer (六组干 for a 市管 level or a city office, 金组干 … for a county's
        乡科级), counted from 200 on."""
        issuer = "六组干" if city or county is None else cat.COUNTY_DOC[county] + "组干"
        self._docs[(issuer, year)] += self.rng.randint(1, 3)
        return f"{issuer}〔{year}〕{self._docs[(issuer, year)]}号"

    def office_post(self, unit, title: str, level: int) -> Post:
        key = (id(unit), title)
        post = self.new_posts.get(key)
        if post is None:
            post = self.new_posts[key] = Post(unit=unit, team=None, title=title, post_level=POST_LEVEL_OF[level],
                                              sort=900 + level)
        return post

    # --- a cadre's periods ------------------------------------------------------------------
    def _seat(self, c: CareerCadre, level: int, start: dt.date, end: dt.date, city: bool) -> SeatSlot | None:
        if level == 0 or _years(c.birth, start) < SEAT_AGE[level]:
            return None
        pool = self.by_level.get((level, "*" if level >= 3 else c.county), [])
        for _ in range(12 if pool else 0):
            s = pool[int(self.rng.random() * len(pool))]
            if s.party and (c.joined is None or c.joined > start):
                continue
            if s.free(start, end):
                return s
        return None

    def _plain(self, c: CareerCadre, level: int, start: dt.date, last_rank: str | None, cap: str | None,
               city: bool) -> Period:
        """A period without a seat: a post of an office, or a 职级 from 2019-06-01."""
        county = c.county if c.county is not None and (not city or self.rng.random() < 0.5) else None
        units = self.offices[county] or self.offices[None]
        unit = units[int(self.rng.random() * len(units))]
        if county is None and level in CITY_OFFICE_POSTS and self.rng.random() < 0.6:
            return Period(start, level, post=self.office_post(unit, CITY_OFFICE_POSTS[level], level))
        if start < RANKS_FROM:
            return Period(start, level, post=self.office_post(unit, NON_LEADING[level], level))
        rank = self._rank(c, level, start, last_rank, cap)
        if rank is not None:
            return Period(start, LEVEL_OF_RANK[rank], rank=rank)
        title = "办公室主任" if level >= 2 else "办公室副主任"  # no rank left: a 科室 post
        return Period(start, level, post=self.office_post(unit, title, min(level, 2) or 1))

    def _rank(self, c: CareerCadre, level: int, start: dt.date, last: str | None, cap: str | None) -> str | None:
        """The 职级 of a period from ``start``: more senior than ``last`` and more junior than ``cap`` (codes sort
        most senior first), with enough years of work; of ``level`` when one fits, else the most junior that
        does; None when none does."""
        served = _years(c.work, start)
        fits = [code for code in _JUNIOR_FIRST
                if (last is None or code < last) and (cap is None or code > cap)
                and cat.RANK_MIN_SERVICE.get(code, 0) <= served]
        of_level = [code for code in fits if LEVEL_OF_RANK[code] == level]
        return (of_level or fits or [None])[0]

    def chain(self, c: CareerCadre, first: dt.date, end: dt.date, top: int, count: int, city: bool,
              cap: str | None) -> list[Period]:
        """``count`` (or fewer, to keep :data:`MIN_PERIOD`) periods from ``first`` to ``end``, levels rising to
        ``top``; seats taken are marked held. ``cap``: a rank they must stay below (the current one)."""
        days = (end - first).days
        count = min(count, days // MIN_PERIOD)
        if count <= 0:
            return []
        levels = list(range(max(0, top - count + 1), top + 1))
        while len(levels) < count:  # a second post of a level (交流), above 科员 when the ladder allows
            levels.append(levels[self.rng.randrange(1 if len(levels) > 1 else 0, len(levels))])
        levels.sort()
        weights = [self.rng.uniform(0.5, 1.5) for _ in range(count)]
        extra = days - MIN_PERIOD * count
        starts, at = [], first
        for w in weights:
            starts.append(at)
            at += dt.timedelta(days=MIN_PERIOD + int(extra * w / sum(weights)))
        bounds = [*starts[1:], end]
        periods: list[Period] = []
        last_rank: str | None = None
        for level, start, stop in zip(levels, starts, bounds, strict=True):
            seat = self._seat(c, level, start, stop, city) if self.rng.random() < 0.9 else None
            if seat is not None:
                seat.periods.append((start, stop))
                periods.append(Period(start, level, post=seat.post, seat=seat))
                continue
            p = self._plain(c, level, start, last_rank, cap, city)
            last_rank = p.rank or last_rank
            periods.append(p)
            if p.post is not None and p.post.title in _CONVERTED and start < RANKS_FROM < stop:
                rank = self._rank(c, level, RANKS_FROM, last_rank, cap)  # 2019-06-01: 非领导职务 become 职级
                if rank is not None:
                    periods.append(Period(RANKS_FROM, LEVEL_OF_RANK[rank], rank=rank))
                    last_rank = rank
        return periods

    def record(self, c: CareerCadre, periods: list[Period], end: dt.date, city: bool) -> None:
        """Queue the appointments and ranks of ``periods``, each ending when the next begins (the last at ``end``)."""
        for p, stop in zip(periods, [*(q.start for q in periods[1:]), end], strict=False):
            city_unit = p.post is not None and p.post.unit.depth <= 2  # the city's organs, schools … and the counties
            doc = self.doc_no(None if city_unit else c.county, p.level >= 3, p.start.year)
            if p.rank is not None:
                self.ranks.append((c.cadre, p.rank, p.start, stop, doc))
                continue
            self.appointments.append((c.cadre, p.post, p.start, stop, doc, False))
            seat = p.seat
            if seat is not None and seat.extra is not None and c.joined is not None and c.joined <= p.start:
                self.appointments.append((c.cadre, seat.extra, p.start, stop, doc, True))

    def plan(self, c: CareerCadre) -> None:
        """Earlier periods of a cadre of today: 2–5 (fewer when the years since work start are short)."""
        city = c.cadre.management_level == "city"
        top = c.level - 1 if c.level > 0 and self.rng.random() < 0.75 else c.level
        count = self.rng.randint(2, 5)
        periods = self.chain(c, c.work, c.start, top, count, city, c.rank)
        self.record(c, periods, c.start, city)

    # --- predecessors -----------------------------------------------------------------------
    def gaps(self, fill: float) -> list[tuple[SeatSlot, dt.date, dt.date]]:
        """Periods of at least a year, from :data:`HISTORY_FROM` to each held seat's current holder, when nobody
        held it: chunks of 3–8 years, each given to a predecessor with probability ``fill`` (0.9 × the scale,
        at most 0.9: vacancies; a small city has few predecessors, as it has few cadres), a 正职 seat's with
        ``fill`` / 0.9 (at scale 1 a team never lacks its heads), latest first. The chunks given are marked
        held."""
        out = []
        for seat in self.seats:
            if not seat.periods:
                continue  # vacant today (small scales): no history either
            held, mine = sorted(seat.periods), []
            stop = held[-1][0]
            for s, e in [*reversed(held[:-1]), (None, None)]:
                while stop > HISTORY_FROM and (e is None or (stop - e).days >= 365):
                    start = add_years(stop, -self.rng.randint(3, 8))
                    if e is not None and (start - e).days < 365:
                        start = e
                    if self.rng.random() < (fill / 0.9 if seat.post.post_level.endswith("1") else fill):
                        mine.append((start, stop))
                    stop = start
                if s is None or s <= HISTORY_FROM:
                    break
                stop = s
            seat.periods += mine
            out += [(seat, a, b) for a, b in mine]
        return out


def _years(since: dt.date, on: dt.date) -> int:
    """Full years from ``since`` to ``on`` (周岁 / years of work); a 29 February counts from 1 March."""
    return on.year - since.year - ((on.month, on.day) < (since.month, since.day))


def ladder_level(post_level: str) -> int:
    """Ladder level (0 科员 … 4 正处) of a 职务级别 code."""
    return LEVEL_OF.get(post_level, 0)


def is_party(title: str) -> bool:
    """The seat's title is a 党内职务 (``cadres.rules.is_party_post``)."""
    return is_party_post(title)


__all__ = ["Careers", "CareerCadre", "SeatSlot", "Period", "HISTORY_FROM", "RANKS_FROM", "ladder_level", "is_party"]
