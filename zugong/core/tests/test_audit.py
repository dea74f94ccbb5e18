"""The audit log's vocabulary: every action the code writes has a Chinese name and a filter group."""

import ast
from pathlib import Path

import pytest

import zugong
from zugong.core.audit import ACTION_GROUPS, ACTION_LABELS, SYSTEM, action_label, audit_record
from zugong.members.models import ImportJob
from zugong.members.services import roster_kind

ROSTER_ACTIONS = {roster_kind(k).audit_action for k in ImportJob.Kind.values}


def _actions(node: ast.AST) -> set[str]:
    """The action codes an ``audit_record``/``_audit`` argument can take."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        return _actions(node.body) | _actions(node.orelse)
    if isinstance(node, ast.JoinedStr):  # f"{roster_kind(...).audit_action}_cancelled"
        suffix = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
        return {a + suffix for a in ROSTER_ACTIONS}
    if isinstance(node, ast.Attribute) and node.attr == "audit_action":
        return set(ROSTER_ACTIONS)
    return set()  # a helper's parameter: its callers are scanned


def audited_actions() -> set[str]:
    found = set()
    for path in Path(zugong.__file__).parent.rglob("*.py"):
        if {"tests", "tests_browser", "migrations"} & set(path.parts):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and len(node.args) > 1:
                name = getattr(node.func, "id", getattr(node.func, "attr", ""))
                if name in ("audit_record", "_audit"):
                    found |= _actions(node.args[1])
    return found


def test_every_action_written_by_the_code_has_a_chinese_name():
    actions = audited_actions()
    assert len(actions) > 60 and "members.import_failed" in actions and "cadres.case_open" in actions  # the scan works
    assert sorted(actions - ACTION_LABELS.keys()) == []


def test_every_named_action_falls_in_exactly_one_filter_group():
    for action in ACTION_LABELS:
        groups = [code for code, _, prefixes in ACTION_GROUPS if action.startswith(prefixes)]
        assert len(groups) == 1, action


def test_action_labels_read_as_the_pages_word_them():
    assert action_label("members.import") == "导入党员名册"
    assert action_label("cadres.import_started") == "开始导入干部名册"
    assert action_label("members.import_failed") == "党员名册校验或导入未完成"
    assert action_label("person.reveal_id_number") == "查看完整身份证号"
    assert action_label("some.future_action") == "some.future_action"  # unknown: the code as it is


@pytest.mark.django_db(transaction=True)  # outside the test's own transaction
def test_audit_record_refuses_to_write_outside_a_transaction():
    with pytest.raises(RuntimeError, match="inside transaction.atomic"):
        audit_record(SYSTEM, "person.update", summary="x")
