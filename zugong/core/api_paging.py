"""Paging shared by the list endpoints of the REST API (page numbers from 1, at most 200 rows)."""

from __future__ import annotations

import math
from collections.abc import Callable

from django.db.models import QuerySet
from ninja import Field, Schema

from zugong.core.paging import page_slice


class PageQuery(Schema):
    """页码与每页条数。"""

    page: int = Field(1, ge=1, description="页码，从1开始")
    page_size: int = Field(50, ge=1, le=200, description="每页条数（最多200）")


class PageOut(Schema):
    """分页信息；子类加上 ``items``。"""

    count: int = Field(description="符合条件的总数")
    page: int = Field(description="页码")
    page_size: int = Field(description="每页条数")
    pages: int = Field(description="总页数")


def paginate(qs: QuerySet, query: PageQuery, row: Callable[[object], dict]) -> dict:
    """One page of ``qs`` as {count, page, page_size, pages, items: [row(obj)]} (one COUNT, one slice;
    a page past the middle is read from the end: ``zugong.core.paging.page_slice``)."""
    count = qs.count()
    start = (query.page - 1) * query.page_size
    return {
        "count": count, "page": query.page, "page_size": query.page_size,
        "pages": max(1, math.ceil(count / query.page_size)),
        "items": [row(obj) for obj in page_slice(qs, start, start + query.page_size, count)],
    }
