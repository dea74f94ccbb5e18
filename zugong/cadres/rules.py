"""Cadre rules: ranks, 职数, young-cadre thresholds, appraisal quota and consequences, waiting periods.

Each rule is a small pure function citing its source (``regulation, article, version``). An article
number is given only where it was verified (two independent public sources agree, or one source
prints the whole numbered text); otherwise the regulation is cited, the rule described, and the
constant carries a "条款号未核实" comment. Sources and verification: docs/decisions/0006-regulation-citations.md.
Rule violations raise :class:`RuleViolation`, whose message is the Chinese reason shown to the user,
with the citation.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

from zugong.core.rules import add_years

# ----------------------------------------------------------------------------------------------
# Sources
# ----------------------------------------------------------------------------------------------
#: 《中华人民共和国公务员法》（2018年修订，2019年6月1日起施行）. The whole numbered text was read
#: (LawRefBook/Laws 行政法/公务员法.md); every article cited from it below is verified.
CIVIL_SERVANT_LAW = "《中华人民共和国公务员法》（2018）"
#: 《公务员考核规定》（2020年修订，中共中央组织部 人力资源社会保障部印发）.
SOURCE_APPRAISAL = "《公务员考核规定》（2020）"
#: 《推进领导干部能上能下规定》（2022年8月19日修订，中共中央办公厅2022年9月8日发布）.
SOURCE_UP_DOWN = "《推进领导干部能上能下规定》（2022）"

# 职级序列: the 12 ranks are listed in 公务员法 第十九条第二款 (verified). The older citation
# 《公务员职务与职级并行规定》（2019）第八条 could not be verified and is no longer given as an article.
SOURCE_RANKS = CIVIL_SERVANT_LAW + "第十九条第二款：综合管理类公务员职级序列分为一级巡视员至二级科员十二个职级"
# 职数: 公务员法 第四十三条 (verified); for leadership teams also 《党政领导干部选拔任用工作条例》
# （2019） "不得超职数配备干部" — 条款号未核实, cited without the article.
SOURCE_QUOTA = (CIVIL_SERVANT_LAW + "第四十三条：公务员任职应当在规定的编制限额和职数内进行，并有相应的职位空缺；"
                "《党政领导干部选拔任用工作条例》（2019）：不得超职数配备干部")
# Four grades: 公务员法 第三十八条第一款 (verified).
SOURCE_GRADES = CIVIL_SERVANT_LAW + "第三十八条：定期考核的结果分为优秀、称职、基本称职和不称职四个等次"
# 优秀比例 20% / 25%: 条款号未核实 (no numbered text of the 2020 规定 was found; the figures come from
# REGULATIONS.md and secondary descriptions, see decision 0006).
SOURCE_APPRAISAL_QUOTA = SOURCE_APPRAISAL + "：优秀等次人数一般掌握在参加年度考核人数的20%以内，经批准可放宽至25%"
# Consequences of the annual grade (公务员考核规定 2020, chapter 4). 第二十条 is given by two independent
# sources; 第十九条 (优秀) and 第二十一条 (基本称职) by one source only (华图教育's excerpt of chapter 4) —
# 条款号未核实, so those two are cited without the article. Wording follows that excerpt.
SOURCE_COMMENDATION = SOURCE_APPRAISAL + "：年度考核确定为优秀等次的，当年给予嘉奖，在本机关范围内通报表扬"  # 条款号未核实（一处来源作第十九条第（一）项）
SOURCE_THIRD_CLASS_MERIT = SOURCE_APPRAISAL + "：连续三年确定为优秀等次的，记三等功"  # 条款号未核实（一处来源作第十九条第（二）项）
SOURCE_SALARY_STEP = SOURCE_APPRAISAL + "第二十条第（一）项：累计两年确定为称职以上等次的，在所定级别对应工资标准内晋升一个工资档次"
SOURCE_SALARY_GRADE = SOURCE_APPRAISAL + "第二十条第（二）项：累计五年确定为称职以上等次的，在所任职务职级对应级别范围内晋升一个级别"
SOURCE_BASIC = (SOURCE_APPRAISAL + "：年度考核确定为基本称职等次的，对其进行诫勉，责令作出书面检查，限期改进；"
                "本考核年度不计算为晋升职务职级的任职年限")  # 条款号未核实（一处来源作第二十一条）
# 不称职 → one level down and 连续两年不称职 → 辞退: 公务员法 (verified, whole text).
SOURCE_DEMOTION = CIVIL_SERVANT_LAW + "第五十条第二款：公务员在年度考核中被确定为不称职的，按照规定程序降低一个职务或者职级层次任职"
SOURCE_DISMISSAL = CIVIL_SERVANT_LAW + "第八十八条第（一）项：在年度考核中，连续两年被确定为不称职的，予以辞退"
# 不适宜担任现职的情形: 第五条 (two independent sources agree on the article).
SOURCE_CIRCUMSTANCES = SOURCE_UP_DOWN + "第五条"
# Waiting periods (影响期) after an adjustment. The official wording found is 共产党员网's Q&A on
# 《党政领导干部选拔任用工作条例》（2019） (www.12371.cn/2020/05/25/ARTI1590397237667665.shtml; 条款号未核实),
# which distinguishes accountability from unsuitability; the official text wins over REGULATIONS.md
# ("after removal no leadership post for 1 year"), see decision 0006. For 降职 the official text
# defers to "有关规定"; the 2-year bar on promotion is the project's default from REGULATIONS.md.
SOURCE_SELECTION = "《党政领导干部选拔任用工作条例》（2019）"
SOURCE_WAITING_ACCOUNTABLE = (SOURCE_SELECTION + "（条款号未核实）：引咎辞职、责令辞职和因问责被免职的党政领导干部，"
                              "一年内不安排领导职务，两年内不得担任高于原任职务层次的领导职务")
SOURCE_WAITING_UNSUITABLE = SOURCE_SELECTION + "（条款号未核实）：因不适宜担任现职调离岗位、免职的，一年内不得提拔"
SOURCE_WAITING_DEMOTED = (SOURCE_UP_DOWN + "：降职的，两年内不得提拔（本系统默认；选拔任用条例原文为"
                          "“降职使用的干部重新提拔，按照有关规定执行”）")
SOURCE_WAITING = "；".join((SOURCE_WAITING_ACCOUNTABLE, SOURCE_WAITING_UNSUITABLE, SOURCE_WAITING_DEMOTED))

class RuleViolation(ValueError):
    """A write refused by a rule. ``str(exc)`` is the Chinese reason; ``source`` the citation."""

    def __init__(self, message: str, source: str = ""):
        super().__init__(message + (f"（依据：{source}）" if source else ""))
        self.reason = message
        self.source = source


# ----------------------------------------------------------------------------------------------
# 职级 (ranks), kept apart from 职务 (posts)
# ----------------------------------------------------------------------------------------------
#: Ranks of comprehensive-management civil servants, most senior first. The codes are ours (no
#: national code table is cited for them); the names and order are those of the 2019 regulation.
RANKS: tuple[tuple[str, str], ...] = (
    ("01", "一级巡视员"), ("02", "二级巡视员"),
    ("03", "一级调研员"), ("04", "二级调研员"), ("05", "三级调研员"), ("06", "四级调研员"),
    ("07", "一级主任科员"), ("08", "二级主任科员"), ("09", "三级主任科员"), ("10", "四级主任科员"),
    ("11", "一级科员"), ("12", "二级科员"),
)  # fmt: skip
RANK_LABELS = dict(RANKS)


def rank_is_promotion(old: str | None, new: str) -> bool:
    """True when ``new`` is a more senior rank than ``old`` (codes sort most senior first)."""
    return old is not None and new < old


# ----------------------------------------------------------------------------------------------
# 职数 (authorized number of posts) by kind
# ----------------------------------------------------------------------------------------------
CHIEF, DEPUTY = "chief", "deputy"
POST_KINDS = ((CHIEF, "正职"), (DEPUTY, "副职"))
POST_KIND_LABELS = dict(POST_KINDS)


def post_kind(post_level: str) -> str | None:
    """正职/副职 of a GB/T 12407 职务级别 code: x1 → chief, x2 → deputy (21…42), else None."""
    if len(post_level) == 2 and post_level[0] in "234":
        return {"1": CHIEF, "2": DEPUTY}.get(post_level[1])
    return None


#: 党内职务 are held by members of the Party: the Party's committees, 党组 and discipline inspection
#: committees are made up of members (only members elect and may be elected).
SOURCE_PARTY_POST = "《中国共产党章程》（条款号未核实）：党的委员会、党组和纪律检查委员会由党员组成，党内职务由中共党员担任"
#: Words naming a body of the Party itself (党委, 党组, 党总支, 党支部, 纪委 …; not 党组织服务中心): a
#: part of a title naming one is a 党内职务 whatever else it names ("团委书记党委委员", "政协党组成员").
_PARTY_BODY = r"党委|党组(?!织)|党组织负责人|党工委|党总支|党支部|纪委|纪工委|纪检组|纪律检查委员"
#: Posts of the body named before them (书记 but not 书记员, a court clerk; X委常委, 县委委员, 组织委员,
#: 支部委员 …): a 党内职务 unless that body is another organization's ("团县委书记").
_PARTY_ROLE = (
    r"书记(?!员)|委常委|组织委员|宣传委员|统战委员|支部委员|支委|纪检委员|[省市县区州盟旗]委(?:候补)?委员"
)
#: Names of another organization: the Communist Youth League (共青团, 团委, 团县委, 团支部; not
#: 集团/剧团/乐团, units whose 支部 is the Party's), the democratic parties (民建市委常委), trade unions
#: (工会组织委员).
_NOT_THE_PARTY = r"共青团|(?<![集剧乐])团(?:中央|省委|市委|县委|区委|委|工委|总支|支部|支委)|民革|民盟|民建|民进|农工党|致公党|九三学社|台盟|工会"
_READING = re.compile(f"(?P<other>{_NOT_THE_PARTY})|(?P<body>{_PARTY_BODY})|(?P<role>{_PARTY_ROLE})")
#: What separates the posts of a combined title; whitespace does not (it is removed first: "中共金安区委
#: 书记" is "中共金安区委书记", "共青团金安区委　书记" is "共青团金安区委书记").
_TITLE_PARTS = re.compile(r"[、，,；;/（）()]+|兼任?")
_SPACE = re.compile(r"\s+")


def is_party_post(title: str) -> bool:
    """Whether the post ``title`` is (or includes) a 党内职务: 党委/党组/党工委/纪委 posts, 书记 and
    副书记 (not 书记员), X委常委 and 县委委员, 组织/宣传/统战委员; each part of a combined title counts
    ("党委书记、董事长" is one), and whitespace separates nothing ("中共金安区委 书记" is 中共金安区委书记).
    A post of the Youth League, a democratic party or a trade union is not one ("团县委书记",
    "共青团金安区委 书记", "民建市委常委", "工会组织委员"), nor are "副镇长" and "局长"; the 支部书记 of a
    unit such as a 剧团 is ("县剧团支部书记": the troupe's 支部 is the Party's, its Youth League's is 团支部)."""
    return any(_party_part(part) for part in _TITLE_PARTS.split(_SPACE.sub("", title)) if part)


def _party_part(part: str) -> bool:
    """One part of a title, read left to right: a Party body makes it a 党内职务; so does a post word,
    unless it is the post of another organization named just before it ("团县委书记"; after that post
    the next one is read afresh: "团委书记县委常委" holds a 县委常委)."""
    other = False
    for m in _READING.finditer(part):
        if m.lastgroup == "other":
            other = True
        elif m.lastgroup == "body" or not other:
            return True
        else:
            other = False
    return False


def check_party_post(*, name: str, title: str, is_party_member: bool) -> None:
    """Refuse a 党内职务 for a cadre who is not a member of the Party (RuleViolation, SOURCE_PARTY_POST)."""
    if not is_party_member and is_party_post(title):
        raise RuleViolation(f"“{title}”是党内职务，{name}不是中共党员，不能担任", SOURCE_PARTY_POST)


def check_post_quota(*, team_name: str, kind: str, quota: int | None, holders: int) -> None:
    """Refuse one more holder of ``kind`` when ``holders`` (distinct cadres holding such a post of the
    team on the date) already reaches ``quota``. ``quota`` None = no 职数 recorded (not checked).

    Raises RuleViolation: "超职数配备" with the figures.
    """
    if quota is not None and holders + 1 > quota:
        raise RuleViolation(
            f"{team_name}核定{POST_KIND_LABELS[kind]}职数{quota}名，现已配备{holders}名，再任职将超职数配备",
            SOURCE_QUOTA,
        )


def quota_excess(*, quota: int | None, holders: int) -> int:
    """超配: how many of the ``holders`` (distinct cadres holding 正职 or 副职 posts of a team) exceed the
    ``quota`` (核定职数); 0 at or below it, and 0 when no 职数 is recorded (``quota`` None). A quota may be
    cut below the current staffing ahead of a reshuffle (the excess is then absorbed by removals: no
    new appointment of that kind is possible meanwhile, see :func:`check_post_quota`, SOURCE_QUOTA)."""
    return max(holders - quota, 0) if quota is not None else 0


def quota_excess_note(*, kind: str, quota: int | None, holders: int) -> str:
    """The Chinese note shown when ``holders`` exceed ``quota`` ('' otherwise), e.g. "现有正职2人，超过核定
    职数1名（超配1人），消化超配前不能再任正职" (see :func:`quota_excess`)."""
    excess = quota_excess(quota=quota, holders=holders)
    if not excess:
        return ""
    label = POST_KIND_LABELS[kind]
    return f"现有{label}{holders}人，超过核定职数{quota}名（超配{excess}人），消化超配前不能再任{label}"


# ----------------------------------------------------------------------------------------------
# 年轻干部 thresholds (configurable; stored as data in YoungThreshold)
# ----------------------------------------------------------------------------------------------
#: Default: a cadre is young when his full-year age does not exceed the threshold of his post's
#: 职务级别. Local practice differs; administrators change these (audited).
DEFAULT_YOUNG_THRESHOLDS: dict[str, int] = {"21": 50, "22": 45, "31": 45, "32": 40, "41": 35, "42": 35}


# ----------------------------------------------------------------------------------------------
# Appraisal (公务员考核规定 2020)
# ----------------------------------------------------------------------------------------------
EXCELLENT, COMPETENT, BASIC, INCOMPETENT = "excellent", "competent", "basic", "incompetent"
GRADES = ((EXCELLENT, "优秀"), (COMPETENT, "称职"), (BASIC, "基本称职"), (INCOMPETENT, "不称职"))
GRADE_LABELS = dict(GRADES)
DEFAULT_EXCELLENT_RATIO = Decimal("0.20")
MAX_EXCELLENT_RATIO = Decimal("0.25")
FLOOR, HALF_UP = "floor", "half_up"
ROUNDINGS = ((FLOOR, "向下取整"), (HALF_UP, "四舍五入"))


def excellent_quota(graded: int, ratio: Decimal, rounding: str) -> int:
    """Theoretical number of 优秀: ``graded`` × ``ratio`` rounded by ``rounding`` (floor / half_up).

    ``graded`` excludes the not-graded participants. E.g. 12 × 20% = 2.4 → 2 either way;
    13 × 20% = 2.6 → 2 (floor) or 3 (half_up).
    """
    exact = Decimal(graded) * ratio
    mode = ROUND_FLOOR if rounding == FLOOR else ROUND_HALF_UP
    return int(exact.quantize(Decimal(1), rounding=mode))


def check_excellent_ratio(ratio: Decimal, approval_document: str) -> None:
    """The ratio must lie in (0, 25%]; above 20% only with the approval document recorded."""
    if ratio <= 0 or ratio > MAX_EXCELLENT_RATIO:
        raise RuleViolation("优秀比例应大于0且不超过25%", SOURCE_APPRAISAL_QUOTA)
    if ratio > DEFAULT_EXCELLENT_RATIO and not approval_document.strip():
        raise RuleViolation("优秀比例超过20%须经批准，请填写批准文件", SOURCE_APPRAISAL_QUOTA)


def check_round_closable(*, excellent: int, quota: int, ungraded: int) -> None:
    """A round closes only when every participant is graded (or marked not graded) and the number
    of 优秀 does not exceed the quota. Raises RuleViolation with the figures."""
    if ungraded:
        raise RuleViolation(f"尚有{ungraded}名参加考核人员未确定等次")
    if excellent > quota:
        raise RuleViolation(f"优秀等次{excellent}名，超过比例限额{quota}名，不能结束考核", SOURCE_APPRAISAL_QUOTA)


@dataclass(frozen=True)
class Consequence:
    """A consequence computed from annual grades: ``kind`` code, ``year``, Chinese ``label``, ``source``."""

    kind: str
    year: int
    label: str
    source: str


COMMENDATION = "commendation"
THIRD_CLASS_MERIT = "third_class_merit"
SALARY_STEP = "salary_step"
SALARY_GRADE = "salary_grade"
ADMONISHING_TALK = "admonishing_talk"
DEMOTION = "demotion"
DISMISSAL = "dismissal"
IMPROVEMENT_MONTHS = 6  # improvement deadline after 基本称职 (local practice; configurable constant)


def appraisal_consequences(grades: dict[int, str]) -> list[Consequence]:
    """Consequences of a cadre's annual grades ``{year: grade}`` (closed rounds only), oldest first.

    - 优秀 → 嘉奖 that year (``SOURCE_COMMENDATION``);
    - 优秀 three consecutive years (calendar years, no gap) → 记三等功 proposed in the third year
      (and again after each further run of three) (``SOURCE_THIRD_CLASS_MERIT``);
    - 称职 or better: every 2nd accumulated year → one salary step (工资档次); every 5th → one 级别
      (《公务员考核规定》（2020）第二十条);
    - 基本称职 → 诫勉, written self-examination and an improvement deadline; the year does not count
      towards tenure for promotion (``SOURCE_BASIC``);
    - 不称职 → proposal to lower one post or rank level (《公务员法》（2018）第五十条第二款);
      不称职 two consecutive years → dismissal proposal (《公务员法》（2018）第八十八条第（一）项).

    Each Consequence carries its citation in ``source``; see the SOURCE_* constants for which article
    numbers are verified.
    """
    out: list[Consequence] = []
    run_excellent = 0
    accumulated = 0
    prev_year: int | None = None
    prev_grade: str | None = None
    for year in sorted(grades):
        grade = grades[year]
        consecutive = prev_year is not None and year == prev_year + 1
        if grade == EXCELLENT:
            out.append(Consequence(COMMENDATION, year, "给予嘉奖", SOURCE_COMMENDATION))
            run_excellent = run_excellent + 1 if consecutive and prev_grade == EXCELLENT else 1
            if run_excellent % 3 == 0:
                out.append(Consequence(THIRD_CLASS_MERIT, year, "连续三年优秀，记三等功", SOURCE_THIRD_CLASS_MERIT))
        else:
            run_excellent = 0
        if grade in (EXCELLENT, COMPETENT):
            accumulated += 1
            if accumulated % 2 == 0:
                out.append(Consequence(SALARY_STEP, year, f"称职以上累计{accumulated}年，晋升一个工资档次", SOURCE_SALARY_STEP))
            if accumulated % 5 == 0:
                out.append(Consequence(SALARY_GRADE, year, f"称职以上累计{accumulated}年，晋升一个级别", SOURCE_SALARY_GRADE))
        if grade == BASIC:
            out.append(Consequence(ADMONISHING_TALK, year,
                                   f"对其进行诫勉，责令作出书面检查，限期{IMPROVEMENT_MONTHS}个月改进；本考核年度不计算为晋升职务职级的任职年限",
                                   SOURCE_BASIC))
        if grade == INCOMPETENT:
            if consecutive and prev_grade == INCOMPETENT:
                out.append(Consequence(DISMISSAL, year, "连续两年不称职，提出辞退建议", SOURCE_DISMISSAL))
            else:
                out.append(Consequence(DEMOTION, year, "降低一个职务或者职级层次任职", SOURCE_DEMOTION))
        prev_year, prev_grade = year, grade
    return out


# Routine and special appraisal grades (平时考核 uses 好/较好/一般/较差).
ROUTINE_GRADES = (("good", "好"), ("fairly_good", "较好"), ("average", "一般"), ("poor", "较差"))


def weighted_score(parts: list[tuple[str, Decimal, Decimal | None]]) -> tuple[Decimal | None, str]:
    """The leadership-team "1+N" score: Σ weight × value / Σ weight over the parts that have a value.

    ``parts`` = [(label, weight, value or None)]. Returns (score rounded half-up to 2 decimals or
    None when no part has a value, the formula as text, e.g. "任务完成情况×40% + 民主测评×60%").
    """
    present = [(label, w, v) for label, w, v in parts if v is not None]
    total_w = sum((w for _, w, _ in present), Decimal(0))
    formula = " + ".join(f"{label}×{(w * 100).normalize():f}%" for label, w, _ in parts)
    if not present or total_w == 0:
        return None, formula
    score = sum((w * v for _, w, v in present), Decimal(0)) / total_w
    return score.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), formula


# ----------------------------------------------------------------------------------------------
# Incentive flags (优者奖; "同等条件下优先")
# ----------------------------------------------------------------------------------------------
TOP_RANKING_SHARE = Decimal("0.10")  # "near the top": within the best 10% of a ranked round (configurable)


def top_ranking_cut(participants: int, share: Decimal = TOP_RANKING_SHARE) -> int:
    """Highest ranking position that counts as "near the top": ceil(participants × share), at least 1."""
    return max(1, math.ceil(Decimal(participants) * share)) if participants else 0


# ----------------------------------------------------------------------------------------------
# Waiting periods after adjustments (选拔任用条例 2019, 能上能下规定 2022)
# ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class WaitingDates:
    """Effective dates of a cadre's latest completed adjustments that start a waiting period (None: none).

    ``accountable_on``: 引咎辞职, 责令辞职 or 因问责被免职; ``unsuitable_on``: 调离岗位, 平职调整,
    改任职级 or 免职 because unsuitable for the post; ``demoted_on``: 降职.
    """

    accountable_on: dt.date | None = None
    unsuitable_on: dt.date | None = None
    demoted_on: dt.date | None = None


def check_waiting_period(*, dates: WaitingDates, on: dt.date, leadership_post: bool, promotion: bool) -> None:
    """Refuse an appointment or rank on ``on`` that a waiting period bars (RuleViolation with its source).

    - after 引咎辞职 / 责令辞职 / 因问责被免职: no leadership post within 1 year, and no leadership
      post above the former level within 2 years (``SOURCE_WAITING_ACCOUNTABLE``);
    - after 调离岗位 / 免职 (and 平职调整, 改任职级) for unsuitability: no promotion within 1 year
      (``SOURCE_WAITING_UNSUITABLE``);
    - after 降职: no promotion within 2 years (``SOURCE_WAITING_DEMOTED``, the project's default).

    ``leadership_post``: the new post is a leadership post; ``promotion``: it is above the cadre's
    current level (or a higher 职级). Each period ends on the anniversary: allowed from ``date + N years``.
    """
    a, u, d = dates.accountable_on, dates.unsuitable_on, dates.demoted_on
    if a is not None and leadership_post and on < add_years(a, 1):
        raise RuleViolation(f"该干部于{a:%Y.%m.%d}引咎辞职、被责令辞职或因问责被免职，{add_years(a, 1):%Y.%m.%d}前不安排领导职务",
                            SOURCE_WAITING_ACCOUNTABLE)
    if a is not None and leadership_post and promotion and on < add_years(a, 2):
        raise RuleViolation(f"该干部于{a:%Y.%m.%d}引咎辞职、被责令辞职或因问责被免职，{add_years(a, 2):%Y.%m.%d}前不得担任高于"
                            "原任职务层次的领导职务", SOURCE_WAITING_ACCOUNTABLE)
    if u is not None and promotion and on < add_years(u, 1):
        raise RuleViolation(f"该干部于{u:%Y.%m.%d}因不适宜担任现职被调整，{add_years(u, 1):%Y.%m.%d}前不得提拔", SOURCE_WAITING_UNSUITABLE)
    if d is not None and promotion and on < add_years(d, 2):
        raise RuleViolation(f"该干部于{d:%Y.%m.%d}被降职，{add_years(d, 2):%Y.%m.%d}前不得提拔", SOURCE_WAITING_DEMOTED)


#: ``SOURCE_CIRCUMSTANCES`` (《推进领导干部能上能下规定》（2022）第五条): the 15 circumstances of 不适宜担任现职.
#: Items (一)–(八) are the official wording (安徽网 epaper.ahwang.cn, 2022-09-20, which prints 第五条), with
#: the closing "；" dropped. Items (十三) and (十四) follow the wording quoted by the press (南方周末 时政周报,
#: zprce.cn), their position in the list unverified. Items (九)–(十二) and (十五) are still summaries: 原文未核实.
CIRCUMSTANCES: tuple[tuple[str, str], ...] = (
    ("01", "（一）政治能力不过硬，缺乏应有的政治判断力、政治领悟力、政治执行力，在不折不扣贯彻落实党中央决策部署、"
           "结合实际推动落地见效上存在明显差距的"),
    ("02", "（二）理想信念动摇，在涉及党的领导、中国特色社会主义制度等重大原则问题上立场不坚定、态度暧昧，"
           "关键时刻经不住考验的"),
    ("03", "（三）担当和斗争精神不强，在事关党和国家利益、人民群众生命财产安全等紧要关头临阵退缩，"
           "在急难险重任务、重大风险考验面前消极逃避或者应对处置不力的"),
    ("04", "（四）政绩观存在偏差，不能坚持以人民为中心的发展思想，不能准确把握新发展阶段、完整准确全面贯彻新发展理念，"
           "在构建新发展格局、推动高质量发展上不积极不作为，搞“形象工程”“政绩工程”乱作为的"),
    ("05", "（五）违背党的民主集中制原则，独断专行或者软弱涣散、自行其是，不执行或者擅自改变组织作出的决定，"
           "在领导班子中闹无原则纠纷，或者任人唯亲、拉帮结派，破坏所在地方、单位政治生态的"),
    ("06", "（六）组织观念淡薄，不严格执行重大事项请示报告、个人有关事项报告等制度，无正当理由拒不执行组织的分配、"
           "调动、交流等决定的"),
    ("07", "（七）事业心和责任感不强，精神状态差，对职责范围内的事项敷衍塞责，对群众急难愁盼问题不上心、不尽力，"
           "工作推拖绕躲、贻误事业发展的"),
    ("08", "（八）领导能力不足，不能有效履行职责、按要求完成目标任务，重大战略、重要改革、重点工作推进不力，"
           "所负责的工作较长时间处于落后状态的"),
    ("09", "（九）履职不力、出现较大失误，造成不良影响"),  # 摘要，原文未核实
    ("10", "（十）作风不实，群众意见较大"),  # 摘要，原文未核实
    ("11", "（十一）违反中央八项规定精神，不严格遵守廉洁从政规定"),  # 摘要，原文未核实
    ("12", "（十二）品行不端，不重视家庭家教家风，造成不良影响"),  # 摘要，原文未核实
    ("13", "（十三）因配偶、子女及其配偶经商办企业等情况，按照有关规定需要组织调整的"),  # 报道引文，项次未核实
    ("14", "（十四）因健康原因无法正常履行工作职责一年以上的"),  # 报道引文（“1年以上”），项次未核实
    ("15", "（十五）存在其他不适宜担任现职情形"),  # 摘要，原文未核实
)  # fmt: skip

MEASURES: tuple[tuple[str, str], ...] = (
    ("reassign", "调离岗位"), ("rank_only", "改任职级"), ("remove", "免职"), ("demote", "降职"),
    ("order_resign", "责令辞职"), ("suspend", "停职检查"), ("lateral", "平职调整"),
    ("apologize", "公开道歉"), ("resign", "引咎辞职"),
)  # fmt: skip
MEASURE_LABELS = dict(MEASURES)
#: Measures whose completion starts a waiting period (see ``check_waiting_period``):
#: 引咎辞职 / 责令辞职 — and 免职 when the case rests on a 问责 decision — are accountability;
#: 调离岗位 / 平职调整 / 改任职级 / 免职 for unsuitability bar promotion for a year; 降职 for two.
ACCOUNTABILITY_MEASURES = ("order_resign", "resign")
UNSUITABLE_MEASURES = ("reassign", "lateral", "rank_only", "remove")
DEMOTION_MEASURES = ("demote",)
