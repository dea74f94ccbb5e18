"""Generalization rules of the document-understanding pipeline (issue 3, §1–2): line joining
in PDF-wrapped work plans, running headers, numbered items as tasks, party forms of work plans,
target forms (万/亿, ranges, frequencies) and deadline forms. All sentences are made up."""

from __future__ import annotations

from datetime import date

import pytest

from zugong.work.text.clean import clean

# ---------------------------------------------------------------- cleaning


def _wrap(paragraph: str, width: int = 20) -> str:
    """A paragraph as a PDF copy gives it: indented first line, then a break every ``width``."""
    lines = [paragraph[i : i + width] for i in range(0, len(paragraph), width)]
    return "\u3000\u3000" + "\n".join(lines)


PLAN_ITEMS = [
    "1.夯实基础保障。组织开展乡村振兴专题调研活动，年底前形成调研报告并报送市委办公室备案。",
    "2.完善考评办法。各区县要于5月底前制定本地实施细则，建立工作台账，按月更新进度并及时通报结果。",
    "3.做好培训工作。举办基层干部专题培训班3期，覆盖全部乡镇街道分管负责同志和业务骨干人员。",
    "4.推进场所建设。新建标准化活动场所12个，改造提升老旧场所20个，确保年内全部投入使用。",
    "5.强化宣传引导。在本地主流媒体开设专题栏目，全年刊发典型案例稿件30篇以上并编印汇编一册。",
]


def test_it_joins_wrapped_lines_after_a_numbered_item_marker():
    raw = "一、加强基础工作\n" + "\n".join(_wrap(p) for p in PLAN_ITEMS) + "\n"
    text = clean(raw).text
    assert text.splitlines() == ["一、加强基础工作", *PLAN_ITEMS]


def test_it_keeps_a_numbered_heading_line_apart_from_its_body():
    raw = "（一）加强组织体系建设\n" + "\n".join(_wrap(p) for p in PLAN_ITEMS) + "\n"
    assert clean(raw).text.splitlines()[0] == "（一）加强组织体系建设"


def test_it_joins_a_full_line_ending_a_sentence_when_the_next_line_has_no_paragraph_indent():
    para = "各单位要加强统筹协调，形成工作合力确保落地见效。按季度报送进展情况并做好总结。"
    assert len("各单位要加强统筹协调，形成工作合力确保落地见效。") == 24
    raw = "\n".join(_wrap(p, 24) for p in [*PLAN_ITEMS, para]) + "\n"
    assert para in clean(raw).text.splitlines()


def test_it_removes_a_running_header_and_joins_across_a_page_break():
    header = "某某县2025年基层治理要点"
    body = "".join(PLAN_ITEMS) * 2
    lines = [body[i : i + 20] for i in range(0, len(body), 20)]
    out = []
    for i, line in enumerate(lines):
        out.append(line)
        if i % 10 == 9:
            out += ["", f"— {i // 10 + 1} —", "", header]
    text = clean("\n".join(out) + "\n").text
    assert header not in text
    assert "".join(text.split("\n")) == body


def test_it_removes_a_phrase_repeated_before_deng():
    assert "组织参观学习、座谈交流等活动" in clean("组织参观学习、座谈交流、座谈交流等活动。\n").text


def test_it_joins_a_number_broken_by_the_wrap_without_a_space():
    para = "6.扩大覆盖面。全年新发展党员和骨干1250名，其中青年占比不低于60%并逐年提高。"
    assert para[18:22] == "1250"
    raw = "\n".join(_wrap(p) for p in [*PLAN_ITEMS, para]) + "\n"
    assert para in clean(raw).text.splitlines()


def test_it_joins_a_line_that_starts_with_closing_punctuation():
    raw = "各支部要组织党员开展“亮身份、作表率\n”活动，每月报送一次进展情况。\n"
    assert clean(raw).text.strip() == "各支部要组织党员开展“亮身份、作表率”活动，每月报送一次进展情况。"


# ---------------------------------------------------------------- targets


def _keys(text: str) -> list[tuple]:
    from zugong.work.text.targets import find_targets

    return [(t.value, t.max, t.unit, t.qualifier) for t in find_targets(text)]


@pytest.mark.parametrize(
    "text,expected",
    [
        # 万/亿 are expanded into the plain unit
        ("各乡镇年内筹措帮扶资金8万元以上", [(80000, None, "元", "以上")]),
        ("累计投入建设资金2亿元", [(200000000, None, "元", None)]),
        ("三年内培育乡土人才1.5万名", [(15000, None, "名", None)]),
        ("组织专题轮训2万人次", [(20000, None, "人次", None)]),
        # ranges with a dash or 至
        ("每名县级干部结对帮扶3至5户困难党员", [(3, 5, "户", None)]),
        # qualified requirements without a target verb
        ("参训人数不少于150名", [(150, None, "名", "不少于")]),
        ("在8个以上重点园区开展试点", [(8, None, "个", "以上")]),
        # later parts of a multi-part target in the same clause
        ("培养骨干教师120名、学科带头人15名", [(120, None, "名", None), (15, None, "名", None)]),
        ("年底前示范点总数达到12个", [(12, None, "个", "达到")]),
        # frequencies with an explicit count
        ("每季度开展一次谈心谈话", [(1, None, "次", "每季度")]),
        ("每月至少召开2次调度会", [(2, None, "次", "每月")]),
        ("开展一次专项检查", []),
        # ratios and multiples
        ("补贴标准不低于当地最低工资标准的1.5倍", [(1.5, None, "倍", None)]),
        ("审批材料在受理后15个工作日内办结", [(15, None, "个工作日", "内")]),
        # caps, conditions and descriptors are not targets
        ("给予每个项目最高50万元、30万元补助", []),
        ("为参训学员提供最长5天免费食宿", []),
        ("重点扶持年收入50万元以上的合作社", []),
        ("举办第四届创业大赛", []),
    ],
)
def test_it_extracts_general_target_forms(text, expected):
    assert _keys(text) == [(float(v), None if m is None else float(m), u, q) for v, m, u, q in expected]


# ---------------------------------------------------------------- deadlines


@pytest.mark.parametrize(
    "text,written,due",
    [
        ("6月底前完成村级换届准备", "6月底前", date(2025, 6, 30)),
        ("上半年出台实施细则", "上半年", date(2025, 6, 30)),
        ("三年内实现全覆盖", "三年内", date(2028, 4, 10)),
        ("两年内培养骨干200名", "两年内", date(2027, 4, 10)),
        ("2025年11月30日前报送总结", "2025年11月30日前", date(2025, 11, 30)),
        ("到2027年底建成示范点40个", "到2027年底", date(2027, 12, 31)),
        ("5月20日前完成摸底", "5月20日前", date(2025, 5, 20)),
        ("年内完成整改", "年内", date(2025, 12, 31)),
        ("一季度完成调研", "一季度", date(2025, 3, 31)),
        ("各单位于每季度末报送台账", "每季度末", date(2025, 6, 30)),
        ("全年组织培训班6期", "全年", date(2025, 12, 31)),
        # 全年 only when no other time phrase is written
        ("9月底前建成平台，全年培训800人次", "9月底前", date(2025, 9, 30)),
    ],
)
def test_it_resolves_work_plan_deadlines(text, written, due):
    from zugong.work.text.deadlines import find_deadline

    d = find_deadline(text, 0, date(2025, 4, 10))
    assert d is not None and (d.text, d.due) == (written, due)


# ---------------------------------------------------------------- parties


@pytest.mark.parametrize(
    "text,expected",
    [
        ("区财政要足额保障党建经费", [("区财政", "finance")]),
        ("市财政局安排专项资金800万元", [("市财政局", "finance")]),
        ("各县（市、区）党委要于5月底前报送方案", [("各县（市、区）党委", "all_counties")]),
        ("县委人才工作领导小组每半年听取一次汇报", [("县委人才工作领导小组", "talent_group")]),
        ("由市委人才工作领导小组办公室牵头制定细则", [("市委人才工作领导小组办公室", "talent_office")]),
        ("区委人才办要建立人才服务专员制度", [("区委人才办", "talent_office")]),
        ("各乡镇党委、县直各单位党组织要开展结对共建",
         [("各乡镇党委", "towns"), ("县直各单位党组织", "county_departments")]),
        ("市直各单位要在10月底前完成自查", [("市直各单位", "city_departments")]),
        ("县委两新工委要选派党建指导员", [("县委两新工委", "two_new_committee")]),
        ("县委组织部要会同县委党校举办培训班", [("县委组织部", "county_org_depts"), ("县委党校", "party_school")]),
        ("每名市级领导干部联系1个软弱涣散村", [("每名市级领导干部", "leading_cadres")]),
        ("各级党组织要把发展党员作为经常性工作", [("各级党组织", "all_party_committees")]),
        ("区委组织部负责组织实施，各街道党工委要做好配合", [("区委组织部", "county_org_depts"), ("各街道党工委", "towns")]),
        ("区直各单位要在6月底前完成自查", [("区直各单位", "county_departments")]),
        # objects, destinations and possessors are not parties
        ("制定落实方案，报县委人才办备案", []),
        ("县直部门领导班子中至少配备1名年轻干部", []),
    ],
)
def test_it_recognises_work_plan_parties(text, expected):
    from zugong.work.text.parties import find_parties

    assert [(p.text, p.kind) for p in find_parties(text)] == expected


def test_it_normalizes_party_names_of_work_plans():
    from zugong.work.text.parties import normalize

    assert normalize("市财政") == normalize("县财政局") == "finance"
    assert normalize("县直各单位") == normalize("县直有关单位党组织") == "county_departments"
    assert normalize("市直有关单位") == "city_departments"
    assert normalize("各县（市、区）") == normalize("各县（市、区）党委") == "all_counties"
    assert normalize("各乡镇党委") == "towns"


def test_a_party_in_subject_position_alone_does_not_make_a_task():
    from zugong.work.text.parties import find_parties

    (p,) = find_parties("市委组织部把学习宣传作为首要政治任务。")
    assert p.kind == "city_org_dept" and not p.directed
    (q,) = find_parties("市委组织部要在6月底前完成轮训。")
    assert q.directed


# ---------------------------------------------------------------- tasks vs guidance


def _kinds(raw: str) -> dict[str, str]:
    from zugong.work.text.tasks import analyse

    return {t.text: t.kind for t in analyse(raw, doc_date=date(2025, 3, 1)).tasks}


def test_it_treats_numbered_plan_items_as_tasks_under_their_run_in_head():
    raw = (
        "2025年全县党建工作要点\n"
        "今年全县党建工作的总体要求是：各级党组织要把党建工作摆在突出位置，全面提升组织力。\n"
        "一、夯实基层基础\n"
        "1.抓好阵地建设。年内新建党群服务中心6个，改造提升村级活动场所20个。\n"
        "2.加强队伍建设。县委组织部要会同县委党校，举办村党组织书记示范培训班2期。\n"
    )
    kinds = _kinds(raw)
    assert kinds["年内新建党群服务中心6个，改造提升村级活动场所20个。"] == "task"
    assert kinds["县委组织部要会同县委党校，举办村党组织书记示范培训班2期。"] == "task"
    assert "抓好阵地建设。" not in kinds  # the run-in head is a heading
    # the framing paragraph before the first heading is guidance even when it names parties
    assert kinds["今年全县党建工作的总体要求是：各级党组织要把党建工作摆在突出位置，全面提升组织力。"] == "guidance"


def test_it_keeps_attitudes_and_conditional_sanctions_out_of_the_task_list():
    raw = (
        "一、强化保障\n"
        "1.压实责任。各级党组织要把基层治理纳入重要议事日程，主要负责同志要亲自研究、亲自推动。"
        "对推进缓慢、成效不明显的单位，由县委组织部进行约谈。"
        "各乡镇党委要于4月底前报送工作台账。\n"
    )
    kinds = _kinds(raw)
    assert kinds["各乡镇党委要于4月底前报送工作台账。"] == "task"
    assert kinds.get("各级党组织要把基层治理纳入重要议事日程，主要负责同志要亲自研究、亲自推动。") != "task"
    assert kinds.get("对推进缓慢、成效不明显的单位，由县委组织部进行约谈。") != "task"
