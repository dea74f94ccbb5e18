"""HTML helpers of the work pages: highlighted spans in the cleaned text, the outline as a flat list."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class Span:
    """A highlighted stretch [start, end) of a text: CSS classes, a tooltip, an optional anchor id."""

    start: int
    end: int
    css: str
    title: str = ""
    anchor: str = ""


def highlight(text: str, spans: list[Span]) -> SafeString:
    """``text`` escaped, with each span wrapped in ``<span class=…>`` (nested spans allowed, line breaks kept).

    Spans are cut at each other's boundaries so that the markup is always well nested.
    """
    spans = [s for s in spans if 0 <= s.start < s.end <= len(text)]
    cuts = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    out = []
    opened_anchor = set()
    for a, b in zip(cuts, cuts[1:], strict=False):
        cover = [s for s in spans if s.start <= a and b <= s.end]
        chunk = escape(text[a:b]).replace("\n", "<br>")
        for s in sorted(cover, key=lambda s: (s.end - s.start)):
            attrs = f' class="{s.css}"'
            if s.title:
                attrs += f' title="{escape(s.title)}"'
            if s.anchor and s.anchor not in opened_anchor:
                attrs += f' id="{s.anchor}"'
                opened_anchor.add(s.anchor)
            chunk = f"<span{attrs}>{chunk}</span>"
        out.append(chunk)
    return mark_safe("".join(out))


def flat_outline(node: dict, out: list | None = None) -> list[dict]:
    """Pre-order list of outline headings ({level, marker, text, start}) from ``WorkDocument.outline``."""
    out = [] if out is None else out
    if node.get("kind") != "document" and node:
        out.append({"level": node["level"], "marker": node.get("marker", ""), "text": node["text"],
                    "start": node["span"][0], "kind": node["kind"]})
    for child in node.get("children", []):
        flat_outline(child, out)
    return out
