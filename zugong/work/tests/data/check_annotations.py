"""Validate the annotations of a held-out set against its hand-cleaned references and print its counts.

One checker for every set written as ``heldoutN/`` with ``<name>.txt``, ``<name>.expected.json`` and
``reference/<name>.cleaned`` (heldout4 onwards; it replaces the copies each set's author made). For every
``<name>.expected.json``: the JSON loads and has the seed schema (top-level keys, task keys, target keys,
numeric ``value``/``max`` > 0, ``action`` and ``object`` non-empty strings, ``qualifier`` a string or
null, a known pillar); every ``anchor`` occurs exactly once in ``reference/<name>.cleaned``, holds no
line break, no tab (so it stays inside one table cell) and no sentence end (。！？), and occurs exactly
once in ``<name>.txt`` once the inserted line breaks are removed (so it never crosses a page footer, a
doubled heading or a repeated phrase); the title, every deadline and every party is written in the
cleaned text and in the artefact text without its line breaks and page footers (a party may be bold-doubled there, 组组织织股股, when
it is written only in a bold heading); ranges have ``max`` > ``value``; the cleaned text has
2,000–3,500 characters and differs from the ``.txt`` (artefacts present).
Prints one Markdown table row per document. Exit status 1 on any failure.
Run: ``python zugong/work/tests/data/check_annotations.py heldout9`` (one or more set folders).
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

DATA = Path(__file__).resolve().parent
TASK_KEYS = {"anchor", "action", "targets", "deadline", "parties", "pillar"}
TARGET_KEYS = {"value", "unit", "qualifier", "object"}
PILLARS = {"组织", "干部", "人才", "自身建设"}
#: A page footer line as the sets insert them: "— 4 —", "- 2 -", "第 2 页 共 5 页".
PAGE_MARKER = re.compile(r"^\s*(?:[—－\-]\s*\d{1,3}\s*[—－\-]|第\s*\d{1,3}\s*页\s*共\s*\d{1,3}\s*页)\s*$")


def check(path: Path) -> tuple[list[str], str]:
    """Return (errors, table row) for one ``<set>/<name>.expected.json`` file."""
    here = path.parent
    errors: list[str] = []
    doc = json.loads(path.read_text(encoding="utf-8"))
    name = doc["seed"]
    clean = (here / "reference" / f"{name}.cleaned").read_text(encoding="utf-8")
    raw = (here / f"{name}.txt").read_text(encoding="utf-8")
    flat = raw.replace("\n", "")
    # deadlines and parties may be cut by a page footer (heldout5 does so on purpose): look for them
    # with the footer lines taken out; anchors must not cross one, so they use ``flat``
    unpaged = "".join(line for line in raw.splitlines() if not PAGE_MARKER.match(line))
    if set(doc) != {"seed", "doc_date", "doc_date_note", "title", "tasks"}:
        errors.append(f"{name}: top-level keys {sorted(doc)}")
    if doc["title"] and doc["title"] not in clean:
        errors.append(f"{name}: title not in text")
    if not 2000 <= len(clean) <= 3500:
        errors.append(f"{name}: cleaned text has {len(clean)} characters, not 2,000–3,500")
    if raw == clean:
        errors.append(f"{name}: the .txt has no artefacts")
    pillars: Counter[str] = Counter()
    n_targets = n_ranges = n_deadline = n_parties = 0
    for i, task in enumerate(doc["tasks"], start=1):
        where = f"{name} task {i}"
        if set(task) != TASK_KEYS:
            errors.append(f"{where}: keys {sorted(task)}")
        anchor = task["anchor"]
        if clean.count(anchor) != 1:
            errors.append(f"{where}: anchor occurs {clean.count(anchor)}× in the cleaned text: {anchor}")
        if any(c in anchor for c in "\n\t。！？"):
            errors.append(f"{where}: anchor crosses a line or sentence end: {anchor}")
        if flat.count(anchor) != 1:
            errors.append(f"{where}: anchor not found once in the artefact text: {anchor}")
        if not isinstance(task["action"], str) or not task["action"]:
            errors.append(f"{where}: empty action")
        if task["deadline"] is not None:
            n_deadline += 1
            if task["deadline"] not in clean or task["deadline"] not in unpaged:
                errors.append(f"{where}: deadline not in text: {task['deadline']}")
        if task["parties"]:
            n_parties += 1
        for party in task["parties"]:
            doubled = "".join(c + c for c in party)
            if party not in clean or (party not in unpaged and doubled not in unpaged):
                errors.append(f"{where}: party not in text: {party}")
        if task["pillar"] not in PILLARS:
            errors.append(f"{where}: pillar {task['pillar']}")
        pillars[task["pillar"]] += 1
        for t in task["targets"]:
            n_targets += 1
            if not TARGET_KEYS <= set(t) or set(t) - TARGET_KEYS - {"max"}:
                errors.append(f"{where}: target keys {sorted(t)}")
            if not isinstance(t.get("object"), str) or not t["object"]:
                errors.append(f"{where}: target object is empty")
            if t.get("qualifier") is not None and not isinstance(t["qualifier"], str):
                errors.append(f"{where}: target qualifier is not a string or null")
            if isinstance(t.get("value"), (int, float)) and t["value"] <= 0:
                errors.append(f"{where}: target value is not positive")
            for key in ("value", "max"):
                if key in t and (isinstance(t[key], bool) or not isinstance(t[key], (int, float))):
                    errors.append(f"{where}: target {key} is not a number: {t[key]!r}")
            if "max" in t:
                n_ranges += 1
                if not t["max"] > t["value"]:
                    errors.append(f"{where}: range max <= value")
    row = (
        f"| {name} | {doc['doc_date']} | {len(clean):,} | {len(raw):,} | {len(doc['tasks'])} | "
        f"{n_targets} | {n_ranges} | {n_deadline} | {n_parties} | "
        + ", ".join(f"{k} {v}" for k, v in pillars.most_common())
        + " |"
    )
    return errors, row


def main(folders: list[str]) -> int:
    """Check every annotation file of the given set folders (names under this folder or paths);
    print one table per set and the errors."""
    failures: list[str] = []
    for folder in folders:
        here = DATA / folder if (DATA / folder).is_dir() else Path(folder)
        print(f"\n{here.name}\n")
        print("| file | doc_date | clean chars | file chars | tasks | targets | ranges (`max`) "
              "| with deadline | with parties | pillars |")
        print("|---|---|---|---|---|---|---|---|---|---|")
        for path in sorted(here.glob("*.expected.json")):
            errors, row = check(path)
            print(row)
            failures.extend(errors)
    for e in failures:
        print("ERROR", e)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or sorted(p.name for p in DATA.glob("heldout*") if (p / "reference").is_dir())))
