"""干部任免审批表: the form's content built from Zugong's data, the printable .docx, and the .lrmx file.

The 干部任免审批表 is the form of the 中共中央组织部 filled with its 任免表编辑器 (file type .lrmx,
"任免审批表3.0"). This module is pure building and parsing; the audited exports and the import are
services (``zugong.cadres.services.lrmx_import``).

**The .lrmx file** is UTF-8 XML with root ``<Person>``. Element names confirmed from public
readers/writers of the format (all plain text unless noted):

=====================================  =================================================================
``XingMing``                           姓名
``XingBie``                            性别 (男/女)
``ChuShengNianYue``                    出生年月, ``yyyyMM`` (readers also accept ``yyyyMMdd``)
``MinZu``                              民族 (name, e.g. 汉族)
``JiGuan`` / ``ChuShengDi``            籍贯 / 出生地 (place names; written "安徽六安", ``place_text``)
``RuDangShiJian``                      入党时间 ``yyyyMM``, or a text such as 群众 / a democratic party
``CanJiaGongZuoShiJian``               参加工作时间 ``yyyyMM``
``JianKangZhuangKuang``                健康状况
``ZhuanYeJiShuZhiWu``                  专业技术职务
``ShuXiZhuanYeYouHeZhuanChang``        熟悉专业有何专长
``QuanRiZhiJiaoYu_XueLi`` / ``_XueWei``  全日制教育 学历 / 学位
``QuanRiZhiJiaoYu_XueLi_BiYeYuanXiaoXi`` / ``QuanRiZhiJiaoYu_XueWei_BiYeYuanXiaoXi``  毕业院校系及专业
``ZaiZhiJiaoYu_XueLi`` / ``_XueWei`` / ``…_BiYeYuanXiaoXi``  在职教育, same four
``XianRenZhiWu`` / ``NiRenZhiWu`` / ``NiMianZhiWu``  现任 / 拟任 / 拟免职务
``JianLi``                             简历, one line per entry, lines separated by CR LF
``JiangChengQingKuang``                奖惩情况
``NianDuKaoHeJieGuo``                  年度考核结果
``RenMianLiYou``                       任免理由
``JiaTingChengYuan``                   家庭主要成员及重要社会关系: ``<Item>`` children with ``ChengWei``
                                       (称谓), ``XingMing``, ``ChuShengRiQi`` (``yyyyMM``),
                                       ``ZhengZhiMianMao`` (政治面貌), ``GongZuoDanWeiJiZhiWu``
``ChengBaoDanWei``                     呈报单位
``JiSuanNianLingShiJian``              计算年龄时间 (``yyyyMM`` or ``yyyyMMdd``)
``TianBiaoShiJian`` / ``TianBiaoRen``  填表时间 / 填表人
``ShenFenZheng``                       身份证号
``ZhaoPian``                           照片, base64 of a JPEG
``Version``                            editor version string (one public writer sets ``3.2.1.6``)
=====================================  =================================================================

Not confirmed and therefore not written: any attribute on ``<Person>`` or namespace, the exact
``Version`` value the current editor writes, and whether the editor requires every element to be
present (we always write all of them, empty when unknown). Files in other encodings are read
according to their XML declaration (e.g. ``encoding="GB2312"``).

出生地, 健康状况, 专业技术职务, 熟悉专业有何专长, the two 学历学位 blocks, 照片 and 家庭主要成员及重要社会关系
come from ``CadreProfile`` and ``FamilyMember`` (``zugong.cadres.services.profile``); a cadre without
an education block in the profile shows the Person's one 学历/学位 as 全日制教育. The 学位 is printed as
its GB/T 6864 level name (学士/硕士/博士). ``ZhaoPian`` carries the stored photo as is (a JPEG: uploads
are re-encoded, see ``services.profile``).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml import ElementTree as SafeET

from zugong.cadres import rules
from zugong.cadres.models import (
    Appointment,
    AppraisalEntry,
    Cadre,
    CadreProfile,
    CadreRank,
    Evidence,
    EvidenceKind,
    RoundStatus,
)
from zugong.cadres.models import FamilyMember as FamilyMemberModel
from zugong.cadres.selectors_record import rank_written_name, resume_lines
from zugong.core import codes
from zugong.core.rules import age_on as _age_on
from zugong.members.models import LeaveReason
from zugong.orgs.divisions import short_name
from zugong.orgs.selectors import division_name

#: Version string written to ``<Version>`` (the value seen in a public writer of the format).
LRMX_VERSION = "3.2.1.6"
#: Rows of the family table on the printed form (the paper form has 7; more rows are added when needed).
FAMILY_ROWS = 7


@dataclass
class FamilyMember:
    """One row of 家庭主要成员及重要社会关系; ``birth`` is "yyyy.mm" or "" and ``age`` is computed."""

    relation: str = ""
    name: str = ""
    birth: str = ""
    age: str = ""
    political_status: str = ""
    work: str = ""


@dataclass
class ApprovalForm:
    """The content of one 干部任免审批表, every value already formatted as the form prints it.

    Dates are "yyyy.mm" strings ('' when unknown); ``resume`` holds the 简历 lines
    ("1998.07--2003.09  金安区一镇副镇长"); ``age_on`` is the 计算年龄时间 and ``age`` the full years
    (周岁) on that day; ``photo`` JPEG bytes or None.
    """

    name: str
    gender: str
    birth: str
    age: int | None
    age_on: dt.date
    ethnicity: str = ""
    native_place: str = ""
    birthplace: str = ""
    party_date: str = ""
    work_date: str = ""
    health: str = ""
    tech_title: str = ""
    specialty: str = ""
    fulltime_education: str = ""
    fulltime_degree: str = ""
    fulltime_school: str = ""
    inservice_education: str = ""
    inservice_degree: str = ""
    inservice_school: str = ""
    current_post: str = ""
    proposed_post: str = ""
    proposed_removal: str = ""
    resume: list[str] = field(default_factory=list)
    rewards: str = ""
    appraisals: str = ""
    reason: str = ""
    family: list[FamilyMember] = field(default_factory=list)
    reporting_unit: str = ""
    filled_by: str = ""
    filled_on: dt.date | None = None
    id_number: str = ""
    photo: bytes | None = None

    @property
    def birth_and_age(self) -> str:
        """The 出生年月（岁） cell: "1975.03\\n（51岁）", the age in full-width brackets as the label's."""
        return f"{self.birth}\n（{self.age}岁）" if self.age is not None else self.birth

    @property
    def fulltime(self) -> str:
        """The 全日制教育 cell: 学历 and 学位 on two lines ('' when neither is known)."""
        return "\n".join(x for x in (self.fulltime_education, self.fulltime_degree) if x)

    @property
    def inservice(self) -> str:
        """The 在职教育 cell: 学历 and 学位 on two lines ('' when neither is known)."""
        return "\n".join(x for x in (self.inservice_education, self.inservice_degree) if x)


# ------------------------------------------------------------------------------------------------
# Building the form from the data model
# ------------------------------------------------------------------------------------------------
def ym(day: dt.date | None) -> str:
    """"yyyy.mm" of ``day`` ('' for None), as the form prints dates."""
    return f"{day:%Y.%m}" if day else ""


#: GB/T 2260 province codes (the first two digits of a 行政区划代码) → the province's name without
#: 省/市/自治区/特别行政区, as 籍贯 begins.
PROVINCES = {
    "11": "北京", "12": "天津", "13": "河北", "14": "山西", "15": "内蒙古", "21": "辽宁", "22": "吉林",
    "23": "黑龙江", "31": "上海", "32": "江苏", "33": "浙江", "34": "安徽", "35": "福建", "36": "江西",
    "37": "山东", "41": "河南", "42": "湖北", "43": "湖南", "44": "广东", "45": "广西", "46": "海南",
    "50": "重庆", "51": "四川", "52": "贵州", "53": "云南", "54": "西藏", "61": "陕西", "62": "甘肃",
    "63": "青海", "64": "宁夏", "65": "新疆", "71": "台湾", "81": "香港", "82": "澳门",
}  # fmt: skip
#: 直辖市: 籍贯 is the city's name alone (上海, 重庆).
MUNICIPALITIES = {"11", "12", "31", "50"}

def short_place(name: str) -> str:
    """A division's name without its kind, as 籍贯 writes it (``zugong.orgs.divisions.short_name``): 六安市 →
    六安, 金寨县 → 金寨, 长阳土家族自治县 → 长阳, 黔东南苗族侗族自治州 → 黔东南; a one-character name keeps it
    (寿县, 泾县), and a name without a known suffix is unchanged."""
    return short_name(name)


def place_text(code: str) -> str:
    """籍贯 (or 出生地) as the 任免审批表 writes it, from a 行政区划代码 (6, 9 or 12 digits): the province's
    and then the city's or county's short names — "安徽六安" for a district of 六安市 (341502 金安区: a
    市辖区 is written by its city), "安徽金寨" for 341524 金寨县, "安徽六安" for 341500 itself, "江苏南京"
    for 320102 玄武区, "河北正定" for 130123 正定县, "贵州黔东南" for 522600; a 直辖市 by its name alone
    ("上海"); the names come from the unit tree, else from the national table (``division_name``); the
    province alone when neither names the place (a code the table lacks) or for the province's own
    code; '' for ''. Text that is not such a code is returned as it is.

    Source: the 籍贯 and 出生地 boxes of the 干部任免审批表 are filled "省 + 市/县" in short names (安徽六安,
    河北正定) as the form's 填写说明 directs. That text is not among the project's sources
    (``/work/shared/REGULATIONS.md`` has none on this form): the layout follows the reviewer's examples
    and common practice, to be checked against the 中组部 text when at hand.
    """
    if not code or not (code.isdigit() and len(code) in (6, 9, 12)):
        return code or ""
    province = PROVINCES.get(code[:2])
    if province is None:
        return division_name(code)
    if code[:2] in MUNICIPALITIES or code[2:6] == "0000":
        return province
    county = division_name(code[:6])
    if county == code[:6]:  # neither the unit tree nor the national table names it
        return province
    if code[4:6] != "00" and county.endswith("区") and not county.endswith(("林区", "特区")):
        city = division_name(code[:4] + "00")  # a 市辖区 is written by its city
        county = city if city != code[:4] + "00" else county
    return province + short_place(county)


def birthplace_text(profile: CadreProfile) -> str:
    """出生地 as the form prints it: ``place_text`` of the profile's 区划代码 when it names a city or county
    (安徽六安, 江苏南京), else the profile's text as entered, else ``place_text`` (the province alone);
    '' when neither is kept."""
    derived = place_text(profile.birthplace_code)
    if derived and derived not in PROVINCES.values() and derived != profile.birthplace_code:
        return derived
    return profile.birthplace or derived


def resume_text_lines(cadre: Cadre) -> list[str]:
    """The 简历 lines in the form's layout: "1998.07--2003.09  text", open lines "2015.09--         text"."""
    return [f"{x.start:%Y.%m}--{x.end:%Y.%m}  {x.text}" if x.end else f"{x.start:%Y.%m}--         {x.text}"
            for x in resume_lines(cadre)]  # fmt: skip


def appraisal_text(cadre: Cadre, *, up_to_year: int, years: int = 3) -> str:
    """年度考核结果 of the last ``years`` appraisal years up to ``up_to_year`` from closed rounds:
    "2023年度称职；2024年度优秀；2025年度称职" (不定等次 years say so). '' when there is none."""
    entries = (AppraisalEntry.objects.filter(cadre=cadre, round__status=RoundStatus.CLOSED, year__lte=up_to_year)
               .exclude(grade="", not_graded="").order_by("-year")[:years])  # fmt: skip
    parts = [f"{e.year}年度{rules.GRADE_LABELS.get(e.grade, '') if e.grade else '不定等次'}" for e in reversed(list(entries))]
    return "；".join(parts)


def rewards_text(cadre: Cadre) -> str:
    """奖惩情况: commendations and (not tolerated) accountability decisions, oldest first; "无" when none."""
    items = Evidence.objects.filter(cadre=cadre, kind__in=[EvidenceKind.COMMENDATION, EvidenceKind.ACCOUNTABILITY],
                                    tolerated=False).order_by("on", "id")  # fmt: skip
    lines = [f"{e.on:%Y.%m} {e.title}（{e.source_document}）" if e.source_document else f"{e.on:%Y.%m} {e.title}" for e in items]
    return "\n".join(lines) or "无"


def current_post_text(cadre: Cadre, on: dt.date) -> str:
    """现任职务: the posts held on ``on`` joined by "、", as appointment notices write them: 党内职务 first
    (``rules.is_party_post``), then main posts before concurrent ones, then by start; each post as
    "单位职务" (``selectors_record.post_name``: 金安区委书记, not 金安区区委书记), and a post of the same
    unit as the one before by its title alone: 霍邱县委副书记、县长; 金安区委书记、区人大常委会主任.

    A cadre who holds no post on ``on`` but a 职级 (``CadreRank``; the latest begun when several run) is
    written by the rank, with the cadre's 工作单位 (``Cadre.unit``) as a post with its unit:
    "六安市财政局二级调研员" (``selectors_record.rank_written_name``; 《公务员职务与职级并行规定》 2019: a 职级
    is no 职务, the rank is what such a cadre holds). A cadre holding both a post and a rank is written
    by the posts alone; the rank is in the 简历. Neither REGULATIONS.md nor the project's sources say
    how the form joins the two ("…组织委员，一级主任科员" is seen in notices, not in a source we hold), so
    no combined form is invented. '' when neither is held."""
    appts = (Appointment.objects.filter(cadre=cadre, start__lte=on).exclude(end__lte=on)
             .select_related("post__unit").order_by("is_concurrent", "start", "id"))  # fmt: skip
    ordered = sorted(appts, key=lambda a: not rules.is_party_post(a.post.title))  # stable: the order above within each
    parts = [a.post.title if i and a.post.unit_id == ordered[i - 1].post.unit_id else a.post.written_name
             for i, a in enumerate(ordered)]  # fmt: skip
    if not parts:
        rank = (CadreRank.objects.filter(cadre=cadre, start__lte=on).exclude(end__lte=on)
                .order_by("-start", "-id").values_list("rank", flat=True).first())  # fmt: skip
        if rank is not None:
            return rank_written_name(cadre.unit.name, rank)
    return "、".join(parts)


def approval_form(
    cadre: Cadre,
    *,
    age_on: dt.date,
    id_number: str,
    proposed_post: str = "",
    proposed_removal: str = "",
    reason: str = "",
    reporting_unit: str = "",
    filled_by: str = "",
    filled_on: dt.date | None = None,
) -> ApprovalForm:
    """The 干部任免审批表 of ``cadre`` with age computed on ``age_on`` (计算年龄时间).

    ``id_number`` is what the caller may show (clear or masked; the caller audits). The 拟任/拟免
    职务, 任免理由, 呈报单位 and 填表人 are not data of the cadre but of the proposal, so the caller passes them.
    """
    p = cadre.person
    party = party_date_text(cadre, age_on)
    prof = CadreProfile.objects.filter(cadre=cadre).first() or CadreProfile(cadre=cadre)
    blocks = bool(prof.fulltime_education or prof.inservice_education)
    return ApprovalForm(
        name=p.name, gender=p.gender_label, birth=ym(p.birth_date), age=_age_on(p.birth_date, age_on), age_on=age_on,
        ethnicity=p.ethnicity_label, native_place=place_text(p.native_place), party_date=party, work_date=ym(p.work_start_date),
        birthplace=birthplace_text(prof), health=prof.health, tech_title=prof.tech_title,
        specialty=prof.specialty,
        fulltime_education=codes.label("education", prof.fulltime_education) if blocks else p.education_label,
        fulltime_degree=degree_name(prof.fulltime_degree if blocks else p.degree), fulltime_school=prof.fulltime_school,
        inservice_education=codes.label("education", prof.inservice_education), inservice_degree=degree_name(prof.inservice_degree),
        inservice_school=prof.inservice_school,
        current_post=current_post_text(cadre, age_on), proposed_post=proposed_post, proposed_removal=proposed_removal,
        resume=resume_text_lines(cadre), rewards=rewards_text(cadre), appraisals=appraisal_text(cadre, up_to_year=age_on.year),
        reason=reason, family=family_rows(cadre, age_on), reporting_unit=reporting_unit, filled_by=filled_by, filled_on=filled_on,
        id_number=id_number, photo=photo_bytes(prof),
    )  # fmt: skip


def party_date_text(cadre: Cadre, on: dt.date) -> str:
    """入党时间 as the form prints it for a form dated ``on`` (计算年龄时间, as 现任职务): the
    month of joining for a member of the Party on that day; "群众" for a cadre recorded as
    非中共党员 and for a person whose membership ended on or before ``on`` (党员减少: 死亡,
    开除党籍, 退党 …), since the field reads as current membership. A membership that moved out of
    the city (组织关系转出本市) did not end: the person is a member in a branch elsewhere
    (``zugong.members.changes``). "" for a cadre recorded as a member whose membership is not kept here."""
    # the reverse one-to-one raises AttributeError when absent
    membership = getattr(cadre.person, "membership", None)
    if membership is None:
        return "" if cadre.is_party_member else "群众"
    ended = membership.left_date is not None and membership.left_date <= on
    if ended and membership.left_reason != LeaveReason.TRANSFERRED_OUT:
        return "群众"
    return ym(membership.joined_date)


def degree_name(code: str) -> str:
    """学位 as printed: the GB/T 6864 level name; '' for none and for 0 无学位."""
    return codes.label("degree", code) if code and code != "0" else ""


def family_rows(cadre: Cadre, age_on: dt.date) -> list[FamilyMember]:
    """The cadre's 家庭主要成员及重要社会关系 in order, with ages (周岁) on ``age_on``."""
    rows = []
    for m in FamilyMemberModel.objects.filter(cadre=cadre).order_by("sort", "id"):
        age = str(_age_on(m.birth_date, age_on)) if m.birth_date and m.birth_date <= age_on else ""
        rows.append(FamilyMember(relation=m.get_relation_display(), name=m.name, birth=ym(m.birth_date), age=age,
                                 political_status=m.get_political_status_display() if m.political_status else "", work=m.work))  # fmt: skip
    return rows


def photo_bytes(profile: CadreProfile) -> bytes | None:
    """The stored photo's bytes, None when there is none or its file is missing."""
    if not profile.photo:
        return None
    try:
        with profile.photo.open("rb") as fh:
            return fh.read()
    except (FileNotFoundError, OSError):
        return None


# ------------------------------------------------------------------------------------------------
# The printable .docx
# ------------------------------------------------------------------------------------------------
def _font(run, name: str, size: float, bold: bool = False) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.size = Pt(size)
    run.font.name = name
    run.font.bold = bold
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _put(cell, text: str, *, label: bool = False, align: str = "center", size: float = 12) -> None:
    """Write ``text`` into ``cell`` (one paragraph per line): labels 宋体, values 仿宋."""
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    lines = text.split("\n") if text else [""]
    first = cell.paragraphs[0]
    for i, line in enumerate(lines):
        par = first if i == 0 else cell.add_paragraph()
        par.alignment = {"center": WD_ALIGN_PARAGRAPH.CENTER, "left": WD_ALIGN_PARAGRAPH.LEFT,
                         "right": WD_ALIGN_PARAGRAPH.RIGHT}[align]  # fmt: skip
        par.paragraph_format.space_before = par.paragraph_format.space_after = 0
        _font(par.add_run(line), "宋体" if label else "仿宋", size, bold=False)


def _widths(table, cm: list[float]) -> None:
    from docx.shared import Cm

    table.autofit = False
    for col, w in zip(table.columns, cm, strict=True):  # the grid (LibreOffice lays out by it) and each cell (Word)
        col.width = Cm(w)
    for row in table.rows:
        for i, w in enumerate(cm):
            row.cells[i].width = Cm(w)


def _height(row, cm: float, exact: bool = False) -> None:
    from docx.enum.table import WD_ROW_HEIGHT_RULE
    from docx.shared import Cm

    row.height = Cm(cm)
    row.height_rule = WD_ROW_HEIGHT_RULE.EXACTLY if exact else WD_ROW_HEIGHT_RULE.AT_LEAST


def _picture(cell, data: bytes, *, max_w: float, max_h: float) -> None:
    """Put the image ``data`` (JPEG/PNG) centred in ``cell``, scaled to fit ``max_w`` × ``max_h`` cm
    with its proportions kept. An image python-docx cannot read leaves the cell empty."""
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.image.exceptions import UnrecognizedImageError
    from docx.image.image import Image as DocxImage
    from docx.shared import Cm

    try:
        info = DocxImage.from_blob(data)
    except (UnrecognizedImageError, ValueError, OSError, IndexError):
        return
    w, h = info.px_width or 1, info.px_height or 1
    scale = min(max_w / w, max_h / h)
    par = cell.paragraphs[0]
    par.alignment = WD_ALIGN_PARAGRAPH.CENTER
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    par.add_run().add_picture(io.BytesIO(data), width=Cm(w * scale), height=Cm(h * scale))


def approval_docx(form: ApprovalForm) -> bytes:
    """The form as .docx bytes: A4 portrait, two tables on two pages as on the paper form.

    Page 1 (table 0, 7 columns): 姓名/性别/出生年月（岁）/照片 (photo spans rows 0–3), 民族/籍贯/出生地,
    入党时间/参加工作时间/健康状况, 专业技术职务/熟悉专业有何专长, 学历学位 (全日制教育 and 在职教育 with
    毕业院校系及专业), 现任职务, 拟任职务, 拟免职务, 简历 (one paragraph per line, hanging indent).
    Page 2 (table 1, 6 columns): 奖惩情况, 年度考核结果, 任免理由, 家庭主要成员及重要社会关系 (称谓, 姓名,
    年龄, 政治面貌, 工作单位及职务; at least 7 rows), 呈报单位, 审批机关意见 / 行政机关任免意见; then
    填表人 and 填表时间 under the table. Labels are 宋体 12pt, values 仿宋 12pt, title 宋体 bold 22pt.
    """
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.shared import Cm, Pt

    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Cm(21), Cm(29.7)
    sec.left_margin = sec.right_margin = Cm(1.7)
    sec.top_margin, sec.bottom_margin = Cm(1.8), Cm(1.5)
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_after = Pt(6)
    _font(title.add_run("干部任免审批表"), "宋体", 22, bold=True)

    t = doc.add_table(rows=10, cols=7)
    t.style = "Table Grid"
    _widths(t, [2.3, 2.7, 2.0, 2.7, 2.4, 2.5, 3.0])
    c = t.cell
    for r, (l1, v1, l2, v2, l3, v3) in enumerate((
        ("姓名", form.name, "性别", form.gender, "出生年月\n（岁）", form.birth_and_age),
        ("民族", form.ethnicity, "籍贯", form.native_place, "出生地", form.birthplace),
        ("入党\n时间", form.party_date, "参加工\n作时间", form.work_date, "健康状况", form.health),
    )):  # fmt: skip
        for col, (text, is_label) in enumerate(((l1, True), (v1, False), (l2, True), (v2, False), (l3, True), (v3, False))):
            _put(c(r, col), text, label=is_label)
        _height(t.rows[r], 1.2)
    _put(c(3, 0), "专业技\n术职务", label=True)
    _put(c(3, 1).merge(c(3, 2)), form.tech_title)
    _put(c(3, 3), "熟悉专业\n有何专长", label=True)
    _put(c(3, 4).merge(c(3, 5)), form.specialty)
    _height(t.rows[3], 1.2)
    photo = c(0, 6).merge(c(3, 6))
    if form.photo:
        _picture(photo, form.photo, max_w=2.6, max_h=4.4)
    _put(c(4, 0).merge(c(5, 0)), "学  历\n学  位", label=True)
    for r, (kind, edu, school) in ((4, ("全日制\n教  育", form.fulltime, form.fulltime_school)),
                                   (5, ("在  职\n教  育", form.inservice, form.inservice_school))):  # fmt: skip
        _put(c(r, 1), kind, label=True)
        _put(c(r, 2).merge(c(r, 3)), edu)
        _put(c(r, 4), "毕业院校\n系及专业", label=True)
        _put(c(r, 5).merge(c(r, 6)), school, align="left")
        _height(t.rows[r], 1.2)
    for r, label, value in ((6, "现任职务", form.current_post), (7, "拟任职务", form.proposed_post), (8, "拟免职务", form.proposed_removal)):
        _put(c(r, 0), label, label=True)
        _put(c(r, 1).merge(c(r, 6)), value, align="left")
        _height(t.rows[r], 1.1)
    _put(c(9, 0), "简\n\n\n\n历", label=True)
    resume = c(9, 1).merge(c(9, 6))
    _put(resume, "\n".join(form.resume), align="left")
    for par in resume.paragraphs:  # hanging indent: wrapped text aligns after the dates
        par.paragraph_format.left_indent = Cm(4.1)
        par.paragraph_format.first_line_indent = Cm(-4.1)
    resume.vertical_alignment = None  # top
    _height(t.rows[9], 13.5)
    # Page 1 is 25.0 cm of the 26.4 cm between the margins (title 1.0 + rows 7×1.2 + 3×1.1 + 13.5 résumé);
    # the page break sits in a 1 pt paragraph so that it never spills onto a page of its own.
    br = doc.add_paragraph()
    br.paragraph_format.space_before = br.paragraph_format.space_after = 0
    brk = br.add_run()
    brk.font.size = Pt(1)
    brk.add_break(WD_BREAK.PAGE)
    fam_rows = max(FAMILY_ROWS, len(form.family))
    t2 = doc.add_table(rows=6 + fam_rows, cols=6)
    t2.style = "Table Grid"
    _widths(t2, [2.3, 2.0, 2.4, 1.4, 2.6, 6.9])
    d = t2.cell
    for r, label, value, h in ((0, "奖\n惩\n情\n况", form.rewards, 3.0), (1, "年度考\n核结果", form.appraisals, 1.6),
                               (2, "任\n免\n理\n由", form.reason, 3.0)):  # fmt: skip
        _put(d(r, 0), label, label=True)
        _put(d(r, 1).merge(d(r, 5)), value, align="left")
        _height(t2.rows[r], h)
    fam_top = 3
    _put(d(fam_top, 0).merge(d(fam_top + fam_rows, 0)), "家庭\n主要\n成员\n及重\n要社\n会关\n系", label=True)
    for col, head in enumerate(("称谓", "姓名", "年龄", "政治\n面貌", "工作单位及职务"), start=1):
        _put(d(fam_top, col), head, label=True)
    _height(t2.rows[fam_top], 1.1)
    for i in range(fam_rows):
        m = form.family[i] if i < len(form.family) else FamilyMember()
        for col, v in enumerate((m.relation, m.name, m.age, m.political_status, m.work), start=1):
            _put(d(fam_top + 1 + i, col), v, align="left" if col == 5 else "center")
        _height(t2.rows[fam_top + 1 + i], 1.0)
    r = fam_top + fam_rows + 1
    _put(d(r, 0), "呈报\n单位", label=True)
    _put(d(r, 1).merge(d(r, 5)), (form.reporting_unit + "\n\n" if form.reporting_unit else "\n\n") + "（盖章）\n年    月    日", align="right")
    _height(t2.rows[r], 2.8)
    r += 1
    _put(d(r, 0), "审批\n机关\n意见", label=True)
    _put(d(r, 1).merge(d(r, 2)), "\n\n（盖章）\n年  月  日", align="right")
    _put(d(r, 3).merge(d(r, 4)), "行政机\n关任免\n意  见", label=True)
    _put(d(r, 5), "\n\n（盖章）\n年    月    日", align="right")
    _height(t2.rows[r], 3.4)
    foot = doc.add_paragraph()
    foot.paragraph_format.space_before = Pt(6)
    filled_on = f"{form.filled_on:%Y.%m.%d}" if form.filled_on else ""
    _font(foot.add_run(f"填表人：{form.filled_by}"), "宋体", 12)
    _font(foot.add_run("\u3000" * 10 + f"填表时间：{filled_on}"), "宋体", 12)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


# ------------------------------------------------------------------------------------------------
# The .lrmx file
# ------------------------------------------------------------------------------------------------
#: (element, ApprovalForm attribute) in the order the editor's files use; dates are converted apart.
_TEXT_ELEMENTS = (
    ("XingMing", "name"), ("XingBie", "gender"), ("ChuShengNianYue", "birth"), ("MinZu", "ethnicity"),
    ("JiGuan", "native_place"), ("ChuShengDi", "birthplace"), ("RuDangShiJian", "party_date"),
    ("CanJiaGongZuoShiJian", "work_date"), ("JianKangZhuangKuang", "health"), ("ZhuanYeJiShuZhiWu", "tech_title"),
    ("ShuXiZhuanYeYouHeZhuanChang", "specialty"),
    ("QuanRiZhiJiaoYu_XueLi", "fulltime_education"), ("QuanRiZhiJiaoYu_XueWei", "fulltime_degree"),
    ("QuanRiZhiJiaoYu_XueLi_BiYeYuanXiaoXi", "fulltime_school"), ("QuanRiZhiJiaoYu_XueWei_BiYeYuanXiaoXi", "fulltime_school"),
    ("ZaiZhiJiaoYu_XueLi", "inservice_education"), ("ZaiZhiJiaoYu_XueWei", "inservice_degree"),
    ("ZaiZhiJiaoYu_XueLi_BiYeYuanXiaoXi", "inservice_school"), ("ZaiZhiJiaoYu_XueWei_BiYeYuanXiaoXi", "inservice_school"),
    ("XianRenZhiWu", "current_post"), ("NiRenZhiWu", "proposed_post"), ("NiMianZhiWu", "proposed_removal"),
    ("JianLi", None), ("JiangChengQingKuang", "rewards"), ("NianDuKaoHeJieGuo", "appraisals"), ("RenMianLiYou", "reason"),
    ("JiaTingChengYuan", None), ("ChengBaoDanWei", "reporting_unit"), ("JiSuanNianLingShiJian", None),
    ("TianBiaoShiJian", None), ("TianBiaoRen", "filled_by"), ("ShenFenZheng", "id_number"), ("ZhaoPian", None), ("Version", None),
)  # fmt: skip
_DATE_ELEMENTS = {"ChuShengNianYue", "RuDangShiJian", "CanJiaGongZuoShiJian"}


def _digits(ym_text: str) -> str:
    """"1975.03" → "197503"; other text (e.g. 群众) unchanged."""
    m = re.fullmatch(r"(\d{4})\.(\d{2})", ym_text)
    return m.group(1) + m.group(2) if m else ym_text


def lrmx_bytes(form: ApprovalForm) -> bytes:
    """The form as a .lrmx file (UTF-8 XML, root ``<Person>``, every element of the module docstring)."""
    import base64

    root = ET.Element("Person")
    for tag, attr in _TEXT_ELEMENTS:
        el = ET.SubElement(root, tag)
        if attr is not None:
            value = getattr(form, attr) or ""
            el.text = _digits(value) if tag in _DATE_ELEMENTS else value.replace("\n", "\r\n")
        elif tag == "JianLi":
            el.text = "\r\n".join(form.resume)
        elif tag == "JiaTingChengYuan":
            for m in form.family:
                item = ET.SubElement(el, "Item")
                for sub, value in (("ChengWei", m.relation), ("XingMing", m.name), ("ChuShengRiQi", _digits(m.birth)),
                                   ("ZhengZhiMianMao", m.political_status), ("GongZuoDanWeiJiZhiWu", m.work)):  # fmt: skip
                    ET.SubElement(item, sub).text = value
        elif tag == "JiSuanNianLingShiJian":
            el.text = f"{form.age_on:%Y%m%d}"
        elif tag == "TianBiaoShiJian":
            el.text = f"{form.filled_on:%Y%m%d}" if form.filled_on else ""
        elif tag == "ZhaoPian":
            el.text = base64.b64encode(form.photo).decode() if form.photo else ""
        elif tag == "Version":
            el.text = LRMX_VERSION
    ET.indent(root, space="  ")
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8")


class LrmxError(ValueError):
    """A .lrmx file that cannot be used; ``field`` names the 字段 at fault ('' for the whole file)."""

    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.field = field


#: Largest .lrmx accepted (photos make real files 20–200 KB).
MAX_LRMX_BYTES = 5 * 1024 * 1024


_DECLARATION = re.compile(rb"^(?:\xef\xbb\xbf)?\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9_.\-]+)[\"'][^>]*\?>")
_EXPAT_ENCODINGS = {"utf-8", "utf8", "utf-16", "utf16", "us-ascii", "ascii", "iso-8859-1", "latin-1", "latin1"}


def _as_parsable(data: bytes) -> bytes | str:
    """``data`` as expat can read it. Expat reads only UTF-8/16 and Latin-1, so a file declaring
    GB2312/GBK/GB18030 (older editor versions) is decoded here (as GB18030, their superset) and handed
    over as text without its declaration; an undeclared file that is not UTF-8 is tried as GB18030."""
    m = _DECLARATION.match(data)
    enc = m.group(1).decode().lower() if m else ""
    if enc in _EXPAT_ENCODINGS:
        return data
    if not enc:
        try:
            data.decode("utf-8")
            return data
        except UnicodeDecodeError:
            enc = "gb18030"
    if enc in ("gb2312", "gbk", "cp936", "gb18030"):
        enc = "gb18030"
    else:
        # only the encodings the editor writes: another declared one (utf-7 …) could smuggle markup
        raise LookupError(enc)
    text = data.decode(enc)  # UnicodeDecodeError: reported by the caller
    return _DECLARATION.sub(b"", text.encode("utf-8"), count=1).decode("utf-8") if m else text


def parse_lrmx(data: bytes) -> dict:
    """Parse one .lrmx file into {element name: text} plus ``"JiaTingChengYuan"``: a list of {sub: text}.

    Text values are stripped ('' for absent elements). Raises LrmxError with a Chinese message when
    the file is empty, too large, not XML, declares a DTD or entities (refused with defusedxml in any encoding: the format
    has none, and refusing them rules out entity-expansion attacks), or its root is not ``<Person>``.
    """
    if not data or not data.strip():
        raise LrmxError("文件为空")
    if len(data) > MAX_LRMX_BYTES:
        raise LrmxError(f"文件超过{MAX_LRMX_BYTES // 1024 // 1024}MB，不是任免审批表文件")
    try:
        # defusedxml refuses any DTD, entity or external reference, whatever the encoding hides
        root = SafeET.fromstring(_as_parsable(data), forbid_dtd=True)
    except (DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden):
        raise LrmxError("文件含有DTD或实体声明，不是任免审批表文件") from None
    except ET.ParseError as exc:
        raise LrmxError(f"文件不是有效的XML（{exc}），不是任免审批表（.lrmx）文件") from None
    except (UnicodeError, LookupError, ValueError):
        raise LrmxError("文件编码无法识别，不是任免审批表（.lrmx）文件") from None
    if root.tag != "Person":
        raise LrmxError(f"根元素应为Person，实为{root.tag}，不是任免审批表（.lrmx）文件")
    out: dict = {}
    for child in root:
        if child.tag == "JiaTingChengYuan":
            out["JiaTingChengYuan"] = [{sub.tag: (sub.text or "").strip() for sub in item} for item in child if item.tag == "Item"]
        else:
            out[child.tag] = (child.text or "").strip()
    out.setdefault("JiaTingChengYuan", [])
    return out


_RESUME_LINE = re.compile(
    r"^\s*(\d{4})\s*[.．]\s*(\d{1,2})\s*(?:-{1,2}|—{1,2}|－{1,2}|–|~|～|至)\s*(?:(\d{4})\s*[.．]\s*(\d{1,2})|至今)?\s*(.*)$"
)


@dataclass(frozen=True)
class ParsedResumeLine:
    """One 简历 line of a .lrmx: 1-based ``line`` number, ``start``/``end`` (1st of the month; None = 至今), text."""

    line: int
    start: dt.date
    end: dt.date | None
    text: str


def parse_resume(text: str) -> list[ParsedResumeLine]:
    """Split a ``JianLi`` text into dated lines. A line without a leading date continues the line
    before it (the editor wraps long entries). Raises LrmxError naming the line for an impossible
    month, an end before the start, or text before the first dated line."""
    out: list[ParsedResumeLine] = []
    for n, raw in enumerate(re.split(r"\r\n|\r|\n", text or ""), start=1):
        if not raw.strip():
            continue
        m = _RESUME_LINE.match(raw)
        if m is None:
            if not out:
                raise LrmxError(f"简历第{n}行“{raw.strip()[:20]}”没有起止时间（应为“1998.07--2003.09  职务”）", "简历")
            last = out[-1]
            out[-1] = ParsedResumeLine(last.line, last.start, last.end, last.text + raw.strip())
            continue
        y1, m1, y2, m2, rest = m.groups()
        try:
            start = dt.date(int(y1), int(m1), 1)
            end = dt.date(int(y2), int(m2), 1) if y2 else None
        except ValueError:
            raise LrmxError(f"简历第{n}行的时间“{raw.strip()[:17]}”不是有效的年月", "简历") from None
        if end is not None and end < start:
            raise LrmxError(f"简历第{n}行的终止时间早于起始时间", "简历")
        out.append(ParsedResumeLine(n, start, end, rest.strip()))
    return out
