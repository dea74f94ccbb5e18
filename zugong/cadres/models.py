"""干部 at the level statistics need: cadres, leadership teams, posts and dated appointments.

Posts (职务) and appointments are separate: an appointment is a dated fact with its document
numbers (DESIGN.md, decision 2). The cadre issue deepens this with ranks (职级), 职数 and appraisal.
"""

from __future__ import annotations

from django.db import models

from zugong.core import codes


class ManagementLevel(models.TextChoices):
    CITY = "city", "市管"
    COUNTY = "county", "县管"


class Cadre(models.Model):
    """The cadre record of a Person: management level, post level, and the unit of the main post."""

    person = models.OneToOneField("core.Person", on_delete=models.PROTECT, related_name="cadre")
    management_level = models.CharField("管理权限", max_length=8, choices=ManagementLevel.choices, db_index=True)
    post_level = models.CharField("职务级别", max_length=2, choices=codes.POST_LEVEL)
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="cadres", verbose_name="工作单位")
    is_party_member = models.BooleanField("中共党员", default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "干部"

    def __str__(self) -> str:
        return self.person.name


class LeadershipTeam(models.Model):
    """领导班子 of a unit (e.g. 霍山县委领导班子)."""

    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="teams")
    name = models.CharField("班子名称", max_length=120)
    management_level = models.CharField("管理权限", max_length=8, choices=ManagementLevel.choices)

    class Meta:
        verbose_name = verbose_name_plural = "领导班子"
        ordering = ["unit__path", "id"]

    def __str__(self) -> str:
        return self.name


class Post(models.Model):
    """职务: a post in a unit, optionally a seat of a leadership team."""

    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="posts")
    team = models.ForeignKey(LeadershipTeam, null=True, blank=True, on_delete=models.PROTECT, related_name="posts")
    title = models.CharField("职务名称", max_length=60)
    post_level = models.CharField("职务级别", max_length=2, choices=codes.POST_LEVEL)
    sort = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "职务"
        ordering = ["unit__path", "sort"]

    def __str__(self) -> str:
        return self.title


class Appointment(models.Model):
    """任职: ``cadre`` holds ``post`` from ``start`` to ``end`` (exclusive; null = still holds)."""

    cadre = models.ForeignKey(Cadre, on_delete=models.PROTECT, related_name="appointments")
    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="appointments")
    start = models.DateField("任职时间")
    end = models.DateField("免职时间", null=True, blank=True)
    document_no = models.CharField("任职文号", max_length=60, blank=True)
    removal_document_no = models.CharField("免职文号", max_length=60, blank=True)
    is_concurrent = models.BooleanField("兼任", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "任职"
        ordering = ["cadre", "start"]
        indexes = [models.Index(fields=["post", "start"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(end__isnull=True) | models.Q(end__gt=models.F("start")), name="appointment_end_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.cadre_id} {self.post_id} {self.start}–{self.end or ''}"
