"""The cadre's 任免审批表 data (issue 4 §5): profile fields, family members, the photo; constraints,
validation, scope and audit."""

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.db import IntegrityError, transaction
from django.urls import reverse
from PIL import Image

from zugong.cadres.models import Cadre, CadreProfile, FamilyMember, ReserveEntry, ReserveStatusChange
from zugong.cadres.services import profile as svc
from zugong.core.audit import Actor
from zugong.core.models import AuditEvent, Person
from zugong.core.scope import scope_for
from zugong.orgs.tests.people import populate

D = dt.date


def png(size=(250, 350), color=(128, 128, 128)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, "PNG")
    return buf.getvalue()


@pytest.fixture
def people(city, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return populate(city)


@pytest.fixture
def cadre(people):
    return Cadre.objects.get(person=people["张晓明"])  # 金安区 县管


def _admin(city, name="county_admin"):
    user = city.users[name]
    return Actor(user=user), scope_for(user)


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# ------------------------------------------------------------------------------------------------
# Services and constraints
# ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("code", "text"), [("320102", "江苏南京"), ("341502", "安徽六安"), ("130123", "河北正定"), ("310101", "上海")])
def test_an_empty_birthplace_is_filled_as_the_approval_form_prints_it(city, cadre, code, text):
    from zugong.cadres import lrmx

    actor, scope = _admin(city)
    p = svc.profile_update(actor=actor, scope=scope, cadre=cadre, data=svc.ProfileData(birthplace_code=code))
    assert (p.birthplace, p.birthplace_code) == (text, code)  # not the division's short name (玄武区)
    assert lrmx.birthplace_text(p) == text  # the record page and the form say the same


def test_it_updates_the_profile_and_raises_the_persons_education(city, cadre):
    actor, scope = _admin(city)
    data = svc.ProfileData(birthplace="金安区", health="健康", tech_title="高级经济师", specialty="农村经济管理",
                           fulltime_education="20", fulltime_degree="4", fulltime_school="安徽农业大学经济管理学院农业经济管理专业",
                           inservice_education="10", inservice_degree="3", inservice_school="中央党校研究生院经济管理专业")  # fmt: skip
    p = svc.profile_update(actor=actor, scope=scope, cadre=cadre, data=data)
    assert (p.birthplace, p.birthplace_code, p.health, p.fulltime_degree) == ("金安区", "341502", "健康", "4")
    person = Person.objects.get(pk=cadre.person_id)
    assert (person.education, person.degree) == ("10", "3")  # the higher block, for statistics
    ev = AuditEvent.objects.get(action="cadres.profile_update")
    assert ev.object_id == str(cadre.pk) and ev.before["person_education"] == "20" and ev.after["inservice_school"].startswith("中央党校")
    # saving the same values again changes nothing and audits nothing
    svc.profile_update(actor=actor, scope=scope, cadre=cadre, data=data)
    assert AuditEvent.objects.filter(action="cadres.profile_update").count() == 1


@pytest.mark.parametrize(("data", "message"), [
    (svc.ProfileData(birthplace_code="34150"), "出生地区划代码“34150”应为6位、9位或12位数字"),
    (svc.ProfileData(fulltime_education="50"), "全日制教育学历代码“50”不在GB/T 4658学历代码表中"),
    (svc.ProfileData(inservice_degree="3"), "填写了在职教育的学位或毕业院校，请同时填写学历"),
    (svc.ProfileData(health="健" * 21), "健康状况超过20个字"),
])  # fmt: skip
def test_it_refuses_bad_profile_input_with_chinese_messages(city, cadre, data, message):
    actor, scope = _admin(city)
    with pytest.raises(svc.ProfileError) as exc:
        svc.profile_update(actor=actor, scope=scope, cadre=cadre, data=data)
    assert str(exc.value) == message
    assert not CadreProfile.objects.exists() and not AuditEvent.objects.filter(action="cadres.profile_update").exists()


@pytest.mark.parametrize("bad", [
    {"fulltime_education": "50"}, {"inservice_degree": "9"}, {"birthplace_code": "34150"}, {"photo": "elsewhere/a.jpg"},
])  # fmt: skip
def test_it_keeps_profile_rules_in_the_database(city, cadre, bad):
    with pytest.raises(IntegrityError), transaction.atomic():
        CadreProfile.objects.create(cadre=cadre, **bad)


@pytest.mark.parametrize("bad", [
    {"relation": "cousin"}, {"name": ""}, {"political_status": "99"}, {"birth_date": D(1899, 12, 31)},
])  # fmt: skip
def test_it_keeps_family_rules_in_the_database(city, cadre, bad):
    row = {"relation": "wife", "name": "王芳", "political_status": "01", "birth_date": D(1982, 3, 1), **bad}
    with pytest.raises(IntegrityError), transaction.atomic():
        FamilyMember.objects.create(cadre=cadre, **row)


def test_it_adds_updates_reorders_and_removes_family_members(city, cadre):
    actor, scope = _admin(city)
    wife = svc.family_member_add(actor=actor, scope=scope, cadre=cadre, data=svc.FamilyData(
        relation="wife", name="王 芳", birth_date=D(1982, 3, 1), political_status="01", work="金安区实验小学教师"))
    son = svc.family_member_add(actor=actor, scope=scope, cadre=cadre, data=svc.FamilyData(relation="son", name="张一鸣", birth_date=D(2008, 9, 1), political_status="03", work="六安一中学生"))
    father = svc.family_member_add(actor=actor, scope=scope, cadre=cadre, data=svc.FamilyData(relation="father", name="张大山", work="已去世"))
    assert (wife.name, [m.sort for m in (wife, son, father)]) == ("王芳", [1, 2, 3])
    svc.family_member_update(actor=actor, scope=scope, member=son, data=svc.FamilyData(relation="son", name="张一鸣", birth_date=D(2008, 9, 1),
                                                                                     political_status="01", work="中国科学技术大学学生"))  # fmt: skip
    svc.family_member_reorder(actor=actor, scope=scope, cadre=cadre, order=[father.pk, wife.pk, son.pk])
    assert list(FamilyMember.objects.filter(cadre=cadre).values_list("name", flat=True)) == ["张大山", "王芳", "张一鸣"]
    with pytest.raises(svc.ProfileError, match="全部家庭成员"):
        svc.family_member_reorder(actor=actor, scope=scope, cadre=cadre, order=[father.pk, wife.pk])
    svc.family_member_remove(actor=actor, scope=scope, member=father)
    assert FamilyMember.objects.filter(cadre=cadre).count() == 2
    actions = list(AuditEvent.objects.filter(action__startswith="cadres.family_").order_by("id").values_list("action", flat=True))
    assert actions == ["cadres.family_add"] * 3 + ["cadres.family_update", "cadres.family_reorder", "cadres.family_remove"]
    upd = AuditEvent.objects.get(action="cadres.family_update")
    assert upd.before == {"political_status": "03", "work": "六安一中学生"} and upd.after["political_status"] == "01"
    assert AuditEvent.objects.get(action="cadres.family_remove").before["name"] == "张大山"


def test_it_refuses_a_family_birth_date_in_the_future_and_unknown_codes(city, cadre):
    actor, scope = _admin(city)
    with pytest.raises(svc.ProfileError, match="晚于今天"):
        svc.family_member_add(actor=actor, scope=scope, cadre=cadre, data=svc.FamilyData(relation="son", name="张二", birth_date=D(2026, 6, 2)),
                              today=D(2026, 6, 1))  # fmt: skip
    with pytest.raises(svc.ProfileError, match="称谓“cousin”不在可选范围内"):
        svc.family_member_add(actor=actor, scope=scope, cadre=cadre, data=svc.FamilyData(relation="cousin", name="张二"))
    with pytest.raises(svc.ProfileError, match="GB/T 4762"):
        svc.family_member_add(actor=actor, scope=scope, cadre=cadre, data=svc.FamilyData(relation="son", name="张二", political_status="99"))
    assert not FamilyMember.objects.exists()


def test_it_refuses_writes_by_read_only_roles_and_counties_on_city_cadres(city, cadre):
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    leader = city.users["leader"]
    with pytest.raises(PermissionDenied):
        svc.profile_update(actor=Actor(leader), scope=scope_for(leader), cadre=cadre, data=svc.ProfileData(health="健康"))
    neighbour = city.users["neighbour_admin"]
    with pytest.raises(Http404):
        svc.photo_set(actor=Actor(neighbour), scope=scope_for(neighbour), cadre=cadre, content=png())
    Cadre.objects.filter(pk=cadre.pk).update(management_level="city")
    cadre.refresh_from_db()
    actor, scope = _admin(city)
    with pytest.raises(PermissionDenied):
        svc.family_member_add(actor=actor, scope=scope, cadre=cadre, data=svc.FamilyData(relation="wife", name="王芳"))
    actor, scope = _admin(city, "city_admin")
    svc.family_member_add(actor=actor, scope=scope, cadre=cadre, data=svc.FamilyData(relation="wife", name="王芳"))


# ------------------------------------------------------------------------------------------------
# Photo
# ------------------------------------------------------------------------------------------------
def test_it_checks_photo_magic_bytes_and_size(city, cadre):
    actor, scope = _admin(city)
    cases = [
        (b"GIF89a" + b"\0" * 100, "照片须为JPEG或PNG图片"),
        (b"%PDF-1.7 not a photo", "照片须为JPEG或PNG图片"),
        (b"", "照片文件为空"),
        (b"\xff\xd8\xff" + b"\0" * (svc.MAX_PHOTO_BYTES - 2), "照片超过2MB"),
        (b"\x89PNG\r\n\x1a\n" + b"broken", "照片文件已损坏"),
    ]
    for content, message in cases:
        with pytest.raises(svc.ProfileError) as exc:
            svc.photo_set(actor=actor, scope=scope, cadre=cadre, content=content)
        assert str(exc.value).startswith(message) and exc.value.field == "照片"
    assert svc.photo_kind(b"\xff\xd8\xff\xe0") == "jpeg" and svc.photo_kind(png()) == "png"
    assert not AuditEvent.objects.filter(action__startswith="cadres.photo").exists()
    assert not CadreProfile.objects.filter(photo__gt="").exists()


def test_it_stores_a_photo_under_a_random_name_and_serves_it_only_in_scope(city, login, cadre, settings, django_capture_on_commit_callbacks):
    client = login(city.users["county_admin"])
    upload = io.BytesIO(png((1000, 1400)))
    upload.name = "张晓明身份证照.png"
    r = client.post(reverse("cadres:photo_upload", args=[cadre.pk]), {"photo": upload})
    assert r.status_code == 302 and "已保存照片" in _messages(r)
    profile = CadreProfile.objects.get(cadre=cadre)
    name = profile.photo.name
    assert re.fullmatch(r"cadre_photos/[0-9a-f]{32}\.jpg", name)  # random: neither the uploaded name nor the cadre
    stored = Path(settings.MEDIA_ROOT) / name
    with Image.open(stored) as img:  # re-encoded as JPEG and scaled down to fit 600 px
        assert img.format == "JPEG" and img.size == (429, 600)
    ev = AuditEvent.objects.get(action="cadres.photo_set")
    assert ev.after["photo"] == name and ev.before is None and ev.object_id == str(cadre.pk)
    url = reverse("cadres:photo", args=[cadre.pk])
    for user in ("county_admin", "city_admin", "leader"):
        r = login(city.users[user]).get(url)
        assert r.status_code == 200 and r["Content-Type"] == "image/jpeg" and "no-store" in r["Cache-Control"]
        assert b"".join(r.streaming_content) == stored.read_bytes()
    assert login(city.users["neighbour_admin"]).get(url).status_code == 404
    assert login(city.users["outsider"]).get(url).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302  # anonymous: to the login page
    assert login(city.users["county_admin"]).get("/media/" + name).status_code == 404  # no public media URL
    # replace: the old file goes after commit; remove: the new one goes too
    client = login(city.users["county_admin"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("cadres:photo_upload", args=[cadre.pk]), {"photo": io.BytesIO(png(color=(90, 90, 90)))})
    profile.refresh_from_db()
    assert profile.photo.name != name and not stored.exists()
    replaced = AuditEvent.objects.filter(action="cadres.photo_set").latest("id")
    assert replaced.before == {"photo": name} and "更换" in replaced.summary
    second = Path(settings.MEDIA_ROOT) / profile.photo.name
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(reverse("cadres:photo_remove", args=[cadre.pk]))
    assert "已删除照片" in _messages(r) and not second.exists()
    assert AuditEvent.objects.get(action="cadres.photo_remove").before == {"photo": profile.photo.name}
    assert client.get(url).status_code == 404


def test_it_refuses_bad_photo_uploads_with_a_chinese_message(city, login, cadre):
    client = login(city.users["county_admin"])
    fake = io.BytesIO(b"MZ\x90\x00 an executable renamed")
    fake.name = "photo.jpg"
    r = client.post(reverse("cadres:photo_upload", args=[cadre.pk]), {"photo": fake})
    assert any("照片须为JPEG或PNG图片" in m for m in _messages(r))
    big = io.BytesIO(b"\xff\xd8\xff" + b"\0" * (2 * 1024 * 1024))
    big.name = "big.jpg"
    r = client.post(reverse("cadres:photo_upload", args=[cadre.pk]), {"photo": big})
    assert any("照片超过2MB" in m for m in _messages(r))
    assert not CadreProfile.objects.filter(photo__gt="").exists()


# ------------------------------------------------------------------------------------------------
# Pages
# ------------------------------------------------------------------------------------------------
def test_it_edits_the_profile_and_family_through_the_pages(city, login, cadre):
    client = login(city.users["county_admin"])
    page = client.get(reverse("cadres:profile_edit", args=[cadre.pk]))
    assert page.status_code == 200 and "家庭主要成员及重要社会关系" in page.content.decode()
    r = client.post(reverse("cadres:profile_edit", args=[cadre.pk]), {"birthplace": "安徽六安", "health": "健康", "fulltime_education": "20",
                                                                     "fulltime_degree": "4", "fulltime_school": "安徽大学"})  # fmt: skip
    assert "已保存任免审批表信息" in _messages(r)
    r = client.post(reverse("cadres:profile_edit", args=[cadre.pk]), {"birthplace_code": "3415"})
    assert any("出生地区划代码应为6位、9位或12位数字" in m for m in _messages(r))
    r = client.post(reverse("cadres:family_add", args=[cadre.pk]), {"relation": "wife", "name": "王芳", "birth_date": "1982.03", "political_status": "01"})
    assert "已添加家庭成员" in _messages(r)
    wife = FamilyMember.objects.get(cadre=cadre)
    assert wife.birth_date == D(1982, 3, 1)
    r = client.post(reverse("cadres:family_add", args=[cadre.pk]), {"relation": "son", "name": "", "birth_date": "2008-13-01"})
    text = "".join(_messages(r))
    assert "请填写家庭成员姓名" in text and "出生日期格式应为" in text
    client.post(reverse("cadres:family_add", args=[cadre.pk]), {"relation": "son", "name": "张一鸣"})
    son = FamilyMember.objects.get(name="张一鸣")
    client.post(reverse("cadres:family_order", args=[cadre.pk]), {"order": f"{son.pk},{wife.pk}"})
    client.post(reverse("cadres:family_update", args=[wife.pk]), {"relation": "wife", "name": "王芳", "work": "金安区实验小学教师"})
    record = client.get(reverse("cadres:record", args=[cadre.pk])).content.decode()
    assert record.index("张一鸣") < record.index("王芳") and "金安区实验小学教师" in record and "安徽六安" in record
    assert "大学本科 学士　安徽大学" in record and 'aria-label="暂无照片"' in record
    client.post(reverse("cadres:family_remove", args=[son.pk]))
    assert list(FamilyMember.objects.values_list("name", flat=True)) == ["王芳"]


def test_it_shows_the_photo_and_the_links_on_the_record_page(city, login, cadre):
    actor, scope = _admin(city)
    svc.photo_set(actor=actor, scope=scope, cadre=cadre, content=png())
    url = reverse("cadres:record", args=[cadre.pk])
    admin = login(city.users["county_admin"]).get(url).content.decode()
    assert reverse("cadres:photo", args=[cadre.pk]) in admin and "暂无照片" not in admin
    assert reverse("cadres:evidence_import") in admin and "批量导入考核依据" in admin
    assert reverse("cadres:profile_edit", args=[cadre.pk]) in admin
    ReserveEntry.objects.create(cadre=cadre, category="31", sector="party", route="organization", entered_on=D(2025, 1, 1),
                                status_on=D(2025, 1, 1), review_due=D(2026, 1, 1))  # fmt: skip
    admin = login(city.users["county_admin"]).get(url).content.decode()
    status_form = admin[admin.index('name="status"'):]
    status_form = status_form[:status_form.index("</form>")]
    assert 'name="reason"' in status_form and 'name="document_no"' in status_form  # 变更原因 / 依据文件 go with the change
    entry = ReserveEntry.objects.get(cadre=cadre)
    login(city.users["county_admin"]).post(reverse("cadres:reserve_status", args=[entry.pk]), {
        "status": "under_inspection", "on": "2025-06-01", "reason": "拟提拔考察", "document_no": "金组〔2025〕3号"})
    assert ReserveStatusChange.objects.filter(entry=entry, reason="拟提拔考察", document_no="金组〔2025〕3号").exists()
    leader = login(city.users["leader"]).get(url).content.decode()
    assert reverse("cadres:photo", args=[cadre.pk]) in leader  # read-only roles see the photo
    assert "批量导入考核依据" not in leader and reverse("cadres:profile_edit", args=[cadre.pk]) not in leader


def test_it_refuses_the_edit_pages_to_outsiders_neighbours_and_read_only_roles(city, login, cadre):
    actor, scope = _admin(city)
    member = svc.family_member_add(actor=actor, scope=scope, cadre=cadre, data=svc.FamilyData(relation="wife", name="王芳"))
    posts = [
        (reverse("cadres:profile_edit", args=[cadre.pk]), {"health": "健康"}),
        (reverse("cadres:photo_upload", args=[cadre.pk]), {"photo": io.BytesIO(png())}),
        (reverse("cadres:photo_remove", args=[cadre.pk]), {}),
        (reverse("cadres:family_add", args=[cadre.pk]), {"relation": "son", "name": "张二"}),
        (reverse("cadres:family_order", args=[cadre.pk]), {"order": str(member.pk)}),
        (reverse("cadres:family_update", args=[member.pk]), {"relation": "wife", "name": "李芳"}),
        (reverse("cadres:family_remove", args=[member.pk]), {}),
    ]
    expected = {"outsider": 403, "neighbour_admin": 404, "branch_secretary": 404, "leader": 403}
    for user, status in expected.items():
        client = login(city.users[user])
        assert client.get(reverse("cadres:profile_edit", args=[cadre.pk])).status_code == status, user
        for url, data in posts:
            for v in data.values():
                if hasattr(v, "seek"):
                    v.seek(0)
            assert client.post(url, data).status_code == status, (user, url)
    assert FamilyMember.objects.get().name == "王芳" and not CadreProfile.objects.filter(health="健康").exists()
    Cadre.objects.filter(pk=cadre.pk).update(management_level="city")  # a 市管 cadre: the county reads only
    county = login(city.users["county_admin"])
    assert county.get(reverse("cadres:profile_edit", args=[cadre.pk])).status_code == 403
    assert county.get(reverse("cadres:record", args=[cadre.pk])).status_code == 200
