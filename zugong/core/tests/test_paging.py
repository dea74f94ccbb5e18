"""Pages read from the end (``zugong.core.paging``) hold the same rows as pages read with OFFSET."""

import pytest
from django.core.paginator import Paginator
from django.db.models import F

from zugong.core.api_paging import PageQuery, paginate
from zugong.core.models import AuditEvent
from zugong.core.paging import TailPaginator, page_slice

pytestmark = pytest.mark.django_db


@pytest.fixture
def events():
    ips = [None, "10.0.0.2", "10.0.0.1", None, "10.0.0.2"]  # NULLs and ties
    AuditEvent.objects.bulk_create(AuditEvent(action=f"t.{i % 3}", ip=ips[i % 5]) for i in range(23))


@pytest.mark.parametrize(
    "ordering",
    [("-at", "-id"), ("ip", "id"), ("-ip", "action", "-id"), (F("ip").asc(nulls_last=True), "id")],
    ids=["newest first", "nulls ascending", "nulls descending", "nulls last"],
)
@pytest.mark.parametrize("orphans", [0, 2])
def test_every_page_from_the_end_holds_the_rows_offset_gives(events, ordering, orphans):
    qs = AuditEvent.objects.order_by(*ordering)
    plain, tail = Paginator(qs, 5, orphans=orphans), TailPaginator(qs, 5, orphans=orphans)
    assert tail.num_pages == plain.num_pages
    for n in plain.page_range:
        assert [e.pk for e in tail.page(n)] == [e.pk for e in plain.page(n)], n


def test_a_slice_reads_from_the_end_only_past_the_middle(events):
    qs = AuditEvent.objects.order_by("-at", "-id")
    every = list(qs.values_list("pk", flat=True))
    for start, stop in [(0, 5), (10, 15), (18, 23), (20, 30), (23, 28)]:
        assert [e.pk for e in page_slice(qs, start, stop, 23)] == every[start:stop]
    sql = str(qs.reverse()[0:5].query)
    assert "ASC" in sql  # the reversed order reaches the database
    unordered = AuditEvent.objects.order_by()
    assert len(page_slice(unordered, 20, 25, 23)) == 3


def test_the_api_pages_are_the_same_from_either_end(events):
    qs = AuditEvent.objects.order_by("-at", "-id")
    every = list(qs.values_list("pk", flat=True))
    pages = [paginate(qs, PageQuery(page=n, page_size=10), lambda e: e.pk) for n in (1, 2, 3, 4)]
    assert [p["items"] for p in pages] == [every[:10], every[10:20], every[20:], []]
    assert {p["pages"] for p in pages} == {3}
