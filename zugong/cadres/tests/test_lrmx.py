"""干部任免审批表: the printable .docx read back cell by cell, .lrmx export/import round trips, bad files, scope."""

import datetime as dt
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn

from zugong.cadres import lrmx, rules
from zugong.cadres.models import (
    Appointment,
    AppraisalEntry,
    AppraisalRound,
    Cadre,
    CadreProfile,
    CadreRank,
    Evidence,
    FamilyMember,
    LeadershipTeam,
    Post,
    RoundStatus,
)
from zugong.core.models import AuditEvent, Person
from zugong.core.testing import test_id_number
from zugong.orgs.tests.people import populate

D = dt.date


@pytest.fixture
def people(city):
    """populate() plus, for 张晓明: a past post, appraisals 2022–2025 (closed rounds) and a commendation."""
    p = populate(city)
    cadre = Cadre.objects.get(person=p["张晓明"])
    town = city.units["jinan_town"]
    Appointment.objects.create(cadre=cadre, post=Post.objects.create(unit=town, title="副镇长", post_level="42"),
                               start=D(2015, 9, 1), end=D(2021, 6, 1))  # fmt: skip
    for year, grade in ((2022, rules.EXCELLENT), (2023, rules.COMPETENT), (2024, rules.EXCELLENT), (2025, rules.COMPETENT)):
        rnd = AppraisalRound.objects.create(unit=town, year=year, category="team", status=RoundStatus.CLOSED)
        AppraisalEntry.objects.create(round=rnd, cadre=cadre, year=year, grade=grade)
    Evidence.objects.create(cadre=cadre, kind="commendation", on=D(2024, 7, 1), title="被评为全省优秀共产党员",
                            source_document="皖组〔2024〕9号", level="provincial")  # fmt: skip
    return p


def _cadre(people, name="张晓明"):
    return Cadre.objects.get(person=people[name])


def _docx(client, cadre, **params):
    r = client.post(reverse("cadres:approval_form_docx", args=[cadre.id]), params)
    assert r.status_code == 200, r.content[:300]
    return Document(io.BytesIO(r.content))


def _upload(client, *files, **data):
    uploads = [SimpleUploadedFile(name, content) for name, content in files]
    return client.post(reverse("cadres:lrmx_import"), {"files": uploads, **data})


def _new_person_lrmx(n=40, *, name="周新", jianli=None, **over) -> bytes:
    form = lrmx.ApprovalForm(
        name=name, gender="女", birth="1985.03", age=None, age_on=D(2026, 6, 1), ethnicity="回族", native_place="金安区",
        work_date="2007.07", fulltime_education="大学本科", fulltime_degree="法学学士",
        id_number=test_id_number(n, birth=D(1985, 3, 2), female=True),
        resume=jianli if jianli is not None else [
            "2003.09--2007.07  安徽大学法学院法学专业学习",
            "2007.07--2016.01  金安区一镇党政办科员",
            "2016.01--         金安区一镇党委委员、组织委员（兼任金安区一镇统战委员）",
            "2019.06--         （四级主任科员）",
        ],
    )  # fmt: skip
    for k, v in over.items():
        setattr(form, k, v)
    return lrmx.lrmx_bytes(form)


# ------------------------------------------------------------------------------------------------
# The printable form
# ------------------------------------------------------------------------------------------------
def test_it_builds_the_word_form_and_reads_back_its_cells(city, login, people):
    cadre = _cadre(people)
    doc = _docx(login(city.users["county_admin"]), cadre, on="2026-06-01", proposed_post="金安区委组织部副部长",
                reporting_unit="中共金安区委组织部")  # fmt: skip
    sec = doc.sections[0]
    assert (round(sec.page_width.cm, 1), round(sec.page_height.cm, 1)) == (21.0, 29.7)
    assert doc.paragraphs[0].text == "干部任免审批表"
    page1, page2 = doc.tables
    c = page1.cell
    assert [c(0, i).text for i in range(6)] == ["姓名", "张晓明", "性别", "男", "出生年月\n（岁）", "1980.05\n（46岁）"]
    assert [c(1, i).text for i in (0, 1, 2, 3)] == ["民族", "汉族", "籍贯", ""]
    assert c(2, 0).text == "入党\n时间" and c(2, 1).text == "2005.07"
    assert c(4, 0).text == "学  历\n学  位" and c(4, 2).text == "大学本科"
    assert c(4, 4).text == "毕业院校\n系及专业" and c(5, 1).text == "在  职\n教  育"
    assert c(6, 0).text == "现任职务" and c(6, 1).text == "金安区一镇党委书记"
    assert c(7, 1).text == "金安区委组织部副部长" and c(8, 0).text == "拟免职务"
    assert c(9, 1).text.split("\n") == ["2015.09--2021.06  金安区一镇副镇长", "2021.06--         金安区一镇党委书记"]
    # the photo cell spans the first four rows of the last column (empty: this cadre has no photo)
    assert c(0, 6)._tc is c(3, 6)._tc and c(0, 6).text == ""
    assert c(6, 1)._tc is c(6, 6)._tc  # 现任职务 spans the whole row
    d = page2.cell
    assert d(0, 1).text == "2024.07 被评为全省优秀共产党员（皖组〔2024〕9号）"
    assert d(1, 0).text == "年度考\n核结果" and d(1, 1).text == "2023年度称职；2024年度优秀；2025年度称职"
    assert [d(3, i).text for i in range(1, 6)] == ["称谓", "姓名", "年龄", "政治\n面貌", "工作单位及职务"]
    assert d(3, 0)._tc is d(3 + lrmx.FAMILY_ROWS, 0)._tc  # the family label spans header + 7 empty rows
    assert d(4 + lrmx.FAMILY_ROWS, 1).text.startswith("中共金安区委组织部")
    assert doc.paragraphs[-1].text.startswith("填表人：\u3000")  # no real name kept: left for handwriting, not the login
    run = c(0, 1).paragraphs[0].runs[0]
    assert run.font.name == "仿宋" and run._element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋"
    assert c(0, 0).paragraphs[0].runs[0].font.name == "宋体"
    ev = AuditEvent.objects.get(action="cadres.approval_form_export")
    assert ev.object_id == str(cadre.id) and ev.after["age_on"] == "2026-06-01" and ev.after["unmasked"] is False


def test_it_lays_each_table_out_on_one_a4_page(city, login, people):
    """No renderer is installed (no LibreOffice): the layout is checked from the declared geometry."""
    doc = _docx(login(city.users["county_admin"]), _cadre(people))
    sec = doc.sections[0]
    usable = sec.page_height - sec.top_margin - sec.bottom_margin
    title = doc.paragraphs[0].runs[0].font.size * 1.3 + doc.paragraphs[0].paragraph_format.space_after
    for i, table in enumerate(doc.tables):
        heights = [row.height for row in table.rows]
        assert all(h is not None for h in heights)
        assert sum(heights) + (title if i == 0 else 0) < usable, f"table {i} taller than the page"
    for table, first in zip(doc.tables, (2.3, 2.3), strict=True):  # grid columns as declared, summing to the text width
        grid = [int(g.get(qn("w:w"))) / 566.9 for g in table._tbl.tblGrid.findall(qn("w:gridCol"))]
        assert abs(grid[0] - first) < 0.01 and abs(sum(grid) - 17.6) < 0.05
    body = [child.tag.rsplit("}", 1)[1] for child in doc.element.body]
    assert body[:4] == ["p", "tbl", "p", "tbl"]  # title, page 1, the 1 pt page-break paragraph, page 2
    assert 'w:type="page"' in doc.element.body[2].xml or "w:br" in doc.element.body[2].xml


def test_it_computes_the_age_on_the_chosen_day(city, login, people):
    client = login(city.users["county_admin"])
    cadre = _cadre(people)  # born 1980-05-17
    assert _docx(client, cadre, on="2026-05-16").tables[0].cell(0, 5).text == "1980.05\n（45岁）"
    assert _docx(client, cadre, on="2026-05-17").tables[0].cell(0, 5).text == "1980.05\n（46岁）"
    r = client.post(reverse("cadres:approval_form_docx", args=[cadre.id]), {"on": "2026-13-01"})
    assert r.status_code == 302  # back to the record page with the reason


def test_it_puts_the_buttons_on_the_record_page_and_the_import_link_on_the_list(city, login, people):
    client = login(city.users["county_admin"])
    cadre = _cadre(people)
    page = client.get(reverse("cadres:record", args=[cadre.id])).content.decode()
    assert "任免审批表(Word)" in page and "导出LRMX" in page and reverse("cadres:cadre_lrmx", args=[cadre.id]) in page
    assert reverse("cadres:lrmx_import") in client.get(reverse("cadres:list")).content.decode()
    assert "导入干部任免审批表" in client.get(reverse("cadres:lrmx_import")).content.decode()


def test_it_takes_the_proposal_only_by_post_and_still_audits_the_download(city, login, people):
    """拟任/拟免职务, 任免理由, 呈报单位 are confidential before the decision: never in a URL (access logs, history)."""
    from django.test import Client

    cadre = _cadre(people)
    urls = [reverse("cadres:approval_form_docx", args=[cadre.id]), reverse("cadres:cadre_lrmx", args=[cadre.id])]
    fields = {"on": "2026-06-01", "proposed_post": "金安区委组织部副部长", "proposed_removal": "金安区一镇党委书记",
              "reason": "工作需要", "reporting_unit": "中共金安区委组织部"}  # fmt: skip
    client = login(city.users["county_admin"])
    assert [client.get(u, fields).status_code for u in urls] == [405, 405]
    assert not AuditEvent.objects.filter(action__in=["cadres.approval_form_export", "cadres.lrmx_export"]).exists()
    page = client.get(reverse("cadres:record", args=[cadre.id])).content.decode()
    form = page[page.index('id="approval-form"') - 200:page.index("</form>", page.index('id="approval-form"'))]
    assert 'method="post"' in form and "csrfmiddlewaretoken" in form and 'method="get"' not in form
    assert [client.post(u, fields).status_code for u in urls] == [200, 200]
    docx = AuditEvent.objects.get(action="cadres.approval_form_export")
    assert docx.object_id == str(cadre.id) and docx.after["age_on"] == "2026-06-01"
    assert AuditEvent.objects.get(action="cadres.lrmx_export").object_id == str(cadre.id)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(city.users["county_admin"])
    assert [strict.post(u, fields).status_code for u in urls] == [403, 403]  # no CSRF token, no download
    assert AuditEvent.objects.filter(action__in=["cadres.approval_form_export", "cadres.lrmx_export"]).count() == 2


# ------------------------------------------------------------------------------------------------
# .lrmx export and import
# ------------------------------------------------------------------------------------------------
def test_it_exports_lrmx_with_the_editor_element_names(city, login, people):
    cadre = _cadre(people)
    r = login(city.users["county_admin"]).post(reverse("cadres:cadre_lrmx", args=[cadre.id]), {"on": "2026-06-01"})
    assert r.status_code == 200 and r.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    d = lrmx.parse_lrmx(r.content)
    assert (d["XingMing"], d["XingBie"], d["ChuShengNianYue"], d["MinZu"], d["RuDangShiJian"]) == ("张晓明", "男", "198005", "汉族", "200507")
    assert d["ShenFenZheng"] == people["张晓明"].id_number  # county admin may view full numbers
    assert d["JianLi"].splitlines() == ["2015.09--2021.06  金安区一镇副镇长", "2021.06--         金安区一镇党委书记"]
    assert d["NianDuKaoHeJieGuo"] == "2023年度称职；2024年度优秀；2025年度称职"
    assert d["JiSuanNianLingShiJian"] == "20260601" and d["JiaTingChengYuan"] == [] and "ZhaoPian" in d
    ev = AuditEvent.objects.get(action="cadres.lrmx_export")
    assert ev.after["unmasked"] is True and "含完整身份证号" in ev.summary


def test_it_masks_the_id_number_for_roles_that_may_not_see_it(city, login, people):
    cadre = _cadre(people)
    r = login(city.users["leader"]).post(reverse("cadres:cadre_lrmx", args=[cadre.id]))
    assert lrmx.parse_lrmx(r.content)["ShenFenZheng"] == people["张晓明"].id_number_masked
    assert AuditEvent.objects.get(action="cadres.lrmx_export").after["unmasked"] is False


@pytest.mark.parametrize("reason", ["death", "expelled", "withdrawn", "stopped"])
def test_a_cadre_whose_membership_ended_is_shown_as_qunzhong_on_both_forms(city, login, people, reason):
    """党员减少 ends the membership: 入党时间 would read as a current one. The cadre record is left as
    it was, to show the form reads the membership itself."""
    from zugong.members.models import PartyMember

    client, cadre = login(city.users["county_admin"]), _cadre(people)
    PartyMember.objects.filter(person=people["张晓明"]).update(left_date=D(2026, 5, 1), left_reason=reason)

    def lrmx_of(on):
        return lrmx.parse_lrmx(client.post(reverse("cadres:cadre_lrmx", args=[cadre.id]), {"on": on}).content)

    assert lrmx_of("2026-06-01")["RuDangShiJian"] == "群众"
    assert lrmx_of("2026-05-01")["RuDangShiJian"] == "群众"  # the day of the leave: no longer a member
    assert _docx(client, cadre, on="2026-06-01").tables[0].cell(2, 1).text == "群众"
    # a form dated before the leave shows the membership of that day, as it shows that day's posts
    assert lrmx_of("2026-04-30")["RuDangShiJian"] == "200507"
    assert _docx(client, cadre, on="2026-04-30").tables[0].cell(2, 1).text == "2005.07"


def test_a_cadre_whose_membership_moved_out_of_the_city_keeps_the_date_of_joining(city, login, people):
    from zugong.members.models import PartyMember

    client, cadre = login(city.users["county_admin"]), _cadre(people)
    left = {"left_date": D(2026, 5, 1), "left_reason": "transferred_out"}
    PartyMember.objects.filter(person=people["张晓明"]).update(**left)
    r = client.post(reverse("cadres:cadre_lrmx", args=[cadre.id]), {"on": "2026-06-01"})
    assert lrmx.parse_lrmx(r.content)["RuDangShiJian"] == "200507"  # still a member, in a branch elsewhere
    assert _docx(client, cadre, on="2026-06-01").tables[0].cell(2, 1).text == "2005.07"


def test_it_round_trips_export_then_import(city, login, people):
    client = login(city.users["county_admin"])
    cadre = _cadre(people)
    content = client.post(reverse("cadres:cadre_lrmx", args=[cadre.id])).content
    appts = Appointment.objects.filter(cadre=cadre).count()
    r = _upload(client, ("张晓明.lrmx", content))
    result = r.context["result"]
    assert (result.errors, result.unchanged, result.created, result.updated) == ([], 1, 0, 0)
    assert Appointment.objects.filter(cadre=cadre).count() == appts
    # edited in the editor: another 民族 and an earlier résumé line
    edited = (content.replace("<MinZu>汉族</MinZu>".encode(), "<MinZu>回族</MinZu>".encode())
              .replace(b"<JianLi>", "<JianLi>2010.07--2015.09  金安区一镇党政办主任\r\n".encode()))  # fmt: skip
    result = _upload(client, ("张晓明.lrmx", edited)).context["result"]
    assert (result.errors, result.updated) == ([], 1)
    person = Person.objects.get(pk=people["张晓明"].pk)
    assert person.ethnicity == "03"
    added = Appointment.objects.get(cadre=cadre, post__title="党政办主任")
    assert (added.start, added.end, added.post.unit_id, added.post.post_level) == (D(2010, 7, 1), D(2015, 9, 1), city.units["jinan_town"].id, "99")
    ev = AuditEvent.objects.get(action="cadres.lrmx_import")
    assert ev.before == {"ethnicity": "01"} and ev.after["ethnicity"] == "03"
    assert AuditEvent.objects.filter(action="cadres.lrmx_import_batch").count() == 2


def test_a_new_cadre_whose_form_reads_qunzhong_is_not_a_party_member_nor_given_a_party_post(city, login, people):
    client = login(city.users["county_admin"])
    unit = dict(unit=str(city.units["jinan_town"].id), post_level="42", management_level="county")
    r = _upload(client, ("周新.lrmx", _new_person_lrmx(40, party_date="群众")), **unit)  # its résumé: 党委委员、组织委员
    [(field, message)] = [(e.field, e.message) for e in r.context["result"].errors]
    assert field == "简历" and "是党内职务，周新不是中共党员，不能担任" in message
    assert not Cadre.objects.filter(person__name="周新").exists()
    r = _upload(client, ("周新.lrmx", _new_person_lrmx(40, party_date="群众", jianli=["2010.07--  金安区一镇副镇长"])), **unit)
    assert r.context["result"].created == 1 and not Cadre.objects.get(person__name="周新").is_party_member
    from zugong.cadres.services.lrmx_import import _NOT_A_MEMBER

    assert [t for t in ("199806", "1998.06", "中共党员", "", "群众", "199806民盟", "九三学社", "无党派人士") if not _NOT_A_MEMBER.search(t)] == [
        "199806", "1998.06", "中共党员", ""]


def test_it_creates_a_new_cadre_from_a_zip_and_exports_it_back(city, login, people):
    client = login(city.users["county_admin"])
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("周新.lrmx", _new_person_lrmx(40))
        z.writestr("说明.txt", "not a form")
    second = _new_person_lrmx(41, name="吴强", jianli=["2010.07--  金安区一镇科员"], gender="男",
                              id_number=test_id_number(41, birth=D(1985, 3, 2)))  # fmt: skip
    unit = city.units["jinan_town"]
    r = _upload(client, ("第一批.zip", buf.getvalue()), ("吴强.lrmx", second),
                unit=str(unit.id), post_level="42", management_level="county")  # fmt: skip
    result = r.context["result"]
    assert (result.errors, result.created, result.files) == ([], 2, 2)
    assert any("安徽大学法学院" in note for _, note in result.notes)  # study lines are reported, not stored
    cadre = Cadre.objects.get(person__name="周新")
    p = cadre.person
    assert (cadre.unit, cadre.post_level, cadre.management_level) == (unit, "42", "county")
    assert (p.gender, p.ethnicity, p.birth_date, p.education, p.degree, p.work_start_date) == ("2", "03", D(1985, 3, 2), "20", "4", D(2007, 7, 1))
    assert p.native_place == "341502"
    assert CadreRank.objects.get(cadre=cadre).rank == "10"
    back = lrmx.parse_lrmx(client.post(reverse("cadres:cadre_lrmx", args=[cadre.id])).content)
    sent = lrmx.parse_lrmx(_new_person_lrmx(40))
    for tag in ("XingMing", "XingBie", "ChuShengNianYue", "MinZu", "CanJiaGongZuoShiJian", "ShenFenZheng", "QuanRiZhiJiaoYu_XueLi"):
        assert back[tag] == sent[tag], tag
    assert (sent["JiGuan"], back["JiGuan"]) == ("金安区", "安徽六安")  # read as 341502, written as the form writes it
    assert back["QuanRiZhiJiaoYu_XueWei"] == "学士"
    assert back["JianLi"].splitlines() == [
        "2007.07--2016.01  金安区一镇党政办科员",
        "2016.01--         金安区一镇党委委员、组织委员",
        "2019.06--         金安区一镇四级主任科员",  # the file's "（四级主任科员）" read, written with the unit of the post
    ]
    assert back["XianRenZhiWu"] == "金安区一镇党委委员、组织委员"  # posts only: the rank is in the 简历
    assert AuditEvent.objects.filter(action="cadres.lrmx_import").count() == 2


def test_it_reads_files_in_the_encoding_they_declare(city, login, people):
    text = _new_person_lrmx(42).decode().replace('encoding="UTF-8"', 'encoding="GB18030"')
    r = _upload(login(city.users["county_admin"]), ("gbk.lrmx", text.encode("gb18030")),
                unit=str(city.units["jinan_town"].id), post_level="42", management_level="county")  # fmt: skip
    assert r.context["result"].created == 1 and Person.objects.filter(name="周新").exists()


def test_it_refuses_bad_files_with_chinese_reasons_and_writes_nothing(city, login, people):
    client = login(city.users["county_admin"])
    good = _new_person_lrmx(43)
    no_name = good.replace("<XingMing>周新</XingMing>".encode(), b"<XingMing />")
    number = test_id_number(44, birth=D(1985, 3, 2), female=True)
    bad_id = _new_person_lrmx(44, id_number=number[:17] + ("0" if number[17] != "0" else "1"))
    bad_date = _new_person_lrmx(45, birth="1985.13", id_number=test_id_number(45, birth=D(1985, 3, 2), female=True))
    bad_resume = _new_person_lrmx(46, id_number=test_id_number(46, birth=D(1985, 3, 2), female=True),
                                  jianli=["2010.07--2009.01  金安区一镇科员"])  # fmt: skip
    persons, audits = Person.objects.count(), AuditEvent.objects.count()
    r = _upload(client, ("好.lrmx", good), ("乱码.lrmx", b"\x00\x01 not xml"), ("无名.lrmx", no_name),
                ("错号.lrmx", bad_id), ("错日期.lrmx", bad_date), ("错简历.lrmx", bad_resume), ("别的.lrmx", b"<Other/>"),
                unit=str(city.units["jinan_town"].id), post_level="42", management_level="county")  # fmt: skip
    errors = {e.filename: (e.field, e.message) for e in r.context["result"].errors}
    assert set(errors) == {"乱码.lrmx", "无名.lrmx", "错号.lrmx", "错日期.lrmx", "错简历.lrmx", "别的.lrmx"}
    assert errors["乱码.lrmx"][0] == "文件" and "不是有效的XML" in errors["乱码.lrmx"][1]
    assert errors["无名.lrmx"] == ("姓名", "缺少姓名（XingMing为空或不存在）")
    assert errors["错号.lrmx"][0] == "身份证号" and "校验码错误" in errors["错号.lrmx"][1]
    assert errors["错日期.lrmx"][0] == "出生年月" and "“198513”不是有效日期" in errors["错日期.lrmx"][1]
    assert errors["错简历.lrmx"] == ("简历", "简历第1行的终止时间早于起始时间")
    assert "根元素应为Person" in errors["别的.lrmx"][1]
    assert (Person.objects.count(), AuditEvent.objects.count()) == (persons, audits)  # not even the good file
    page = r.content.decode()
    assert "校验未通过，未导入任何数据" in page and "缺少姓名" in page


def test_it_refuses_dtds_duplicates_and_new_cadres_without_a_unit(city, login, people):
    client = login(city.users["county_admin"])
    bomb = b'<?xml version="1.0"?><!DOCTYPE Person [<!ENTITY a "aaaa">]><Person><XingMing>&a;</XingMing></Person>'
    r = _upload(client, ("实体.lrmx", bomb), ("一.lrmx", _new_person_lrmx(47)), ("二.lrmx", _new_person_lrmx(47)))
    errors = {e.filename: e.message for e in r.context["result"].errors}
    assert "DTD" in errors["实体.lrmx"] and "与一.lrmx是同一人" in errors["二.lrmx"]
    r = _upload(client, ("一.lrmx", _new_person_lrmx(47)))
    assert r.context["result"].errors[0].field == "工作单位" and not Person.objects.filter(name="周新").exists()
    r = _upload(client, ("坏.zip", b"PK\x03\x04 broken"))
    assert "不是有效的ZIP压缩文件" in r.context["problem"]


def _zip(*members) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, content in members:
            z.writestr(name, content)
    return buf.getvalue()


def _refused(r, *words):
    """The import stopped before anything was read into the service: a problem naming the file, no result."""
    assert r.status_code == 200 and "result" not in r.context, r.content[:300]
    assert all(w in r.context["problem"] for w in words), r.context["problem"]
    assert not Person.objects.filter(name="周新").exists()
    assert not AuditEvent.objects.filter(action__startswith="cadres.lrmx_import").exists()


def test_it_limits_each_plain_lrmx_upload_before_reading_it(city, login, people, monkeypatch):
    good = _new_person_lrmx(70)
    monkeypatch.setattr(lrmx, "MAX_LRMX_BYTES", len(good) - 1)
    r = _upload(login(city.users["county_admin"]), ("大文件.lrmx", good),
                unit=str(city.units["jinan_town"].id), post_level="42", management_level="county")  # fmt: skip
    _refused(r, "大文件.lrmx", f"超过{len(good) - 1}字节")


def test_it_limits_each_zip_member_by_its_declared_size(city, login, people, monkeypatch):
    small, big = _new_person_lrmx(71), _new_person_lrmx(72, jianli=["2007.07--  金安区一镇党政办科员"] * 20)
    monkeypatch.setattr(lrmx, "MAX_LRMX_BYTES", len(big) - 1)
    archive, read = _zip(("小.lrmx", small), ("大.lrmx", big)), []
    real_open = zipfile.ZipFile.open
    monkeypatch.setattr(zipfile.ZipFile, "open", lambda self, info, *a, **k: read.append(info.filename) or real_open(self, info, *a, **k))
    r = _upload(login(city.users["county_admin"]), ("批次.zip", archive),
                unit=str(city.units["jinan_town"].id), post_level="42", management_level="county")  # fmt: skip
    _refused(r, "批次.zip/大.lrmx", "超过")
    assert read == []  # all members are admitted by their declared sizes before any is unpacked


def test_it_limits_the_total_bytes_across_uploads_and_zip_members(city, login, people, monkeypatch):
    from zugong.cadres import views_lrmx

    one, two, three = _new_person_lrmx(73), _new_person_lrmx(74), _new_person_lrmx(75)
    client = login(city.users["county_admin"])
    monkeypatch.setattr(views_lrmx, "MAX_IMPORT_BYTES", len(one) + len(two) - 1)
    _refused(_upload(client, ("一.lrmx", one), ("二.lrmx", two)), "二.lrmx", "合计超过")
    monkeypatch.setattr(views_lrmx, "MAX_IMPORT_BYTES", len(one) + len(two) + len(three) - 1)
    r = _upload(client, ("一.lrmx", one), ("包.zip", _zip(("二.lrmx", two), ("三.lrmx", three))))
    _refused(r, "包.zip/三.lrmx", "合计超过")
    archive = _zip(*[(f"{i}.lrmx", one) for i in range(3)])
    monkeypatch.setattr(views_lrmx, "MAX_IMPORT_BYTES", len(archive) - 1)
    _refused(_upload(client, ("整包.zip", archive)), "整包.zip超过")  # the archive itself


def test_it_limits_the_number_of_files_across_uploads_and_zip_members(city, login, people, monkeypatch):
    from zugong.cadres import views_lrmx

    client = login(city.users["county_admin"])
    monkeypatch.setattr(views_lrmx, "MAX_FILES", 2)
    files = [_new_person_lrmx(n, id_number=test_id_number(n, birth=D(1985, 3, 2), female=True)) for n in (76, 77, 78)]
    _refused(_upload(client, ("一.lrmx", files[0]), ("二.lrmx", files[1]), ("三.lrmx", files[2])), "三.lrmx", "最多导入2个")
    r = _upload(client, ("一.lrmx", files[0]), ("包.zip", _zip(("二.lrmx", files[1]), ("三.lrmx", files[2]))))
    _refused(r, "包.zip/三.lrmx", "最多导入2个")
    r = _upload(client, ("一.lrmx", files[0]), ("二.lrmx", files[1]),
                unit=str(city.units["jinan_town"].id), post_level="42", management_level="county")  # fmt: skip
    assert r.context["result"].created == 2  # at the limit is fine


def test_it_refuses_a_zip_of_too_many_entries_before_reading_its_directory(city, login, people, monkeypatch):
    from zugong.cadres import views_lrmx

    many = _zip(*[(f"空{i}.txt", b"") for i in range(600)])  # no .lrmx at all: only the entry count stops it
    parsed = []
    real = zipfile.ZipFile._RealGetContents
    monkeypatch.setattr(zipfile.ZipFile, "_RealGetContents", lambda self: parsed.append(1) or real(self))
    client = login(city.users["county_admin"])
    r = _upload(client, ("一.lrmx", _new_person_lrmx(79)), ("很多.zip", many),
                unit=str(city.units["jinan_town"].id), post_level="42", management_level="county")  # fmt: skip
    _refused(r, "很多.zip中的文件和文件夹共600个", "最多500个", "分批")
    assert parsed == []  # refused from the end record: the central directory was never parsed
    assert not Cadre.objects.filter(person__name="周新").exists()
    # an end record that understates the count is caught by the size of the directory it declares
    end = many.rindex(b"PK\x05\x06")
    lying = many[: end + 8] + (1).to_bytes(2, "little") * 2 + many[end + 12:]
    monkeypatch.setattr(views_lrmx, "ZIP_DIRECTORY_BYTES_PER_ENTRY", 20)
    _refused(_upload(client, ("少报.zip", lying)), "少报.zip中的文件和文件夹过多")
    assert parsed == []
    monkeypatch.setattr(views_lrmx, "MAX_ZIP_ENTRIES", 600)
    monkeypatch.setattr(views_lrmx, "ZIP_DIRECTORY_BYTES_PER_ENTRY", 1024)
    r = _upload(client, ("很多.zip", many))  # within the limits: read, and found without .lrmx
    assert parsed == [1] and "result" in r.context


# ------------------------------------------------------------------------------------------------
# Scope
# ------------------------------------------------------------------------------------------------
def test_it_refuses_outsiders_and_the_neighbouring_county(city, login, people):
    cadre = _cadre(people)
    urls = [reverse("cadres:approval_form_docx", args=[cadre.id]), reverse("cadres:cadre_lrmx", args=[cadre.id])]
    out = login(city.users["outsider"])
    assert [out.post(u).status_code for u in [*urls, reverse("cadres:lrmx_import")]] == [403, 403, 403]
    n = login(city.users["neighbour_admin"])
    assert [n.post(u).status_code for u in urls] == [404, 404]
    content = login(city.users["county_admin"]).post(urls[1]).content
    n = login(city.users["neighbour_admin"])
    r = _upload(n, ("张晓明.lrmx", content.replace("<MinZu>汉族</MinZu>".encode(), "<MinZu>回族</MinZu>".encode())))
    [(field, message)] = [(e.field, e.message) for e in r.context["result"].errors]
    assert field == "身份证号" and message.endswith("不在您的管理范围内")
    assert Person.objects.get(pk=people["张晓明"].pk).ethnicity == "01"
    r = _upload(n, ("周新.lrmx", _new_person_lrmx(48)), unit=str(city.units["jinan_town"].id), post_level="42", management_level="county")
    assert r.status_code == 404 and not Person.objects.filter(name="周新").exists()
    assert not AuditEvent.objects.filter(action__startswith="cadres.lrmx_import").exists()
    for read_only in ("leader", "branch_secretary"):
        c = login(city.users[read_only])
        assert c.get(reverse("cadres:lrmx_import")).status_code == 403
        assert _upload(c, ("周新.lrmx", _new_person_lrmx(48))).status_code == 403


def test_it_keeps_city_managed_cadres_to_the_city(city, login, people):
    cadre = _cadre(people)
    Cadre.objects.filter(pk=cadre.pk).update(management_level="city")
    content = login(city.users["city_admin"]).post(reverse("cadres:cadre_lrmx", args=[cadre.id])).content
    r = _upload(login(city.users["county_admin"]), ("张晓明.lrmx", content))
    assert r.context["result"].errors[0].message == "市管干部由市委组织部导入"
    assert _upload(login(city.users["city_admin"]), ("张晓明.lrmx", content)).context["result"].unchanged == 1


@pytest.mark.parametrize("line", ["2026.01--         金安区区委常委", "2012.01--2015.09  金安区区委常委"])
def test_it_keeps_the_seats_of_city_managed_teams_to_the_city(city, login, people, line):
    """A county administrator's résumé line may not record (nor end) a post of a 市管 team."""
    team = LeadershipTeam.objects.create(unit=city.units["jinan"], name="金安区委领导班子", management_level="city")
    Post.objects.create(unit=city.units["jinan"], team=team, title="区委常委", post_level="41")
    cadre = _cadre(people)  # 县管
    content = login(city.users["county_admin"]).post(reverse("cadres:cadre_lrmx", args=[cadre.id])).content
    edited = content.replace(b"<JianLi>", f"<JianLi>{line}\r\n".encode())
    result = _upload(login(city.users["county_admin"]), ("张晓明.lrmx", edited)).context["result"]
    assert [(e.field, e.message) for e in result.errors] == [
        ("简历", "简历“金安区区委常委”：金安区委领导班子为市管领导班子，其成员任免由市委组织部办理")]
    assert not Appointment.objects.filter(post__team=team).exists()
    assert not AuditEvent.objects.filter(action="cadres.lrmx_import").exists()
    result = _upload(login(city.users["city_admin"]), ("张晓明.lrmx", edited)).context["result"]
    assert (result.errors, result.updated) == ([], 1) and Appointment.objects.filter(post__team=team, cadre=cadre).exists()


# ------------------------------------------------------------------------------------------------
# Profile, family and photo (CadreProfile, FamilyMember)
# ------------------------------------------------------------------------------------------------
def _png(size=(250, 350), color=(128, 128, 128)) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, "PNG")
    return buf.getvalue()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def filled(city, people, media):
    """张晓明 with a photo, both education blocks, 出生地 etc. and two family members."""
    from zugong.cadres.services import profile as svc
    from zugong.core.audit import Actor
    from zugong.core.scope import scope_for

    user = city.users["county_admin"]
    actor, scope, cadre = Actor(user), scope_for(user), _cadre(people)
    svc.photo_set(actor=actor, scope=scope, cadre=cadre, content=_png())
    svc.profile_update(actor=actor, scope=scope, cadre=cadre, data=svc.ProfileData(
        birthplace="安徽六安", health="健康", tech_title="经济师", specialty="农村经济管理",
        fulltime_education="20", fulltime_degree="4", fulltime_school="安徽农业大学农业经济管理专业",
        inservice_education="10", inservice_degree="3", inservice_school="中央党校研究生院经济学专业"))
    svc.family_member_add(actor=actor, scope=scope, cadre=cadre, data=svc.FamilyData(
        relation="wife", name="王芳", birth_date=D(1982, 3, 1), political_status="01", work="金安区实验小学教师"))
    svc.family_member_add(actor=actor, scope=scope, cadre=cadre, data=svc.FamilyData(
        relation="son", name="张一鸣", birth_date=D(2008, 9, 1), political_status="03", work="六安一中学生"))
    return cadre


def test_it_fills_the_profile_family_and_photo_cells_of_the_word_form(city, login, filled):
    from docx.shared import Cm

    doc = _docx(login(city.users["county_admin"]), filled, on="2026-06-01")
    c, d = doc.tables[0].cell, doc.tables[1].cell
    assert (c(1, 4).text, c(1, 5).text) == ("出生地", "安徽六安") and (c(2, 4).text, c(2, 5).text) == ("健康状况", "健康")
    assert (c(3, 1).text, c(3, 4).text) == ("经济师", "农村经济管理")
    assert (c(4, 2).text, c(4, 5).text) == ("大学本科\n学士", "安徽农业大学农业经济管理专业")
    assert (c(5, 2).text, c(5, 5).text) == ("研究生\n硕士", "中央党校研究生院经济学专业")
    assert [d(4, i).text for i in range(1, 6)] == ["妻子", "王芳", "44", "中共党员", "金安区实验小学教师"]
    assert [d(5, i).text for i in range(1, 6)] == ["儿子", "张一鸣", "17", "共青团员", "六安一中学生"]
    assert d(6, 2).text == ""  # the rest of the 7 rows stay empty
    # the photo sits in the merged photo cell, scaled into 2.6 × 4.4 cm with its 5:7 proportions
    photo_cell = c(0, 6)._tc
    assert photo_cell.xpath(".//pic:pic") and c(1, 6)._tc is photo_cell
    shape = doc.inline_shapes[0]
    assert shape.width <= Cm(2.6) + 1 and shape.height <= Cm(4.4) + 1
    assert abs(shape.width / shape.height - 250 / 350) < 0.01
    blip = photo_cell.xpath(".//a:blip")[0].get(qn("r:embed"))
    image = doc.part.related_parts[blip]
    assert image.content_type == "image/jpeg" and image.blob == filled.profile.photo.open("rb").read()


def test_it_round_trips_profile_family_and_photo_through_lrmx(city, login, filled, media):
    import base64

    client = login(city.users["county_admin"])
    content = client.post(reverse("cadres:cadre_lrmx", args=[filled.id]), {"on": "2026-06-01"}).content
    d = lrmx.parse_lrmx(content)
    stored = filled.profile.photo.open("rb").read()
    assert base64.b64decode(d["ZhaoPian"]) == stored
    assert (d["ChuShengDi"], d["JianKangZhuangKuang"], d["ZhuanYeJiShuZhiWu"], d["ShuXiZhuanYeYouHeZhuanChang"]) == ("安徽六安", "健康", "经济师", "农村经济管理")
    assert (d["ZaiZhiJiaoYu_XueLi"], d["ZaiZhiJiaoYu_XueWei"], d["ZaiZhiJiaoYu_XueLi_BiYeYuanXiaoXi"]) == ("研究生", "硕士", "中央党校研究生院经济学专业")
    assert d["JiaTingChengYuan"] == [
        {"ChengWei": "妻子", "XingMing": "王芳", "ChuShengRiQi": "198203", "ZhengZhiMianMao": "中共党员", "GongZuoDanWeiJiZhiWu": "金安区实验小学教师"},
        {"ChengWei": "儿子", "XingMing": "张一鸣", "ChuShengRiQi": "200809", "ZhengZhiMianMao": "共青团员", "GongZuoDanWeiJiZhiWu": "六安一中学生"},
    ]
    # the file coming back unchanged changes nothing, not even the photo file
    result = _upload(client, ("张晓明.lrmx", content)).context["result"]
    assert (result.errors, result.unchanged) == ([], 1)
    # wiped in the system, then restored from the file
    CadreProfile.objects.filter(cadre=filled).update(photo="", health="", inservice_education="", inservice_degree="", inservice_school="")
    FamilyMember.objects.filter(cadre=filled).delete()
    result = _upload(client, ("张晓明.lrmx", content)).context["result"]
    assert (result.errors, result.updated) == ([], 1)
    profile = CadreProfile.objects.get(cadre=filled)
    assert (profile.health, profile.inservice_education, profile.inservice_degree, profile.birthplace) == ("健康", "10", "3", "安徽六安")
    assert list(FamilyMember.objects.filter(cadre=filled).values_list("relation", "name", "birth_date", "political_status")) == [
        ("wife", "王芳", D(1982, 3, 1), "01"), ("son", "张一鸣", D(2008, 9, 1), "03")]
    assert profile.photo.name.startswith("cadre_photos/") and profile.photo.open("rb").read()[:3] == b"\xff\xd8\xff"
    ev = AuditEvent.objects.filter(action="cadres.lrmx_import").latest("id")
    assert ev.after["family"] == ["妻子 王芳", "儿子 张一鸣"] and ev.after["photo"] == profile.photo.name
    # the same file once more: the stored photo is recognized, nothing changes
    assert _upload(client, ("张晓明.lrmx", content)).context["result"].unchanged == 1


def test_it_creates_a_new_cadre_with_family_and_photo_from_lrmx(city, login, people, media):
    client = login(city.users["county_admin"])
    family = [lrmx.FamilyMember(relation="配偶", name="吴刚", birth="1983.02", political_status="中国共产党党员", work="金安区人民医院医生"),
              lrmx.FamilyMember(relation="长女", name="吴晓", birth="2012.05", political_status="群众", work="金安区实验小学学生"),
              lrmx.FamilyMember()]  # an empty row, as the editor writes  # fmt: skip
    content = _new_person_lrmx(60, id_number=test_id_number(60, birth=D(1985, 3, 2), female=True), family=family,
                               photo=_png((300, 420)), health="良好", fulltime_school="安徽大学法学院法学专业")  # fmt: skip
    r = _upload(client, ("周新.lrmx", content), unit=str(city.units["jinan_town"].id), post_level="42", management_level="county")
    assert r.context["result"].created == 1
    cadre = Cadre.objects.get(person__name="周新")
    rows = list(FamilyMember.objects.filter(cadre=cadre).values_list("sort", "relation", "name", "political_status"))
    assert rows == [(1, "husband", "吴刚", "01"), (2, "daughter", "吴晓", "13")]  # 配偶 of a woman is her 丈夫
    p = cadre.profile
    assert (p.health, p.fulltime_education, p.fulltime_school) == ("良好", "20", "安徽大学法学院法学专业")
    assert p.photo and p.photo.name.endswith(".jpg")


def test_it_refuses_bad_family_rows_and_photos_in_lrmx_and_writes_nothing(city, login, people, media):
    import base64
    from pathlib import Path

    client = login(city.users["county_admin"])
    ids = [test_id_number(n, birth=D(1985, 3, 2), female=True) for n in (61, 62, 63, 64)]
    bad_family = _new_person_lrmx(61, id_number=ids[0], family=[
        lrmx.FamilyMember(relation="表哥", name="周大", birth="1980.01"),
        lrmx.FamilyMember(relation="儿子", name="", birth="2099.01", political_status="党外人士")])  # fmt: skip
    gif = _new_person_lrmx(62, id_number=ids[1])
    gif = gif.replace(b"<ZhaoPian />", b"<ZhaoPian>" + base64.b64encode(b"GIF89a" + b"\0" * 50) + b"</ZhaoPian>")
    not_b64 = _new_person_lrmx(63, id_number=ids[2]).replace(b"<ZhaoPian />", "<ZhaoPian>不是编码</ZhaoPian>".encode())
    good = _new_person_lrmx(64, id_number=ids[3], photo=_png())
    r = _upload(client, ("家庭.lrmx", bad_family), ("动图.lrmx", gif), ("乱码照片.lrmx", not_b64), ("好.lrmx", good),
                unit=str(city.units["jinan_town"].id), post_level="42", management_level="county")  # fmt: skip
    errors = [(e.filename, e.field, e.message) for e in r.context["result"].errors]
    assert ("家庭.lrmx", "家庭主要成员及重要社会关系", "家庭成员第1行称谓“表哥”不在可选范围内（妻子、丈夫、儿子、女儿、父亲、母亲、岳父、岳母……）") in errors
    messages = " ".join(m for f, _, m in errors if f == "家庭.lrmx")
    assert "第2行缺少姓名" in messages and "第2行出生日期2099.01晚于今天" in messages and "第2行政治面貌“党外人士”不是GB/T 4762中的名称" in messages
    assert ("动图.lrmx", "照片") == errors[[e[0] for e in errors].index("动图.lrmx")][:2]
    assert any(f == "动图.lrmx" and "JPEG或PNG" in m for f, _, m in errors)
    assert any(f == "乱码照片.lrmx" and m == "照片（ZhaoPian）不是有效的base64编码" for f, _, m in errors)
    assert "好.lrmx" not in {e[0] for e in errors}
    assert not Person.objects.filter(name="周新").exists() and not FamilyMember.objects.exists()
    folder = Path(media) / "cadre_photos"
    assert not folder.exists() or not any(folder.iterdir())  # all or nothing: not even the good file's photo


# ------------------------------------------------------------------------------------------------
# Wording: 现任职务 without the place twice, 籍贯 as province + city/county, （岁）, 填表人
# ------------------------------------------------------------------------------------------------
def _county(city, name="金寨县", code="341524"):
    """A 县 beside the test city's two 区 (the demo has 霍邱县, 舒城县, 金寨县, 霍山县)."""
    from zugong.orgs.models import Unit, UnitKind, path_step

    parent = city.units["city"]
    return Unit.objects.create(parent=parent, name=name, path=parent.path + path_step(9), depth=parent.depth + 1,
                               kind=UnitKind.COUNTY, division_code=code + "000000")  # fmt: skip


@pytest.mark.parametrize(("code", "text"), [
    ("341502", "安徽六安"),  # 金安区: a 市辖区 is written by its city
    ("341503000000", "安徽六安"),  # 裕安区, 12 digits
    ("341502100000", "安徽六安"),  # a town of 金安区
    ("341500", "安徽六安"),  # the city itself
    ("341524", "安徽金寨"),  # a 县 by its own name
    ("341524100000", "安徽金寨"),  # a town of 金寨县 the tree does not hold: its county
    ("320102", "江苏南京"), ("320102001000", "江苏南京"),  # outside the city: the national table, 玄武区 by its city
    ("340104", "安徽合肥"), ("320281", "江苏江阴"),  # a 县级市 by its own name
    ("130123", "河北正定"), ("420528", "湖北长阳"),  # 长阳土家族自治县
    ("522600", "贵州黔东南"), ("522601", "贵州凯里"), ("654000", "新疆伊犁"),  # 自治州 and a city in one
    ("419001", "河南济源"), ("429021", "湖北神农架"), ("441900", "广东东莞"),  # 省直辖; a 林区 is no 市辖区
    ("310101", "上海"), ("500101", "重庆"), ("110105", "北京"), ("500229", "重庆"),  # 直辖市
    ("329999", "江苏"),  # a code the table lacks: the province alone, never the digits
    ("340000", "安徽"),
    ("991234", "991234"),  # no such province: as division_name gives it
    ("", ""), ("金安区", "金安区"),  # not a code: as it is
])  # fmt: skip
def test_it_writes_the_native_place_as_province_and_city_or_county(city, code, text):
    _county(city)
    assert lrmx.place_text(code) == text


@pytest.mark.parametrize(("name", "short"), [
    ("六安市", "六安"), ("金寨县", "金寨"), ("金安区", "金安"), ("寿县", "寿县"), ("泾县", "泾县"),
    ("长阳土家族自治县", "长阳"), ("双江拉祜族佤族布朗族傣族自治县", "双江"), ("鄂伦春自治旗", "鄂伦春"), ("六枝特区", "六枝"),
])  # fmt: skip
def test_a_division_is_written_by_its_short_name(name, short):
    assert lrmx.short_place(name) == short


def _county_secretary(city, people):
    """张晓明 as 金安区委书记 since 2023.01, concurrently 区人大常委会主任, 籍贯 341502 (金安区)."""
    cadre = _cadre(people)
    jinan = city.units["jinan"]
    Appointment.objects.filter(cadre=cadre, end__isnull=True).update(end=D(2023, 1, 1))
    Appointment.objects.create(cadre=cadre, post=Post.objects.create(unit=jinan, title="区委书记", post_level="31"), start=D(2023, 1, 1))
    Appointment.objects.create(cadre=cadre, post=Post.objects.create(unit=jinan, title="区人大常委会主任", post_level="31"),
                               start=D(2023, 1, 1), is_concurrent=True)  # fmt: skip
    Person.objects.filter(pk=cadre.person_id).update(native_place="341502")
    return cadre


def test_the_forms_write_a_county_post_without_the_place_twice_and_the_native_place_by_province(city, login, people):
    cadre = _county_secretary(city, people)
    client = login(city.users["county_admin"])
    c = _docx(client, cadre, on="2026-06-01").tables[0].cell
    assert c(1, 3).text == "安徽六安"
    assert c(6, 1).text == "金安区委书记、区人大常委会主任"
    assert c(9, 1).text.split("\n")[-1] == "2023.01--         金安区委书记（兼任金安区人大常委会主任）"
    d = lrmx.parse_lrmx(client.post(reverse("cadres:cadre_lrmx", args=[cadre.id]), {"on": "2026-06-01"}).content)
    assert (d["XianRenZhiWu"], d["JiGuan"], d["ChuShengNianYue"]) == ("金安区委书记、区人大常委会主任", "安徽六安", "198005")
    assert d["JianLi"].splitlines()[-1] == "2023.01--         金安区委书记（兼任金安区人大常委会主任）"


def test_the_county_posts_and_native_place_come_back_from_their_own_lrmx_unchanged(city, login, people):
    cadre = _county_secretary(city, people)
    client = login(city.users["county_admin"])
    content = client.post(reverse("cadres:cadre_lrmx", args=[cadre.id])).content
    posts = Post.objects.count()
    result = _upload(client, ("张晓明.lrmx", content)).context["result"]
    assert (result.errors, result.unchanged, result.updated) == ([], 1, 0)
    assert Post.objects.count() == posts and not Post.objects.filter(title="委书记").exists()
    assert Person.objects.get(pk=cadre.person_id).native_place == "341502"  # 安徽六安 does not coarsen 金安区 to 六安市


def test_it_reads_the_forms_wording_of_native_place_and_county_posts_for_a_new_cadre(city, login, people):
    _county(city)
    client = login(city.users["county_admin"])
    content = _new_person_lrmx(42, native_place="安徽金寨", id_number=test_id_number(42, birth=D(1985, 3, 2), female=True),
                               jianli=["2010.07--2016.01  金安区一镇副镇长", "2016.01--         金安区委常委、组织部部长"])  # fmt: skip
    r = _upload(client, ("周新.lrmx", content), unit=str(city.units["jinan"].id), post_level="32", management_level="county")
    assert (r.context["result"].errors, r.context["result"].created) == ([], 1)
    cadre = Cadre.objects.get(person__name="周新")
    assert cadre.person.native_place == "341524"
    current = Appointment.objects.get(cadre=cadre, end__isnull=True)
    assert (current.post.unit, current.post.title) == (city.units["jinan"], "区委常委、组织部部长")
    # 安徽六安 names the city (the finest the words say); a province that is not the place's names nothing
    from zugong.cadres.services.lrmx_import import _Context
    from zugong.core.scope import scope_for

    ctx = _Context(scope_for(city.users["county_admin"]))
    assert [ctx.place_code(t) for t in ("安徽六安", "安徽省六安市", "安徽金寨", "江苏金寨", "安徽", "金安区")] == [
        "341500", "341500", "341524", None, "340000", "341502"]  # a province's name is the province
    assert [ctx.place_code(t) for t in ("江苏南京", "河北正定", "北京", "贵州黔东南", "湖北长阳", "朝阳区", "江苏鼓楼")] == [
        "320100", "130123", "110000", "522600", "420528", None, None]  # 朝阳区, 江苏鼓楼: places apart, not guessed


def test_it_reads_a_native_place_anywhere_in_china_for_a_new_cadre_and_notes_an_ambiguous_one(city, login, people):
    client = login(city.users["county_admin"])
    unit = dict(unit=str(city.units["jinan"].id), post_level="32", management_level="county")
    r = _upload(client, ("周新.lrmx", _new_person_lrmx(42, native_place="江苏南京")), **unit)
    assert (r.context["result"].errors, r.context["result"].created) == ([], 1)
    assert Person.objects.get(name="周新").native_place == "320100"
    r = _upload(client, ("吴云.lrmx", _new_person_lrmx(43, name="吴云", native_place="朝阳区")), **unit)
    result = r.context["result"]
    assert (result.errors, result.created) == ([], 1) and Person.objects.get(name="吴云").native_place == ""
    assert ("吴云.lrmx", "籍贯“朝阳区”有2处同名：北京市朝阳区（110105）、吉林省长春市朝阳区（220104），请写明省、市或填写区划代码，未更新") in result.notes


def test_a_native_place_outside_the_city_comes_back_from_its_own_lrmx_unchanged(city, login, people):
    cadre = _county_secretary(city, people)
    Person.objects.filter(pk=cadre.person_id).update(native_place="320102")  # 玄武区
    client = login(city.users["county_admin"])
    content = client.post(reverse("cadres:cadre_lrmx", args=[cadre.id])).content
    assert lrmx.parse_lrmx(content)["JiGuan"] == "江苏南京"
    result = _upload(client, ("张晓明.lrmx", content)).context["result"]
    assert (result.errors, result.unchanged, result.updated) == ([], 1, 0)
    assert Person.objects.get(pk=cadre.person_id).native_place == "320102"  # 江苏南京 does not coarsen 玄武区
    for coarser in ("江苏", "江苏省南京市"):  # a file that says less keeps the finer code too
        edited = content.replace("<JiGuan>江苏南京</JiGuan>".encode(), f"<JiGuan>{coarser}</JiGuan>".encode())
        assert _upload(client, ("张晓明.lrmx", edited)).context["result"].errors == []
        assert Person.objects.get(pk=cadre.person_id).native_place == "320102"
    edited = content.replace("<JiGuan>江苏南京</JiGuan>".encode(), "<JiGuan>河北正定</JiGuan>".encode())
    assert _upload(client, ("张晓明.lrmx", edited)).context["result"].updated == 1
    assert Person.objects.get(pk=cadre.person_id).native_place == "130123"


def test_the_filler_is_a_real_name_or_left_for_handwriting(city, login, people):
    from django.contrib.auth import get_user_model

    from zugong.cadres.views_lrmx import filler_name

    User = get_user_model()
    assert filler_name(User(username="admin")) == ""
    assert filler_name(User(username="wf", last_name="王", first_name="芳")) == "王芳"
    assert filler_name(User(username="wf", first_name="王芳")) == "王芳"
    assert filler_name(User(username="js", first_name="John", last_name="Smith")) == "John Smith"
    cadre = _cadre(people)
    user = city.users["county_admin"]
    client = login(user)
    assert _docx(client, cadre).paragraphs[-1].text.startswith("填表人：\u3000")
    assert lrmx.parse_lrmx(client.post(reverse("cadres:cadre_lrmx", args=[cadre.id])).content)["TianBiaoRen"] == ""
    user.last_name, user.first_name = "王", "芳"
    user.save()
    assert _docx(client, cadre).paragraphs[-1].text.startswith("填表人：王芳\u3000")
    assert lrmx.parse_lrmx(client.post(reverse("cadres:cadre_lrmx", args=[cadre.id])).content)["TianBiaoRen"] == "王芳"
    assert _docx(client, cadre, filled_by="李明").paragraphs[-1].text.startswith("填表人：李明\u3000")  # as typed on the page


def test_the_word_form_has_no_half_width_punctuation_in_chinese_text(city, login, filled):
    import re

    Person.objects.filter(pk=filled.person_id).update(native_place="341502")
    doc = _docx(login(city.users["county_admin"]), filled, on="2026-06-01", proposed_post="金安区委组织部副部长（正科级）",
                reporting_unit="中共金安区委组织部", reason="工作需要")  # fmt: skip
    texts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        texts += [cell.text for row in table.rows for cell in row.cells]
    text = "\n".join(texts)
    assert "（46岁）" in text and "安徽六安" in text
    assert not re.search(r"[()\[\]]", text), text
    assert not re.search(r"[\u4e00-\u9fff][:;,?!]|[:;,?!][\u4e00-\u9fff]", text)


def test_the_current_posts_put_the_party_post_first_as_appointment_notices_do(city, people):
    """霍邱县委副书记、县长, whichever of the two is the main post; the place once for posts of one unit."""
    cadre = _cadre(people)
    county = _county(city, "霍邱县", "341522")
    Appointment.objects.filter(cadre=cadre, end__isnull=True).update(end=D(2023, 1, 1))
    Appointment.objects.create(cadre=cadre, post=Post.objects.create(unit=county, title="县长", post_level="31"), start=D(2023, 1, 1))
    Appointment.objects.create(cadre=cadre, post=Post.objects.create(unit=county, title="县委副书记", post_level="31"),
                               start=D(2023, 1, 1), is_concurrent=True)  # fmt: skip
    assert lrmx.current_post_text(cadre, D(2026, 6, 1)) == "霍邱县委副书记、县长"
    other = Post.objects.create(unit=city.units["jinan"], title="区委常委", post_level="32")
    Appointment.objects.create(cadre=cadre, post=other, start=D(2024, 1, 1), is_concurrent=True)
    assert lrmx.current_post_text(cadre, D(2026, 6, 1)) == "霍邱县委副书记、金安区委常委、霍邱县县长"  # another unit: named


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_lrmx_imports_at_once_that_name_a_new_post_create_it_once(city, monkeypatch):
    """PostgreSQL (SQLite's BEGIN IMMEDIATE serialises the imports). Two county imports of new cadres whose
    résumés name a 职务 the town does not have yet: the first has created the post, not committed; the
    second waits for the post's title (``lrmx_import._lock_for_write``) and then takes that post.
    Without the lock each created its own 金安区一镇 文化站站长."""
    import threading

    from django.db import connection

    from zugong.cadres.services import lrmx_import as module
    from zugong.core.audit import Actor
    from zugong.core.scope import scope_for
    from zugong.core.testing import in_thread, lock_waiters, wait_until

    if connection.vendor != "postgresql":
        pytest.skip("a second writer waits only on PostgreSQL; SQLite's write lock serialises the imports")
    populate(city)
    first_wrote, release, calls = threading.Event(), threading.Event(), []
    real = module._write

    def write(rec, **kw):
        outcome = real(rec, **kw)
        calls.append(rec.filename)
        if len(calls) == 1:  # the first import's cadre is written, its transaction still open
            first_wrote.set()
            assert release.wait(30)
        return outcome

    monkeypatch.setattr(module, "_write", write)
    user = city.users["county_admin"]
    defaults = module.LrmxDefaults(unit=city.units["jinan_town"], post_level="42", management_level="county")

    def run(n: int, name: str):
        data = _new_person_lrmx(n, name=name, jianli=["2020.01--         金安区一镇文化站站长"])
        result = module.lrmx_import(actor=Actor(user), scope=scope_for(user), files=[(f"{name}.lrmx", data)],
                                    defaults=defaults, today=D(2026, 6, 1))  # fmt: skip
        return result.errors, result.created

    first, first_out = in_thread(lambda: run(40, "周新"))
    assert first_wrote.wait(30)
    second, second_out = in_thread(lambda: run(41, "吴敏"))
    wait_until(lambda: lock_waiters() or not second.is_alive())
    waited = second.is_alive()
    release.set()
    first.join(30)
    second.join(30)
    assert first_out == second_out == [([], 1)]
    [post] = Post.objects.filter(unit=city.units["jinan_town"], title="文化站站长")
    assert sorted(Appointment.objects.filter(post=post).values_list("cadre__person__name", flat=True)) == ["吴敏", "周新"]
    assert waited, "the second import did not wait for the first one's post"


# ------------------------------------------------------------------------------------------------
# 职级: a rank holder's 现任职务 and 简历, and reading them back
# ------------------------------------------------------------------------------------------------
def _rank_only(city, n=31) -> Cadre:
    """周敏: 金安区 县管 cadre with a 职级 only (一级科员 2016–2020, then 四级主任科员 from 2020.03)."""
    from zugong.orgs.tests.people import make_person

    person = make_person("周敏", n, birth=D(1986, 4, 2), female=True)
    cadre = Cadre.objects.create(person=person, management_level="county", post_level="42", unit=city.units["jinan_town"])
    CadreRank.objects.create(cadre=cadre, rank="11", start=D(2016, 7, 1), end=D(2020, 3, 1))
    CadreRank.objects.create(cadre=cadre, rank="10", start=D(2020, 3, 1), document_no="金组〔2020〕5号")
    return cadre


def test_a_rank_holder_is_written_by_unit_and_rank_in_both_forms_and_reads_back_unchanged(city, login, people):
    cadre = _rank_only(city)
    assert lrmx.current_post_text(cadre, D(2026, 6, 1)) == "金安区一镇四级主任科员"
    assert lrmx.current_post_text(cadre, D(2018, 6, 1)) == "金安区一镇一级科员"
    assert lrmx.current_post_text(cadre, D(2015, 6, 1)) == ""
    client = login(city.users["county_admin"])
    doc = _docx(client, cadre, on="2026-06-01")
    c = doc.tables[0].cell
    assert c(6, 1).text == "金安区一镇四级主任科员"
    assert c(9, 1).text.split("\n") == ["2016.07--2020.03  金安区一镇一级科员", "2020.03--         金安区一镇四级主任科员"]
    content = client.post(reverse("cadres:cadre_lrmx", args=[cadre.id]), {"on": "2026-06-01"}).content
    sent = lrmx.parse_lrmx(content)
    assert sent["XianRenZhiWu"] == "金安区一镇四级主任科员"
    ranks = list(CadreRank.objects.filter(cadre=cadre).values_list("rank", "start", "end", "document_no"))
    posts = Post.objects.count()
    result = _upload(client, ("周敏.lrmx", content)).context["result"]
    assert (result.errors, result.unchanged, result.updated, result.notes) == ([], 1, 0, [])
    assert list(CadreRank.objects.filter(cadre=cadre).values_list("rank", "start", "end", "document_no")) == ranks
    assert Post.objects.count() == posts and not Post.objects.filter(title__in=rules.RANK_LABELS.values()).exists()
    again = lrmx.parse_lrmx(client.post(reverse("cadres:cadre_lrmx", args=[cadre.id]), {"on": "2026-06-01"}).content)
    assert again == sent
    # the record page shows the same 现任职务 and the rank held
    page = client.get(reverse("cadres:record", args=[cadre.id])).content.decode()
    assert '<td colspan="3" id="current-post">金安区一镇四级主任科员</td>' in page and '<td id="rank-held">四级主任科员</td>' in page


def test_a_cadre_with_a_post_and_a_rank_is_written_by_the_post_and_the_rank_line_names_its_unit(city, people):
    cadre = _cadre(people)  # 张晓明: 金安区一镇党委书记 since 2021.06
    CadreRank.objects.create(cadre=cadre, rank="07", start=D(2022, 1, 1))
    assert lrmx.current_post_text(cadre, D(2026, 6, 1)) == "金安区一镇党委书记"
    assert lrmx.resume_text_lines(cadre)[-1] == "2022.01--         金安区一镇一级主任科员"


def test_it_reads_rank_lines_with_their_unit_as_ranks_never_as_posts(city, login, people):
    client = login(city.users["county_admin"])
    jianli = [
        "2010.07--2016.07  金安区一镇党政办科员",
        "2016.07--2020.03  金安区一镇一级科员",
        "2020.03--         金安区一镇副镇长、四级主任科员",
    ]
    first = _new_person_lrmx(47, jianli=jianli, id_number=test_id_number(47, birth=D(1985, 3, 2), female=True))
    second = _new_person_lrmx(48, name="吴敏", jianli=["2019.06--2021.03  （四级主任科员）", "2021.03--         金安区一镇三级主任科员"],
                              id_number=test_id_number(48, birth=D(1985, 3, 2), female=True))  # fmt: skip
    r = _upload(client, ("周新.lrmx", first), ("吴敏.lrmx", second),
                unit=str(city.units["jinan"].id), post_level="42", management_level="county")  # fmt: skip
    result = r.context["result"]
    assert (result.errors, result.created) == ([], 2)
    assert not Post.objects.filter(title__in=rules.RANK_LABELS.values()).exists()
    zhou = Cadre.objects.get(person__name="周新")
    assert list(CadreRank.objects.filter(cadre=zhou).order_by("start").values_list("rank", "start", "end")) == [
        ("11", D(2016, 7, 1), D(2020, 3, 1)), ("10", D(2020, 3, 1), None)]
    assert Appointment.objects.get(cadre=zhou, end__isnull=True).post.title == "副镇长"
    assert zhou.unit == city.units["jinan_town"]  # the unit of the current post, not the one chosen on the page
    wu = Cadre.objects.get(person__name="吴敏")
    assert list(CadreRank.objects.filter(cadre=wu).order_by("start").values_list("rank", "start", "end")) == [
        ("10", D(2019, 6, 1), D(2021, 3, 1)), ("09", D(2021, 3, 1), None)]
    assert wu.unit == city.units["jinan_town"]  # a rank only: works in the unit of its open rank line
    assert not Appointment.objects.filter(cadre=wu).exists()
    ev = AuditEvent.objects.get(action="cadres.lrmx_import", object_id=str(wu.pk))
    assert "工作单位：金安区改为金安区一镇（简历现任职级）" in ev.after["resume_facts"]


def test_a_rank_line_of_a_unit_outside_the_scope_is_noted_not_stored(city, login, people):
    client = login(city.users["county_admin"])
    data = _new_person_lrmx(49, jianli=["2021.03--         裕安区一镇三级主任科员"],
                            id_number=test_id_number(49, birth=D(1985, 3, 2), female=True))  # fmt: skip
    result = _upload(client, ("x.lrmx", data), unit=str(city.units["jinan_town"].id), post_level="42",
                     management_level="county").context["result"]  # fmt: skip
    assert result.errors == [] and ("x.lrmx", "简历第1行“裕安区一镇三级主任科员”未对应管理范围内的单位，未生成职级记录") in result.notes
    assert not CadreRank.objects.exists() and not Post.objects.filter(title="三级主任科员").exists()


def test_a_current_post_in_the_resume_sets_the_unit_and_level_as_an_appointment_does(city, login, people):
    """金安区一镇副镇长 (乡科级副职) as the open line of a new cadre imported under 金安区 at 科员级: the
    cadre works in 金安区一镇 at the post's level, as ``career.appointment_create`` would set them."""
    client = login(city.users["county_admin"])
    data = _new_person_lrmx(50, jianli=["2010.07--2020.03  金安区一镇党政办科员", "2020.03--         金安区一镇副镇长"],
                            id_number=test_id_number(50, birth=D(1985, 3, 2), female=True))  # fmt: skip
    r = _upload(client, ("周新.lrmx", data), unit=str(city.units["jinan"].id), post_level="50", management_level="county")
    assert r.context["result"].errors == []
    zhou = Cadre.objects.get(person__name="周新")
    post = Appointment.objects.get(cadre=zhou, end__isnull=True).post
    assert (zhou.unit, zhou.post_level) == (city.units["jinan_town"], post.post_level) and post.post_level == "42"
    facts = AuditEvent.objects.get(action="cadres.lrmx_import", object_id=str(zhou.pk)).after["resume_facts"]
    assert "工作单位：金安区改为金安区一镇（简历现任职务）" in facts and "职务级别：科员级改为乡科级副职（简历现任职务）" in facts


def test_a_rank_promotion_in_the_resume_inside_a_waiting_period_is_refused(city, login, people):
    """As ``career.rank_grant`` and the 干部名册 import refuse it: 降职 in 2025.06, promoted in 2026.01."""
    from zugong.cadres.models import AdjustmentCase

    client = login(city.users["county_admin"])
    ident = test_id_number(51, birth=D(1985, 3, 2), female=True)
    first = ["2010.07--2019.06  金安区一镇党政办科员", "2019.06--         金安区一镇四级主任科员"]
    r = _upload(client, ("周新.lrmx", _new_person_lrmx(51, jianli=first, id_number=ident)),
                unit=str(city.units["jinan_town"].id), post_level="50", management_level="county")  # fmt: skip
    assert r.context["result"].errors == []
    zhou = Cadre.objects.get(person__name="周新")
    AdjustmentCase.objects.create(cadre=zhou, measure="demote", motion_on=D(2025, 5, 1), effective_on=D(2025, 6, 1))
    promoted = [*first[:1], "2019.06--2026.01  金安区一镇四级主任科员", "2026.01--         金安区一镇三级主任科员"]
    r = _upload(client, ("周新.lrmx", _new_person_lrmx(51, jianli=promoted, id_number=ident)))
    [error] = r.context["result"].errors
    assert (error.filename, error.field) == ("周新.lrmx", "简历")
    assert error.message.startswith("简历“金安区一镇三级主任科员”不能登记为现任职级：该干部于2025.06.01被降职，2027.06.01前不得提拔")
    assert list(CadreRank.objects.filter(cadre=zhou).values_list("rank", "end")) == [("10", None)]  # nothing written


def test_a_rank_holder_who_left_the_unit_of_a_post_comes_back_from_their_own_lrmx_unchanged(city, login, people):
    """副镇长 of 金安区一镇 until 2022, 四级主任科员 since 2020.03, working in 金安区 since with the rank only: the
    running rank is written with the 工作单位 (as 现任职务), so the import does not move the cadre back."""
    cadre = _cadre(people, "孙丽")
    Appointment.objects.filter(cadre=cadre).update(start=D(2018, 3, 1), end=D(2022, 1, 1))
    Cadre.objects.filter(pk=cadre.pk).update(unit=city.units["jinan"])
    CadreRank.objects.create(cadre=cadre, rank="10", start=D(2020, 3, 1))
    cadre.refresh_from_db()
    assert lrmx.resume_text_lines(cadre)[-1] == "2020.03--         金安区四级主任科员"
    assert lrmx.current_post_text(cadre, D(2026, 6, 1)) == "金安区四级主任科员"
    client = login(city.users["county_admin"])
    content = client.post(reverse("cadres:cadre_lrmx", args=[cadre.id])).content
    result = _upload(client, ("孙丽.lrmx", content)).context["result"]
    assert (result.errors, result.unchanged, result.updated) == ([], 1, 0)
    assert Cadre.objects.get(pk=cadre.pk).unit == city.units["jinan"]
