"""党员: the membership of a Person, with its dated branch affiliation history (DESIGN.md, decision 2)."""

from __future__ import annotations

from django.db import models

from zugong.core import codes


class MemberStatus(models.TextChoices):
    FULL = "full", "正式党员"
    PROBATIONARY = "probationary", "预备党员"


class PartyMember(models.Model):
    """The membership record of one Person.

    ``org`` is the current branch (kept equal to the open ``Affiliation``); ``joined_date`` is the
    day the branch general meeting admitted the member (入党时间), ``confirmed_date`` the day of
    confirmation as a full member (转正时间), empty while probationary.
    """

    person = models.OneToOneField("core.Person", on_delete=models.PROTECT, related_name="membership")
    org = models.ForeignKey("orgs.PartyOrganization", on_delete=models.PROTECT, related_name="members", verbose_name="所在党支部")
    status = models.CharField("党员类别", max_length=12, choices=MemberStatus.choices)
    joined_date = models.DateField("入党时间", db_index=True)
    confirmed_date = models.DateField("转正时间", null=True, blank=True)
    occupation = models.CharField("人员类别（职业）", max_length=2, choices=codes.OCCUPATION)
    left_date = models.DateField("出党（停止党籍）日期", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "党员"
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="probationary", confirmed_date__isnull=False),
                name="member_probationary_not_confirmed",
            ),
            models.CheckConstraint(
                condition=models.Q(confirmed_date__isnull=True) | models.Q(confirmed_date__gt=models.F("joined_date")),
                name="member_confirmed_after_joined",
            ),
            models.CheckConstraint(condition=models.Q(occupation__in=[c for c, _ in codes.OCCUPATION]), name="member_occupation_code"),
        ]

    def __str__(self) -> str:
        return f"{self.person.name}（{self.get_status_display()}）"

    @property
    def occupation_label(self) -> str:
        return codes.label("occupation", self.occupation)


class Affiliation(models.Model):
    """隶属关系: a member's membership in a branch from ``start`` until ``end`` (exclusive; null = now)."""

    member = models.ForeignKey(PartyMember, on_delete=models.CASCADE, related_name="affiliations")
    org = models.ForeignKey("orgs.PartyOrganization", on_delete=models.PROTECT, related_name="affiliations", verbose_name="党支部")
    start = models.DateField("转入日期")
    end = models.DateField("转出日期", null=True, blank=True)
    document_no = models.CharField("介绍信编号", max_length=60, blank=True)
    reason = models.CharField("原因", max_length=60, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "组织关系"
        ordering = ["member", "start"]
        indexes = [models.Index(fields=["org", "start"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(end__isnull=True) | models.Q(end__gt=models.F("start")), name="affiliation_end_after_start"),
            models.UniqueConstraint(fields=["member"], condition=models.Q(end__isnull=True), name="affiliation_one_open_per_member"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id}@{self.org_id} {self.start}–{self.end or ''}"
