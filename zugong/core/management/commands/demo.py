"""``zugong demo [--scale S] [--seed N] [--reset]``: build the 六安 demo city (zugong.demo), migrating the
database first (a fresh ``ZUGONG_HOME`` has no tables yet; ``zugong serve`` migrates too)."""

from __future__ import annotations

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from zugong.demo import DemoError, build_demo, demo_reset

_STAGES = {"单位": "单位树", "党组织": "党组织树", "干部": "领导班子与干部", "党员": "党员", "账号": "演示账号"}


class Command(BaseCommand):
    help = "生成六安市演示数据（真实区划 + 按随机种子生成的党员、干部和演示账号）"

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0, help="人口规模倍数（1 = 约25万党员、1.8万干部）")
        parser.add_argument("--seed", type=int, default=2023, help="随机种子（相同种子生成相同数据）")
        parser.add_argument("--reset", action="store_true", help="先清除已有的演示数据（单位、党组织、人员、干部、演示账号）")

    def handle(self, *args, scale: float, seed: int, reset: bool, **options):
        call_command("migrate", interactive=False, verbosity=0)  # nothing to do when the tables are current
        if reset:
            try:
                counts = demo_reset()
            except DemoError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(f"已清除演示数据：人员 {counts.get('core.Person', 0)} 名，单位 {counts.get('orgs.Unit', 0)} 个")

        def progress(stage: str, done: int, total: int) -> None:
            pct = 100 * done // total if total else 100
            self.stdout.write(f"  [{pct:3d}%] {_STAGES.get(stage, stage)} {done}/{total}")

        self.stdout.write(f"生成演示数据（规模 {scale:g}，随机种子 {seed}）…")
        try:
            summary = build_demo(scale=scale, seed=seed, progress=progress)
        except DemoError as exc:
            raise CommandError(str(exc)) from exc
        for line in summary.lines():
            self.stdout.write(self.style.SUCCESS(line))
        self.stdout.write("")
        write_accounts(self.stdout, summary.accounts, summary.password)


def write_accounts(stdout, accounts: list[tuple[str, str, str]], password: str) -> None:
    """Print the demo accounts table: ``accounts`` is [(username, role label, scope name)]."""
    if not accounts:
        return
    stdout.write(f"演示账号（密码均为 {password}）：")
    width = max(len(u) for u, _, _ in accounts)
    stdout.write(f"  {'用户名'.ljust(width)}  角色                  管理范围")
    for username, role, scope in accounts:
        stdout.write(f"  {username.ljust(width + 3)}  {role.ljust(10, '　')}  {scope}")
