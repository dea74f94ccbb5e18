"""Tasks extracted from a structured document, and the one-call pipeline :func:`analyse`.

Unit of a task: one content sentence (ending in 。！？) that directs a concrete action. Several
actions in one sentence stay one task (the table row can be split by the user later). Run-in
heads are headings, not tasks; their text goes into the task's heading path.

Each sentence is scored with genre lexicons, not with seed sentences:

- *rhetoric* (dropped): quotations of reports ("……报告强调"), appraisal and background
  ("擘画了", "指明了", "至关重要", "是……关键时期", "日前召开"), salutations;
- *guidance* (kept with ``kind='guidance'`` so the user can promote it): the opening of a
  speech ("今天召开……会议", "刚才，……通报了", "同时也要清醒看到……问题"), principles and
  attitudes without a checkable deliverable ("坚持以……为指导", "处理好……关系", "既要……也要",
  "不能……", "增强……意识");
- *task*: a quantified target, a deadline, a named responsible party with a directive, or
  concrete action verbs with concrete objects (开展/实施/建立/健全/出台/选派/引进… +
  机制/计划/活动/平台/体系/办法/培训/班子…).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date

from .clean import Cleaned, clean
from .deadlines import Deadline, find_deadline
from .fields import field_deadline, field_parties, mask
from .parties import Party, find_parties, normalize
from .structure import Document, Node, Sentence, parse
from .targets import Target, find_targets

CONCRETE_VERBS = re.compile(
    "开展|实施|建立|健全|完善|出台|创办|开办|选派|选聘|遴选|评选|打造|配齐|配强|选配|引进|招聘|招录|制定|修改|"
    "举办|办好|轮训|培训|整治|表彰|发布|联系|推行|构建|落实|推进|推动|抓好|加强|强化|深化|探索|培育|培养|"
    "建设|建强|创建|选拔|调整|考察|检视|执行|对接|拓宽|兑现|宣传|研读|学习|组建|规范|压实|采取|纳入|拿出|"
    "巩固|统筹|加大|加快|扩大|提升|优化|实现|鼓励|支持|引导|跟踪|挂职|跟班|选树|谋划|配备|覆盖|整顿|督查|"
    "督导|考核|评议|述职|办实事|服务|监督|使用|管理|给予|配合|推行"
)
CONCRETE_OBJECTS = re.compile(
    "机制|制度|计划|活动|行动|平台|体系|办法|规范|工程|项目|清单|方案|品牌|示范|编制|挂职|典型|专项|课题|"
    "条例|后备库|培训班|培训|轮训|班子|考核|考察|招录|招聘|述职|待遇|报酬|渠道|场景|措施|举措|队伍|"
    "党支部|党组织|小区|试点|阵地|中心|园|基地|人才|干部|工作|需求|评议|台账|数据库|信息库|人才库|专栏|"
    "审计|普查|摸排|排查|督查|检查|调研|评估|分析|任期制|聘任制|责任制|奖励|补贴|表扬"
)
RHETORIC = re.compile(
    r"^(?:党的.{0,12}(?:报告|全会|大会)|(?:习近平)?总书记.{0,20}(?:强调|指出)|.{0,12}强调[，：,]|同志们|"
    r"日前|近日|此前|去年以来|过去一年)|擘画|指明了|揭示了|发出了|确立了|提供了根本遵循|至关重要|"
    r"意义深远|具有.{0,10}意义|前途光明|任重道远|是.{0,24}(?:关键时期|关键一年|开局之年|之年|重点工作，也是)|"
    r"通篇贯穿|闪烁着|我们要|正处(?:在|于)|，关键在(?:于)?(?:落实|行动|实干)|"
    # the closing call of a speech: 让我们……, 团结在……周围, 为……提供坚强保证！
    r"^让我们|团结在.{0,30}周围|(?:提供|作出|贡献)(?:坚强|有力)?.{0,6}(?:保证|保障|支撑|力量|贡献)[！!]$"
)
#: A sentence ending in ！ in a speech is a call, not a task, unless it carries a figure or a date.
EXCLAMATION = re.compile(r"[！!][”’」』）)]*$")
GUIDANCE = re.compile(
    r"^(?:要|必须|全市组织系统和组工干部要)?坚持以|为指导|为指引|为主线|处理好.{0,12}关系|既要.{0,30}(?:也要|又要)|"
    r"不能|不得|牢记|坚定不移|深刻领悟|深刻把握|增强“?四个意识|两个维护|主基调|义不容辞|"
    r"政治责任|使命担当|^要坚持|^坚持.{0,12}原则|作为最高政治原则|作为重大政治任务|提振状态|提高工作执行力|"
    r"不断增强.{0,20}力|提高.{0,6}(?:执行力|效率|水平)"
)
STRONG_GUIDANCE = re.compile(
    r"坚持以.{0,40}为?(?:指导|指引|主线|根本)|处理好.{0,12}关系|既要.{0,30}(?:也要|又要)|"
    r"提高.{0,6}(?:执行力|效率)|作为.{0,12}政治任务|切实担负起|"
    # attitudes of leading bodies: 把……摆在突出位置 / 纳入重要议事日程 / 亲自研究、亲自推动
    r"摆在.{0,6}(?:突出|重要)(?:的)?位置|放在.{0,6}(?:突出|重要)(?:的)?位置|纳入.{0,4}重要议事日程|亲自研究、亲自推动|"
    # conditional sanctions are rules, not tasks: 对……不力的单位，由……约谈
    r"^对.{2,30}的(?:单位|部门|地方|个人|干部|人员)，.{0,24}(?:约谈|问责|追责|通报批评|诫勉)|"
    # 把……作为首要任务/重要内容/重要依据: a priority, not a deliverable
    r"把.{2,40}作为.{0,20}(?:首要任务|重要内容|重要依据|基础性工程|基础工程|重中之重|头等大事|重要抓手|"
    r"重要任务|政治任务|基本功|必修课|主阵地)|"
    r"摆在.{0,6}(?:首位|第一位|首要位置)|统一到.{0,24}上来|贯穿.{0,16}(?:全过程|始终|各方面)|"
    r"成为.{0,16}(?:思想自觉|行动自觉|自觉行动)|(?:^|，)(?:要)?坚持.{2,30}相(?:统一|结合)|"
    r"^(?:要)?(?:牢固)?树立(?:和践行)?.{0,12}观|"
    # the framing of a section: "今年……工作的总体考虑是：……"
    r"的(?:总体|基本)(?:考虑|要求|思路|目标|安排)是[：:，,]|"
    # attitudes: 以……的紧迫感/责任感, 把……落到实处
    r"以[^，。；]{0,40}(?:紧迫感|责任感|使命感|危机感|精气神)|把.{0,10}(?:各项)?(?:任务|工作|要求)落到实处|"
    # the standard demands on conduct: 讲政治、守规矩, 忠诚干净担当
    r"讲政治、守规矩|守纪律、讲规矩|忠诚干净担当|带头讲政治|"
    # who answers for a plan, stated as a duty, and the demand to cooperate: 各牵头单位是……第一责任主体,
    # 不推诿、不扯皮
    r"是.{0,16}第一责任(?:主体|人)|不推诿|不扯皮|互相推诿|"
    # a consequence, not an action: "工作要点落实情况纳入年度考核" (the whole sentence, nothing else asked)
    r"^[^，。；]{2,24}(?:落实|推进|完成|执行)情况(?:纳入|列入|作为)[^，。；]{0,24}(?:考核|考评|评价|依据)[。；]?$"
)
#: The opening of a speech: why the meeting is held, what was just reported, the sober look at
#: shortcomings. Background, never a task, even when it names a party or a figure.
BACKGROUND = re.compile(
    r"^(?:今天|今天上午|今天下午|这次|此次|本次|我们今天)[，,]?.{0,30}(?:召开|举行|举办).{0,30}(?:会议|会|座谈会|推进会|部署会)|"
    r"^刚才[，,]|^(?:会上|会前)[，,].{0,40}(?:通报了|传达了|作了|发言|讲话)|"
    r"^(?:同时|但是|但|当然)?[，,]?(?:我们)?(?:也|还)?(?:要|应当|必须)?清醒(?:地)?(?:看到|认识到)|"
    r"^(?:同时|但是|但|当然)[，,]?(?:我们)?(?:也|还)(?:要|应)?(?:清醒)?(?:地)?看到|"
    # the review of the past year: 过去一年……取得了, 一年来我们……做了
    r"^(?:过去一年|过去的一年|去年以来|一年来|近年来|近几年来?|\d{4}年以来|[一二三四五]年来|上一年)[，,]|"
    r"^(?:具体来看|总的来看|回顾.{0,8})[，,].{0,12}(?:一年来|去年|过去)|"
    r"^(?:从.{1,8}来看|总的来说|总体来看)[，,].{0,30}(?:把握好|处理好|注重)|"
    # "同志们，……" at the end: the call to action that closes a speech
    r"^同志们[，,！!]"
)
#: Openings and closings of a speech that no date lifts into a task ("今天召开……推进会，主要任务是
#: ……部署下半年重点任务", "同志们，下半年时间紧、任务重"), and the verdict on a period ("总的来看").
SPEECH_FRAME = re.compile(
    r"^(?:今天|今天上午|今天下午|这次|此次|本次|我们今天)[，,]?.{0,30}(?:召开|举行|举办).{0,30}(?:会议|会|座谈会|推进会|部署会)|"
    r"^同志们[，,！!]|^(?:总的来看|总的来说|总体来看|总体上看)[，,]|"
    r"^[^，。；]{0,12}是.{0,16}(?:关键阶段|关键期|攻坚期|冲刺期|决胜期)[。！!]?$"
)
#: The review of a period that has ended: a paragraph that opens with one of these is background,
#: and so are the sentences after it in the same paragraph ("上半年，……。一是……，举办……2期。二是……").
REVIEW_OPENING = re.compile(
    r"^(?:(?:今年)?上半年|今年以来|去年|过去一年|过去的一年|去年以来|一年来|近年来|近几年来?|\d{4}年以来|"
    r"[一二三四五]年来|上一年|前一阶段|前段时间|一季度以来|截至目前|截至\d{1,2}月底?)[，,]"
)
#: A sentence inside a review paragraph that turns to what is still to do ends the review.
FORWARD = re.compile(r"下半年|下一步|接下来|今后|明年|(?<![一二三四五六七八九十]是)[^，。；]{0,8}(?:要|须|必须|务必)(?!求)")
#: Exhortations, duties stated as attitudes, and the closing boilerplate of a document.
EXHORTATION = re.compile(
    r"^大家(?:一定)?要|[，,]大家一定要|一定要拿出|^[^。；]{0,30}(?:各司其职|密切配合)[^。；]{0,16}[。；]?$|"
    r"履行.{0,12}第一责任人(?:职责)?|(?:负责解释|自印发之日起(?:施行|执行))|"
    r"^[^，。；把]{2,20}作为.{0,24}重要依据[。；]?$|"
    r"^对.{2,40}的(?:单位|部门|地方|个人|干部|人员)(?:和(?:个人|单位|干部))?，.{0,40}(?:约谈|问责|追责|通报批评|诫勉)|"
    r"^对.{2,40}的，由.{0,30}(?:约谈|问责|追责|通报批评|诫勉)|"
    # attitude, not action: "对这些问题，……必须高度重视", "……深刻认识……的重要性和紧迫性", "……上作表率",
    # "切实履行……主体责任，书记要当好第一责任人"
    r"^对(?:这些|上述|以上|这类)问题，|深刻认识.{0,40}(?:重要性|紧迫性|必要性)|(?:上|中)作(?:出)?表率|"
    r"当好第一责任人|^[^，。；]{0,20}要切实履行[^，。；]{0,16}主体责任[，。；]"
)
#: The purpose clause of a plan ("为……，结合我县实际，制定本方案。") and the headings of its framing
#: sections (总体要求, 指导思想, 基本原则): the overall goal stated there is not a task.
PLAN_FRAMING = re.compile(r"(?:特|现)?制定本(?:方案|要点|清单|计划|意见|办法)|(?:特|现)制定如下|现将.{0,20}(?:通知|印发)如下")
FRAMING_HEADINGS = re.compile(r"^(?:总体要求|指导思想|基本原则|总体思路|工作原则|指导原则|目标要求|总体目标)$")
#: Deadlines that do not lift a background sentence out of the background: they name the year
#: the whole speech is about ("安排部署今年重点任务", "全年引进各类人才612名").
_YEAR_ONLY = re.compile(r"^(?:今年|全年|年内|本年度?)$")
#: Framing clauses that set a condition or time rather than say what to do ("待……部署实施后",
#: "根据……", "在……基础上"): the action is in a later clause.
SUBORDINATE = re.compile(
    r"^(?:待|在|当|随着|根据|按照|依据|围绕|结合|对照|通过|依托|针对|立足|为了|为)|(?:后|时|之际|之前|前提下|基础上|过程中)$"
)
_LEAD = re.compile(
    r"^(?:同时，|特别是|此外，|另外，)?(?:要|将|须|必须|继续|进一步|不断|大力|全面|深入|扎实|积极|切实|着力|努力|"
    r"持续|常态化|认真|有效|及时|坚决|突出|注重|重点|统筹|加快|精心)+"
)

PILLAR_LEXICON: dict[str, list[str]] = {
    "人才": ["人才", "引才", "聚才", "专家", "科创", "高层次", "创新创业", "专业技术", "鸿雁", "特支计划", "人力资源"],
    "干部": ["干部", "领导班子", "班子", "一把手", "考核", "考察", "选拔", "挂职", "能上能下", "选配", "年轻干部", "领导人员", "公务员", "客座教授", "培训"],
    "组织": ["村干部", "党组织", "党支部", "基层党建", "党员", "基层", "村", "社区", "小区", "物业", "新业态", "新就业", "两新", "覆盖", "党群服务", "乡村振兴", "信用", "乡风", "主题教育", "党建"],
    "自身建设": ["组织部门", "组工干部", "组织系统", "从严治部", "自身建设", "纪检组"],
}


@dataclass
class Task:
    """One extracted item.

    ``kind`` 'task' | 'guidance'; ``start``/``end`` the sentence span in the cleaned text;
    ``action`` a concise verb phrase with ``action_span``; ``heading_path`` heading texts from
    the top; ``targets``/``deadline``/``parties`` with their spans; ``pillar`` one of
    组织/干部/人才/自身建设; ``reasons`` why it was classified so (for the UI and for debugging).
    """

    kind: str
    start: int
    end: int
    text: str
    action: str
    action_span: tuple[int, int]
    heading_path: list[str]
    targets: list[Target] = field(default_factory=list)
    deadline: Deadline | None = None
    parties: list[Party] = field(default_factory=list)
    pillar: str = "组织"
    reasons: list[str] = field(default_factory=list)
    #: ongoing work with no single due date, as written in its 完成时限 field (持续推进, 长期坚持); "" otherwise
    standing: str = ""
    #: the span [start, end) of ``standing`` in the cleaned text (None without it)
    standing_span: tuple[int, int] | None = None

    def as_dict(self) -> dict:
        """JSON-ready dict (dates as ISO strings)."""
        d = asdict(self)
        if self.deadline and self.deadline.due:
            d["deadline"]["due"] = self.deadline.due.isoformat()
        return d


@dataclass
class Analysis:
    """Everything the pipeline produced for one document."""

    cleaned: Cleaned
    document: Document
    tasks: list[Task]


def pillar_of(heading_path: list[str], sentence: str) -> str:
    """Pillar by lexicon: heading words count double (组织 when nothing matches)."""
    scores = dict.fromkeys(PILLAR_LEXICON, 0.0)
    heads = " ".join(heading_path)
    for pillar, words in PILLAR_LEXICON.items():
        h, t = heads, sentence
        if pillar == "干部":  # 村干部 belong to grassroots organization, 组工干部 to the department itself
            h, t = (x.replace("村干部", "").replace("组工干部", "") for x in (heads, sentence))
        for w in words:
            scores[pillar] += 2 * h.count(w) + t.count(w)
    best = max(scores.items(), key=lambda kv: kv[1])
    return best[0] if best[1] > 0 else "组织"


#: Verbs that make a clause an action of its own when it stands right before the clause of the
#: target ("完成年轻干部专项调研，选拔优秀年轻干部不少于200名": two actions of one task).
_ACTION_VERB = re.compile(f"(?:{CONCRETE_VERBS.pattern})|完成|开展|召开|报送|组织|编印|设立")
#: A clause that only frames the action: with whom or on what (会同市委宣传部, 依托市委党校), or a
#: heading-like aim by a degree verb (加强师资力量建设, 强化日常监督, 深化……): never joined to it.
_NOT_JOINED = re.compile(
    r"^(?:会同|联合|依托|协同|配合|协助|借助|牵头)|^[一二三四五六七八九十]是|"
    r"^(?:要|要进一步|进一步|持续|不断|大力|切实|着力)?(?:加强|强化|深化|加大|推进|推动|提升|优化|统筹|加快|扩大|巩固|创新|"
    r"推深做实|实施好|抓好|做好|做实|健全|完善)"
)
#: Longest action made of several clauses; a longer run keeps the target's clause alone.
_ACTION_MAX = 80
#: At most this many clauses are joined before the target's clause.
_ACTION_JOIN = 2


def _strip_subject(clause: str, a: int, s: Sentence, parties: list[Party]) -> tuple[str, int]:
    """``clause`` (starting at sentence offset ``a``) without the parties that open it, with the
    、/和/及 between them ("县教育局、县卫健委要……" → "要……"); the new clause and offset."""
    starts = {p.start - s.start: p for p in parties}
    while True:
        p = starts.get(a)
        if p is None or not clause.startswith(p.text):
            return clause, a
        clause, a = clause[len(p.text) :], a + len(p.text)
        sep = re.match(r"[、和及与]", clause)
        if sep and starts.get(a + 1) is not None:
            clause, a = clause[1:], a + 1


def _action(s: Sentence, parties: list[Party], targets: list[Target]) -> tuple[str, tuple[int, int]]:
    """Concise verb phrase and its span in the cleaned text.

    With a target: the clause holding the first target, together with the action clauses right
    before it (up to :data:`_ACTION_JOIN`, each with a verb of :data:`_ACTION_VERB`, neither
    subordinate nor a frame of :data:`_NOT_JOINED`, stopping after one that opens with its own
    party), when the whole is at most :data:`_ACTION_MAX` characters: "市委组织部要在6月底前完成
    年轻干部专项调研，选拔优秀年轻干部不少于200名" keeps both actions. Without a target: the first
    concrete clause. The parties opening the phrase ("县教育局、县卫健委要……") and the lead words
    (要/进一步 …) are left out. Returns (text, (start, end) in the cleaned text)."""
    text = s.text
    clauses = []
    pos = 0
    for m in re.finditer(r"[，；。！？]", text):
        clauses.append((pos, m.start()))
        pos = m.end()
    if pos < len(text):
        clauses.append((pos, len(text)))
    pick = None
    if targets:
        t0 = targets[0].start - s.start
        pick = next((c for c in clauses if c[0] <= t0 < c[1]), None)
        if pick is not None:
            k = first = clauses.index(pick)
            opens = {p.start - s.start for p in parties}
            while first > 0 and k - first < _ACTION_JOIN and pick[0] not in opens:
                ca, cb = clauses[first - 1]
                body, _ = _strip_subject(text[ca:cb], ca, s, parties)
                if not _ACTION_VERB.search(body) or SUBORDINATE.search(text[ca:cb]) or _NOT_JOINED.search(body):
                    break
                first -= 1
                if ca in opens:
                    break  # a clause with its own subject starts the run
            if first < k and pick[1] - clauses[first][0] <= _ACTION_MAX:
                pick = (clauses[first][0], pick[1])
    if pick is None:
        concrete = [c for c in clauses if CONCRETE_VERBS.search(text[c[0] : c[1]])]
        main = [c for c in concrete if not SUBORDINATE.search(text[c[0] : c[1]])]
        plain = [c for c in clauses if not SUBORDINATE.search(text[c[0] : c[1]])]
        pick = (main or concrete or plain or clauses or [(0, 0)])[0]
    a, b = pick
    clause, a = _strip_subject(text[a:b], a, s, parties)
    lead = _LEAD.match(clause)
    if lead and lead.end() < len(clause):
        a += lead.end()
        clause = clause[lead.end() :]
    cap = _ACTION_MAX if re.search(r"[，；]", clause) else 60
    return clause[:cap], (s.start + a, s.start + a + min(len(clause), cap))


def classify(s: Sentence, *, targets, deadline, parties, under_root: bool) -> tuple[str | None, list[str]]:
    """'task', 'guidance' or None (rhetoric) for a sentence, with the reasons."""
    text = s.text
    reasons = []
    if any(f.role in ("lead", "responsible", "deadline") for f in s.fields):
        # a work-plan item with its 牵头单位/责任单位/完成时限: a task by the genre's own marking
        return "task", ["fields"]
    if RHETORIC.search(text) and not (targets or deadline or parties):
        return None, ["rhetoric"]
    if EXCLAMATION.search(text) and not (targets or (deadline and deadline.due)):
        return None, ["rhetoric"]
    if PLAN_FRAMING.search(text):
        return "guidance", ["framing"]
    if s.head is not None and any(FRAMING_HEADINGS.match(h.strip("。 ")) for h in s.head.path()):
        return "guidance", ["framing"]
    if SPEECH_FRAME.search(text):
        return "guidance", ["background"]
    if BACKGROUND.search(text) and not (deadline and deadline.due and not _YEAR_ONLY.match(deadline.text)):
        return "guidance", ["background"]
    if EXHORTATION.search(text) and not targets:
        return "guidance", ["exhortation"]
    if targets:
        reasons.append("target")
    if deadline and deadline.due:
        reasons.append("deadline")
    if any(p.directed for p in parties):
        reasons.append("party")
    verbs = {m.group(0) for m in CONCRETE_VERBS.finditer(text)}
    objects = {m.group(0) for m in CONCRETE_OBJECTS.finditer(text)}
    guidance = len(GUIDANCE.findall(text))
    if STRONG_GUIDANCE.search(text) and not (targets or (deadline and deadline.due and not _YEAR_ONLY.match(deadline.text))):
        return "guidance", ["principle"]
    if under_root and not (deadline and deadline.due and deadline.text != "全年"):
        # the introduction before the first heading (总体要求, review of last year) frames the
        # document; its figures are background and its named parties are addressed in general
        return "guidance", ["preamble"]
    if reasons:
        return "task", reasons
    if under_root:
        return "guidance", ["preamble"]
    if guidance and guidance >= len(verbs) - 1:
        return "guidance", ["principle"]
    if len(verbs) >= 2 and objects or len(verbs) >= 1 and len(objects) >= 2:
        return "task", [f"verbs:{'/'.join(sorted(verbs))[:30]}"]
    if verbs:
        return "guidance", ["weak action"]
    return None, ["no action"]


_SUBLIST_START = re.compile(r"^\s*(?:[（(][一二三四五六七八九十\d]{1,3}[)）]|\d{1,2}[.．、]|[①-⑳]|[一二三四五六七八九十]是)")


def _lead_in(doc: Document, s: Sentence, nxt: Sentence | None) -> bool:
    """A sentence ending in ：/: that introduces a numbered sub-list ("重点落实以下措施：" followed by
    （1）（2）（3）) is no task of its own: the items are. It holds no target of its own either."""
    text = s.text.rstrip()
    if not text.endswith(("：", ":")) or s.cells or nxt is None or "\n" not in doc.text[s.end : nxt.start + 1]:
        return False
    if find_targets(text, s.start):
        return False
    return bool(_SUBLIST_START.match(doc.text[s.end :]))


def _office_over(s) -> Node | None:
    """The nearest heading above a list item that names an office (【组织股】…), or None.

    Only list items (◆ lines, :attr:`Sentence.item`) take their lead from such a heading: a closing
    paragraph under the last group ("各股室要……") names its own parties.
    """
    if not s.item:
        return None
    node = s.head
    while node is not None and node.kind != "document":
        if node.office:
            return node
        node = node.parent
    return None


#: A clause that finishes work of its own: its deadline can be the task's ("……，年底前全部完成整顿").
_FINISHES = re.compile(r"完成|建成|实现|全覆盖")


def _last_due(text: str, base: int, first: Deadline | None, targets: list[Target], parties: list[Party],
              doc_date: date | None, year: int | None) -> Deadline | None:
    """The deadline of a sentence that sets two for two of its actions: the later one.

    "3月底前完成流动党员摸排登记，年底前党员参加集中学习不少于4次" is one task (the annotation guideline:
    several actions of a sentence stay one task, and the user may split the row); it is done when its last
    action is, so its deadline is 年底前 — as a 时限 cell with several dates is due on the last
    (:func:`.fields.field_deadline`). A later clause counts when it holds a target or finishes work
    (:data:`_FINISHES`) and does not open with a party of its own ("……，镇纪委年前抽查一遍" is another body's
    check). 全年 is no deadline beside another one, nor is a start ("12月上旬开始"). ``first`` otherwise.
    """
    if first is None or first.due is None:
        return first
    best = first
    opens = {p.start for p in parties}
    for m in re.finditer(r"[^，；。！？]+", text):
        a, b = base + m.start(), base + m.end()
        if b <= first.end or a in opens or a + len(m.group()) - len(m.group().lstrip()) in opens:
            continue
        d = find_deadline(m.group(), a, doc_date, year=year)
        if d is None or d.due is None or d.text == "全年" or re.match(r"(?:开始|起)", text[d.end - base :]):
            continue
        if not (any(a <= t.start < b for t in targets) or _FINISHES.search(m.group())):
            continue
        if d.due > best.due:
            best = d
    return best


def extract_tasks(doc: Document, *, places: frozenset[str] = frozenset()) -> list[Task]:
    """Tasks and guidance items of a parsed document, in text order.

    ``places``: place names the caller knows (:func:`.parties.find_parties`), e.g. the counties of the
    unit tree, so that "金安区、裕安区要……" names its doers."""
    has_headings = bool(doc.root.children)
    out = []
    in_review, last_end = False, 0
    for i, s in enumerate(doc.sentences):
        if len(s.text.strip()) < 6 and not s.cells and not s.fields:
            continue  # (a record's short 任务名称 is kept: its fields make it an item)
        if _lead_in(doc, s, doc.sentences[i + 1] if i + 1 < len(doc.sentences) else None):
            continue
        body = mask(s.text, s.masked, s.start) if s.masked else s.text
        if s.cells:
            # a 任务分解表 row: each text cell (重点任务, 具体目标, 主要措施) on its own; the time written
            # in 具体目标/主要措施 ("6月底前完成……") is the deadline when the row has no 时限 cell
            targets = [t for _, a, b in s.cells for t in find_targets(doc.text[a:b], a)]
            deadline = next((d for r, a, b in s.cells if r != "task"
                             for d in [find_deadline(doc.text[a:b], a, doc.date, year=doc.year)] if d is not None), None)
            deadline = deadline or next((find_deadline(doc.text[a:b], a, doc.date, year=doc.year)
                                         for r, a, b in s.cells if r == "task"), None)
            parties = []
        else:
            targets = find_targets(body, s.start)
            parties = find_parties(body, s.start, places=places)
            deadline = _last_due(body, s.start, find_deadline(body, s.start, doc.date, year=doc.year), targets, parties,
                                 doc.date, doc.year)
        standing = ""
        if s.fields:
            # the item's fields (牵头单位/责任单位/完成时限) say who and when: they replace what the
            # sentence itself names (its names are objects or sources: "从县直单位选派……")
            named = field_parties(s.fields)
            if named:
                parties = named
            fd, standing = field_deadline(s.fields, doc.date, doc.year)
            if fd is not None or standing:
                deadline = fd
        office = _office_over(s)
        if office is not None:
            # a 工作要点 item under "【组织股】……": the office leads, the bracket's 协同 units support
            lead = Party(text=office.office, kind=normalize(office.office) or "named", start=0, end=0, role="lead")
            at = doc.text.find(office.office, office.start)
            lead.start, lead.end = (at, at + len(office.office)) if at >= 0 else (office.start, office.end)
            support = [p for p in field_parties(s.fields) if p.text != office.office] if s.fields else []
            for p in support:
                p.role = "responsible"
            parties = [lead, *support]
        under_root = has_headings and s.head is doc.root
        if "\n" in doc.text[last_end:s.start] or s.cells or s.fields:
            in_review = False  # a new paragraph (or a plan's item) ends a review
        if not s.cells and not s.fields and REVIEW_OPENING.match(s.text.strip()) and not FORWARD.search(s.text):
            in_review = True
        elif in_review and FORWARD.search(s.text):
            in_review = False
        last_end = s.end
        kind, reasons = classify(s, targets=targets, deadline=deadline, parties=parties, under_root=under_root)
        if in_review and kind is not None:
            kind, reasons = "guidance", ["review"]  # what was done in a period that has ended
        if kind is None:
            continue
        path = s.head.path() if s.head else []
        task_cell = next(((a, b) for r, a, b in s.cells if r == "task"), None)
        if task_cell:
            # the 重点任务 cell is the concise action already
            action, span = " ".join(doc.text[task_cell[0] : task_cell[1]].split())[:120], task_cell
        else:
            action, span = _action(s, parties, targets)
        out.append(
            Task(
                kind=kind,
                start=s.start,
                end=s.end,
                text=s.text,
                action=action,
                action_span=span,
                heading_path=path,
                targets=targets,
                deadline=deadline,
                parties=parties,
                pillar=pillar_of(path, s.text),
                reasons=reasons,
                standing=standing,
                standing_span=next(((f.start, f.end) for f in s.fields if f.role == "deadline" and f.value == standing), None)
                if standing else None,
            )
        )
    return out


def analyse(raw: str, *, doc_date: date | None = None, undo: frozenset[int] = frozenset(),
            places: frozenset[str] = frozenset()) -> Analysis:
    """Clean, parse and extract: the whole pipeline on raw extracted text.

    ``doc_date`` resolves relative deadlines (今年, 半年内); without it a date found in the
    document head is used, else relative deadlines keep ``due=None``. ``undo`` lists cleaning
    edit ids the user reverted. ``places`` lists place names known to the caller (the work app
    passes the counties and townships of the owner's city: ``services.place_names``); without them
    a county named by its own name is not recognised as a party.
    """
    cleaned = clean(raw, undo=undo)
    document = parse(cleaned, doc_date=doc_date)
    return Analysis(cleaned=cleaned, document=document, tasks=extract_tasks(document, places=places))
