"""In a real browser: a county administrator runs an annual appraisal round from opening to closing
with the 优秀 quota enforced, then carries an up-and-down case from the motion to the new post."""

from __future__ import annotations

import datetime as dt

from zugong.cadres.models import Appointment, Cadre, Post, ReserveEntry
from zugong.orgs.tests.people import make_person, populate
from zugong.web.tests_browser.flows import login


def grade(page, name: str, label: str) -> None:
    row = page.locator(f"tr[data-name='{name}']")
    row.locator("select[name=grade]").select_option(label=label)
    row.locator("button:has-text('保存')").click()
    page.wait_for_selector("text=已保存")


def test_it_runs_an_appraisal_round_and_an_adjustment_case(live_server, city, page, shot):
    people = populate(city)
    town = city.units["jinan_town"]
    for i, name in enumerate(("丁一", "王二", "刘三", "陈四", "周五")):
        cadre = Cadre.objects.create(person=make_person(name, 60 + i, birth=dt.date(1985, 3, 1)), management_level="county",
                                     post_level="50", unit=town)  # fmt: skip
        Appointment.objects.create(cadre=cadre, post=Post.objects.create(unit=town, title=f"科员{i}", post_level="50"), start=dt.date(2020, 1, 1))
    base = live_server.url
    login(page, base, "county_admin")

    # open the round
    page.goto(f"{base}/cadres/appraisal/")
    page.select_option("#open-round select[name=unit]", label="金安区一镇")
    page.fill("#open-round input[name=year]", "2025")
    page.select_option("#open-round select[name=category]", label="机关")
    page.click("#open-round button:has-text('开启')")
    page.wait_for_selector("h1:has-text('2025年度机关考核')")
    page.click("button:has-text('添加本单位干部')")
    page.wait_for_selector("text=已添加参加考核人员")
    assert page.locator("#entries tbody tr").count() == 7

    # grade: two 优秀 among 7 (quota 7 × 20% = 1.4 → 1), the rest 称职
    grade(page, "丁一", "优秀")
    grade(page, "王二", "优秀")
    for name in ("刘三", "陈四", "周五", "张晓明", "孙丽"):
        grade(page, name, "称职")
    assert page.inner_text("#quota") == "1" and page.inner_text("#actual") == "2"
    page.on("dialog", lambda dialog: dialog.accept())  # 结束考核 asks for confirmation
    page.click("#close-round")
    page.wait_for_selector(".messages .error")
    assert "优秀等次2名，超过比例限额1名，不能结束考核" in page.inner_text(".messages")
    assert "超出 1 名" in page.inner_text("#figures") and "7 × 20% = 1.40" in page.inner_text("#figures")
    shot(page, "cadres-appraisal-over-quota")

    # fix and close
    grade(page, "王二", "称职")
    page.click("#close-round")
    page.wait_for_selector("text=考核已结束")
    assert "已结束" in page.inner_text("h1")
    shot(page, "cadres-appraisal-closed")

    # the record shows the computed consequence
    ding = Cadre.objects.get(person__name="丁一")
    page.goto(f"{base}/cadres/{ding.id}/")
    assert "给予嘉奖" in page.inner_text("#consequences")

    # up-and-down: motion → decision → the new post
    Post.objects.create(unit=town, title="综合办科员", post_level="50")
    sun = Cadre.objects.get(person=people["孙丽"])
    page.goto(f"{base}/cadres/{sun.id}/")
    page.click("summary:has-text('动议调整')")
    page.check("#case-form input[name=circumstances][value='08']")
    page.select_option("#case-form select[name=measure]", label="降职")
    page.fill("#case-form input[name=motion_on]", "2026-01-05")
    page.click("#case-form button:has-text('动议')")
    page.wait_for_selector("h1:has-text('调整案卷')")
    # the measure's procedure, step by step in order, up to the committee's decision
    assert "已办" in page.inner_text("#steps tbody tr:first-child")
    for day, decision in ((12, "情况属实，本人无异议"), (14, "建议降职"), (16, "已谈话"), (20, "同意降为科员级")):
        step = page.inner_text("#step-form strong")
        page.fill("#step-form input[name=on]", f"2026-01-{day}")
        page.fill("#step-form input[name=decision]", decision)
        page.click("#step-form button")
        page.wait_for_selector(f"#steps td:has-text('{decision}')")
        if "讨论决定" in step:
            break
    assert page.locator("#complete-form").count() == 1
    page.fill("#complete-form input[name=effective_on]", "2026-02-01")
    page.fill("#complete-form input[name=document_no]", "金组〔2026〕8号")
    page.select_option("#complete-form select[name=new_post]", label="金安区一镇综合办科员（科员级）")
    page.click("#complete-form button:has-text('实施')")
    page.wait_for_selector("text=调整已实施")
    assert "自2026.02.01任金安区一镇综合办科员" in page.inner_text("#result")
    shot(page, "cadres-adjustment-case")
    page.goto(f"{base}/cadres/{sun.id}/")
    assert "2026.02--     金安区一镇综合办科员" in page.inner_text("pre.resume")
    shot(page, "cadres-record")

    # team structure and the 缺配年轻干部 list with a pool member who could fill the gap
    young = Cadre.objects.create(person=make_person("李青", 70, birth=dt.date(1996, 4, 1), female=True), management_level="county",
                                 post_level="50", unit=town)  # fmt: skip
    ReserveEntry.objects.create(cadre=young, category="42", sector="rural", field="乡村振兴", route="recommendation",
                                entered_on=dt.date(2025, 3, 1), status_on=dt.date(2025, 3, 1), review_due=dt.date(2026, 3, 1))  # fmt: skip
    page.goto(f"{base}/cadres/teams/")
    assert "缺年轻干部" in page.inner_text("table.list")
    shot(page, "cadres-teams")
    page.goto(f"{base}/cadres/teams/gaps/")
    assert "李青" in page.inner_text("table.list")
    shot(page, "cadres-gaps")
