"""Every held-out set with hand-cleaned references passes the shared annotation checker
(zugong/work/tests/data/check_annotations.py): schema, anchors once in the reference and in the
artefact text, deadlines and parties written in the text."""

import importlib.util
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
SETS = sorted(p.name for p in DATA.glob("heldout*") if (p / "reference").is_dir())


def _checker():
    spec = importlib.util.spec_from_file_location("check_annotations", DATA / "check_annotations.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name", SETS)
def test_it_finds_no_annotation_error_in_the_set(name):
    checker = _checker()
    files = sorted((DATA / name).glob("*.expected.json"))
    assert files
    errors = [e for path in files for e in checker.check(path)[0]]
    assert errors == []
