"""Counts on the pages are grouped 250,018 under zh-hans (zugong/formats/zh_Hans); nothing else is."""

import datetime as dt

from django.template import Context, Template
from django.utils import translation


def render(text: str, **context) -> str:
    with translation.override("zh-hans"):
        return Template("{% load humanize %}" + text).render(Context(context))


def test_intcomma_groups_counts_by_three_with_a_comma():
    assert render("{{ n|intcomma }}", n=250018) == "250,018"
    assert render("{{ n|intcomma }}", n=3000) == "3,000"
    assert render("{{ n|intcomma }}", n=999) == "999"


def test_a_share_keeps_its_decimal_point():
    assert render("{{ v|intcomma }}", v=30.0) == "30.0"
    assert render("{{ v|intcomma }}", v=1234.5) == "1,234.5"


def test_years_codes_and_dates_are_not_grouped():
    assert render("{{ y }} {{ code }}", y=2026, code=341502) == "2026 341502"
    assert render('{{ d|date:"Y年n月j日" }}', d=dt.date(2026, 12, 7)) == "2026年12月7日"
