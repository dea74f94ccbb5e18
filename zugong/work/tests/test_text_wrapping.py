"""Line joining in MIXED documents (issue 3, §1): a speech copied from a web page where only
some sections are hard-wrapped every 24–34 characters (breaks even inside numbers) and the
others are normal long paragraphs, with an advertising block and bold-doubled headings.
Joining is decided per line from local evidence. All paragraphs are made up."""

from __future__ import annotations

import pytest

from zugong.work.text.clean import clean
from zugong.work.text.tasks import analyse

TITLE = "在全县基层治理工作推进会上的讲话"
INTRO = [
    "同志们：",
    "今天召开全县基层治理工作推进会，主要任务是总结上半年工作，部署下一阶段重点任务。",
    "刚才，县委组织部通报了上半年基层治理工作情况，三个乡镇作了交流发言，讲得都很好。",
    "同时也要清醒看到，我们的工作还存在一些问题和不足，有的地方重视程度不够，推进力度不大。",
]
SEC1 = [
    "一、聚焦重点任务，扎实推进基层组织建设",
    "（一）抓好村级班子建设。各乡镇要在今年9月底前完成软弱涣散村党组织整顿工作，每个乡镇选派3至5名干部驻村指导，确保整顿对象全部转化提升。",
    "（二）抓好党员队伍建设。全年发展党员不少于120名，其中35岁以下青年党员占比达到60%以上，各乡镇党委要建立发展党员工作台账并按季度报送县委组织部。",
]
SEC2 = [
    "二、突出关键环节，持续提升服务群众能力",
    "（一）推进党群服务中心提档升级",
    "县财政安排专项资金200万元，年底前改造提升村级党群服务中心15个，新建小区党群服务站8个，全面推行错时延时服务机制。",
    "（二）“两新”组织党建",
    "县两新工委要在11月底前完成新就业群体摸底排查，新建新业态党组织10个以上，选派党建指导员40名，实现规上企业党组织全覆盖。",
]
SEC3 = [
    "三、强化组织保障，确保各项任务落地见效",
    "各乡镇党委要把基层治理工作摆在突出位置，主要负责同志要亲自研究、亲自推动。县委组织部要会同县委督查室在12月底前开展一次专项督查，督查结果纳入年度考核。",
]
ORIGINAL = "\n".join([TITLE, *INTRO, *SEC1, *SEC2, *SEC3])


def _wrap(paragraph: str, width: int) -> str:
    return "\n".join(paragraph[i : i + width] for i in range(0, len(paragraph), width))


def _bold(s: str) -> str:
    """Bold rendering doubles every character after the marker (（二）““两两新新””…)."""
    marker, rest = s[:3], s[3:]
    return marker + "".join(c + c for c in rest)


def _mixed(w1: int, w3: int) -> str:
    """Advert block, unwrapped intro, section 1 wrapped at ``w1``, section 2 unwrapped with
    bold-doubled subheadings, section 3 wrapped at ``w3``."""
    parts = ["扫码关注", "来源：某某县委组织部  编辑：李四", "阅读量 1024", TITLE, *INTRO, SEC1[0]]
    parts += [_wrap(p, w1) for p in SEC1[1:]]
    parts += [SEC2[0], _bold(SEC2[1]), SEC2[2], _bold(SEC2[3]), SEC2[4]]
    parts += [SEC3[0], *(_wrap(p, w3) for p in SEC3[1:])]
    return "\n".join(parts) + "\n"


def _summary(raw: str):
    return [
        (t.kind, t.text, [(x.value, x.unit) for x in t.targets], t.deadline.text if t.deadline else None)
        for t in analyse(raw).tasks
    ]


@pytest.mark.parametrize("width", range(24, 35))
def test_it_restores_a_mixed_document_wrapped_only_in_some_sections(width):
    assert clean(_mixed(width, 58 - width)).text.strip() == ORIGINAL


@pytest.mark.parametrize("width", [24, 27, 30, 32, 34])
def test_it_extracts_the_same_tasks_and_targets_from_the_mixed_copy(width):
    assert _summary(_mixed(width, width)) == _summary(ORIGINAL + "\n")


def test_it_joins_a_number_split_from_its_range_by_the_wrap():
    raw = "一、抓好选派工作\n各乡镇要加强驻村指导力量，每个乡镇选派3\n至5名干部驻村指导，确保整顿对象全部转化提升。\n"
    assert "每个乡镇选派3至5名干部驻村指导" in clean(raw).text


def test_it_joins_a_percentage_split_from_its_qualifier():
    raw = "二、发展党员\n全年发展党员中青年党员占比达到60%以\n上，各乡镇党委要建立台账。\n"
    assert "占比达到60%以上，各乡镇党委要建立台账。" in clean(raw).text


def test_it_keeps_long_unwrapped_paragraphs_and_short_headings_apart():
    text = "\n".join([TITLE, *INTRO, *SEC2, *SEC3])
    assert clean(text + "\n").text.strip() == text


def test_it_keeps_a_numbered_heading_with_a_comma_apart_from_wrapped_body():
    raw = SEC3[0] + "\n" + _wrap(SEC3[1], 24) + "\n"
    assert clean(raw).text.splitlines()[0] == SEC3[0]


def test_it_does_not_join_list_items_of_the_same_length():
    items = ["——建立健全村级组织运转经费保障机制；", "——完善村干部报酬待遇动态调整制度；", "——落实村干部养老保险补贴政策。"]
    assert clean("\n".join(items) + "\n").text.splitlines() == items


def test_it_removes_the_advert_block_and_read_counter():
    text = clean(_mixed(30, 30)).text
    assert "扫码" not in text and "阅读量" not in text and "来源" not in text


def test_it_makes_the_introduction_of_a_speech_guidance_even_under_a_heading():
    raw = "一、总结工作\n" + "\n".join(INTRO[1:]) + "\n"
    kinds = {t.text[:4]: t.kind for t in analyse(raw).tasks}
    assert kinds == {"今天召开": "guidance", "刚才，县": "guidance", "同时也要": "guidance"}


def test_it_joins_a_percentage_broken_before_its_qualifier():
    raw = "二、发展党员\n全年发展党员中青年党员占比达到60%\n以上，各乡镇党委要建立台账。\n"
    assert "占比达到60%以上，各乡镇党委要建立台账。" in clean(raw).text
