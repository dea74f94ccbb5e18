"""Bulk import of 考核依据 (issue 4 §2 "用好考据"): tolerant headers, per-row Chinese errors,
all-or-nothing or only the good rows, one transaction and one audit event, error file, scope."""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from zugong.cadres import rules
from zugong.cadres.models import Cadre, Evidence, EvidenceImport
from zugong.cadres.services import evidence, evidence_import
from zugong.core.audit import Actor
from zugong.core.models import AuditEvent
from zugong.core.scope import scope_for
from zugong.core.testing import test_id_number as id_of
from zugong.orgs.tests.people import make_person

D = dt.date
TODAY = D(2026, 6, 1)
BIRTH = D(1985, 3, 1)
HEAD = ["姓名", "身份证号码", "类别", "时间", "事项", "文号", "级别", "录入部门"]  # variants of every header


def who(city, name="county_admin"):
    return Actor(user=city.users[name]), scope_for(city.users[name])


@pytest.fixture
def cadres(city):
    def make(name, n, unit="jinan_town", management="county"):
        p = make_person(name, n, birth=BIRTH)
        return Cadre.objects.create(person=p, management_level=management, post_level="42", unit=city.units[unit])

    return {"王明": make("王明", 301), "李华": make("李华", 302), "赵六": make("赵六", 303, unit="yuan_town"),
            "钱七": make("钱七", 304, management="city")}  # fmt: skip


def xlsx(rows, head=HEAD, title="2025年度干部考核依据汇总表"):
    wb = Workbook()
    ws = wb.active
    if title:
        ws.append([title])
    ws.append(head)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


GOOD = [
    ["王明", id_of(301, birth=BIRTH), "表彰奖励", "2025.06.30", "全省优秀共产党员", "皖组〔2025〕18号", "省级", "干部科"],
    ["李华", id_of(302, birth=BIRTH), "巡察", "2025-09-01", "巡察发现分管领域整改不到位", "金巡〔2025〕3号", "", "巡察办"],
    ["王明", id_of(301, birth=BIRTH), "问责处理", 20251110, "工作不力被通报", "金纪〔2025〕7号", None, None],
]


def create(city, content, name="county_admin"):
    a, s = who(city, name)
    return evidence_import.evidence_import_create(actor=a, scope=s, filename="考核依据.xlsx", content=content, today=TODAY)


def commit(city, job, good_rows_only=False, name="county_admin"):
    a, s = who(city, name)
    return evidence_import.evidence_import_commit(actor=a, scope=s, job=job, good_rows_only=good_rows_only, today=TODAY)


def test_it_imports_a_clean_sheet_with_tolerant_headers_in_one_audited_transaction(city, cadres):
    job = create(city, xlsx(GOOD))
    assert (job.total_rows, job.error_rows, job.header_error) == (3, 0, "")
    assert not Evidence.objects.exists()  # validation writes nothing
    commit(city, job)
    rows = list(Evidence.objects.order_by("on").values_list("cadre__person__name", "kind", "on", "level", "source_document", "office"))
    assert rows == [("王明", "commendation", D(2025, 6, 30), "provincial", "皖组〔2025〕18号", "干部科"),
                    ("李华", "inspection", D(2025, 9, 1), "", "金巡〔2025〕3号", "巡察办"),
                    ("王明", "accountability", D(2025, 11, 10), "", "金纪〔2025〕7号", "")]  # fmt: skip
    event = AuditEvent.objects.get(action="cadres.evidence_import")
    assert event.after["created"] == 3 and sorted(event.after["evidence"]) == sorted(Evidence.objects.values_list("pk", flat=True))
    assert AuditEvent.objects.filter(action__startswith="cadres.evidence").count() == 1
    job.refresh_from_db()
    assert job.status == "done" and job.created_count == 3
    with pytest.raises(rules.RuleViolation, match="已导入"):
        commit(city, job)


def test_it_refuses_every_bad_row_with_its_reason_and_writes_nothing(city, cadres):
    evidence.evidence_record(actor=who(city)[0], scope=who(city)[1], cadre=cadres["李华"], kind="petition", on=D(2025, 3, 1),
                             title="群众反映作风问题", source_document="金信〔2025〕1号")  # fmt: skip
    bad = [
        GOOD[0],  # row 3: good
        ["张三", id_of(399, birth=BIRTH), "表彰奖励", "2025.01.01", "x", "文1", "省级", ""],  # 4 unknown cadre
        ["赵六", id_of(303, birth=BIRTH), "问责", "2025.01.01", "x", "文2", "", ""],  # 5 other county
        ["钱七", id_of(304, birth=BIRTH), "问责", "2025.01.01", "x", "文3", "", ""],  # 6 市管 cadre
        ["王小明", id_of(301, birth=BIRTH), "问责", "2025.01.01", "x", "文4", "", ""],  # 7 name mismatch
        ["王明", id_of(301, birth=BIRTH), "先进事迹", "2025.01.01", "x", "文5", "", ""],  # 8 bad category
        ["王明", id_of(301, birth=BIRTH), "问责", "2025.13.01", "x", "文6", "", ""],  # 9 bad date
        ["王明", id_of(301, birth=BIRTH), "问责", "2026.06.02", "x", "文7", "", ""],  # 10 the day after today
        ["王明", id_of(301, birth=BIRTH), "表彰", "2025.01.01", "x", "文8", "", ""],  # 11 commendation without level
        ["李华", id_of(302, birth=BIRTH), "信访举报", "2025.03.01", "群众反映作风问题", "金信〔2025〕1号", "", ""],  # 12 already there
        ["王明", "341502198503011234", "问责", "2025.01.01", "x", "", "", ""],  # 13 bad 身份证号 checksum, no source
        ["王明", id_of(301, birth=BIRTH), "问责", "2026.06.01", "today is fine", "文9", "", ""],  # 14 good (today)
    ]
    job = create(city, xlsx(bad))
    reasons = {row: reason for row, _col, _val, reason in job.errors}
    assert job.total_rows == 12 and job.error_rows == 10
    assert reasons[4] == reasons[5] == "未找到该干部（或不在您的管理范围内）"  # unknown and other county alike
    assert reasons[6] == "市管干部的考核依据由市委组织部录入"
    assert reasons[7] == "姓名与该身份证号的干部（王明）不一致"
    assert reasons[8].startswith("未知的类别“先进事迹”")
    assert "不存在" in reasons[9]
    assert reasons[10] == "日期2026.06.02晚于今天"
    assert reasons[11].startswith("表彰奖励须填写表彰级别")
    assert "重复导入" in reasons[12]
    assert {c for r, c, _v, _m in job.errors if r == 13} == {"身份证号", "来源文件"}
    assert 3 not in reasons and 14 not in reasons
    with pytest.raises(rules.RuleViolation, match="有10行有误，未导入任何数据"):
        commit(city, job)
    assert Evidence.objects.count() == 1 and not AuditEvent.objects.filter(action="cadres.evidence_import").exists()
    # the error file: the upload with a 错误说明 column on the header row, one reason per bad row
    ws = load_workbook(io.BytesIO(evidence_import.evidence_import_error_file(job))).active
    assert ws.cell(row=2, column=9).value == "错误说明"
    assert ws.cell(row=5, column=9).value == "身份证号：未找到该干部（或不在您的管理范围内）" and ws.cell(row=3, column=9).value is None
    # only the good rows, still one transaction and one audit event
    commit(city, job, good_rows_only=True)
    assert Evidence.objects.count() == 3
    event = AuditEvent.objects.get(action="cadres.evidence_import")
    assert event.after["created"] == 2 and event.after["error_rows"] == 10 and event.after["good_rows_only"]


def test_it_refuses_a_sheet_without_a_required_column_and_read_only_roles(city, cadres):
    job = create(city, xlsx([r[:4] + r[5:] for r in GOOD], head=HEAD[:4] + HEAD[5:]))
    assert job.header_error.startswith("缺少必填列：事项")
    with pytest.raises(rules.RuleViolation, match="缺少必填列"):
        commit(city, job, good_rows_only=True)
    with pytest.raises(PermissionDenied):
        create(city, xlsx(GOOD), name="leader")
    with pytest.raises(rules.RuleViolation, match="无法读取Excel文件"):
        create(city, b"not a spreadsheet")
    job = create(city, xlsx(GOOD))
    with pytest.raises(PermissionDenied, match="只能导入本人上传的文件"):
        commit(city, job, name="city_admin")
    assert not Evidence.objects.exists()


def test_it_lets_the_neighbouring_county_import_only_its_own_cadres(city, cadres):
    job = create(city, xlsx([GOOD[0], ["赵六", id_of(303, birth=BIRTH), "问责", "2025.01.01", "x", "裕纪〔2025〕1号", "", ""]]), name="neighbour_admin")
    assert [(r, m) for r, _c, _v, m in job.errors] == [(3, "未找到该干部（或不在您的管理范围内）")]
    commit(city, job, good_rows_only=True, name="neighbour_admin")
    assert list(Evidence.objects.values_list("cadre__person__name", flat=True)) == ["赵六"]


def test_it_runs_the_pages_for_the_uploader_and_refuses_others(city, login, cadres):
    c = login(city.users["county_admin"])
    page = c.get(reverse("cadres:evidence_import")).content.decode()
    assert "批量导入考核依据" in page and "下载导入模板" in page
    template = c.get(reverse("cadres:evidence_import_template"))
    wb = load_workbook(io.BytesIO(template.content))
    assert [cell.value for cell in wb["考核依据"][1]] == ["*姓名", "*身份证号", "*类别", "*日期", "*事项", "*来源文件", "表彰级别", "录入单位"]
    assert evidence_import.prepare_evidence([list(r) for r in wb["考核依据"].iter_rows(values_only=True)], scope_for(city.users["county_admin"])).header_error == ""
    bad = GOOD + [["王明", id_of(301, birth=BIRTH), "先进事迹", "2025.01.01", "x", "文5", "", ""]]
    r = c.post(reverse("cadres:evidence_import"), {"file": io.BytesIO(xlsx(bad))})
    job = EvidenceImport.objects.get()
    assert r.status_code == 302 and r.url == reverse("cadres:evidence_import_job", args=[job.id])
    url = r.url
    page = c.get(url).content.decode()
    assert "未知的类别“先进事迹”" in page and "只导入无误的行" in page and "全部导入" not in page
    assert c.get(reverse("cadres:evidence_import_errors", args=[job.id])).status_code == 200
    r = c.post(url, {"action": "all"}, follow=True)
    assert "有1行有误，未导入任何数据" in r.content.decode() and not Evidence.objects.exists()
    r = c.post(url, {"action": "good"}, follow=True)
    assert "已导入3条考核依据" in r.content.decode() and Evidence.objects.count() == 3
    # others: the neighbour and the city administrator do not see the job; read-only roles and the outsider are refused
    for name in ("neighbour_admin", "city_admin"):
        assert login(city.users[name]).get(url).status_code == 404
        assert login(city.users[name]).get(reverse("cadres:evidence_import_errors", args=[job.id])).status_code == 404
    for name in ("leader", "branch_secretary", "outsider"):
        u = login(city.users[name])
        assert u.get(reverse("cadres:evidence_import")).status_code == 403
        assert u.post(reverse("cadres:evidence_import"), {"file": io.BytesIO(xlsx(GOOD))}).status_code == 403
        assert u.get(reverse("cadres:evidence_import_template")).status_code == 403
    assert EvidenceImport.objects.count() == 1


def test_it_gives_one_message_for_an_unknown_and_an_out_of_scope_cadre(city, cadres):
    rows = [["赵六", id_of(303, birth=BIRTH), "问责", "2025.01.01", "x", "文1", "", ""],  # 裕安区's cadre
            ["张三", id_of(399, birth=BIRTH), "问责", "2025.01.01", "x", "文2", "", ""],  # nobody
            ["谁", id_of(303, birth=BIRTH), "问责", "2025.01.01", "x", "文3", "", ""]]  # wrong name: no name leaked  # fmt: skip
    job = create(city, xlsx(rows))
    assert [(r, c, m) for r, c, _v, m in job.errors] == [(r, "身份证号", "未找到该干部（或不在您的管理范围内）") for r in (3, 4, 5)]
    with pytest.raises(rules.RuleViolation) as exc:
        commit(city, job, good_rows_only=True)
    assert "赵六" not in str(exc.value) and "不在您的管理范围内）" in str(exc.value)


def test_it_masks_id_numbers_in_the_stored_errors_but_keeps_the_error_file(city, cadres):
    other = id_of(399, birth=BIRTH)
    rows = [["张三", other, "问责", "2025.01.01", "x", "文1", "", ""],
            ["王明", "341502198503011234", "问责", "2025.01.01", "x", "文2", "", ""],  # bad checksum
            ["王明", id_of(301, birth=BIRTH), "问责", "2026.07.01", "x", "文3", "", ""]]  # fmt: skip
    job = create(city, xlsx(rows))
    job.refresh_from_db()
    stored = str(job.errors)
    assert other not in stored and "341502198503011234" not in stored
    values = {(r, c): v for r, c, v, _m in job.errors}
    assert values[(3, "身份证号")] == other[:6] + "********" + other[-4:]
    assert values[(4, "身份证号")] == "341502********1234"
    # an ID-like value typed into another column is masked too; other values are kept
    assert evidence_import.mask_errors([[5, "事项", other, "r"], [5, "日期", "2026.07.01", "r"]]) == [
        [5, "事项", other[:6] + "********" + other[-4:], "r"], [5, "日期", "2026.07.01", "r"]]
    ws = load_workbook(io.BytesIO(evidence_import.evidence_import_error_file(job))).active
    assert ws.cell(row=3, column=2).value == other and ws.cell(row=3, column=9).value.startswith("身份证号：")


def test_it_deletes_the_file_when_imported_and_says_so(city, login, cadres):
    c = login(city.users["county_admin"])
    bad = GOOD + [["张三", id_of(399, birth=BIRTH), "问责", "2025.01.01", "x", "文1", "", ""]]
    url = c.post(reverse("cadres:evidence_import"), {"file": io.BytesIO(xlsx(bad))}).url
    job = EvidenceImport.objects.get()
    errors_url = reverse("cadres:evidence_import_errors", args=[job.id])
    assert bytes(job.content) and c.get(errors_url).status_code == 200  # while validated: the error file works
    c.post(url, {"action": "good"})
    job.refresh_from_db()
    assert job.status == "done" and bytes(job.content) == b"" and job.created_count == 3
    assert id_of(399, birth=BIRTH) not in str(job.errors)
    page = c.get(url).content.decode()
    assert "导入完成后原文件已删除" in page and errors_url not in page
    assert c.get(errors_url).status_code == 404
    with pytest.raises(rules.RuleViolation, match="导入完成后原文件已删除"):
        evidence_import.evidence_import_error_file(job)


def test_it_purges_abandoned_validated_jobs_after_seven_days(city, cadres):
    from django.utils import timezone

    old, recent = create(city, xlsx(GOOD)), create(city, xlsx(GOOD))
    now = timezone.now()
    EvidenceImport.objects.filter(pk=old.pk).update(created_at=now - dt.timedelta(days=8))
    EvidenceImport.objects.filter(pk=recent.pk).update(created_at=now - dt.timedelta(days=6))
    assert evidence_import.evidence_import_purge(now=now) == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.status == "cancelled" and bytes(old.content) == b""
    assert evidence_import.is_expired(old) and evidence_import.status_label(old) == "已过期清理"
    assert old.header_error == "该导入任务已超过7天未确认，文件已清除，未导入任何数据"
    assert recent.status == "validated" and bytes(recent.content)
    event = AuditEvent.objects.get(action="cadres.evidence_import_purge")
    assert event.after == {"jobs": [old.pk]}
    assert evidence_import.evidence_import_purge(now=now) == 0  # nothing left to clear
    # opportunistic: a new upload clears the jobs that have grown old since
    EvidenceImport.objects.filter(pk=recent.pk).update(created_at=now - dt.timedelta(days=8))
    create(city, xlsx(GOOD), name="neighbour_admin")
    recent.refresh_from_db()
    assert recent.status == "cancelled" and bytes(recent.content) == b""
    with pytest.raises(rules.RuleViolation, match="已超过7天未确认"):
        commit(city, recent)
    assert not Evidence.objects.exists()


def test_it_shows_a_purged_job_as_expired_not_as_cancelled(city, login, cadres):
    from django.utils import timezone

    c = login(city.users["county_admin"])
    old_url = c.post(reverse("cadres:evidence_import"), {"file": io.BytesIO(xlsx(GOOD))}).url
    mine_url = c.post(reverse("cadres:evidence_import"), {"file": io.BytesIO(xlsx(GOOD))}).url
    old, mine = EvidenceImport.objects.order_by("id")
    c.post(mine_url, {"action": "cancel"}, follow=True)  # cancelled by the user: stays 已取消
    cancel = AuditEvent.objects.get(action="cadres.evidence_import_cancel")  # a write: audited, in the county
    assert (cancel.object_id, cancel.actor, cancel.scope_path) == (str(mine.pk), city.users["county_admin"], "u:" + city.units["jinan"].path)
    EvidenceImport.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=8))
    page = c.get(old_url).content.decode()  # viewing the page clears it (there is no scheduler)
    assert "已过期清理" in page and "该导入任务已超过7天未确认，文件已清除，未导入任何数据" in page
    assert "全部导入" not in page and "已取消，未导入任何数据" not in page
    old.refresh_from_db()
    assert old.status == "cancelled" and bytes(old.content) == b""
    assert AuditEvent.objects.filter(action="cadres.evidence_import_purge").count() == 1
    assert "已取消，未导入任何数据" in c.get(mine_url).content.decode()
    listing = c.get(reverse("cadres:evidence_import")).content.decode()
    assert listing.count("已过期清理") == 1 and listing.count("<td>已取消</td>") == 1
    r = c.post(old_url, {"action": "all"}, follow=True)
    assert "该导入任务已超过7天未确认" in r.content.decode() and not Evidence.objects.exists()
    assert c.get(reverse("cadres:evidence_import_errors", args=[old.id])).status_code == 404
    assert AuditEvent.objects.filter(action="cadres.evidence_import_purge").count() == 1  # later views only read


def test_it_refuses_a_sheet_of_too_many_rows_before_checking_any(city, cadres, monkeypatch):
    monkeypatch.setattr(evidence_import, "MAX_ROWS", 2)
    monkeypatch.setattr(evidence_import, "_row", lambda *a, **k: pytest.fail("a row was checked"))
    job = create(city, xlsx(GOOD))
    assert job.header_error == "数据行3行，一次最多导入2行，请分批导入"
    assert job.errors == [] and job.total_rows == 3
    with pytest.raises(rules.RuleViolation, match="一次最多导入2行"):
        commit(city, job, good_rows_only=True)
    assert not Evidence.objects.exists()
