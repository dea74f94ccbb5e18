"""干部任免审批表 pages: the form as Word or .lrmx from a cadre's record, and the .lrmx import page."""

from __future__ import annotations

import datetime as dt
import re
import struct
import zipfile
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from zugong.cadres import lrmx
from zugong.cadres.access import cadre_get
from zugong.cadres.lrmx import LrmxError
from zugong.cadres.models import ManagementLevel
from zugong.cadres.services.lrmx_import import (
    MAX_FILES,
    LrmxDefaults,
    Proposal,
    approval_form_export,
    lrmx_import,
    zip_member_name,
)
from zugong.cadres.views_common import invalid
from zugong.core import codes
from zugong.core.audit import Actor
from zugong.core.scope import scope_for
from zugong.orgs.models import Unit, UnitKind

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
#: Most bytes one import may hold in memory: all plain .lrmx uploads plus every .lrmx unpacked from the .zip uploads.
MAX_IMPORT_BYTES = 50 * 1024 * 1024
#: Most entries (files and folders, of any name) one .zip upload may hold; checked from the archive's end
#: record before its central directory is read, so a crafted zip of millions of empty entries costs nothing.
MAX_ZIP_ENTRIES = MAX_FILES
#: Most bytes of central directory per allowed entry (46 bytes of fixed fields plus name, extra field and
#: comment): bounds what ``zipfile`` parses, whatever entry count the end record claims.
ZIP_DIRECTORY_BYTES_PER_ENTRY = 1024


def _attachment(content: bytes, mime: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=mime)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def filler_name(user) -> str:
    """填表人 when the form does not give one: the user's real name — a Chinese 姓 and 名 kept apart are
    joined 姓名 without a space (last_name 张, first_name 三 → 张三; Django's ``get_full_name`` would give
    "三 张"), any other as ``get_full_name`` — or '' so that it is written by hand. Never the login name:
    the form is signed by a person, not an account."""
    first, last = (user.first_name or "").strip(), (user.last_name or "").strip()
    if first and last and re.fullmatch(r"[\u3400-\u9fff·]+", first + last):
        return last + first
    return user.get_full_name().strip()


def _export(request, cadre_id: int, fmt: str) -> HttpResponse:
    scope = scope_for(request.user)
    cadre = cadre_get(scope, cadre_id)
    today = timezone.localdate()
    raw_on = request.POST.get("on", "")
    try:
        on = dt.date.fromisoformat(raw_on) if raw_on else today
    except ValueError:
        return invalid(request, reverse("cadres:record", args=[cadre.pk]), f"计算年龄时间“{raw_on}”不是有效日期")
    if on < cadre.person.birth_date:
        return invalid(request, reverse("cadres:record", args=[cadre.pk]), "计算年龄时间早于出生日期")
    g = request.POST  # POST, never the query string: proposals must not reach access logs or browser history
    proposal = Proposal(
        proposed_post=g.get("proposed_post", "")[:200], proposed_removal=g.get("proposed_removal", "")[:200],
        reason=g.get("reason", "")[:1000], reporting_unit=g.get("reporting_unit", "")[:100],
        filled_by=g.get("filled_by", "")[:40] or filler_name(request.user),
    )  # fmt: skip
    content = approval_form_export(actor=Actor.from_request(request), scope=scope, cadre=cadre, fmt=fmt, age_on=on,
                                   proposal=proposal, today=today)  # fmt: skip
    name = cadre.person.name
    if fmt == "docx":
        return _attachment(content, DOCX_MIME, f"{name}干部任免审批表.docx")
    return _attachment(content, "application/xml", f"{name}.lrmx")


@login_required
@require_POST
def approval_form_docx(request, cadre_id: int):
    """The cadre's 干部任免审批表 as .docx (POST with CSRF; GET answers 405). Form fields: ``on`` = 计算年龄时间
    (YYYY-MM-DD, default today); 拟任/拟免职务, 任免理由, 呈报单位, 填表人 optional. Audited."""
    return _export(request, cadre_id, "docx")


@login_required
@require_POST
def cadre_lrmx(request, cadre_id: int):
    """The cadre's 干部任免审批表 as .lrmx for the 任免表编辑器 (POST with CSRF, same fields as the .docx; GET
    answers 405). Audited (full 身份证号 only for roles that may see it)."""
    return _export(request, cadre_id, "lrmx")


def _import_units(scope):
    """Units a new cadre may be placed in: the scope's subtree without villages and communities."""
    return (Unit.objects.filter(path__startswith=scope.unit_path).exclude(kind__in=[UnitKind.VILLAGE, UnitKind.COMMUNITY])
            .order_by("path")[:1000])  # fmt: skip


@login_required
def lrmx_import_page(request):
    """Upload .lrmx files (or .zip archives) to create/update cadres; administrators only, within their subtree."""
    scope = scope_for(request.user)
    if not scope.is_admin:
        raise PermissionDenied("当前角色不能导入干部信息")
    levels = [(c, lab) for c, lab in ManagementLevel.choices if c != ManagementLevel.CITY or scope.role == "city_admin"]
    ctx = {"units": _import_units(scope), "post_levels": codes.POST_LEVEL, "levels": levels,
           "max_files": MAX_FILES, "max_file_mb": lrmx.MAX_LRMX_BYTES // 1024 // 1024,
           "max_total_mb": MAX_IMPORT_BYTES // 1024 // 1024, "form": request.POST}  # fmt: skip
    if request.method != "POST":
        return render(request, "cadres/lrmx_import.html", ctx)
    uploads = request.FILES.getlist("files")
    if not uploads:
        return render(request, "cadres/lrmx_import.html", {**ctx, "problem": "请选择要导入的.lrmx文件或.zip压缩包"})
    defaults = None
    if request.POST.get("unit"):
        try:
            unit = Unit.objects.get(pk=int(request.POST["unit"]), path__startswith=scope.unit_path)
        except (Unit.DoesNotExist, ValueError):
            raise Http404("单位不存在或不在管理范围内") from None
        level, mgmt = request.POST.get("post_level", ""), request.POST.get("management_level", "")
        if not codes.is_code("post_level", level) or mgmt not in dict(levels):
            return render(request, "cadres/lrmx_import.html", {**ctx, "problem": "请选择新增干部的职务级别和管理权限"})
        defaults = LrmxDefaults(unit=unit, post_level=level, management_level=mgmt)
    try:
        files = _read_uploads(uploads)
    except LrmxError as exc:
        return render(request, "cadres/lrmx_import.html", {**ctx, "problem": str(exc)})
    result = lrmx_import(actor=Actor.from_request(request), scope=scope, files=files, defaults=defaults, today=timezone.localdate())
    return render(request, "cadres/lrmx_import.html", {**ctx, "result": result})


def _mb(n: int) -> str:
    return f"{n // 1024 // 1024}MB" if n >= 1024 * 1024 else f"{n}字节"


class _Budget:
    """Running count of files and bytes over all uploads of one import; raises LrmxError (Chinese, naming the
    file) as soon as a limit is passed: MAX_FILES files, lrmx.MAX_LRMX_BYTES per file, MAX_IMPORT_BYTES in all."""

    def __init__(self):
        self.files = 0
        self.bytes = 0

    def admit(self, shown: str, size: int) -> int:
        """Check one more file of ``size`` bytes (declared or read); returns the most bytes to read (limit + 1)."""
        _check_limits(self.files, self.bytes, shown, size)
        return lrmx.MAX_LRMX_BYTES + 1

    def admit_all(self, items: list[tuple[str, int]]) -> None:
        """Check the files [(shown, declared size)] all together before any is read; counts nothing."""
        files, total = self.files, self.bytes
        for shown, size in items:
            _check_limits(files, total, shown, size)
            files, total = files + 1, total + size

    def take(self, shown: str, content: bytes) -> tuple[str, bytes]:
        """Count ``content`` as read (the declared size may lie); raises like ``admit``."""
        self.admit(shown, len(content))
        self.files += 1
        self.bytes += len(content)
        return shown, content


def _check_limits(files: int, total_bytes: int, shown: str, size: int) -> None:
    """Raise LrmxError (Chinese, naming ``shown``) when one more file of ``size`` bytes, after ``files``
    files of ``total_bytes`` bytes, passes MAX_FILES, lrmx.MAX_LRMX_BYTES or MAX_IMPORT_BYTES."""
    per_file, total, most = lrmx.MAX_LRMX_BYTES, MAX_IMPORT_BYTES, MAX_FILES
    if files + 1 > most:
        raise LrmxError(f"{shown}：一次最多导入{most}个文件，已超过")
    if size > per_file:
        raise LrmxError(f"{shown}超过{_mb(per_file)}，不是任免审批表文件")
    if total_bytes + size > total:
        raise LrmxError(f"{shown}：本次导入的文件合计超过{_mb(total)}，请分批导入")


def _read_uploads(uploads) -> list[tuple[str, bytes]]:
    """[(filename, bytes)] of all uploads: each plain .lrmx, and every .lrmx inside each .zip (other entries
    ignored). Checks each file's size before reading it and reads at most the limit + 1 bytes.
    Raises LrmxError (Chinese) for a broken archive or a limit passed."""
    budget, out = _Budget(), []
    for up in uploads:
        if not up.name.lower().endswith(".zip"):
            limit = budget.admit(up.name, up.size)
            out.append(budget.take(up.name, up.read(limit)))
            continue
        if up.size > MAX_IMPORT_BYTES:
            raise LrmxError(f"{up.name}超过{_mb(MAX_IMPORT_BYTES)}，请分批导入")
        out += _read_zip(up, budget)
    return out


def _zip_directory(up) -> tuple[int, int]:
    """(entries, central directory bytes) that the end record of the uploaded .zip ``up`` declares — the
    record ``zipfile`` itself will use (its own ``_EndRecData``, ZIP64 included), read from the last 64 KB
    without touching the central directory. Raises LrmxError when there is no end record."""
    try:
        up.seek(0)
        end = zipfile._EndRecData(up.file)  # noqa: SLF001 (the very record ZipFile() trusts)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, struct.error):
        end = None
    if not end:
        raise LrmxError(f"{up.name}不是有效的ZIP压缩文件")
    return end[zipfile._ECD_ENTRIES_TOTAL], end[zipfile._ECD_SIZE]  # noqa: SLF001


def _read_zip(up, budget: _Budget) -> list[tuple[str, bytes]]:
    """Every .lrmx of the uploaded .zip ``up``. Before anything is parsed, the entry count and the central
    directory size of the end record are checked (MAX_ZIP_ENTRIES); before anything is unpacked, all .lrmx
    members are admitted together by their declared sizes; each is then read to at most its limit + 1."""
    entries, directory = _zip_directory(up)
    if entries > MAX_ZIP_ENTRIES or directory > MAX_ZIP_ENTRIES * ZIP_DIRECTORY_BYTES_PER_ENTRY:
        count = f"共{entries}个" if entries > MAX_ZIP_ENTRIES else "过多"
        raise LrmxError(f"{up.name}中的文件和文件夹{count}，一个压缩包最多{MAX_ZIP_ENTRIES}个，请分批打包导入")
    try:
        up.seek(0)
        archive = zipfile.ZipFile(up.file)
        infos = [i for i in archive.infolist() if not i.is_dir() and i.filename.lower().endswith(".lrmx")]
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise LrmxError(f"{up.name}不是有效的ZIP压缩文件") from None
    shown = {id(info): f"{up.name}/{zip_member_name(info)}" for info in infos}
    budget.admit_all([(shown[id(info)], info.file_size) for info in infos])
    out = []
    for info in infos:
        limit = budget.admit(shown[id(info)], info.file_size)
        try:
            with archive.open(info) as fh:
                content = fh.read(limit)
        except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, EOFError):
            raise LrmxError(f"{up.name}中的{zip_member_name(info)}无法解压（文件损坏或已加密）") from None
        out.append(budget.take(shown[id(info)], content))
    return out
