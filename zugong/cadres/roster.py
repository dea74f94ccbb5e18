"""Cadre roster columns as organization departments keep them (see zugong.members.roster for mapping rules)."""

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
    Column("post_level", "职务级别", True, ("职级", "级别", "现职级")),
    Column("start", "任职时间", True, ("任现职时间", "任职日期", "任现职务时间"), is_date=True),
    Column("document_no", "任职文号", False, ("任免文号", "文号", "任职文件")),
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
        unit or "××单位", "局长", "县处级正职", "2021.06", "六组干〔2021〕12号", "县管", "是",
    ]  # fmt: skip
