"""``zugong restore ARCHIVE [--force] [--ignore-keys]``: put a backup made by ``zugong backup`` back."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from zugong.core.audit import SYSTEM
from zugong.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "从 zugong backup 的备份文件恢复数据库和上传文件（请先停止服务）"

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)
        parser.add_argument("--force", action="store_true", help="当前数据库已有数据时仍然覆盖")
        parser.add_argument("--ignore-keys", action="store_true", help="密钥与备份时不同也恢复（身份证号可能无法解密）")

    def handle(self, *args, archive, force, ignore_keys, **options):
        if not archive.is_file():
            raise CommandError(f"找不到备份文件：{archive}")
        try:
            result = backup_restore(actor=SYSTEM, archive=archive, force=force, ignore_keys=ignore_keys)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"已从 {archive.name}（{result.manifest['created_at'][:19]}）恢复。")
        for warning in result.warnings:
            self.stdout.write(self.style.WARNING(f"注意：{warning}"))
