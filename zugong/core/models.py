"""What every part shares: code tables, Person, user scope and the audit log."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models

from zugong.core import codes, crypto
from zugong.core.rules import age_on

ID_CONTEXT = b"person.id_number"
PHONE_CONTEXT = b"person.phone"


class CodeItem(models.Model):
    """One row of a national code table (see ``zugong.core.codes``), loaded by migration."""

    table = models.CharField("代码表", max_length=32)
    code = models.CharField("代码", max_length=16)
    label = models.CharField("名称", max_length=64)
    sort = models.PositiveSmallIntegerField("顺序")

    class Meta:
        verbose_name = verbose_name_plural = "代码表"
        ordering = ["table", "sort"]
        constraints = [models.UniqueConstraint(fields=["table", "code"], name="codeitem_table_code_unique")]

    def __str__(self) -> str:
        return f"{self.table}:{self.code} {self.label}"


def _in_codes(field: str, table: tuple[tuple[str, str], ...]) -> models.Q:
    return models.Q(**{f"{field}__in": [c for c, _ in table]})


class Person(models.Model):
    """人员: one record per natural person; member, cadre and talent records point at it.

    身份证号 is stored AES-GCM encrypted (``id_number_cipher``) with an HMAC blind index
    (``id_number_index``) for exact lookup and a masked copy for display (DESIGN.md, decision 3).
    """

    name = models.CharField("姓名", max_length=40)
    name_initials = models.CharField("拼音首字母", max_length=40)
    stroke_key = models.CharField("姓氏笔画排序键", max_length=80)
    id_number_cipher = models.BinaryField("身份证号（密文）")
    id_number_index = models.CharField("身份证号盲索引", max_length=64)
    id_number_masked = models.CharField("身份证号", max_length=18)
    gender = models.CharField("性别", max_length=1, choices=codes.GENDER)
    ethnicity = models.CharField("民族", max_length=2, choices=codes.ETHNICITY, default=codes.HAN)
    birth_date = models.DateField("出生日期")
    native_place = models.CharField("籍贯（区划代码）", max_length=12, blank=True)
    education = models.CharField("学历", max_length=2, choices=codes.EDUCATION, blank=True)
    degree = models.CharField("学位", max_length=1, choices=codes.DEGREE, default="0")
    work_start_date = models.DateField("参加工作时间", null=True, blank=True)
    phone_cipher = models.BinaryField("联系电话（密文）", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "人员"
        # Declared here rather than with unique=True / db_index=True on the fields: on PostgreSQL those
        # also create a varchar_pattern_ops ("_like") index, useless for exact lookup and ORDER BY and
        # a third of the cost of bulk inserts. name_initials and birth_date have no index: the search
        # ORs the initials with 姓名 contains and the age bands are filters inside the subtree, so no
        # plan used them (EXPLAIN on 100,000 members), while each cost ≈0.2 s per 100,000 imported
        # rows. Lists page along person_stroke_key_idx (姓氏笔画).
        indexes = [models.Index(fields=["stroke_key"], name="person_stroke_key_idx")]
        constraints = [
            models.UniqueConstraint(fields=["id_number_index"], name="person_id_number_index_unique"),
            models.CheckConstraint(condition=_in_codes("gender", codes.GENDER), name="person_gender_gbt2261"),
            models.CheckConstraint(condition=_in_codes("ethnicity", codes.ETHNICITY), name="person_ethnicity_gbt3304"),
            models.CheckConstraint(
                condition=models.Q(education="") | _in_codes("education", codes.EDUCATION),
                name="person_education_gbt4658",
            ),
            models.CheckConstraint(
                condition=models.Q(work_start_date__isnull=True) | models.Q(work_start_date__gt=models.F("birth_date")),
                name="person_work_after_birth",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def id_number(self) -> str:
        """The clear 身份证号. Callers must check permission and audit the view (see services)."""
        return crypto.decrypt(self.id_number_cipher, context=ID_CONTEXT)

    @property
    def phone(self) -> str:
        """The clear phone number, '' when none is recorded."""
        if not self.phone_cipher:
            return ""
        return crypto.decrypt(self.phone_cipher, context=PHONE_CONTEXT)

    def age_on(self, on: dt.date) -> int:
        """Full years of age (周岁) on ``on``."""
        return age_on(self.birth_date, on)

    @property
    def gender_label(self) -> str:
        return codes.label("gender", self.gender)

    @property
    def ethnicity_label(self) -> str:
        return codes.label("ethnicity", self.ethnicity)

    @property
    def education_label(self) -> str:
        return codes.label("education", self.education)


class Role(models.TextChoices):
    CITY_ADMIN = "city_admin", "市委组织部管理员"
    COUNTY_ADMIN = "county_admin", "县区委组织部管理员"
    BRANCH_SECRETARY = "branch_secretary", "党支部书记"
    LEADER = "leader", "领导（只读）"


class UserProfile(models.Model):
    """A user's role and the subtree (unit and party organization) it may see."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    role = models.CharField("角色", max_length=20, choices=Role.choices)
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="管理范围（单位）")
    party_org = models.ForeignKey(
        "orgs.PartyOrganization", on_delete=models.PROTECT, related_name="+", verbose_name="管理范围（党组织）"
    )
    may_view_id_numbers = models.BooleanField("可查看完整身份证号", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "用户角色"

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class AuditEvent(models.Model):
    """审计事件: who did what, when, from where, with the state before and after."""

    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="操作人"
    )
    actor_name = models.CharField("操作人", max_length=150, blank=True)
    ip = models.GenericIPAddressField("来源地址", null=True, blank=True)
    action = models.CharField("操作", max_length=60, db_index=True)
    object_type = models.CharField("对象类型", max_length=60, blank=True)
    object_id = models.CharField("对象编号", max_length=40, blank=True)
    summary = models.CharField("摘要", max_length=300, blank=True)
    before = models.JSONField("变更前", null=True, blank=True)
    after = models.JSONField("变更后", null=True, blank=True)
    scope_path = models.CharField("所属范围路径", max_length=64, blank=True, db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = "审计事件"
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action}"
