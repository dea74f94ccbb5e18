"""Round 9 of the task extractor (issue 3 §2): 工作要点 grouped under office headings, bullet items,
spoken deadlines, party names with bracketed alternatives. Short invented texts only."""

from datetime import date

from zugong.work.text.clean import clean
from zugong.work.text.parties import find_parties, normalize
from zugong.work.text.structure import office_of_heading
from zugong.work.text.tasks import analyse

PLAN = (
    "中共某县委组织部2027年工作要点\n"
    "现将部机关各股室年度重点工作分解如下，括号内为完成时限和协同单位。\n"
    "【组织股】基层组织建设\n"
    "◆ 整顿转化软弱涣散村党组织8个以上（11月底前；协同：各乡镇党委）\n"
    "◆ 发展党员总数控制在180名以内（全年）\n"
    "【人才股（县委人才办）】人才引育留用\n"
    "◆ 组织专家服务团下乡开展技术服务，每季度不少于1次（持续推进）\n"
    "◆ 引进急需紧缺专业人才100名（全年；协同：县人社局、县卫健委）\n"
)


def _tasks(text: str, d: date = date(2027, 2, 20)):
    return [t for t in analyse(text, doc_date=d).tasks if t.kind == "task"]


def test_it_reads_an_office_heading_as_the_lead_of_its_bullet_items():
    tasks = _tasks(PLAN)
    assert len(tasks) == 4
    assert [p.text for p in tasks[0].parties] == ["组织股", "各乡镇党委"]
    assert [p.role for p in tasks[0].parties] == ["lead", "responsible"]
    assert [p.text for p in tasks[3].parties] == ["人才股", "县人社局", "县卫健委"]


def test_it_takes_the_item_bracket_time_as_deadline_and_standing_as_none():
    tasks = _tasks(PLAN)
    assert tasks[0].deadline.text == "11月底前" and tasks[0].deadline.due == date(2027, 11, 30)
    assert tasks[1].deadline.text == "全年"
    assert tasks[2].deadline is None and tasks[2].standing == "持续推进"


def test_it_names_the_office_of_a_heading():
    assert office_of_heading("【人才股（县委人才办）】人才引育留用") == "人才股"
    assert office_of_heading("组织股：") == "组织股"
    assert office_of_heading("干部监督股") == "干部监督股"
    assert office_of_heading("基层组织建设") == ""


def test_it_keeps_a_bold_group_heading_out_of_the_title_and_bullets_unjoined():
    raw = (
        "某县委组织部2027年工作要点\n"
        "这是一段说明文字，说明了本要点的来历和总体要求，没有任务。\n"
        "【【组组织织股股】】基基层层组组织织建建设设\n"
        "◆ 发展党员总数控制在180名以内，青年占比不低于55%（全年）\n"
        "◆ 开展村“两委”成员全员培训，每人每年不少于1次（8月底前）\n"
    )
    text = clean(raw).text
    assert "这是一段说明文字" in text
    assert "（全年）\n◆ 开展" in text


def test_it_reads_county_names_with_a_bracketed_district():
    assert normalize("各县（区）") == "all_counties"
    assert normalize("各县（区）委组织部") == "county_org_depts"
    assert normalize("市直各单位党组（党委）") == "city_departments"
    found = find_parties("各县（区）委组织部要于12月20日前报送计划。")
    assert [p.kind for p in found] == ["county_org_depts"]


def test_it_resolves_spoken_deadlines_against_the_document_date():
    from zugong.work.text.deadlines import find_deadline

    d = date(2026, 11, 18)
    cases = {
        "月底前报上来": date(2026, 11, 30),
        "下个月拿出清单": date(2026, 12, 31),
        "下个月10号前报镇里": date(2026, 12, 10),
        "下个月中旬逐村督查": date(2026, 12, 20),
        "两周内上墙公示": date(2026, 12, 2),
        "半个月内摸清": date(2026, 12, 3),
        "12月下旬进行考核": date(2026, 12, 31),
        "年前要全部结算到位": date(2027, 2, 5),  # 春节 2027-02-06
        "春节前走访": date(2027, 2, 5),
        "腊月二十前插上警示牌": date(2027, 1, 27),
        "国庆前完成": date(2027, 10, 1),
    }
    for text, due in cases.items():
        found = find_deadline(text, 0, d)
        assert found is not None and found.due == due, (text, found)


def test_it_keeps_starts_and_attributes_out_of_deadlines():
    from zugong.work.text.deadlines import find_deadline

    d = date(2026, 11, 18)
    assert find_deadline("冬训从12月上旬开始，一个月内全部结束", 0, d).text == "一个月内"
    assert find_deadline("年前回来的党员都要通知到", 0, d) is None
    assert find_deadline("第四季度的村务，各村要在12月5日前公开", 0, d).text == "12月5日前"
    assert find_deadline("各股室于每季度末月25日前报送", 0, d).due == date(2026, 12, 25)
    assert find_deadline("任职3个月内完成岗前培训", 0, d).due is None
    assert find_deadline("（次年2月底前）", 0, date(2027, 2, 20)).due == date(2028, 2, 29)


def test_it_reads_spoken_doers_of_a_township_speech():
    kinds = {p.text: p.kind for p in find_parties("镇里年前开一期培训班，各村书记要带头，护林员要每天巡山。")}
    assert kinds == {"镇里": "organ", "各村书记": "role", "护林员": "role"}
    assert find_parties("对敢担当的镇村干部在评优评先中优先考虑。") == []


def test_it_reads_no_due_date_in_the_season_a_past_event_or_a_prohibition():
    from zugong.work.text.deadlines import find_deadline

    d = date(2026, 11, 18)
    assert find_deadline("年底了，讨薪的会多起来。", 0, d) is None
    assert find_deadline("今年镇纪委查了两起问题。", 0, d) is None
    assert find_deadline("冬训是老规矩，但今年不能走过场。", 0, d) is None
    assert find_deadline("今年要完成村级换届。", 0, d).text == "今年"


def test_it_counts_figures_of_a_plan_item():
    from zugong.work.text.targets import find_targets

    def keys(t):
        return sorted((x.value, x.unit) for x in find_targets(t))

    assert keys("制作党员教育电视片6部，争取1部以上入选") == [(1.0, "部"), (6.0, "部")]
    assert keys("兑现各类人才政策资金1200万元") == [(12000000.0, "元")]
    assert keys("举办培训班2期，每期学员40人") == [(2.0, "期"), (40.0, "人")]
    assert keys("引进人才100名，其中硕士以上学历的不少于20名") == [(20.0, "名"), (100.0, "名")]
    assert keys("选派30名干部挂职锻炼，挂职期限1年") == [(1.0, "年"), (30.0, "名")]


def test_it_keeps_a_bulleted_public_account_item_and_drops_page_links():
    raw = (
        "某县委组织部2027年工作要点\n"
        "【办公室】宣传\n"
        "◆ “某某组工”微信公众号每周更新不少于3期（全年）\n"
        "上一篇：某某县召开会议\n"
    )
    text = clean(raw).text
    assert "微信公众号每周更新" in text and "上一篇" not in text


def test_a_bare_month_is_the_one_nearest_the_document_date():
    from zugong.work.text.deadlines import find_deadline

    december = date(2026, 12, 10)
    cases = {
        "3月底前完成整改": date(2027, 3, 31),  # 8 months past, 4 ahead: next March
        "3月15日前报送": date(2027, 3, 15),
        "3月下旬开展督查": date(2027, 3, 31),
        "11月底前完成": date(2026, 11, 30),  # last month: overdue, or a review — not next November
        "6月底前完成": date(2026, 6, 30),  # 163 days past against 202 ahead
        "今年3月底前完成": date(2026, 3, 31),  # the year is said
    }
    for text, due in cases.items():
        found = find_deadline(text, 0, december)
        assert found is not None and found.due == due, (text, found)
    # a plan for the next year reads its months in that year as before
    assert find_deadline("3月底前完成整改", 0, december, year=2027).due == date(2027, 3, 31)
    assert find_deadline("3月底前完成整改", 0, date(2026, 2, 1)).due == date(2026, 3, 31)
    assert find_deadline("2月29日前报送", 0, date(2027, 12, 10)).due == date(2028, 2, 29)  # the nearest February has one


def test_a_date_that_does_not_exist_is_kept_as_text_without_a_due_date():
    from zugong.work.text.deadlines import find_deadline

    for text, written in (("13月底前完成", "13月底前"), ("2026年13月底前完成", "2026年13月底前"), ("3月0日前报送", "3月0日前"),
                          ("2月30日前报送", "2月30日前"), ("2026年2月29日前报送", "2026年2月29日前"), ("2月29日前报送", "2月29日前")):
        found = find_deadline(text, 0, date(2026, 12, 10))
        assert found is not None and found.text == written and found.due is None, (text, found)
