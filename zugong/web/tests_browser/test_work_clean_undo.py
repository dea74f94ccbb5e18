"""清理对照 in a real browser: undoing and restoring a cleaning edit refreshes both panes, the
notice and the edit list in place (htmx, no page reload); with JavaScript off the same buttons
post and the page reloads with the same result."""

from __future__ import annotations

import datetime as dt

import pytest

from zugong.core.audit import Actor
from zugong.core.scope import scope_for
from zugong.web.tests_browser.flows import login
from zugong.work.services import document_upload
from zugong.work.tests.conftest import LUAN


@pytest.fixture
def seed_doc(city, settings, tmp_path):
    """The Lu'an seed speech uploaded by the city administrator (as a file, so cleaning has work to do)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    user = city.users["city_admin"]
    return document_upload(actor=Actor(user=user), scope=scope_for(user), kind="speech",
                           document_date=dt.date(2023, 3, 1), file_name=LUAN.name, file_bytes=LUAN.read_bytes())


def _pick(doc) -> dict:
    """A doubled-character edit well into the text (so the panes have to scroll to show it)."""
    edits = [e for e in doc.edits if e["kind"] == "doubled" and e["end"] > e["start"]]
    return edits[len(edits) // 2]


def test_it_refreshes_the_panes_in_place_on_undo_and_restore(live_server, city, seed_doc, page, shot):
    base = live_server.url
    edit = _pick(seed_doc)
    kept = seed_doc.raw_text[edit["start"]:edit["end"]]
    login(page, base, "city_admin")
    page.goto(f"{base}/work/documents/{seed_doc.pk}/cleaning/?kind=doubled")
    page.evaluate("window.__noReload = true")
    assert page.locator("#cleaned .hl-undone").count() == 0
    assert page.locator("#clean-stale").count() == 0

    row = page.locator(f"#edit-{edit['id']}")
    row.scroll_into_view_if_needed()
    row.locator("button:has-text('撤销此修改')").click()
    page.wait_for_selector(f"#cleaned #c{edit['id']}")
    assert page.evaluate("window.__noReload") is True  # swapped by htmx, not reloaded
    assert page.inner_text(f"#cleaned #c{edit['id']}") == kept
    page.wait_for_selector(f"#raw-pane #e{edit['id']}.hl-undone")  # the panes are swapped one after the other
    page.wait_for_selector("#clean-stale:has-text('已撤销 1 处')")
    assert page.locator(f"#edit-{edit['id']}.undone button:has-text('恢复此修改')").count() == 1
    assert "kind=doubled" in page.url and page.locator("table.edits tbody tr").count() == len(
        [e for e in seed_doc.edits if e["kind"] == "doubled"])
    # both panes scrolled to the undone edit
    # (polled: the script scrolls after the swap, and a loaded machine may take a moment)
    for pane, anchor in (("#raw-pane", f"#e{edit['id']}"), ("#cleaned", f"#c{edit['id']}")):
        page.wait_for_function(
            """([pane, anchor]) => {
                const box = document.querySelector(pane).getBoundingClientRect();
                const el = document.querySelector(anchor).getBoundingClientRect();
                return box.top <= el.top && el.top <= box.bottom;
            }""",
            arg=[pane, anchor],
            timeout=5000,
        )
    page.locator(".clean-grid").scroll_into_view_if_needed()
    shot(page, "work-clean-undo")

    page.locator(f"#edit-{edit['id']} button:has-text('恢复此修改')").click()
    page.wait_for_selector(f"#cleaned #c{edit['id']}", state="detached")
    page.wait_for_selector("#clean-stale", state="detached")
    assert page.evaluate("window.__noReload") is True
    page.wait_for_selector(f"#raw-pane #e{edit['id']}.hl-removed")
    seed_doc.refresh_from_db()
    assert seed_doc.undone == [] and seed_doc.cleaned_text == seed_doc.analysed_text


def test_it_undoes_with_javascript_off_by_post_and_redirect(live_server, city, seed_doc, browser):
    context = browser.new_context(java_script_enabled=False, locale="zh-CN")
    page = context.new_page()
    try:
        base = live_server.url
        edit = _pick(seed_doc)
        login(page, base, "city_admin")
        page.goto(f"{base}/work/documents/{seed_doc.pk}/cleaning/?kind=doubled")
        page.locator(f"#edit-{edit['id']} button:has-text('撤销此修改')").click()
        page.wait_for_url(f"**/cleaning/?kind=doubled#edit-{edit['id']}")
        assert page.inner_text(f"#cleaned #c{edit['id']}") == seed_doc.raw_text[edit["start"]:edit["end"]]
        assert page.locator(f"#edit-{edit['id']} button:has-text('恢复此修改')").count() == 1
    finally:
        context.close()
