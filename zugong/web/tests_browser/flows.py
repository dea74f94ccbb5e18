"""Steps the browser tests share (a person's actions, not assertions)."""

from __future__ import annotations

from zugong.core.testing import PASSWORD


def login(page, base: str, username: str) -> None:
    """Sign in on the login page as ``username`` (test password) and wait for the dashboard."""
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")
