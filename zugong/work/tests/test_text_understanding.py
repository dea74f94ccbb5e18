"""Document understanding (issue 3, sections 1–2): cleaning, structure, targets, deadlines,
parties, guidance vs task, file extraction, and the seed figures against the floors."""

from __future__ import annotations

import importlib.util
import io
import zlib
from datetime import date
from pathlib import Path

import pytest

from zugong.work.text.clean import apply_edits, clean
from zugong.work.text.deadlines import find_deadline
from zugong.work.text.extract import UnsupportedDocument, extract_text
from zugong.work.text.parties import find_parties, normalize
from zugong.work.text.structure import is_run_in_head, parse
from zugong.work.text.targets import cn_number, find_targets
from zugong.work.text.tasks import analyse

ROOT = Path(__file__).resolve().parents[3]


# ---------------------------------------------------------------- cleaning


def test_it_undoes_bold_doubling_including_punctuation_and_digits():
    raw = "推推动动组组织织工工作作高高质质量量发发展展\n组组织织评评选选5500名名““最最美美小小哥哥””。。\n"
    c = clean(raw)
    assert c.text.splitlines()[0] == "推动组织工作高质量发展"
    assert "组织评选50名“最美小哥”。" in c.text
    assert {e.kind for e in c.edits} >= {"doubled"}


def test_it_keeps_legitimate_doubles():
    raw = "要原原本本、逐字逐句学习，常常讲、人人知、天天做，层层压实责任，一一对应，年年开展，严格按照程序办。\n"
    c = clean(raw)
    assert c.text.strip() == raw.strip()
    assert not [e for e in c.edits if e.kind == "doubled"]


def test_it_collapses_isolated_doubled_punctuation_but_not_ellipsis():
    c = clean("抓好““三会一课””落实……要求——全面推进。\n")
    assert c.text.strip() == "抓好“三会一课”落实……要求——全面推进。"


def test_it_joins_lines_broken_inside_sentences_and_words_and_keeps_paragraphs():
    raw = (
        "创新线上送学。创办手机端学习平台，常态化向干部推送政策\n"
        "文件解读、专业名词解释、典型案例解析等，组织万名干部在线\n"
        "学习，纳入干部学分考核，帮助干部打牢专业基础。\n"
        "\n"
        "办好小班研学。聚焦产业经济、基层治理等领域课题，实施小\n"
        "\n"
        "规模定向调训、小班次靶向培训，帮助干部厚植专业素养。\n"
    )
    c = clean(raw)
    lines = c.text.splitlines()
    assert lines[0].endswith("帮助干部打牢专业基础。")
    assert "实施小规模定向调训" in lines[1]
    assert len(lines) == 2


def test_it_removes_page_markers_and_running_headers():
    raw = "一、总体要求\n正文第一段。\n\t03-PDF 版面\n- 2 -\n第3页\n正文第二段。\n"
    c = clean(raw)
    assert "PDF" not in c.text and "- 2 -" not in c.text and "第3页" not in c.text
    assert {e.kind for e in c.edits if e.kind == "page_marker"}


def test_it_removes_repeated_phrases():
    c = clean("灵活采取理论中心组学习、集中轮训、集中轮训、专题研讨等方式。紧盯《问题任务清单问题任务清单》。\n")
    assert "集中轮训、集中轮训" not in c.text and "集中轮训" in c.text
    assert "《问题任务清单》" in c.text
    # different items with a shared prefix are not repeats
    c2 = clean("建立常态发现问题、常态查核办理、常态处理问责机制。\n")
    assert c2.text.strip() == "建立常态发现问题、常态查核办理、常态处理问责机制。"


def test_it_removes_adverts_and_the_block_before_a_bold_title():
    raw = (
        "扫码关注公众号获取更多资讯\n"
        "巩固传统优势、做强特色亮点，推动组织工作高质量发展。\n\n"
        "推推动动组组织织工工作作高高质质量量发发展展\n\n"
        "一、抓好干部教育培训\n要办好专题培训班。\n"
    )
    c = clean(raw)
    assert c.text.startswith("推动组织工作高质量发展")
    kinds = {e.kind for e in c.edits}
    assert {"advert", "preamble"} <= kinds


def test_it_can_undo_a_single_edit_and_map_offsets_back():
    raw = "灵活采取集中轮训、集中轮训、专题研讨等方式。\n"
    c = clean(raw)
    rep = next(e for e in c.edits if e.kind == "repeat")
    undone = clean(raw, undo={rep.id})
    assert "集中轮训、集中轮训" in undone.text
    partial = apply_edits(raw, [e for e in c.all_edits if e.id != rep.id])
    assert partial.text == undone.text
    i = c.text.index("专题研讨")
    assert raw[c.to_raw(i) : c.to_raw(i) + 4] == "专题研讨"


def test_it_cleans_the_luan_seed():
    raw = (Path(__file__).parent / "data" / "seeds" / "luan-2023-org-ministers-meeting.txt").read_text()
    c = clean(raw)
    assert "组织评选50名“最美小哥”“最美骑手”等" in c.text
    assert "PDF 版面" not in c.text
    assert "在全省第一方阵的基础上实现位次前移" in c.text
    assert not c.text.startswith("巩固传统优势")


# ---------------------------------------------------------------- structure


def test_it_recognises_heading_levels_and_title():
    text = (
        "关于做好2023年组织工作的意见\n"
        "一、加强干部队伍建设\n"
        "（一）优化班子结构\n"
        "1.配强领导班子\n"
        "（1）选优配强一把手\n"
        "要抓紧配齐配强市直部门领导班子，年底前完成调整。\n"
        "二、夯实基层基础\n"
        "要深化党支部标准化规范化建设。\n"
    )
    doc = parse(text)
    assert doc.title == "关于做好2023年组织工作的意见"
    levels = [(n.level, n.marker, n.text) for n in doc.root.walk() if n.kind == "heading"]
    assert levels[:4] == [(1, "一、", "加强干部队伍建设"), (2, "（一）", "优化班子结构"), (3, "1.", "配强领导班子"), (4, "（1）", "选优配强一把手")]
    assert levels[4][:2] == (1, "二、")
    first = doc.sentences[0]
    assert first.head.path() == ["加强干部队伍建设", "优化班子结构", "配强领导班子", "选优配强一把手"]


def test_it_recognises_run_in_heads():
    assert is_run_in_head("要选准用好干部。")
    assert is_run_in_head("抓住“考点”。")
    assert is_run_in_head("解决“谁来管、怎么建”的问题。")
    assert not is_run_in_head("推动干部能上能下是中组部部署的重点工作，纳入述职内容。")
    doc = parse("三、组织工作\n要选准用好干部。坚持党管干部原则，抓好班子建设。要夯实基层基础。统筹推动基层党建。\n")
    run_ins = [n.text for n in doc.root.walk() if n.kind == "run_in"]
    assert run_ins == ["要选准用好干部。", "要夯实基层基础。"]
    assert doc.sentences[0].head.path() == ["组织工作", "要选准用好干部。"]


def test_it_finds_speaker_and_date_under_the_title():
    doc = parse("张三同志在全市组织工作会议上的讲话\n（2023年2月10日）\n同志们：\n一、总体要求\n要抓好落实。\n")
    assert doc.speaker == "张三"
    assert doc.date == date(2023, 2, 10)


# ---------------------------------------------------------------- targets


def _keys(text):
    return [(t.value, t.max, t.unit, t.qualifier) for t in find_targets(text)]


@pytest.mark.parametrize(
    "text,expected",
    [
        ("选聘30名左右客座教授", [(30, None, "名", "左右")]),
        ("统筹拿出300个事业编制", [(300, None, "个", None)]),
        ("遴选培育10名高层次人才", [(10, None, "名", None)]),
        ("组织评选50名“最美小哥”", [(50, None, "名", None)]),
        ("力争党组织数量新增20%以上", [(20, None, "%", "以上")]),
        ("全市配备率至少达到80%", [(80, None, "%", "至少")]),
        ("力争打造5个省级示范小区、15个市级示范小区", [(5, None, "个", None), (15, None, "个", None)]),
        ("联系2—3个小区", [(2, 3, "个", None)]),
        ("组织万名干部在线学习", [(10000, None, "名", None)]),
        ("全面落实关于改进作风的20条举措", []),
        ("采取“选4配1”等办法，落实“25条”", []),
        ("建立“四个常态”工作机制，选拔一批年轻人才", []),
        ("以十个行业专委会为依托", []),
    ],
)
def test_it_extracts_target_forms(text, expected):
    assert _keys(text) == [(float(v), None if m is None else float(m), u, q) for v, m, u, q in expected]


def test_it_reads_chinese_numerals():
    assert cn_number("十五") == 15 and cn_number("两千") == 2000 and cn_number("万") == 10000 and cn_number("三百") == 300


# ---------------------------------------------------------------- deadlines


@pytest.mark.parametrize(
    "text,written,due",
    [
        ("今年要实现小区党支部应建尽建", "今年", date(2023, 12, 31)),
        ("各县区要在半年内拿出举措", "半年内", date(2023, 8, 1)),
        ("年底前完成调整", "年底前", date(2023, 12, 31)),
        ("上半年完成换届", "上半年", date(2023, 6, 30)),
        ("三个月内完成整改", "三个月内", date(2023, 5, 1)),
        ("2024年6月30日前全部建成", "2024年6月30日前", date(2024, 6, 30)),
        ("9月底前报送材料", "9月底前", date(2023, 9, 30)),
        ("二季度末完成", "二季度末", date(2023, 6, 30)),
        ("明年底前全面覆盖", "明年底前", date(2024, 12, 31)),
    ],
)
def test_it_resolves_deadlines_against_the_document_date(text, written, due):
    d = find_deadline(text, 0, date(2023, 2, 1))
    assert d is not None and d.text == written and d.due == due
    assert text[d.start : d.end] == written


def test_it_does_not_take_a_topic_year_for_a_deadline():
    assert find_deadline("今年的主要任务是学习贯彻党的二十大精神", 0, date(2023, 2, 1)) is None


# ---------------------------------------------------------------- parties


def test_it_recognises_responsible_parties():
    found = [(p.text, p.kind) for p in find_parties("市委组织部将统一组织招录，各县区要选拔一批年轻人才。")]
    assert found == [("市委组织部", "city_org_dept"), ("各县区", "all_counties")]
    assert [p.kind for p in find_parties("各县区委组织部长要联系2—3个小区")] == ["county_org_heads"]
    assert [p.kind for p in find_parties("各级党委（党组）要加强对组工干部的关心关爱")] == ["all_party_committees"]
    assert [p.kind for p in find_parties("市、县要超前进行准备工作")] == ["city_and_counties"]
    assert [p.kind for p in find_parties("压实行业主管部门责任")] == ["industry_authorities"]
    # a place name used as a modifier is not a party
    assert find_parties("建立市县“年轻干部后备库”，开展年轻干部市县双向挂职") == []
    assert normalize("各级党委(党组)") == "all_party_committees"


# ---------------------------------------------------------------- tasks


def test_it_separates_guidance_from_tasks():
    text = (
        "一、加强党的建设\n"
        "要坚持以习近平新时代中国特色社会主义思想为指导，牢记初心使命。"
        "党的二十大报告强调，全面从严治党永远在路上。"
        "实施干部业务能力提升计划，办好系列专题培训班。"
        "各县区要在半年内建立村干部后备库。\n"
    )
    a = analyse(text, doc_date=date(2023, 3, 1))
    kinds = [(t.kind, t.text[:6]) for t in a.tasks]
    assert ("guidance", "要坚持以习近") in kinds
    assert all("报告强调" not in t.text for t in a.tasks)
    tasks = [t for t in a.tasks if t.kind == "task"]
    assert [t.text[:4] for t in tasks] == ["实施干部", "各县区要"]
    last = tasks[-1]
    assert last.deadline.due == date(2023, 9, 1)
    assert [p.kind for p in last.parties] == ["all_counties"]
    assert last.heading_path == ["加强党的建设"]
    assert last.pillar == "组织"
    assert a.cleaned.text[last.start : last.end] == last.text


def test_it_assigns_pillars():
    a = analyse("一、人才工作\n遴选培育10名高层次创新创业人才，建设人才科创园。\n二、干部工作\n完善领导班子年度综合考核体系，开展专项考察。\n")
    assert [t.pillar for t in a.tasks if t.kind == "task"] == ["人才", "干部"]


# ---------------------------------------------------------------- files


def test_it_extracts_docx_text():
    docx = pytest.importorskip("docx")
    d = docx.Document()
    d.add_paragraph("一、加强干部队伍建设")
    d.add_paragraph("选聘30名左右客座教授。")
    buf = io.BytesIO()
    d.save(buf)
    text = extract_text(buf.getvalue(), "plan.docx")
    assert "一、加强干部队伍建设" in text and "选聘30名左右客座教授。" in text


def _tiny_pdf(line: str) -> bytes:
    """A one-page text PDF written by hand (Helvetica, ASCII text)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({line}) Tj ET".encode()
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref))
    return out.getvalue()


def test_it_extracts_pdf_text():
    pytest.importorskip("pypdf")
    text = extract_text(_tiny_pdf("Plan 2023: train 30 cadres"), "plan.pdf")
    assert "train 30 cadres" in text
    assert zlib  # (streams are uncompressed on purpose)


def test_it_decodes_gbk_text_and_refuses_other_types():
    assert extract_text("选聘30名客座教授".encode("gb18030"), "a.txt") == "选聘30名客座教授"
    with pytest.raises(UnsupportedDocument):
        extract_text(b"x", "a.doc")


# ---------------------------------------------------------------- seed figures


def test_it_keeps_the_seed_figures_at_or_above_the_floors():
    spec = importlib.util.spec_from_file_location("bench_extraction", ROOT / "bench" / "bench_extraction.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    res = bench.run()
    overall = bench.rates(res["overall"]["system"])
    assert overall["recall"] >= 0.85
    assert overall["precision"] >= 0.80
    assert overall["target_exact"] >= 0.90
    for counts in res["per_seed"].values():
        assert counts["system"]["missing_anchor"] == 0
    assert overall["f1"] > bench.rates(res["overall"]["baseline"])["f1"]


def test_it_takes_the_action_from_the_main_clause_not_a_framing_clause():
    from zugong.work.text.tasks import analyse

    text = (
        "一、抓好主题教育\n"
        "市、县要超前做好准备工作，待党中央、省委部署实施后，及时拿出方案，集中力量精心组织实施，确保取得实效。\n"
        "根据省委统一安排，各县区要在年底前完成村“两委”换届。\n"
    )
    tasks = [t for t in analyse(text, doc_date=date(2023, 2, 10)).tasks if t.kind == "task"]
    actions = [t.action for t in tasks]
    assert not any(a.startswith("待") or a.startswith("根据") for a in actions), actions
    assert any("拿出方案" in a or "超前做好准备工作" in a for a in actions), actions
