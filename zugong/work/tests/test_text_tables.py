"""Extraction round 5: 任务分解表 pasted as text, responsibility brackets, half-year deadlines of the
next year, figures cut by a line break and Chinese-numeral counts (invented sentences and tables)."""

from __future__ import annotations

import datetime as dt

import pytest

from zugong.work.text.clean import clean
from zugong.work.text.deadlines import find_deadline
from zugong.work.text.fields import (
    assign_cells,
    cell_kind,
    field_deadline,
    parse_fields,
    table_cells,
    table_header,
    table_rows,
)
from zugong.work.text.targets import find_targets
from zugong.work.text.tasks import analyse

D = dt.date(2025, 3, 1)


def tasks_of(text: str):
    return [t for t in analyse(text, doc_date=D).tasks if t.kind == "task"]


def keys(targets):
    return sorted((t.value, t.max, t.unit) for t in targets)


# ----------------------------------------------------------------------------- table header


@pytest.mark.parametrize("line", [
    "序号\t重点任务\t具体目标\t牵头单位\t责任单位\t完成时限",
    "序号  工作任务  主要措施  责任单位  时间节点",
    "重点任务\t牵头单位\t配合单位\t完成时限",
    "序号 工作任务 工作目标 牵头单位 完成时限",  # single spaces: every word is a column label
    "完成时限\t具体目标\t牵头单位",  # any order
])
def test_it_recognises_table_headers_in_any_order_and_subset(line):
    roles = table_header(line)
    assert roles and ("task" in roles or "target" in roles)


@pytest.mark.parametrize("line", ["序号\t姓名\t单位", "重点任务 是 抓好 落实", "一、重点任务"])
def test_it_does_not_take_other_lines_for_a_header(line):
    assert table_header(line) is None


def test_it_knows_cells_by_content():
    assert cell_kind("12") == "seq"
    assert cell_kind("2025年6月底前") == "deadline"
    assert cell_kind("2025年6月底前、11月底前") == "deadline"
    assert cell_kind("持续推进") == "deadline"
    assert cell_kind("县委组织部、县民政局") == "units"
    assert cell_kind("建成活动阵地5处") == "text"


# ----------------------------------------------------------------------------- rows


ROLES = ["seq", "task", "target", "lead", "responsible", "deadline"]


def test_it_groups_wrapped_lines_into_rows_by_the_next_number():
    lines = [
        "1\t建设活动阵地\t新建活动室1",
        "2个，每个不少于100平方米\t县委组织部\t各乡镇党委\t2025年9月底前",
        "2\t规范村级事务\t报表精简20%以上\t县委组织部\t县民政局\t持续推进",
        "3\t开展专项\t督查",
        "行动\t每季度督查1次\t县委组织部\t县委督查室\t2025年12月底前",
        "附件2",
    ]
    assert table_rows(lines, ROLES) == [[0, 1], [2], [3, 4]]


def test_it_ends_the_table_at_a_line_that_continues_no_row():
    lines = ["1\t建设阵地\t新建5处\t县委组织部\t各乡镇党委\t2025年9月底前", "请各单位抓好落实。"]
    assert table_rows(lines, ROLES) == [[0]]


def test_it_places_cells_by_content_when_a_single_space_separates_two():
    line = "4\t推进示范创建\t打造示范村5个\t县委组织部\t县民政局 2025年6月底前"
    placed = assign_cells(line, table_cells(line), ROLES)
    got = {r: line[a:b] for r, a, b in placed}
    assert got["responsible"] == "县民政局" and got["deadline"] == "2025年6月底前" and got["task"] == "推进示范创建"


def test_it_places_cells_from_the_right_when_the_number_is_missing():
    line = "推进示范创建\t打造示范村5个\t县委组织部\t县民政局\t2025年6月底前"
    got = {r: line[a:b] for r, a, b in assign_cells(line, table_cells(line), ROLES)}
    assert got == {"task": "推进示范创建", "target": "打造示范村5个", "lead": "县委组织部",
                   "responsible": "县民政局", "deadline": "2025年6月底前"}


def test_it_joins_wrapped_cells_and_a_number_cut_by_the_wrap_in_the_cleaner():
    raw = (
        "序号\t重点任务\t具体目标\t牵头单位\t责任单位\t完成时限\n"
        "1\t实施集体经济“\n强村”行动\t经营性收入达标的村达到8\n0个\t县委组织部\t各乡镇党委\t2025年12月底前\n"
    )
    text = clean(raw).text
    assert "实施集体经济“强村”行动\t经营性收入达标的村达到80个\t县委组织部" in text


TABLE = (
    "某县2025年基层党建重点任务分解表\n"
    "序号\t重点任务\t具体目标\t牵头单位\t责任单位\t完成时限\n"
    "1\t建设党员活动阵地\t新建党员活动室1\n2个，每个面积不少于100平方米\t县委组织部\t各乡镇党委、县财政局\t2025年9月底前\n"
    "2    规范村级事务    村级报表精简20%以上    县委社会工作部  县民政局    持续推进\n"
    "3    开展专项督查    每半年开展一次专项督查    县委组织部  县委督查室    2025年6月底前、11月底前\n"
)


def test_it_reads_each_row_as_one_task_with_its_targets_parties_and_deadline():
    first, second, third = tasks_of(TABLE)
    assert first.action == "建设党员活动阵地"
    assert keys(first.targets) == [(12.0, None, "个"), (100.0, None, "平方米")]
    assert [(p.text, p.role) for p in first.parties] == [
        ("县委组织部", "lead"), ("各乡镇党委", "responsible"), ("县财政局", "responsible")]
    assert first.deadline.due == dt.date(2025, 9, 30)
    assert keys(second.targets) == [(20.0, None, "%")]
    assert second.deadline is None and second.standing == "持续推进"
    assert TABLE.count("持续推进") == 1 and second.standing_span is not None
    assert keys(third.targets) == [(1.0, None, "次")]
    assert third.deadline.text == "2025年6月底前、11月底前" and third.deadline.due == dt.date(2025, 11, 30)


def test_it_takes_the_deadline_from_the_goal_when_the_table_has_no_deadline_column():
    text = (
        "序号\t重点任务\t工作目标\t牵头单位\t责任单位\n"
        "1\t建强书记队伍\t6月底前轮训村党组织书记200名\t县委组织部\t各乡镇党委\n"
    )
    (task,) = tasks_of(text)
    assert task.deadline.text == "6月底前" and keys(task.targets) == [(200.0, None, "名")]


# ----------------------------------------------------------------------------- brackets and field lines


def test_it_attaches_a_responsibility_bracket_on_its_own_line_to_the_item():
    text = (
        "一、重点任务\n"
        "1. 推进物业党建。推动物业企业党组织覆盖率达到80%以上。\n"
        "（县委组织部组织股、县住建局负责）\n"
    )
    (task,) = tasks_of(text)
    assert [(p.text, p.role) for p in task.parties] == [("县委组织部组织股", "lead"), ("县住建局", "lead")]


def test_it_drops_the_you_prefix_of_a_responsibility_bracket():
    text = "一、重点任务\n1. 开展专题培训。年内举办专题读书班3期。（由县委组织部干部科负责）\n"
    (task,) = tasks_of(text)
    assert [p.text for p in task.parties] == ["县委组织部干部科"]


def test_it_reads_lead_and_cooperating_units_from_a_bracket_and_from_field_lines():
    text = (
        "一、重点任务\n"
        "1. 优化人才生态。新建人才公寓300套。（县委人才办牵头，县财政局、县住建局配合）\n"
        "2. 办好引才活动。举办校地合作对接会，签约项目不少于20个。\n"
        "牵头单位：县委人才办  配合单位：县人社局\n"
        "时间：2025年9月底前\n"
    )
    first, second = tasks_of(text)
    assert [(p.text, p.role) for p in first.parties] == [
        ("县委人才办", "lead"), ("县财政局", "responsible"), ("县住建局", "responsible")]
    assert [(p.text, p.role) for p in second.parties] == [("县委人才办", "lead"), ("县人社局", "responsible")]
    assert second.deadline.due == dt.date(2025, 9, 30)


def test_it_keeps_several_deadlines_of_one_field_whole():
    fields = parse_fields("完成时限：2025年6月底前、11月底前")
    deadline, standing = field_deadline(fields, D)
    assert deadline.text == "2025年6月底前、11月底前" and deadline.due == dt.date(2025, 11, 30) and standing == ""


# ----------------------------------------------------------------------------- deadlines and figures


@pytest.mark.parametrize(("text", "due"), [
    ("明年上半年建成投用", dt.date(2026, 6, 30)),
    ("明年下半年完成", dt.date(2026, 12, 31)),
    ("明年一季度前完成", dt.date(2026, 3, 31)),
    ("明年第三季度完成验收", dt.date(2026, 9, 30)),
    ("明年完成", dt.date(2026, 12, 31)),
])
def test_it_resolves_halves_and_quarters_of_next_year(text, due):
    assert find_deadline(text, 0, D).due == due


def test_it_joins_a_decimal_cut_at_its_point():
    raw = "县人社局要会同各乡镇开展人才对接活动，全年对接高校毕业生1.\n2万人次，促进就业创业。\n"
    text = clean(raw).text
    assert "1.2万人次" in text
    assert keys(find_targets(text)) == [(12000.0, None, "人次")]


@pytest.mark.parametrize(("text", "expected"), [
    ("与高校共建研究院两家以上", [(2.0, None, "家")]),
    ("组建志愿服务队两支以上", [(2.0, None, "支")]),
    ("新建乡镇寄宿制学校三所", [(3.0, None, "所")]),
    ("建设党员教育基地五处", [(5.0, None, "处")]),
    ("录制党员教育片不少于十部", [(10.0, None, "部")]),
    ("分两批组织书记赴外地考察学习", [(2.0, None, "批")]),
    ("分两批组织200名书记赴外地考察学习", [(200.0, None, "名")]),
    ("选派干部跟班学习，时间为3至6个月", [(3.0, 6.0, "个月")]),
    ("每人每年发放补贴2万元，连续发放三年", [(3.0, None, "年"), (20000.0, None, "元")]),
    ("落实每年不少于5000元的工作经费", [(5000.0, None, "元")]),
    ("开展宣讲600场次", [(600.0, None, "场次")]),
    ("发放人才服务卡100张", [(100.0, None, "张")]),
])
def test_it_counts_chinese_numerals_batches_durations_and_units(text, expected):
    assert keys(find_targets(text)) == expected


@pytest.mark.parametrize("text", ["三部门联合开展检查", "收入10万元以上的村", "两个维护", "部分两批"])
def test_it_leaves_names_and_descriptors_alone(text):
    assert find_targets(text) == []


def test_it_reads_a_consequence_of_the_plan_as_no_task():
    text = "一、重点任务\n1. 开展专题培训。年内举办专题读书班3期。\n本方案落实情况纳入年度目标考核。\n"
    assert [t.text for t in tasks_of(text)] == ["年内举办专题读书班3期。"]
