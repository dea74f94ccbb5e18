"""The cadre's record page in headless Chromium: the photo in its 1寸 frame, the new profile rows and
the family table, on screen and in the print layout. Screenshot ``cadre-record.png`` goes to
docs/screenshots/ when ZUGONG_SCREENSHOTS=1, else to a temp dir."""

from __future__ import annotations

import datetime as dt
import io
import os
from pathlib import Path

import pytest

from zugong.cadres.models import Cadre
from zugong.cadres.services import profile as svc
from zugong.core.audit import Actor
from zugong.core.scope import scope_for
from zugong.core.testing import PASSWORD
from zugong.orgs.tests.people import populate

CHROMIUM = "/usr/bin/chromium"
REPO = Path(__file__).resolve().parents[3]
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def page():
    if not os.path.exists(CHROMIUM):
        pytest.skip("需要 /usr/bin/chromium（Debian chromium）")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-background-networking"])
        context = b.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        yield context.new_page()
        b.close()


def _grey_png() -> bytes:
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (295, 413), (150, 156, 166))
    ImageDraw.Draw(img).rectangle((20, 20, 274, 392), outline=(110, 116, 126), width=6)
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def test_it_shows_the_photo_and_family_on_the_record_page(city, live_server, page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    people = populate(city)
    cadre = Cadre.objects.get(person=people["张晓明"])
    user = city.users["county_admin"]
    actor, scope = Actor(user), scope_for(user)
    svc.photo_set(actor=actor, scope=scope, cadre=cadre, content=_grey_png())
    svc.profile_update(actor=actor, scope=scope, cadre=cadre, data=svc.ProfileData(
        birthplace="安徽六安", health="健康", tech_title="经济师", specialty="农村经济管理、基层党建",
        fulltime_education="20", fulltime_degree="4", fulltime_school="安徽农业大学经济管理学院农业经济管理专业",
        inservice_education="10", inservice_degree="3", inservice_school="中央党校研究生院经济学专业"))
    for rel, name, birth, pol, work in (("wife", "王芳", dt.date(1982, 3, 1), "01", "金安区实验小学教师"),
                                        ("son", "张一鸣", dt.date(2008, 9, 1), "03", "六安一中学生"),
                                        ("father", "张大山", None, "13", "已去世")):  # fmt: skip
        svc.family_member_add(actor=actor, scope=scope, cadre=cadre,
                              data=svc.FamilyData(relation=rel, name=name, birth_date=birth, political_status=pol, work=work))
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit], input[type=submit]")
    page.goto(f"{live_server.url}/cadres/{cadre.pk}/")
    img = page.locator(".record-head .photo img")
    img.wait_for()
    assert page.evaluate("i => i.complete && i.naturalWidth", img.element_handle()) > 0  # the scoped photo URL loads
    box = img.bounding_box()
    assert abs(box["width"] / box["height"] - 5 / 7) < 0.02  # 1寸 proportions
    assert page.locator("#family tbody tr").count() == 3
    folder = REPO / "docs" / "screenshots" if os.environ.get("ZUGONG_SCREENSHOTS") == "1" else tmp_path
    page.screenshot(path=str(folder / "cadre-record.png"), clip={"x": 0, "y": 0, "width": 1280, "height": 900})
    page.emulate_media(media="print")
    box = page.locator(".record-head .photo img").bounding_box()
    assert box and abs(box["width"] / box["height"] - 5 / 7) < 0.02  # still there in the print layout
    page.screenshot(path=str(tmp_path / "cadre-record-print.png"), full_page=True)
