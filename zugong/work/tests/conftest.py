"""Fixtures of the work app: the test city with a 市委组织部 organ and an uploaded seed speech."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from zugong.core.audit import SYSTEM
from zugong.core.scope import scope_for
from zugong.orgs.models import UnitKind
from zugong.orgs.services import unit_create
from zugong.work.services import document_upload

SEEDS = Path(__file__).parent / "data" / "seeds"
LUAN = SEEDS / "luan-2023-org-ministers-meeting.txt"

PLAN = """2024年全市组织工作要点

一、加强干部队伍建设
1.市委组织部要在6月底前选派30名年轻干部到乡镇挂职锻炼。
2.各县区要在年底前建成15个党群服务示范点。
二、加强人才工作
3.市委组织部牵头遴选培育10名领军人才，今年完成。
"""


@pytest.fixture
def organ(city):
    """市委组织部 as an organ unit under the city (the test city has none)."""
    return unit_create(actor=SYSTEM, parent=city.units["city"], name="中共六安市委组织部", kind=UnitKind.ORGAN)


@pytest.fixture
def plan(city, organ):
    """A small 工作要点 uploaded by the city administrator, dated 2024-01-10."""
    user = city.users["city_admin"]
    return document_upload(actor=SYSTEM.__class__(user=user), scope=scope_for(user), kind="plan",
                           document_date=dt.date(2024, 1, 10), text=PLAN)
