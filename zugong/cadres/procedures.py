"""Procedure step templates of up-and-down (能上能下) case files, one per adjustment measure.

When a case is opened (``services.reserve.case_open``) its steps are created from the template of
its measure, in order, all pending except the motion; steps are then done in that order, and the
dated change of post or rank can be recorded only once the ``decision`` step is done.

Sources (article numbers marked "article not verified" were not checked against the official text;
do not quote them as verified):

- Measures 调离岗位 / 改任职级 / 免职 / 降职 / 平职调整 (调整不适宜担任现职干部):
  《推进领导干部能上能下规定》（2022）, the adjustment procedure — 分析研判和动议 → 核实认定（听取
  本人陈述）→ 提出调整建议、组织谈话 → 党委（党组）讨论决定 → 宣布和执行, 按照干部管理权限.
  第十一条 (article not verified). The 15 circumstances are 第五条 (verified against the published
  text of 2022-09).
- Accountability measures 停职检查 / 责令辞职 / 公开道歉 / 引咎辞职: 《中国共产党问责条例》（2019）
  (调查 → 听取陈述和申辩 → 问责决定 → 宣布执行; article not verified) and, for resignations,
  《党政领导干部选拔任用工作条例》（2019）第十章 辞职 (a cadre ordered to resign who refuses is removed;
  article not verified).

Step order within a template is the order of the regulation's enumeration; where local practice
places 组织谈话 after the decision the template here follows the order given in the brief of
issue 4 (谈话 before 讨论决定) — stated so that it can be changed in one place.
"""

from __future__ import annotations

from dataclasses import dataclass

from zugong.cadres.rules import MEASURE_LABELS, SOURCE_UP_DOWN

#: Version of the templates written on each case (``AdjustmentCase.procedure`` = f"{VERSION}:{measure}").
VERSION = "2022"
DECISION = "decision"
MOTION = "motion"
ANNOUNCE = "announce"

SOURCE_ADJUST = SOURCE_UP_DOWN + "第十一条（调整程序；条号未核实）"
SOURCE_ACCOUNTABILITY = "《中国共产党问责条例》（2019）（问责程序；条号未核实）"
SOURCE_RESIGN = "《党政领导干部选拔任用工作条例》（2019）第十章 辞职（条号未核实）"


@dataclass(frozen=True)
class StepTemplate:
    """One step of a template: ``code`` (a ``CaseStep.Step`` value), Chinese ``label`` shown on the
    case page, and ``needs_text``: the step is done only with its 意见或决定 written."""

    code: str
    label: str
    needs_text: bool = False


@dataclass(frozen=True)
class Procedure:
    """The ordered steps of one measure, with the source they follow."""

    measure: str
    steps: tuple[StepTemplate, ...]
    source: str

    @property
    def key(self) -> str:
        """Stored on the case: ``"2022:<measure>"``."""
        return f"{VERSION}:{self.measure}"

    @property
    def title(self) -> str:
        """The procedure's name as shown on the case page, e.g. "免职程序"."""
        return f"{MEASURE_LABELS[self.measure]}程序"


def _adjust(announce: str, *extra: StepTemplate) -> tuple[StepTemplate, ...]:
    return (
        StepTemplate(MOTION, "分析研判和动议"),
        StepTemplate("verify", "核实认定（听取本人陈述）", needs_text=True),
        StepTemplate("proposal", "提出调整建议"),
        StepTemplate("talk", "组织谈话"),
        StepTemplate(DECISION, "党委（党组）讨论决定", needs_text=True),
        *extra,
        StepTemplate(ANNOUNCE, announce),
    )


def _accountability(decision: str, announce: str, *after: StepTemplate) -> tuple[StepTemplate, ...]:
    return (
        StepTemplate(MOTION, "启动问责（动议）"),
        StepTemplate("verify", "调查核实（听取本人陈述和申辩）", needs_text=True),
        StepTemplate("proposal", "提出问责建议"),
        StepTemplate(DECISION, decision, needs_text=True),
        *after,
        StepTemplate(ANNOUNCE, announce),
    )


PROCEDURES: dict[str, Procedure] = {
    p.measure: p
    for p in (
        Procedure("reassign", _adjust("宣布调整决定，办理调离岗位手续"), SOURCE_ADJUST),
        Procedure("lateral", _adjust("宣布调整决定，办理平职调整手续"), SOURCE_ADJUST),
        Procedure("rank_only", _adjust("宣布调整决定，免去领导职务、办理改任职级手续"), SOURCE_ADJUST),
        Procedure("remove", _adjust("宣布免职决定，办理免职手续"), SOURCE_ADJUST),
        # 降职: the new, lower post is fixed with the decision; 职级 and 待遇 follow the new post.
        Procedure("demote", _adjust("宣布降职决定，按新任职务确定职级和待遇"), SOURCE_ADJUST),
        Procedure("suspend", _accountability("党委（党组）作出停职检查决定", "宣布并执行停职检查"), SOURCE_ACCOUNTABILITY),
        Procedure("apologize", _accountability("党委（党组）作出责令公开道歉决定", "公开道歉"), SOURCE_ACCOUNTABILITY),
        Procedure(
            "order_resign",
            _accountability("党委（党组）作出责令辞职决定", "办理免职手续（拒不辞职的予以免职）",
                            StepTemplate("application", "本人提出辞职")),
            SOURCE_ACCOUNTABILITY + "；" + SOURCE_RESIGN,
        ),  # fmt: skip
        Procedure(
            "resign",
            (
                StepTemplate("application", "本人提出引咎辞职申请"),
                StepTemplate("verify", "组织（人事）部门审核"),
                StepTemplate(DECISION, "党委（党组）讨论决定", needs_text=True),
                StepTemplate(ANNOUNCE, "办理免职手续"),
            ),
            SOURCE_RESIGN,
        ),
    )
}


def procedure_for(measure: str) -> Procedure:
    """The template of ``measure`` (a code of ``rules.MEASURES``). KeyError for an unknown measure."""
    return PROCEDURES[measure]


def procedure_by_key(key: str) -> Procedure | None:
    """The template a case was opened with (``AdjustmentCase.procedure``); None for "" or an unknown key."""
    version, _, measure = key.partition(":")
    return PROCEDURES.get(measure) if version == VERSION else None


__all__ = ["ANNOUNCE", "DECISION", "MOTION", "PROCEDURES", "Procedure", "StepTemplate", "procedure_by_key", "procedure_for"]
