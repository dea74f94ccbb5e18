"""National code tables used by coded fields, with the official code and label.

Each table is a tuple of ``(code, label)`` in the official order. They are loaded into
``CodeItem`` by migration (so reports and the UI can list them) and used directly by rules.

Sources:
- 性别: GB/T 2261.1-2003 《个人基本信息分类与代码 第1部分：人的性别代码》.
- 民族: GB/T 3304-1991 《中国各民族名称的罗马字母拼写法和代码》 (56 民族 + 97 其他未识别民族
  + 98 外国血统中国籍人士).
- 学历: GB/T 4658-2006 《学历代码》, the level codes (first digit) used in cadre statistics.
- 学位: GB/T 6864-2003 《中华人民共和国学位代码》, first-level codes.
- 党员职业: the occupation categories of the 中国共产党党内统计公报 (2024 edition), in its order.
- 职务级别: GB/T 12407-2008 《职务级别代码》.
"""

from __future__ import annotations

GENDER = (("0", "未知的性别"), ("1", "男"), ("2", "女"), ("9", "未说明的性别"))

ETHNICITY = (
    ("01", "汉族"), ("02", "蒙古族"), ("03", "回族"), ("04", "藏族"), ("05", "维吾尔族"),
    ("06", "苗族"), ("07", "彝族"), ("08", "壮族"), ("09", "布依族"), ("10", "朝鲜族"),
    ("11", "满族"), ("12", "侗族"), ("13", "瑶族"), ("14", "白族"), ("15", "土家族"),
    ("16", "哈尼族"), ("17", "哈萨克族"), ("18", "傣族"), ("19", "黎族"), ("20", "傈僳族"),
    ("21", "佤族"), ("22", "畲族"), ("23", "高山族"), ("24", "拉祜族"), ("25", "水族"),
    ("26", "东乡族"), ("27", "纳西族"), ("28", "景颇族"), ("29", "柯尔克孜族"), ("30", "土族"),
    ("31", "达斡尔族"), ("32", "仫佬族"), ("33", "羌族"), ("34", "布朗族"), ("35", "撒拉族"),
    ("36", "毛南族"), ("37", "仡佬族"), ("38", "锡伯族"), ("39", "阿昌族"), ("40", "普米族"),
    ("41", "塔吉克族"), ("42", "怒族"), ("43", "乌孜别克族"), ("44", "俄罗斯族"), ("45", "鄂温克族"),
    ("46", "德昂族"), ("47", "保安族"), ("48", "裕固族"), ("49", "京族"), ("50", "塔塔尔族"),
    ("51", "独龙族"), ("52", "鄂伦春族"), ("53", "赫哲族"), ("54", "门巴族"), ("55", "珞巴族"),
    ("56", "基诺族"), ("97", "其他"), ("98", "外国血统中国籍人士"),
)
HAN = "01"

EDUCATION = (
    ("10", "研究生"),
    ("20", "大学本科"),
    ("30", "大学专科"),
    ("40", "中专"),
    ("60", "高中"),
    ("70", "初中"),
    ("80", "小学"),
    ("90", "其他"),
)
#: 大专及以上 in the bulletin's sense.
COLLEGE_OR_ABOVE = ("10", "20", "30")
#: 初中及以下 as the speeches use it for rural members.
JUNIOR_HIGH_OR_BELOW = ("70", "80", "90")

DEGREE = (("0", "无学位"), ("2", "博士"), ("3", "硕士"), ("4", "学士"))

OCCUPATION = (
    ("01", "工人（工勤技能人员）"),
    ("02", "农牧渔民"),
    ("03", "企事业单位、社会组织专业技术人员"),
    ("04", "企事业单位、社会组织管理人员"),
    ("05", "党政机关工作人员"),
    ("06", "学生"),
    ("07", "其他职业人员"),
    ("08", "离退休人员"),
)
FARMER = "02"

POST_LEVEL = (
    ("21", "厅局级正职"), ("22", "厅局级副职"),
    ("31", "县处级正职"), ("32", "县处级副职"),
    ("41", "乡科级正职"), ("42", "乡科级副职"),
    ("50", "科员级"), ("60", "办事员级"), ("99", "未定职"),
)

MANAGEMENT_LEVEL = (("city", "市管"), ("county", "县管"))

MEMBER_STATUS = (("full", "正式党员"), ("probationary", "预备党员"))

#: 政治面貌 (GB/T 4762-1984), with the short names forms and the 干部任免审批表 use
#: (e.g. 中共党员 for 中国共产党党员).
POLITICAL_STATUS = (
    ("01", "中共党员"), ("02", "中共预备党员"), ("03", "共青团员"), ("04", "民革党员"), ("05", "民盟盟员"),
    ("06", "民建会员"), ("07", "民进会员"), ("08", "农工党党员"), ("09", "致公党党员"), ("10", "九三学社社员"),
    ("11", "台盟盟员"), ("12", "无党派人士"), ("13", "群众"),
)  # fmt: skip

TABLES: dict[str, tuple[tuple[str, str], ...]] = {
    "gender": GENDER,
    "ethnicity": ETHNICITY,
    "education": EDUCATION,
    "degree": DEGREE,
    "occupation": OCCUPATION,
    "post_level": POST_LEVEL,
    "management_level": MANAGEMENT_LEVEL,
    "member_status": MEMBER_STATUS,
    "political_status": POLITICAL_STATUS,
}

TABLE_TITLES = {
    "gender": "性别 (GB/T 2261.1)",
    "ethnicity": "民族 (GB/T 3304)",
    "education": "学历 (GB/T 4658)",
    "degree": "学位 (GB/T 6864)",
    "occupation": "党员职业 (党内统计)",
    "post_level": "职务级别 (GB/T 12407)",
    "management_level": "干部管理权限",
    "member_status": "党员类别",
    "political_status": "政治面貌 (GB/T 4762)",
}


def label(table: str, code: str | None) -> str:
    """Return the label of ``code`` in ``table`` ('' for None); KeyError for an unknown table."""
    if code is None or code == "":
        return ""
    return _LABELS[table].get(code, code)


def is_code(table: str, code: str) -> bool:
    """True when ``code`` is an official code of ``table``; KeyError for an unknown table."""
    return code in _LABELS[table]


def code_for_label(table: str, text: str) -> str | None:
    """Return the code whose label (or code) equals ``text`` after trimming; None when none does."""
    return _BY_LABEL[table].get(text.strip())


_LABELS = {name: dict(rows) for name, rows in TABLES.items()}
_BY_LABEL: dict[str, dict[str, str]] = {}
for _name, _rows in TABLES.items():
    index = {lab: code for code, lab in _rows}
    index.update({code: code for code, _ in _rows})
    _BY_LABEL[_name] = index
# Common ways people write these values in rosters.
_BY_LABEL["ethnicity"].update({lab.removesuffix("族"): code for code, lab in ETHNICITY if lab.endswith("族")})
_BY_LABEL["ethnicity"].update({"汉": HAN, "其他未识别民族": "97", "其它": "97"})
_BY_LABEL["education"].update(
    {
        "博士研究生": "10", "硕士研究生": "10", "博士": "10", "硕士": "10", "研究生教育": "10",
        "本科": "20", "大学": "20", "大学本科教育": "20",
        "大专": "30", "专科": "30", "大学专科教育": "30",
        "中等专科": "40", "中等专业学校": "40", "中技": "40", "技校": "40", "职高": "40", "中等职业教育": "40",
        "普通高中": "60", "高中（中专）": "60", "普通高级中学教育": "60",
        "初中及以下": "70", "初级中学": "70", "初级中学教育": "70", "小学及以下": "80", "小学教育": "80",
        "文盲": "90", "其它": "90",
    }
)
_BY_LABEL["gender"].update({"男性": "1", "女性": "2"})
_BY_LABEL["degree"].update({"": "0", "无": "0", "博士学位": "2", "硕士学位": "3", "学士学位": "4"})
_BY_LABEL["member_status"].update({"正式": "full", "预备": "probationary"})
_BY_LABEL["occupation"].update(
    {
        "工人": "01", "工勤技能人员": "01", "农民": "02", "农牧渔民": "02",
        "专业技术人员": "03", "企事业单位专业技术人员": "03",
        "管理人员": "04", "企事业单位管理人员": "04", "企事业单位、社会组织管理人员": "04",
        "党政机关工作人员": "05", "机关工作人员": "05", "学生": "06",
        "其他职业": "07", "其他": "07", "离退休人员": "08", "离退休": "08",
    }
)
