import io

import pytest
from django.core.cache import cache
from django.core.management import call_command

from zugong.orgs.models import Unit


@pytest.mark.django_db
def test_it_builds_the_demo_city_on_first_start_and_prints_the_accounts(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    out = io.StringIO()
    call_command("serve", check=True, scale=0.002, stdout=out)
    text = out.getvalue()
    assert Unit.objects.filter(name="六安市").exists()
    assert "演示账号" in text and "admin" in text and "jinan" in text
    assert (settings.STATIC_ROOT / "web" / "app.css").exists()  # static files collected for whitenoise


@pytest.mark.django_db
def test_it_skips_the_demo_on_later_starts_and_still_lists_the_accounts(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    first = io.StringIO()
    call_command("serve", check=True, scale=0.002, stdout=first)
    units = Unit.objects.count()
    cache.set("zugong.stats:overview:x", "figures of before the restart")
    out = io.StringIO()
    call_command("serve", check=True, stdout=out)
    assert Unit.objects.count() == units
    assert cache.get("zugong.stats:overview:x") is None  # data may have changed while the server was down
    listing = out.getvalue()[out.getvalue().index("演示账号") :]
    assert listing in first.getvalue()  # the same accounts, roles and 管理范围 as on the first start
    assert "中共六安市委员会" in listing


@pytest.mark.django_db
def test_it_leaves_an_empty_database_empty_with_no_demo(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    call_command("serve", check=True, no_demo=True, stdout=io.StringIO())
    assert not Unit.objects.exists()
