"""``zugong serve``: migrate, build the demo city on first start, empty the statistics cache, collect
static files, run gunicorn."""

from __future__ import annotations

import os
import sys

from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "启动组工信息系统（gunicorn）；首次启动时建库并生成六安演示城市"

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=os.environ.get("ZUGONG_BIND", "127.0.0.1:8000"))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("ZUGONG_WORKERS", "2")))
        parser.add_argument("--threads", type=int, default=int(os.environ.get("ZUGONG_THREADS", "4")))
        parser.add_argument("--no-demo", action="store_true", help="空库时不生成演示城市")
        parser.add_argument("--scale", type=float, default=float(os.environ.get("ZUGONG_DEMO_SCALE", "1")))
        parser.add_argument("--check", action="store_true", help="只做准备（迁移、演示数据、静态文件），不启动服务")

    def handle(self, *args, bind, workers, threads, no_demo, scale, check, **options):
        from zugong.orgs.models import Unit

        self.stdout.write("数据库迁移 …")
        call_command("migrate", interactive=False, verbosity=0)
        if not no_demo and not Unit.objects.exists():
            self.stdout.write(f"首次启动：生成六安市演示数据（规模 {scale}）…")
            call_command("demo", scale=scale, stdout=self.stdout)
        else:
            self._print_accounts()
        # the statistics cache outlives the server (files shared by its workers); data may have been
        # changed meanwhile by other means than the server (a restore, SQL by hand): start it empty
        cache.clear()
        manifest = settings.STATIC_ROOT / "staticfiles.json"
        if not manifest.exists() or _static_changed(manifest):
            call_command("collectstatic", interactive=False, verbosity=0)
        if check:
            return
        self.stdout.write(self.style.SUCCESS(f"组工信息系统已启动：http://{bind}/  （Ctrl+C 停止）"))
        sys.stdout.flush()
        argv = [
            sys.executable, "-m", "gunicorn", "zugong.wsgi:application",
            "--bind", bind, "--workers", str(workers), "--threads", str(threads),
            "--access-logfile", "-", "--timeout", "300", "--graceful-timeout", "10",
        ]
        os.execv(sys.executable, argv)

    def _print_accounts(self) -> None:
        """List the demo accounts that still exist, as the first start listed them (管理范围 = the
        account's party organization, as ``build_demo`` reports it)."""
        from zugong.core.management.commands.demo import write_accounts
        from zugong.core.models import UserProfile
        from zugong.demo import DEMO_PASSWORD, demo_usernames

        names = demo_usernames()
        profiles = {
            p.user.username: p
            for p in UserProfile.objects.filter(user__username__in=names).select_related("user", "party_org")
        }
        rows = [(n, profiles[n].get_role_display(), profiles[n].party_org.name) for n in names if n in profiles]
        write_accounts(self.stdout, rows, DEMO_PASSWORD)


def _static_changed(manifest) -> bool:
    """True when any app static file is newer than the collected manifest."""
    from pathlib import Path

    stamp = manifest.stat().st_mtime
    root = Path(__file__).resolve().parents[3]
    return any(p.stat().st_mtime > stamp for p in root.glob("*/static/**/*") if p.is_file())
