"""The 审计日志's words for stored codes: actions, objects, fields, choices."""

from zugong.core.models import AuditEvent
from zugong.web.audit_display import Change, changes, object_label, view


def event(**kw):
    return AuditEvent(actor_name="county_admin", **kw)  # not saved: the display reads fields only


def test_a_person_update_shows_only_the_changed_fields_by_their_labels_and_codes_by_their_names():
    e = event(
        action="person.update", object_type="Person", object_id="7",
        before={"name": "张三", "gender": "1", "ethnicity": "01", "education": "20"},
        after={"name": "张三丰", "gender": "1", "ethnicity": "03", "education": "20"},
    )  # fmt: skip
    assert changes(e) == [Change("姓名", "张三", "张三丰"), Change("民族", "汉族", "回族")]
    v = view(e)
    assert (v.action, v.object, v.url) == ("修改人员信息", "人员 7", "/members/person/7/")


def test_an_import_job_event_names_its_statuses_and_summary_keys():
    e = event(
        action="members.import_failed", object_type="ImportJob", object_id="12", before={"status": "importing"},
        after={"status": "validated", "message": "有1行有误，未导入任何数据"},
    )  # fmt: skip
    assert changes(e) == [Change("状态", "正在导入", "校验完成"), Change("说明", "", "有1行有误，未导入任何数据")]
    started = event(action="members.import_started", object_type="ImportJob", object_id="12",
                    before={"status": "validated"}, after={"status": "importing", "good_rows_only": False})  # fmt: skip
    assert changes(started)[1] == Change("只导入无误的行", "", "否")
    v = view(started)
    assert (v.action, v.object, v.url) == ("开始导入党员名册", "导入任务 12", "/members/import/12/")


def test_a_creation_lists_what_was_written_and_a_removal_what_was_there():
    upload = event(action="members.import_uploaded", object_type="ImportJob", after={"file": "名册.xlsx", "kind": "members", "bytes": 9})
    assert changes(upload) == [Change("文件", "", "名册.xlsx"), Change("名册类别", "", "党员名册"), Change("字节数", "", "9")]
    removal = event(action="cadres.family_remove", object_type="FamilyMember", before={"name": "李四", "note": None})
    assert changes(removal) == [Change("姓名", "李四", ""), Change("note", "（空）", "")]


def test_long_values_are_cut_and_other_objects_keep_their_names():
    e = event(action="members.export", object_type="PartyMember", after={"filters": {"q": "张" * 300}})
    (c,) = changes(e)
    assert c.field == "筛选条件" and len(c.after) == 200 and c.after.endswith("…")
    assert object_label("Demo") == "演示数据" and object_label("Nothing") == "Nothing"
    assert view(e).url == ""  # no id, no page
    assert changes(event(action="x", before=None, after=None)) == []


def test_filters_and_lists_read_as_words_not_json():
    e = event(action="audit.export", object_type="", after={"count": 3, "filters": {"group": "members", "from": "2026-12-07"}})
    assert changes(e)[1] == Change("筛选条件", "", "操作类别：members；起始日期：2026-12-07")
    demo = event(action="demo.build", object_type="Demo",
                 after={"seed": 20261, "accounts": ["admin", "jinan"], "cadres_city": 3000, "members": 250018})  # fmt: skip
    assert changes(demo) == [Change("随机种子", "", "20261"), Change("演示账号", "", "admin、jinan"),
                             Change("市管干部数", "", "3,000"), Change("党员数", "", "250,018")]  # fmt: skip
    # counts grouped as the pages write them, inside a summary too; a seed, a year or an id is not a count
    job = event(action="members.import_done", object_type="ImportJob", after={"rows": 100000, "filters": {"created": 12000, "on": 2026}})
    assert [c.after for c in changes(job)] == ["100,000", "新增：12,000；日期：2026"]
    team = event(action="cadres.team_roster_export", object_type="", after={"count": 9, "on": "2026-12-07"})
    assert changes(team)[1] == Change("日期", "", "2026-12-07")
    assert changes(event(action="members.export", after={"filters": {}}))[0].after == "（无）"
