"""Round 8 (issue 3 §2): hard wraps inside one paragraph of an otherwise unwrapped speech, a bold
doubled pair cut by a line break, sub-list lead-ins, and the target / deadline / party forms found
open after round 7. All texts are short and invented."""

from datetime import date

from zugong.work.text.clean import clean
from zugong.work.text.deadlines import find_deadline
from zugong.work.text.parties import find_parties, party_key
from zugong.work.text.targets import find_targets
from zugong.work.text.tasks import analyse

DOC_DATE = date(2026, 7, 10)


def _keys(text: str) -> list[tuple]:
    return [t.key() for t in find_targets(text)]


def _party_keys(text: str) -> list[str]:
    return [party_key(p.text, p.kind) for p in find_parties(text)]


# ------------------------------------------------------------------ cleaner: wraps in one paragraph

UNWRAPPED_SPEECH = (
    "在全县组织工作会议上的讲话\n"
    "县委副书记　林某\n"
    "（2026年3月1日）\n"
    "同志们：\n"
    "这次会议的主要任务是部署今年全县组织工作，我讲三点意见，请大家抓好落实，确保各项任务按期完成。\n"
    "一、抓好干部队伍建设\n"
    "年底前，县管领导班子中年轻干部的配备比例要比去年提高3个百\n"
    "分点，各乡镇领导班子都要至少配备1名年轻干部。今年引进硕士、博\n"
    "士研究生200名以上。\n"
    "二、抓好人才工作\n"
    "今年全县新建人才驿站5个，各乡镇要在6月底前完成乡土人才摸底登记。\n"
)


def test_it_joins_a_wrap_inside_a_number_in_an_unwrapped_speech():
    text = clean(UNWRAPPED_SPEECH).text
    assert "提高3个百分点，各乡镇领导班子" in text
    assert "今年引进硕士、博士研究生200名以上。" in text


def test_it_keeps_title_speaker_date_and_headings_on_their_own_lines():
    lines = clean(UNWRAPPED_SPEECH).text.split("\n")
    for line in ("在全县组织工作会议上的讲话", "县委副书记　林某", "（2026年3月1日）", "同志们：",
                 "一、抓好干部队伍建设", "二、抓好人才工作"):
        assert line in lines


def test_it_does_not_join_a_body_line_to_a_field_line():
    raw = "开展党员集中轮训，覆盖全体农村党员\n牵头单位：县委组织部\n完成时限：2026年10月底前\n"
    assert clean(raw).text.split("\n")[:2] == ["开展党员集中轮训，覆盖全体农村党员", "牵头单位：县委组织部"]


def test_it_does_not_join_a_line_without_sentence_punctuation():
    # no punctuation: a title or a caption, not body text stopped mid-sentence
    raw = "关于加强基层党组织建设的实施意见\n各乡镇要在6月底前完成村党组织换届。\n"
    assert clean(raw).text.split("\n")[0] == "关于加强基层党组织建设的实施意见"


def test_it_undoes_a_doubled_pair_cut_by_a_line_break():
    raw = "（（一一））在在引引才才聚聚才才上上打打开开新新局局面\n面。。要要在在引引才才规规模模上上有有新新突突破破。。\n"
    assert clean(raw).text.startswith("（一）在引才聚才上打开新局面。要在引才规模上有新突破。")


# ------------------------------------------------------------------ tasks: lead-ins

def test_it_does_not_make_a_sub_list_lead_in_a_task():
    raw = (
        "一、重点任务\n"
        "1. 抓实新就业群体党建。聚焦快递、外卖等新就业群体，重点落实以下措施：\n"
        "（1）新建站点党组织不少于6个；\n"
        "（2）建设“骑手驿站”服务站10个；\n"
        "牵头单位：县委组织部　完成时限：2026年12月底前\n"
    )
    texts = [t.text for t in analyse(raw, doc_date=DOC_DATE).tasks if t.kind == "task"]
    assert not any(t.endswith("以下措施：") for t in texts)
    assert any("不少于6个" in t for t in texts) and any("10个" in t for t in texts)


def test_it_keeps_a_colon_sentence_with_its_own_target():
    raw = "一、重点任务\n年内培训党员1200人次，分三类推进：\n（1）农村党员；\n（2）流动党员。\n"
    tasks = analyse(raw, doc_date=DOC_DATE).tasks
    assert any(t.text.startswith("年内培训党员1200人次") and t.kind == "task" for t in tasks)


def test_it_treats_attitude_sentences_as_guidance():
    raw = (
        "一、工作要求\n"
        "对这些问题，各级党组织必须高度重视，逐一加以解决。\n"
        "全县各级党组织要深刻认识党建引领基层治理的重要性和紧迫性。\n"
        "组工干部必须在忠诚、干净、担当上作表率。\n"
        "对连续两个季度排名靠后的，由县委组织部约谈其主要负责同志。\n"
        "下半年任务繁重，大家一定要只争朝夕、奋力冲刺。\n"
        "县委组织部要在9月底前完成年轻干部调研。\n"
    )
    kinds = {t.text[:6]: t.kind for t in analyse(raw, doc_date=DOC_DATE).tasks}
    assert kinds.get("对这些问题，") != "task"
    assert kinds.get("全县各级党组") != "task"
    assert kinds.get("组工干部必须") != "task"
    assert kinds.get("对连续两个季") != "task"
    assert kinds.get("下半年任务繁") != "task"
    assert kinds["县委组织部要"] == "task"


# ------------------------------------------------------------------ targets

def test_it_reads_percentage_points_and_doublings():
    assert (5.0, None, "个百分点") in _keys("配备比例要比去年提高5个百分点")
    assert (2.0, None, "倍") in _keys("村级集体经济收入要在2023年基础上翻一番")
    assert (4.0, None, "倍") in _keys("经营性收入力争翻两番")


def test_it_reads_batches_and_the_size_of_each_batch_beside_a_population():
    keys = _keys("分4期对全县1380名村干部进行全员轮训，每期3天，培训合格率达到98%以上。")
    assert keys == [(4.0, None, "期"), (3.0, None, "天"), (98.0, None, "%")]


def test_it_reads_the_scope_of_an_action_after_dui():
    assert _keys("对5个乡镇和8个县直部门开展专项检查") == [(5.0, None, "个"), (8.0, None, "个")]


def test_it_reads_a_size_and_a_share_of_a_whole():
    assert (300000000.0, None, "元") in _keys("设立总规模三亿元的人才发展基金")
    assert (40.0, None, "%") in _keys("提拔干部的比例不低于新提拔干部总数的40%")
    assert (5000.0, None, "人") in _keys("将持卡人才范围扩大到五千人")
    assert (3.0, None, "个") in _keys("上线干部管理、党员管理、任务台账3个模块")


def test_it_does_not_count_a_population_in_the_area():
    assert _keys("推动辖区5家平台企业党组织应建尽建，新建站点党组织不少于12个") == [(12.0, None, "个")]


# ------------------------------------------------------------------ deadlines

def test_it_reads_deadlines_as_written():
    cases = {
        "乡镇工作补贴自2026年10月起提高": ("2026年10月起", date(2026, 10, 1)),
        "每年11月底前完成专题轮训": ("每年11月底前", date(2026, 11, 30)),
        "于每年3月底前完成考核结果运用": ("每年3月底前", date(2027, 3, 31)),
        "各县区要在六月底前全面梳理": ("六月底前", date(2026, 6, 30)),
        "在十月底前将十五个事项纳入": ("十月底前", date(2026, 10, 31)),
        "到年底达到150个以上": ("到年底", date(2026, 12, 31)),
        "到“十四五”末，收入翻一番": ("“十四五”末", date(2025, 12, 31)),
    }
    for text, (written, due) in cases.items():
        d = find_deadline(text, doc_date=DOC_DATE)
        assert d is not None and (d.text, d.due) == (written, due), text


# ------------------------------------------------------------------ parties

def test_it_lists_every_unit_after_huitong():
    keys = _party_keys("由县纪委监委牵头，会同县委组织部、县司法局，在10月底前出台实施办法。")
    assert set(keys) == {"discipline_commission", "county_org_depts", "县司法局"}


def test_it_reads_posts_as_parties():
    assert _party_keys("各县区党委书记每年要向市委专题报告一次人才工作") == ["各县区党委书记"]
    assert _party_keys("县级领导要逐村包联") == ["leading_cadres"]
    assert _party_keys("县委组织部各股室要对照任务逐项细化分解") == ["县委组织部各股室"]
    assert "各乡镇（街道）党（工）委书记" in _party_keys("各乡镇（街道）党（工）委书记要每月至少研究一次")


def test_it_does_not_make_a_counted_population_a_party():
    assert _party_keys("组工干部全年人均参加业务培训不少于40学时") == []
    assert _party_keys("每名市级领导联系二至三名高层次人才") == []
