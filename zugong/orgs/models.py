"""Unit tree and party organization tree, each with an indexed materialized path.

A node's ``path`` is its parent's path plus a 4-character base-36 step ("0001", "0002", …), so
"this node and everything below" is the single indexed condition ``path LIKE '<path>%'``
(DESIGN.md, decision 1). Paths are assigned by ``zugong.orgs.services``; never edit them by hand.
"""

from __future__ import annotations

from django.db import models

STEP = 4
STEP_BASE = 36
_DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def path_step(n: int) -> str:
    """Return the 4-character base-36 step for sibling number ``n`` (1 ≤ n < 36**4)."""
    if not 0 < n < STEP_BASE**STEP:
        raise ValueError(f"sibling number {n} out of range")
    out = ""
    for _ in range(STEP):
        n, r = divmod(n, STEP_BASE)
        out = _DIGITS[r] + out
    return out


class UnitKind(models.TextChoices):
    CITY = "city", "市"
    COUNTY = "county", "县（市、区）"
    TOWNSHIP = "township", "乡镇"
    SUBDISTRICT = "subdistrict", "街道"
    VILLAGE = "village", "村"
    COMMUNITY = "community", "社区"
    ORGAN = "organ", "党政机关"
    INSTITUTION = "institution", "事业单位"
    SCHOOL = "school", "学校"
    HOSPITAL = "hospital", "医院"
    SOE = "soe", "国有企业"
    NONPUBLIC = "nonpublic", "非公有制企业"
    SOCIAL = "social", "社会组织"


#: Kinds counted as 两新组织 (new economic and social organizations).
NEW_ORGANIZATION_KINDS = (UnitKind.NONPUBLIC, UnitKind.SOCIAL)


class TreeNode(models.Model):
    """Abstract node of a materialized-path tree."""

    name = models.CharField("名称", max_length=120)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    path = models.CharField("路径", max_length=64, unique=True)
    depth = models.PositiveSmallIntegerField("层级")
    sort = models.PositiveIntegerField("排序", default=0)

    class Meta:
        abstract = True
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def is_within(self, root_path: str) -> bool:
        """True when this node is ``root_path`` itself or below it."""
        return self.path.startswith(root_path)


class Unit(TreeNode):
    """单位: a body with staff (党政机关, 事业单位, 国有企业, 乡镇街道, 村社区, 两新组织)."""

    kind = models.CharField("单位类别", max_length=16, choices=UnitKind.choices)
    division_code = models.CharField("统计用区划代码", max_length=12, blank=True, db_index=True)

    class Meta(TreeNode.Meta):
        verbose_name = verbose_name_plural = "单位"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(division_code="") | models.Q(division_code__regex=r"^[0-9]{6}([0-9]{3}|[0-9]{6})?$"),
                name="unit_division_code_digits",
            ),
        ]


class OrgKind(models.TextChoices):
    COMMITTEE = "committee", "党委"
    WORKING_COMMITTEE = "working_committee", "党工委"
    LEADING_GROUP = "leading_group", "党组"
    GENERAL_BRANCH = "general_branch", "党总支"
    BRANCH = "branch", "党支部"
    JOINT_BRANCH = "joint_branch", "联合党支部"
    GROUP = "group", "党小组"


#: Kinds that hold members directly (基层党支部 in the statistics).
BRANCH_KINDS = (OrgKind.BRANCH, OrgKind.JOINT_BRANCH)
#: Grassroots organizations as the bulletin counts them: 基层党委, 总支部, 支部.
GRASSROOTS_GROUPS = (
    ("基层党委", (OrgKind.COMMITTEE, OrgKind.WORKING_COMMITTEE)),
    ("总支部", (OrgKind.GENERAL_BRANCH,)),
    ("支部", (OrgKind.BRANCH, OrgKind.JOINT_BRANCH)),
)


def term_years_for(kind: str, unit_kind: str | None) -> int:
    """每届任期 (years) of a party organization of ``kind`` (OrgKind) set up in a unit of ``unit_kind``
    (UnitKind, None when not linked):

    - 党委 (the city's, counties' and 基层委员会 alike), 党工委 and 党组: five years — 党的设区的市和
      市辖区、县的委员会: 《中国共产党章程》(2022) 第二十七条; 基层委员会: 一般为五年,
      《中国共产党基层组织选举工作条例》(2020; article not verified), within 党章第三十一条's
      三年至五年. 党工委 and 党组 are not elected; they are given the committee's figure.
    - 党总支, 党支部, 联合党支部, 党小组: five years in a 村 or 社区, three elsewhere — 《中国共产党支部
      工作条例（试行）》(2018) 第六章: "村、社区党支部委员会每届任期5年，其他基层单位党支部委员会一般每届任期3年".
    """
    if kind in (OrgKind.COMMITTEE, OrgKind.WORKING_COMMITTEE, OrgKind.LEADING_GROUP):
        return 5
    return 5 if unit_kind in (UnitKind.VILLAGE, UnitKind.COMMUNITY) else 3


class PartyOrganization(TreeNode):
    """党组织: a node of the party tree, linked to the unit it is set up in."""

    kind = models.CharField("组织类别", max_length=20, choices=OrgKind.choices)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="party_orgs")
    established = models.DateField("成立日期", null=True, blank=True)
    term_years = models.PositiveSmallIntegerField("任期（年）", default=3)  # set by kind: term_years_for

    class Meta(TreeNode.Meta):
        verbose_name = verbose_name_plural = "党组织"

    @property
    def holds_members(self) -> bool:
        """True for 党支部 and 联合党支部, the organizations members belong to."""
        return self.kind in BRANCH_KINDS
