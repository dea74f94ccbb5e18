"""``zugong import members|cadres FILE --as USERNAME [--good-rows-only] [--dry-run]``: the web import's services."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from zugong.core.audit import Actor
from zugong.core.scope import scope_for


class Command(BaseCommand):
    help = "导入党员或干部名册（.xlsx/.xls）：逐行校验，全部无误才写入（或 --good-rows-only 只导入无误的行）"

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=("members", "cadres"))
        parser.add_argument("file", type=Path)
        parser.add_argument("--as", dest="username", required=True, help="以该用户的身份和管理范围导入")
        parser.add_argument("--good-rows-only", action="store_true", help="只导入无误的行")
        parser.add_argument("--dry-run", action="store_true", help="只校验，不写入")
        parser.add_argument("--show-errors", type=int, default=50, help="列出的错误条数")

    def handle(self, *args, kind, file, username, good_rows_only, dry_run, show_errors, **options):
        from zugong.members import services

        if not file.exists():
            raise CommandError(f"文件不存在：{file}")
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"用户不存在：{username}")
        try:
            scope = scope_for(user)
            job, prepared = services.import_file(
                actor=Actor(user=user), scope=scope, kind=kind, path=file, good_rows_only=good_rows_only, dry_run=dry_run
            )
        except PermissionDenied as exc:
            raise CommandError(f"无权导入：{exc}") from None
        except services.ImportRefused as exc:
            job = services.ImportJob.objects.filter(created_by=user).order_by("-id").first()
            self._errors(job.errors if job else [], show_errors)
            raise CommandError(f"未导入：{exc}") from None
        self._errors(job.errors, show_errors)
        t = job.timings
        head = "校验" if dry_run else "导入"
        self.stdout.write(
            f"{head}完成（任务 {job.pk}）：{job.total_rows} 行，有误 {job.error_rows} 行；"
            f"{'预计' if dry_run else ''}新增 {job.created_count}、更新 {job.updated_count}"
            f"（其中变更党支部 {job.transferred_count}）、未变 {job.unchanged_count}。"
            f"耗时：读取 {t.get('read', 0):.2f}s，校验 {t.get('validate', 0):.2f}s"
            + (f"，写入 {t.get('write', 0):.2f}s" if not dry_run else "")
        )

    def _errors(self, errors, limit):
        for row, column, value, reason in errors[:limit]:
            self.stderr.write(f"第{row}行 {column}「{value}」：{reason}")
        if len(errors) > limit:
            self.stderr.write(f"……另有 {len(errors) - limit} 条错误")
