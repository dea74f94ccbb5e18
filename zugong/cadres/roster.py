"""Cadre roster columns as organization departments keep them (see zugong.members.roster for mapping rules).

职级 (``CadreRank``, ``rules.RANKS`` names: 二级调研员, 一级主任科员) and 任现职级时间 are columns of their
own beside 现任职务 / 职务级别 / 任职时间 (《公务员职务与职级并行规定》 2019: a 职级 is no 职务). A header
"职级" therefore names the rank, no longer the 职务级别 (GB/T 12407), whose variants are 级别 and
职务层次. A cadre with a rank only has an empty 现任职务 and 任职时间.
"""

from __future__ import annotations

import datetime as dt

from zugong.cadres.models import Cadre
from zugong.core.rules import make_id_number
from zugong.core.scope import Scope
from zugong.members.roster import Column

CADRE_COLUMNS: tuple[Column, ...] = (
    Column("name", "姓名", True, ("干部姓名",)),
    Column("gender", "性别", False),
    Column("ethnicity", "民族", False),
    Column("birth_date", "出生年月", False, ("出生日期", "生日", "出生年月日"), is_date=True),
    Column("id_number", "身份证号", True, ("身份证号码", "公民身份号码", "证件号码", "身份证")),
    Column("education", "学历", False, ("文化程度", "最高学历", "全日制学历")),
    Column("unit", "工作单位", True, ("单位", "所在单位", "任职单位", "单位名称")),
    Column("post", "现任职务", True, ("职务", "现职务", "现任职务名称", "职务名称")),
    Column("post_level", "职务级别", True, ("级别", "职务层次")),
    Column("start", "任职时间", True, ("任现职时间", "任职日期", "任现职务时间"), is_date=True),
    Column("document_no", "任职文号", False, ("任免文号", "文号", "任职文件")),
    Column("rank", "职级", False, ("现任职级", "现职级", "职级名称")),
    Column("rank_start", "任现职级时间", False, ("任职级时间", "职级时间", "任现职级日期", "任职级日期", "晋升职级时间"), is_date=True),
    Column("rank_document_no", "职级文号", False, ("任职级文号", "职级任职文号", "任现职级文号", "晋升职级文号")),
    Column("management_level", "管理权限", True, ("管理类别", "干部管理权限")),
    Column("is_party_member", "是否中共党员", False, ("政治面貌", "是否党员", "中共党员")),
)


def cadre_example_row(scope: Scope) -> list:
    """One example row for the import template, with a unit of the user's subtree."""
    from zugong.orgs.models import Unit

    unit = Unit.objects.filter(path__startswith=scope.unit_path).order_by("path").values_list("name", flat=True).first()
    _ = Cadre  # the columns describe Cadre + Post + Appointment
    return [
        "李四", "男", "汉族", "1975.03", make_id_number("341502", dt.date(1975, 3, 1), 13), "大学本科",
        unit or "××单位", "局长", "县处级正职", "2021.06", "六组干〔2021〕12号", "一级调研员", "2022.03", "六组干〔2022〕5号", "县管", "是",
    ]  # fmt: skip
