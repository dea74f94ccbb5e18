"""Round 6 (issue 3 §2): field records — one task per record of labelled lines, in any label form.

All texts are short and invented.
"""

from datetime import date

from zugong.work.text.clean import clean
from zugong.work.text.fields import is_field_line, parse_fields
from zugong.work.text.tasks import analyse


def _tasks(raw: str):
    return [t for t in analyse(raw, doc_date=date(2026, 3, 1)).tasks if t.kind == "task"]


def test_it_parses_bracketed_labels_full_and_half_width():
    line = "【牵头】干部科　【配合】县委党校、县人社局　[时限]2026年10月底前"
    fields = parse_fields(line)
    assert [(f.role, f.value) for f in fields] == [
        ("lead", "干部科"), ("responsible", "县委党校、县人社局"), ("deadline", "2026年10月底前")]
    assert is_field_line(line)


def test_it_splits_labels_separated_by_one_ideographic_space():
    fields = parse_fields("责任领导：分管副部长　责任科室：组织科、人才科　完成时限：2026年6月底前")
    assert [(f.role, f.value) for f in fields] == [
        ("leader", "分管副部长"), ("responsible", "组织科、人才科"), ("deadline", "2026年6月底前")]


def test_it_keeps_a_closing_bracket_that_belongs_to_the_name():
    fields = parse_fields("责任单位：各乡镇党委、县直各单位党组（党委）")
    assert fields[0].value == "各乡镇党委、县直各单位党组（党委）"


def test_it_reads_a_ledger_block_as_one_task_with_targets_from_the_goal_field():
    raw = ("某县任务台账\n序号：1\n任务名称：培训村干部\n目标要求：分批培训村干部300名以上。\n"
           "牵头单位：县委组织部组织股\n责任单位：各乡镇党委\n完成时间：2026年9月30日\n进展情况：已培训120名。\n"
           "———\n序号：2\n任务名称：建设人才公寓\n目标要求：筹集人才公寓50套。\n责任单位：县住建局\n完成时间：年底前\n"
           "进展情况：已筹集20套。\n")
    tasks = _tasks(raw)
    assert [t.action for t in tasks] == ["培训村干部", "建设人才公寓"]
    assert [(x.value, x.unit) for x in tasks[0].targets] == [(300, "名")]  # 已培训120名 is progress, no target
    assert [p.text for p in tasks[0].parties] == ["县委组织部组织股", "各乡镇党委"]
    assert tasks[0].deadline.text == "2026年9月30日"


def test_it_does_not_take_a_repeated_field_line_for_a_running_header():
    block = "任务名称：任务{n}\n目标要求：完成{n}项。\n牵头单位：县委组织部组织股\n完成时间：2026年6月30日\n"
    raw = "台账\n" + "".join(block.format(n=n) for n in range(1, 5))
    assert clean(raw).text.count("牵头单位：县委组织部组织股") == 4


def test_it_starts_a_new_line_after_a_closed_field_line():
    raw = ("任务1　抓好学习。举办读书班2期，每期不少于5天，实现全覆盖。\n【牵头】干部科　【时限】2026年10月底前\n"
           "任务2　建强队伍。组建宣讲队10支。\n【牵头】组织科　【时限】2026年11月底前\n")
    text = clean(raw).text
    assert "2026年10月底前\n任务2" in text


def test_it_gives_a_trailing_field_line_to_every_sentence_of_the_item_and_its_measures():
    raw = ("一、基层组织\n任务1　抓实新就业群体党建。重点落实以下措施：\n（1）新建站点党组织不少于12个；\n"
           "（2）建设服务站25个；\n（3）每季度至少举办1次恳谈会。\n"
           "责任领导：分管副部长　责任科室：两新组织党建科　完成时限：2026年12月底前\n"
           "任务2　加强党员队伍建设。全年发展党员150名左右。\n【牵头】党员管理科　【时限】2026年12月底前\n")
    tasks = _tasks(raw)
    measures = [t for t in tasks if "新建站点" in t.text or "服务站" in t.text or "恳谈会" in t.text]
    assert len(measures) == 3
    for t in measures:
        assert t.deadline.text == "2026年12月底前"
        assert [p.text for p in t.parties if p.role != "leader"] == ["两新组织党建科"]
        assert [p.text for p in t.parties if p.role == "leader"] == ["分管副部长"]
    second = next(t for t in tasks if "150" in t.text)
    assert [p.text for p in second.parties] == ["党员管理科"]


def test_it_skips_progress_serial_and_note_lines():
    raw = "台账\n填报单位：县委组织部　报送日期：2026年7月3日\n说明：本表逐行导出。\n任务名称：家访新提拔干部\n目标要求：家访率达到100%。\n进展情况：已走访48人次。\n"
    tasks = _tasks(raw)
    assert [t.action for t in tasks] == ["家访新提拔干部"]
