from zugong.core.testing import PASSWORD


def test_it_logs_in_a_county_administrator_and_shows_the_scope(live_server, city, page):
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", "county_admin")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    assert "金安区" in page.inner_text(".scope-label")


def test_it_refuses_a_wrong_password(live_server, city, page):
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", "county_admin")
    page.fill("input[name=password]", "wrong-password")
    page.click("button[type=submit]")
    assert "用户名或密码错误" in page.inner_text("body")
