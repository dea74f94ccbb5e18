"""``zugong export members|cadres --as USERNAME -o FILE [--q …] [--org ID]``: the web export's services."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from zugong.core.audit import Actor
from zugong.core.scope import scope_for


class Command(BaseCommand):
    help = "导出管理范围内的党员或干部名册（.xlsx，按姓氏笔画排序，与导入模板同列）"

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=("members", "cadres"))
        parser.add_argument("--as", dest="username", required=True)
        parser.add_argument("-o", "--output", type=Path, required=True)
        parser.add_argument("--q", default="", help="姓名、拼音（全拼或首字母）或身份证号")
        parser.add_argument("--org", default="", help="党组织编号（其下全部）")

    def handle(self, *args, kind, username, output, q, org, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"用户不存在：{username}")
        params = {k: v for k, v in (("q", q), ("org", org)) if v}
        try:
            scope = scope_for(user)
            if kind == "members":
                from zugong.members.services import member_export

                content = member_export(actor=Actor(user=user), scope=scope, params=params)
            else:
                from zugong.cadres.services import cadre_export

                content = cadre_export(actor=Actor(user=user), scope=scope, params=params)
        except PermissionDenied as exc:
            raise CommandError(f"无权导出：{exc}") from None
        except Http404 as exc:
            raise CommandError(str(exc)) from None
        output.write_bytes(content)
        self.stdout.write(f"已导出到 {output}（{len(content) // 1024} KB）")
