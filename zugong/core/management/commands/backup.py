"""``zugong backup [-o DIR] [--keep N] [--no-media]``: one archive of the database and the uploaded files."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from zugong.core.audit import SYSTEM
from zugong.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "备份数据库和上传文件（.tar.gz，含清单和校验值；不含密钥，密钥须另行保管）"

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", type=Path, default=None, help="备份目录（默认 ZUGONG_HOME/backups）")
        parser.add_argument("--keep", type=int, default=None, help="只保留最新的 N 份")
        parser.add_argument("--no-media", action="store_true", help="不含上传文件")

    def handle(self, *args, output, keep, no_media, **options):
        target = output or Path(settings.ZUGONG_HOME) / "backups"
        try:
            result = backup_create(actor=SYSTEM, target_dir=target, keep=keep, media=not no_media)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        m = result.manifest
        counts = "，".join(f"{k} {v:,}" for k, v in m["counts"].items())
        self.stdout.write(f"已备份到 {result.path}（{result.size / 1e6:.1f} MB；{m['database']}；上传文件 {m['media_files']} 个）")
        self.stdout.write(f"行数：{counts}")
        for path in result.removed:
            self.stdout.write(f"已删除旧备份 {path.name}")
        self.stdout.write("注意：备份不含加密密钥（ZUGONG_FIELD_KEYS、ZUGONG_BLIND_INDEX_KEY 或 ZUGONG_HOME/keys），请另行安全保管。")
