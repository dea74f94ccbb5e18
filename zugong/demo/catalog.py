"""Names of the demo city's organs, institutions, enterprises and leadership seats.

Organ names follow the 2019 institutional reform of 六安市 and its counties; schools,
hospitals and enterprises are plausible, not a census. Seats are ``(title, post_level, tier)``;
lower tiers are filled first when the scale asks for fewer cadres than seats.
"""

from __future__ import annotations

#: 市直机关 (about 45): unit name suffix after "六安".
CITY_ORGANS = (
    "市委办公室", "市人大常委会办公室", "市政府办公室", "市政协办公室", "市纪委监委", "市委组织部", "市委宣传部",
    "市委统战部", "市委政法委员会", "市委政策研究室", "市委网信办", "市委机构编制委员会办公室", "市直机关工委", "市委党校",
    "市发展和改革委员会", "市教育局", "市科学技术局", "市经济和信息化局", "市公安局", "市民政局", "市司法局", "市财政局",
    "市人力资源和社会保障局", "市自然资源和规划局", "市生态环境局", "市住房和城乡建设局", "市交通运输局", "市水利局",
    "市农业农村局", "市商务局", "市文化和旅游局", "市卫生健康委员会", "市退役军人事务局", "市应急管理局", "市审计局",
    "市国有资产监督管理委员会", "市市场监督管理局", "市统计局", "市林业局", "市医疗保障局", "市数据资源管理局",
    "市信访局", "市中级人民法院", "市人民检察院", "市总工会", "市妇女联合会",
)
#: County organs: unit name suffix after the county name (金安区 + 委办公室 → 金安区委办公室).
COUNTY_ORGANS = (
    "委办公室", "人大常委会办公室", "政府办公室", "政协办公室", "纪委监委", "委组织部", "委宣传部", "委统战部", "委政法委员会",
    "委机构编制委员会办公室", "发展和改革委员会", "教育体育局", "公安局", "民政局", "司法局", "财政局", "人力资源和社会保障局",
    "自然资源和规划局", "住房和城乡建设局", "交通运输局", "农业农村局", "水利局", "商务局", "文化旅游局",
    "卫生健康委员会", "退役军人事务局", "应急管理局", "审计局", "市场监督管理局", "统计局", "医疗保障局", "林业局",
    "人民法院", "人民检察院",
)
CITY_SCHOOLS = ("皖西学院", "六安职业技术学院", "皖西卫生职业学院", "安徽省六安第一中学", "安徽省六安第二中学", "六安中学")
CITY_HOSPITALS = ("六安市人民医院", "六安市中医院", "六安市第二人民医院", "六安市妇幼保健院")
CITY_SOES = (
    "六安市城市建设投资有限公司", "六安市交通投资集团有限公司", "六安市产业投资发展有限公司", "六安市供水有限公司",
    "六安市公共交通有限公司",
)
COUNTY_SCHOOLS = ("第一中学", "第二中学", "实验中学", "实验小学", "职业学校")
COUNTY_HOSPITALS = ("人民医院", "中医院", "妇幼保健院")
COUNTY_SOES = ("城市建设投资有限公司", "国有资产运营有限公司")
COUNTY_SOCIAL = ("个体劳动者协会", "律师协会", "慈善协会", "茶叶行业协会", "志愿者协会", "物流行业协会")
FIRM_WORDS = "华恒鑫盛源泰瑞丰宏达信诚远兴金绿皖大顺安润佳景"
FIRM_TRADES = ("茶业", "食品", "科技", "新材料", "机械制造", "电子", "纺织", "建材", "农业开发", "物流", "竹木制品", "羽绒制品",
               "药业", "汽车零部件", "生态农业")

#: Pinyin usernames of the county administrators, by county code.
COUNTY_USERNAMES = {"341502": "jinan", "341503": "yuan", "341504": "yeji", "341522": "huoqiu", "341523": "shucheng",
                    "341524": "jinzhai", "341525": "huoshan"}
#: Issuer abbreviation in county appointment document numbers (金组干〔2022〕5号).
COUNTY_DOC = {"341502": "金", "341503": "裕", "341504": "叶", "341522": "霍邱", "341523": "舒",
              "341524": "金寨", "341525": "霍山"}
#: Real names of the county party committees.
def county_committee_name(county_name: str) -> str:
    """中共六安市金安区委员会 for districts, 中共霍山县委员会 for counties."""
    return f"中共六安市{county_name}委员会" if county_name.endswith("区") else f"中共{county_name}委员会"


def county_team_seats(county_name: str) -> dict[str, list[tuple[str, str, int]]]:
    """市管 seats of a county's four leadership teams: 委, 政府, 人大常委会, 政协."""
    s = county_name[-1]  # 区 or 县
    head = "区长" if s == "区" else "县长"
    return {
        f"{county_name}委领导班子": [
            (f"{s}委书记", "31", 0), (f"{s}委副书记", "32", 1), (f"{s}委常委、常务副{head}", "32", 1),
            (f"{s}委常委、纪委书记、监委主任", "32", 1), (f"{s}委常委、组织部部长", "32", 1), (f"{s}委常委、宣传部部长", "32", 2),
            (f"{s}委常委、统战部部长", "32", 2), (f"{s}委常委、政法委书记", "32", 2), (f"{s}委常委、办公室主任", "32", 2),
            (f"{s}委常委、副{head}", "32", 2), (f"{s}委常委、人武部政委", "32", 3),
        ],
        f"{county_name}政府领导班子": [(head, "31", 0)] + [(f"副{head}", "32", 2)] * 5 + [(f"{s}政府党组成员", "32", 3)],
        f"{county_name}人大常委会领导班子": [(f"{s}人大常委会主任", "31", 1)] + [(f"{s}人大常委会副主任", "32", 3)] * 4,
        f"{county_name}政协领导班子": [(f"{s}政协主席", "31", 1)] + [(f"{s}政协副主席", "32", 3)] * 5,
    }


def organ_seats(organ: str, level: str) -> list[tuple[str, str, int]]:
    """Seats of an organ's team; ``level`` "3" for 市直 (31/32), "4" for 县直 (41/42)."""
    if organ.endswith("人民法院"):
        head, deputy = "院长", "副院长"
    elif organ.endswith("人民检察院"):
        head, deputy = "检察长", "副检察长"
    elif organ.endswith(("委员会", "工委")) and not organ.endswith("政法委员会"):
        head, deputy = "主任", "副主任"
    elif organ.endswith(("办公室", "办", "政策研究室")):
        head, deputy = "主任", "副主任"
    elif organ.endswith("纪委监委"):
        head, deputy = "纪委副书记、监委副主任", "纪委常委、监委委员"
    elif organ.endswith("部"):
        head, deputy = "常务副部长", "副部长"
    elif organ.endswith("政法委员会"):
        head, deputy = "常务副书记", "副书记"
    elif organ.endswith("党校"):
        head, deputy = "常务副校长", "副校长"
    elif organ.endswith(("总工会", "妇女联合会")):
        head, deputy = "主席", "副主席"
    else:
        head, deputy = "局长", "副局长"
    return [(head, level + "1", 1), (deputy, level + "2", 2), (deputy, level + "2", 3), (deputy, level + "2", 4)]


def institution_seats(kind: str, level: str) -> list[tuple[str, str, int]]:
    """Seats of a school, hospital or state-owned enterprise team."""
    if kind == "school":
        return [("党委书记", level + "1", 1), ("校长", level + "1", 1), ("副校长", level + "2", 3), ("副校长", level + "2", 4)]
    if kind == "hospital":
        return [("党委书记", level + "1", 1), ("院长", level + "1", 1), ("副院长", level + "2", 3), ("副院长", level + "2", 4)]
    return [("党委书记、董事长", level + "1", 1), ("总经理", level + "1", 2), ("副总经理", level + "2", 3), ("副总经理", level + "2", 4)]


def town_seats(town_name: str) -> list[tuple[str, str, int]]:
    """县管 seats of a town (镇/乡) or subdistrict (街道) leadership team."""
    if town_name.endswith("街道"):
        return [("党工委书记", "41", 0), ("办事处主任", "41", 0), ("党工委副书记", "42", 1), ("纪工委书记", "42", 2),
                ("党工委委员、组织委员", "42", 2), ("办事处副主任", "42", 2), ("办事处副主任", "42", 3), ("武装部部长", "42", 4)]
    if town_name.endswith("乡"):
        chief, deputy = "乡长", "副乡长"
    elif town_name.endswith("镇"):
        chief, deputy = "镇长", "副镇长"
    else:  # 开发区, 水产局管辖村
        chief, deputy = "管委会主任", "管委会副主任"
    return [("党委书记", "41", 0), (chief, "41", 0), ("党委副书记", "42", 1), ("人大主席", "41", 2), ("纪委书记", "42", 2),
            ("党委委员、组织委员", "42", 2), ("党委委员、宣传委员", "42", 3), (deputy, "42", 2), (deputy, "42", 3),
            (deputy, "42", 4), ("武装部部长", "42", 4), ("党委委员、政法委员", "42", 4)]


#: 职级 (codes of ``zugong.cadres.rules.RANKS``) of the cadres beyond the leadership seats, who reach the
#: 市管/县管 totals of the issue (in real cities most 市管干部 beyond the seats hold a 县处级职级), with the
#: 职务级别 (GB/T 12407) recorded on their cadre record: 一级、二级调研员 县处级正职, 三级、四级调研员 副职;
#: 一级、二级主任科员 乡科级正职, 三级、四级主任科员 副职. A 职级 is no 职务 (《公务员职务与职级并行规定》
#: 2019): these cadres hold a ``CadreRank``, no post. Most senior first; the demo deals them out in turn.
CITY_RANKS = (("04", "31"), ("05", "32"), ("06", "32"))  # 二级、三级、四级调研员
COUNTY_RANKS = (("07", "41"), ("08", "41"), ("09", "42"), ("10", "42"))  # 一级至四级主任科员
#: Years of work (参加工作) a demo cadre has at least when granted a 职级: a year to 一级科员, then 3 years
#: to 四级主任科员 and 2 for each step after, the tenures commonly described for promotion by rank
#: (article not verified). A plausibility bound of the demo, not a rule the system enforces
#: (REGULATIONS.md lists none).
RANK_MIN_SERVICE = {"04": 16, "05": 14, "06": 12, "07": 10, "08": 8, "09": 6, "10": 4}
