"""Work plans (实施方案 / 工作要点 / 任务清单): numbered items with their 牵头单位/责任单位/完成时限 fields.

Every text here is a short made-up plan written for the rule it tests (decision record 0003,
"Round 4"), not a sentence of the evaluation sets.
"""

from __future__ import annotations

from datetime import date

import pytest

from zugong.work.text.clean import clean, is_table_row
from zugong.work.text.fields import bracket_fields, field_deadline, field_parties, parse_fields
from zugong.work.text.structure import is_heading_like_item, parse
from zugong.work.text.tasks import analyse

D = date(2030, 2, 10)


def tasks_of(text: str, doc_date: date = D):
    return [t for t in analyse(text, doc_date=doc_date).tasks if t.kind == "task"]


PLAN = (
    "某县2030年党建重点工作安排\n"
    "一、重点任务\n"
    "（一）班子建设\n"
    "{item}\n"
    "（二）其他工作\n"
    "2．组织开展一次全面检查。\n"
)


@pytest.mark.parametrize("marker", ["1．", "1.", "1、", "（1）", "①"])
def test_it_reads_a_numbered_sentence_of_action_as_an_item_under_the_heading(marker):
    item = f"{marker}组织开展镇村班子运行情况分析，对运行不畅的班子及时整顿。"
    doc = parse(PLAN.format(item=item))
    headings = [n.text for n in doc.root.walk() if n.kind == "heading"]
    assert not any(h.startswith("组织开展镇村班子") for h in headings)
    sent = next(s for s in doc.sentences if "镇村班子" in s.text)
    assert sent.head.text == "班子建设"


def test_it_keeps_a_short_title_like_numbered_line_as_a_heading():
    doc = parse("某镇工作要点\n一、基层组织\n1.配强村级班子\n各村要在年底前完成换届准备工作，配齐配强班子成员。\n")
    headings = [(n.marker, n.text) for n in doc.root.walk() if n.kind == "heading"]
    assert ("1.", "配强村级班子") in headings
    assert is_heading_like_item("压实工作责任。")
    assert not is_heading_like_item("开展党员信息核查，年底前完成全部录入。")


def test_it_attaches_a_field_bracket_to_its_item_and_never_makes_it_a_task():
    text = PLAN.format(
        item="1．开展村干部履职能力专项培训，培训村干部500人次以上。（牵头单位：县委组织部；责任单位：各乡镇党委；"
        "完成时限：2030年6月30日前）"
    )
    tasks = tasks_of(text)
    assert not any(t.text.lstrip().startswith("（") for t in tasks)
    t = next(t for t in tasks if "履职能力" in t.text)
    assert "牵头单位" not in t.text
    assert [(p.text, p.role) for p in t.parties] == [("县委组织部", "lead"), ("各乡镇党委", "responsible")]
    assert t.deadline.text == "2030年6月30日前" and t.deadline.due == date(2030, 6, 30)
    assert [x.key() for x in t.targets] == [(500.0, None, "人次")]
    # the party spans point into the bracket, where the user sees them highlighted
    cleaned = analyse(text, doc_date=D).cleaned.text
    assert cleaned[t.parties[0].start : t.parties[0].end] == "县委组织部"


def test_it_reads_a_bracket_written_before_the_full_stop():
    t = tasks_of(PLAN.format(item="1．修订村级事务管理办法（牵头单位：县民政局；完成时限：2030年5月底前）。"))[0]
    assert [(p.text, p.role) for p in t.parties] == [("县民政局", "lead")]
    assert t.deadline.due == date(2030, 5, 31)


def test_it_splits_lead_and_supporting_units_written_in_one_field():
    fields = parse_fields("责任单位：市委组织部牵头，市人社局、市财政局配合；完成时限：2030年9月底前")
    assert [(p.text, p.role) for p in field_parties(fields)] == [
        ("市委组织部", "lead"), ("市人社局", "responsible"), ("市财政局", "responsible"),
    ]
    assert field_deadline(fields, D)[0].due == date(2030, 9, 30)


def test_it_reads_a_bare_responsibility_bracket():
    (_, _, fields), = bracket_fields("（县委宣传部负责）")
    assert [(p.text, p.role) for p in field_parties(fields)] == [("县委宣传部", "lead")]
    t = tasks_of(PLAN.format(item="1．建立党员志愿服务积分制度，全年开展志愿服务12次。（县委组织部牵头，团县委配合）"))[0]
    assert [(p.text, p.role) for p in t.parties] == [("县委组织部", "lead"), ("团县委", "responsible")]
    # an ordinary aside in brackets is no field
    assert bracket_fields("（以下简称“三项机制”）") == []


def test_it_attaches_field_lines_that_follow_an_item():
    text = PLAN.format(
        item="1．实施社区工作者职业体系建设，新招聘社区工作者40名。\n"
        "牵头领导：县委常委、组织部部长\n"
        "责任单位：县委社会工作部、各街道党工委\n"
        "时间节点：2030年8月底前"
    )
    tasks = tasks_of(text)
    assert len([t for t in tasks if "社区工作者" in t.text]) == 1
    assert not any("时间节点" in t.text or "责任单位" in t.text for t in tasks)
    t = next(t for t in tasks if "社区工作者" in t.text)
    roles = [(p.text, p.role) for p in t.parties]
    assert ("县委社会工作部", "responsible") in roles and ("各街道党工委", "responsible") in roles
    assert t.deadline.due == date(2030, 8, 31)


def test_it_reads_several_fields_on_one_line():
    fields = parse_fields("牵头单位：县委组织部  责任单位：县直各单位  完成时限：6月底前")
    assert [f.role for f in fields] == ["lead", "responsible", "deadline"]
    assert field_deadline(fields, D)[0].due == date(2030, 6, 30)


@pytest.mark.parametrize(
    ("written", "due", "standing"),
    [
        ("每季度末", date(2030, 3, 31), ""),
        ("2030年三季度", date(2030, 9, 30), ""),
        ("6月底前", date(2030, 6, 30), ""),
        ("持续推进", None, "持续推进"),
        ("长期坚持", None, "长期坚持"),
    ],
)
def test_it_resolves_the_deadline_field(written, due, standing):
    d, s = field_deadline(parse_fields(f"完成时限：{written}"), D)
    assert (d.due if d else None) == due
    assert s == standing


def test_it_marks_standing_work_as_having_no_single_due_date():
    t = tasks_of(PLAN.format(item="1．建立后备干部动态管理台账，实行一人一档。（牵头单位：县委组织部；完成时限：持续推进）"))[0]
    assert t.deadline is None and t.standing == "持续推进"
    assert t.parties[0].role == "lead"


@pytest.mark.parametrize("sep", ["\t", "   "])
def test_it_reads_a_work_list_table_rendered_as_text(sep):
    rows = [
        ["序号", "工作任务", "牵头单位", "责任单位", "完成时限"],
        ["1", "评选星级党支部，命名五星级党支部15个", "县委组织部", "各乡镇党委", "2030年6月底前"],
        ["2", "完成党员档案数字化整理", "县委组织部", "县档案馆", "2030年三季度"],
    ]
    text = "某县2030年工作清单\n一、清单\n" + "\n".join(sep.join(r) for r in rows) + "\n"
    cleaned = clean(text).text
    assert cleaned.count("\n") >= 3  # rows are not joined
    tasks = tasks_of(text)
    assert [t.text for t in tasks] == [rows[1][1], rows[2][1]]
    first, second = tasks
    assert [(p.text, p.role) for p in first.parties] == [("县委组织部", "lead"), ("各乡镇党委", "responsible")]
    assert [x.key() for x in first.targets] == [(15.0, None, "个")]
    assert first.deadline.due == date(2030, 6, 30) and second.deadline.due == date(2030, 9, 30)
    assert [(p.text, p.role) for p in second.parties] == [("县委组织部", "lead"), ("县档案馆", "responsible")]


def test_it_reads_a_work_list_written_one_field_per_line():
    text = (
        "某县2030年工作清单\n一、清单\n"
        "工作任务：开展软弱涣散村党组织整顿，年内整顿转化8个\n"
        "责任单位：县委组织部\n"
        "完成时限：2030年12月底前\n"
    )
    (t,) = tasks_of(text)
    assert t.text.startswith("开展软弱涣散")
    assert [x.key() for x in t.targets] == [(8.0, None, "个")]
    assert [(p.text, p.role) for p in t.parties] == [("县委组织部", "responsible")]
    assert t.deadline.due == date(2030, 12, 31)


def test_it_keeps_a_bundled_item_as_one_task_with_several_targets():
    item = "1．实施青年人才储备计划，新招录选调生不少于12名，从乡镇选派8名优秀干部到县直单位跟班学习。（牵头单位：县委组织部）"
    tasks = tasks_of(PLAN.format(item=item))
    mine = [t for t in tasks if "青年人才" in t.text]
    assert len(mine) == 1
    assert sorted(x.key() for x in mine[0].targets) == [(8.0, None, "名"), (12.0, None, "名")]
    # names in the sentence (从乡镇, 到县直单位) are sources and destinations, the field names the doer
    assert [p.text for p in mine[0].parties] == ["县委组织部"]


def test_it_joins_a_field_bracket_broken_by_a_hard_wrap():
    raw = (
        "　　1．开展农村党员冬训，参训党员覆盖率达到95%以上。（牵头单位：县委\n"
        "组织部；责任单位：各乡镇党委；完成时限：\n"
        "2030年3月31日前）\n"
        "　　2．健全党员联系户制度，每名党员联系农户不少于3户。\n"
    )
    cleaned = clean(raw).text
    assert "完成时限：2030年3月31日前）" in cleaned
    t = tasks_of("某县工作要点\n一、任务\n" + raw)[0]
    assert t.deadline.due == date(2030, 3, 31)
    assert [p.role for p in t.parties] == ["lead", "responsible"]


def test_it_tells_table_rows_from_prose():
    assert is_table_row("1   开展评选   县委组织部   6月底前")
    assert is_table_row("序号\t任务\t单位")
    assert not is_table_row("开展评选，命名先进党组织20个。")


def test_it_treats_the_purpose_clause_and_the_overall_requirements_as_framing():
    text = (
        "某县2030年人才工作要点\n"
        "为深入实施人才强县战略，结合我县实际，制定本要点。\n"
        "一、总体要求\n"
        "力争到2030年底，全县人才总量突破5万人，人才发展环境明显改善。\n"
        "二、重点任务\n"
        "1．引进急需紧缺人才不少于50名。（牵头单位：县委人才办；完成时限：2030年10月底前）\n"
        "三、保障措施\n"
        "各牵头单位是任务落实的第一责任主体，要加强统筹协调。各责任单位要主动配合，不推诿、不扯皮。\n"
    )
    tasks = tasks_of(text)
    assert [t.text[:6] for t in tasks] == ["引进急需紧缺"]


# ---------------------------------------------------------------- a plan for next year; "X牵头，Y配合" in a sentence

from zugong.work.text.deadlines import find_deadline  # noqa: E402
from zugong.work.text.parties import find_parties  # noqa: E402
from zugong.work.text.structure import plan_year  # noqa: E402

DEC = date(2026, 12, 1)


@pytest.mark.parametrize(("title", "first", "year"), [
    ("2027年金安区组织工作要点", "", 2027),
    ("三岔河村党支部2027年工作计划", "", 2027),
    ("某县2027年度党建重点任务清单", "", 2027),
    ("某县组织工作要点", "2027年，全县组织工作坚持……", 2027),
    ("2026年金安区组织工作要点", "", None),  # the date's own year: nothing to move
    ("2025年组织工作总结", "", None),  # a review
    ("在2027年全市组织工作会议上的讲话", "", None),  # a speech's title names its meeting
    ("2028年某县人才工作计划", "", None),  # not the next year: left as the date says
])
def test_it_reads_the_year_a_plan_is_for_from_its_title_or_first_lines(title, first, year):
    assert plan_year(title, f"{title}\n\n{first}\n", DEC) == year
    assert plan_year(title, title, None) is None


@pytest.mark.parametrize(("phrase", "due"), [
    ("年底前", date(2027, 12, 31)), ("全年", date(2027, 12, 31)), ("6月底前", date(2027, 6, 30)),
    ("上半年", date(2027, 6, 30)), ("三季度", date(2027, 9, 30)), ("2027年3月底前", date(2027, 3, 31)),
    ("下个月", date(2027, 1, 31)),  # counted from the document's date, not the plan's year
    ("两周内", date(2026, 12, 15)),
])
def test_it_resolves_year_relative_phrases_in_the_plan_year(phrase, due):
    assert find_deadline(f"{phrase}完成轮训。", 0, DEC, year=2027).due == due


def test_a_plan_for_next_year_dates_its_tasks_in_that_year():
    text = ("2027年某区组织工作要点\n\n一、党员教育\n1.加强党员教育。年底前完成党员轮训1遍。\n"
            "2.发展党员。全年发展党员不超过40名。\n")
    tasks = [t for t in analyse(text, doc_date=DEC).tasks if t.kind == "task"]
    assert [t.deadline.due for t in tasks] == [date(2027, 12, 31), date(2027, 12, 31)]
    assert analyse(text.replace("2027年", "2026年", 1), doc_date=DEC).document.year is None


def test_x_leads_and_y_supports_in_one_sentence():
    text = "区委组织部牵头，区人社局配合，9月底前新选调优秀年轻干部20名。"
    parties = find_parties(text)
    assert [(p.text, p.role) for p in parties] == [("区委组织部", "lead"), ("区人社局", "responsible")]
    named = find_parties("区委组织部牵头，各乡镇（街道）党（工）委负责，6月底前完成全区党员轮训。")
    assert [p.role for p in named] == ["lead", "responsible"]
    # without 牵头 nobody is made the lead by the text
    assert [p.role for p in find_parties("区委组织部负责，年底前完成。")] == [None]


def test_a_body_named_with_its_duty_is_a_party_even_when_no_pattern_knows_it():
    text = "区非公经济组织和社会组织党委负责，全年新建非公企业党组织10个。"
    assert [(p.text, p.kind) for p in find_parties(text)] == [("区非公经济组织和社会组织党委", "two_new_committee")]
    other = find_parties("区老干部活动中心负责，全年组织活动10场。")
    assert [p.text for p in other] == ["区老干部活动中心"]
    tasks = [t for t in analyse("1.推进两新党建。区老干部活动中心负责，全年组织活动10场。", doc_date=DEC).tasks
             if t.kind == "task"]
    assert "老干部活动中心" not in tasks[0].action  # kept as a party, stripped from the action like any found unit


def test_two_deadlines_for_two_actions_of_a_sentence_give_one_task_due_at_the_later():
    text = "三岔河村党支部2027年工作计划\n\n二、加强党员教育管理。3月底前完成流动党员摸排登记，年底前党员参加集中学习不少于4次。\n"
    tasks = [t for t in analyse(text, doc_date=DEC).tasks if t.kind == "task"]
    assert len(tasks) == 1 and tasks[0].deadline.due == date(2027, 12, 31)
    assert [(x.value, x.unit) for x in tasks[0].targets] == [(4, "次")]
    # a later date that is another body's check, or only a start, is not the task's
    for text in ("（1）3月底前完成摸排登记，镇纪委年底前抽查一遍。", "（1）3月底前完成摸排登记，12月上旬开始复查。"):
        one = [t for t in analyse(text, doc_date=D).tasks if t.kind == "task"]
        assert one[0].deadline.due == date(2030, 3, 31), text
