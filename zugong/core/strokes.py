"""姓氏笔画 ordering (placeholder: replaced by the stroke-table module)."""

from __future__ import annotations


def stroke_sort_key(name: str) -> str:
    """Return a string key; sorting by it orders names by 姓氏笔画."""
    return name
