"""Responsible parties named in a task sentence, with a normalized kind.

Kinds (mapping to units in the tree happens later, in the work app):
``city_org_dept`` 市委组织部, ``city_committee`` 市委, ``county_org_heads`` 县区委组织部长,
``county_org_depts`` 县区委组织部, ``all_counties`` 各县区, ``city_and_counties`` 市县,
``all_party_committees`` 各级党委（党组）, ``org_departments`` 组织部门/组工干部,
``industry_authorities`` 行业主管部门, ``towns`` 乡镇（街道）, ``city_departments`` 市直单位/有关部门,
``talent_group`` 人才工作领导小组, ``everyone`` 各级各部门 (the whole audience: listed, never directed).

A mention counts as a party when it is the subject of a directive (followed by 要/将/须/负责/
牵头/联动/自主/统一/在 …) or the object of 压实/督促/会同/由 (… 责任).

Besides these fixed kinds, three *generic* kinds recognise the names this genre forms by rule
(see :data:`TEXT_KINDS`): ``organ`` — a body of a level, 县委宣传部/区委教育工委/团县委 (party
side: level + 委 + …部/办/工委/室) and 县住建局/县卫健委/县工商联/镇党建办/镇综治中心 (government
side: level + …局/委/办/中心/公司/联 …); ``role`` — posts, 区委常委/镇党委书记/(镇党委)班子成员;
``units`` — collectives written with 各, 各涉农街道党工委/各部门/各学校. ``villages`` 各村（社区）
(党组织)/各社区党委 are the village and community organizations below the author. ``place`` — a
county or township by its own name (金安区、裕安区要……), recognised only among the names the caller
passes (:func:`find_parties` ``places``: the unit tree's, which this module does not read).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

_P = "[（(]党组[)）]"
_LVL = "(?:市委|县委|区委|市|县|区)"
_ORG = "(?:党组织|党委|党组)"
_ALT = "(?:[（(](?:党组|党委)[)）])"  # 党组（党委）: the alternative body in brackets
_VC = "(?:[（(](?:社区|居)[)）])"  # 村（社区）
#: The middle of a generic name: 1–7 characters that cannot occur inside a name (的/要/和/、…).
_BODY = r"[^\s\d，。；：、！？,;:的要和与及对在将把为是从到向由了也都各“”《》（）()]{1,7}?"
_BODY0 = _BODY.replace("{1,7}?", "{0,7}?")
#: A level character that is the end of another word is no level (社区, 园区, 城市, 返乡, 乡镇).
_LV = r"(?<![社园城小街景辖片山库矿厂校营超股集夜返下家老故异村乡州])"
#: Suffixes of the names of government bodies, people's organizations and public institutions.
_GOV = r"(?:局|委员会|管委会|委|办公室|办|中心|公司|总工会|工会|科协|文联|侨联|残联|妇联|工商联|所|站|法院|检察院)"
PARTY_PATTERNS: list[tuple[str, str]] = [
    (r"各级各(?:有关)?(?:部门|单位)|各地各(?:有关)?部门|各级各类?", "everyone"),
    (rf"各级党委{_P}|各级党组织|各级党委", "all_party_committees"),
    (r"(?:各)?(?:县|区|县[（(](?:市、)?区[)）]|县市区|县区)委组织部长", "county_org_heads"),
    (r"(?:市委|县委|区委)组织部(?:领导)?班子成员", "org_dept_leadership"),
    (r"(?:各)?(?:县|区|县[（(](?:市、)?区[)）]|县市区|县区)委组织部", "county_org_depts"),
    (r"市委组织部", "city_org_dept"),
    (rf"{_LVL}?人才办|{_LVL}?人才工作领导小组办公室", "talent_office"),
    (r"市委人才工作领导小组|县委人才工作领导小组|人才工作领导小组", "talent_group"),
    (r"(?:各级)?组织部门(?:、组工干部)?|组工干部", "org_departments"),
    (r"(?:各)?行业主管部门", "industry_authorities"),
    (rf"市直(?:各|有关|重点|相关)?(?:部门|单位){_ORG}?{_ALT}?|市直各(?:有关)?(?:部门|单位){_ORG}?{_ALT}?|(?:各)?有关部门|(?:相关)?职能部门",
     "city_departments"),
    (rf"各?[县区]直(?:各|有关|相关)?(?:部门|单位)(?:{_ORG}{_ALT}?)?|[县区]直各(?:有关)?(?:部门|单位){_ORG}?",
     "county_departments"),
    (r"(?:各)?乡镇[（(]街道[)）](?:党[（(]?工[)）]?委)?|各乡镇(?:党委)?|各街道(?:党工委)?", "towns"),
    (rf"各?村{_VC}?(?:党组织|党支部)书记", "village_secretaries"),
    (rf"各村{_VC}?(?:党组织|党支部|党委)?|各社区(?:党组织|党支部|党委)?|"
     rf"(?<![\u4e00-\u9fff])(?:村{_VC}?|社区)(?:党组织|党支部|党委)(?!书记)", "villages"),
    (r"(?<![\u4e00-\u9fff])(?:街道党工委|乡镇党委)", "towns"),
    (r"(?:每名)?(?:市级|县级|区级)领导干部|(?<!每名)(?:市级|县级|区级)领导", "leading_cadres"),
    (r"各成员单位|领导小组成员单位", "member_units"),
    (rf"{_LVL}?两新工委|{_LVL}?(?:非公有制经济组织|非公经济组织|非公企业)(?:和|与|、)?(?:社会组织)?(?:综合)?(?:党委|党工委|工委)|"
     rf"{_LVL}?(?:两新组织|社会组织)(?:党委|党工委|工作委员会)", "two_new_committee"),
    (rf"{_LVL}党校", "party_school"),
    (rf"{_LVL}?纪委监委(?:机关)?|纪检监察机关", "discipline_commission"),
    (rf"{_LVL}督查室|{_LVL}督查办", "inspection_office"),
    (r"(?:市|县|区|镇|乡)财政(?:局|所)?", "finance"),
    (r"(?:市|县|区)人社局|(?:市|县|区)人力资源和社会保障局", "human_resources"),
    (r"市县两级|市、县(?:、区)?|市县", "city_and_counties"),
    (r"(?:[^，。；、]{1,8}的)?(?:各)?县[（(](?:市、)?区[)）](?:党委|党组织)?|(?:[^，。；、]{1,8}的)?(?:各)?县(?:市)?区|各县",
     "all_counties"),
    (r"市委", "city_committee"),
    # the author's own offices in a 工作要点 (各股室要……, 办公室于……, 部务会每季度听取……), as clause subjects
    (r"各(?:股室|科室|处室|科|股)(?![\u4e00-\u9fff]{0,2}(?:负责人|主要负责))", "units"),
    (r"(?<![\u4e00-\u9fff])(?:部务会(?:议)?|部委会|办公室)", "organ"),
    # spoken names of a 镇/村 speech: the level itself (镇里, 县里) and village posts (村书记, 护林员)
    (r"(?<![\u4e00-\u9fff])(?:镇里|乡里|县里|区里|市里)", "organ"),
    # (only as the subject of a clause, or after 请: "对……的镇村干部在……优先" names no doer)
    (r"(?:(?<![\u4e00-\u9fff])|(?<=请))(?:(?:各|每个村的?)?(?:村书记|村支书|村干部|村主任|村会计|村监委会主任)|"
     r"(?:村级|各村)?(?:护林员|网格员|包村干部|驻村干部|信息员|调解员))", "role"),
    # generic names formed by rule (compared by their text: TEXT_KINDS)
    (rf"{_LV}[市县区镇乡](?:委|党委)常委|{_LV}[市县区]委书记|(?:乡镇|{_LV}[镇乡])党委(?:书记|副书记|委员|班子成员)|"
     rf"各(?!级){_BODY0}党(?:工)?委(?:书记|副书记)|(?:各)?乡镇[（(]街道[)）]党[（(]?工[)）]?委(?:书记|副书记)|"
     rf"各级党委{_P}?(?:主要负责同志|主要负责人|书记)|(?:领导)?班子成员", "role"),
    (rf"{_LV}[市县区]委组织部(?:各(?:股室|科室|处室|科|股|处)|机关)|{_LV}[市县区]委组织部{_BODY}(?:科|股|处(?![理置分])|办公室)|团[市县区]委|{_LV}[市县区]委{_BODY}(?:部|办公室|办|工委|委|室|校|科|股|处(?![理置分]))|{_LV}[镇乡]党委{_BODY}(?:办公室|办|室|组)|"
     rf"{_LV}[市县区]直机关工委|{_LV}[市县区镇乡](?![委级直]){_BODY0}{_GOV}|{_LV}[镇乡]纪委",
     "organ"),
    (rf"各(?!级){_BODY0}(?:党工委|党委|党组{_ALT}?|党组织|党支部|(?:部门|单位|学校|企业|医院|高校){_ORG}?{_ALT}?)", "units"),
]
#: Generic kinds: two mentions are the same party only when their texts agree (:func:`party_key`).
TEXT_KINDS = frozenset({"organ", "role", "units", "named", "place"})
_COMPILED = [(re.compile(p), k) for p, k in PARTY_PATTERNS]
_AFTER = re.compile(
    r"^(?:都|也|还|均|要|将|须|必须|负责|牵头|联动|自主|统一|在|应|务必|分别|各自|会同|联合|配合|协助|协同|参与|"
    r"每人|每年|每季度|每半年|每月|"
    r"于|年内|年底前|全年|\d{1,2}月)"
)
_BEFORE = re.compile(r"(?:压实|督促|要求|会同|联合|协同|由)$")
#: After these a name is the object of someone else's action (推动街道党工委……, 指导重点企业……).
_STEERED = re.compile(r"(?:推动|指导|支持|鼓励|引导|帮助|组织|动员)$")
#: A name before a prohibition (区直部门不得……) is bound by a rule, not given a task.
_FORBIDDEN = re.compile(r"^(?:都|也|均)?(?:不得|不准|严禁|禁止|不能|不许)")
#: A post named after the first party only to state its duty ("镇党委书记要履行第一责任人职责，
#: 班子成员落实‘一岗双责’") adds no responsible party of its own.
_DUTY = re.compile(r"^(?:都|也|均)?(?:要|须|必须)?(?:切实|认真)?(?:履行|当好|扛起|担起|担负|落实“一岗双责”|落实一岗双责)")
#: After a name in subject position, these make it a possessor, not a doer (县直部门领导班子中……).
_POSSESSED = re.compile(r"(?:党政)?(?:领导班子|班子|基本报酬|报酬|待遇|责任重大|任务)|中(?![，,])|(?:全年|每年)?人均")
#: Verbs whose object may describe who does what ("形成党委统一领导、组织部门牵头抓总的格局").
_BUILD = re.compile(r"健全|形成|构建|完善|建立|打造")
#: Words after which a name is an object or a destination, not a doer (报市委人才办备案, 向……汇报).
_OBJECT_BEFORE = re.compile(r"(?:报|报送|向|对|给|到|经|为)$")

#: A clause that is only a body's name and its duty ("区非公经济组织和社会组织党委负责，", "由区人社局配合，"):
#: the name is a party even when no pattern of :data:`PARTY_PATTERNS` knows it (kind ``named``, kept as text).
_DUTY_CLAUSE = re.compile(
    r"(?:^|(?<=[，；：。,;:]))(?:由)?(?P<name>[^\s\d，。；：、,;:！？“”《》的要将把对在为是从到向了也都]{3,24}?"
    r"(?:党委|党工委|党[（(]工[)）]委|党组|党支部|党总支|工委|委员会|局|委|办|部|中心|站|所|院|校|联|公司|单位|部门|室|科|股))"
    r"(?:牵头|负责|配合|协助|协同)(?=[，；。,;]|$)"
)
#: After a name, the words that make it the lead of the sentence's work ("区委组织部牵头，……") or a
#: supporting unit beside that lead ("区人社局配合").
_LEADS = re.compile(r"^牵头")
_SUPPORTS = re.compile(r"^(?:配合|协助|协同|参与|负责)")


@dataclass
class Party:
    """A responsible party: ``text`` as written, its span, its normalized ``kind``.

    ``directed`` is True when the name comes with a directive (要/负责/会同/由……), False when it is
    only in subject position: such a party is listed but does not by itself make a sentence a task.
    ``role`` is set only for parties read from a work plan's fields (:mod:`.fields`): 'lead'
    (牵头单位), 'responsible' (责任单位/配合单位) or 'leader' (牵头领导, a post); None for names found in
    the sentence itself. Kind ``named`` is a field name the lexicon does not know (kept as text).
    """

    text: str
    kind: str
    start: int
    end: int
    directed: bool = True
    role: str | None = None  # 'lead' | 'responsible' | 'leader' when a 牵头单位/责任单位 field names it


def party_key(text: str, kind: str | None = None) -> str:
    """What identifies a party when two mentions are compared (bench, deduplication).

    The kind for the fixed kinds (各县区 and 各县（市、区） are both ``all_counties``); for the
    generic kinds (:data:`TEXT_KINDS`) and unknown names the text itself, with half-width
    brackets made full-width and spaces removed (县住建局 ≠ 县教育局). ``kind`` defaults to
    :func:`normalize` of ``text``.
    """
    kind = kind or normalize(text)
    if kind and kind not in TEXT_KINDS:
        return kind
    return re.sub(r"\s", "", text).replace("(", "（").replace(")", "）")


def normalize(name: str) -> str | None:
    """Kind of a party name ("各县区" → "all_counties"), or None if unknown."""
    for pat, kind in _COMPILED:
        if pat.fullmatch(name.strip()):
            return kind
    return None


@functools.lru_cache(maxsize=32)
def _place_pattern(places: frozenset[str]) -> re.Pattern | None:
    """One pattern for the known place names (longest first), each optionally followed by 委组织部
    (its organization department); None without names."""
    names = sorted((p for p in places if len(p) >= 2), key=len, reverse=True)
    if not names:
        return None
    alt = "|".join(re.escape(n) for n in names)
    # not inside a longer word (中共金安区委…), not the first part of another name (金安区委书记 is a post,
    # 金安区直单位 other bodies, 金安籍 people); at a clause's start, after 、 or after 由/请/和/及/与/同
    tail = r"(?:委组织部)?(?!委|直|级|籍|管)"
    return re.compile(rf"(?:(?<![\u4e00-\u9fff])|(?<=[由请和及与同]))(?:{alt}){tail}")


def find_parties(text: str, base: int = 0, *, places: frozenset[str] = frozenset()) -> list[Party]:
    """Parties named as doers in ``text`` (a sentence); spans are ``base`` + offsets.

    A name is a doer when it is followed by a directive (要/将/负责/牵头/会同/每年/于…), when it
    stands after 压实/支持/会同/由 …, or when it opens a clause (subject position: at the start of the
    sentence or after ，；：) and is not followed by 的. A name joined by 、/和 to a doer is a doer
    too ("各乡镇党委、县直各单位党组织要……"). Names after 报/向/对 … are objects and never parties.

    ``places``: names of places the caller knows (the counties and townships of the city's unit tree,
    金安区, 霍邱县); such a name is a party of kind ``place`` ("金安区、裕安区要……"), and the name with
    委组织部 (金安区委组织部) one of kind ``organ``. Place names are not guessed from the text alone:
    a two-character word before 县/区/市 is as often a verb (举办县管干部…, 会同县委组织部…).

    A clause that is only a body's name and its duty (:data:`_DUTY_CLAUSE`: "区非公经济组织和社会组织党委负责")
    names a party even when no pattern knows the name (kind ``named``). A name followed by 牵头 gets
    ``role`` 'lead' and, beside it, the names followed by 配合/协助/负责 … get 'responsible'
    ("区委组织部牵头，区人社局配合": the work app makes the first the 牵头单位, the others 责任单位).
    """
    extra = []
    if places:
        pat = _place_pattern(places)
        if pat is not None:
            extra = [(m.start(), -(m.end() - m.start()), -1, m.end(), "organ" if m.group(0).endswith("委组织部") else "place")
                     for m in pat.finditer(text)]
    known = [(m.start(), -(m.end() - m.start()), i, m.end(), kind)
             for i, (pat, kind) in enumerate(_COMPILED)
             for m in pat.finditer(text)] + extra
    ends = {b for *_, b, _ in known}
    for m in _DUTY_CLAUSE.finditer(text):
        a, b = m.span("name")
        if b not in ends:  # a name no pattern ends at: "区非公经济组织和社会组织党委" (not "县委组织部和县人社局")
            known.append((a, -(b - a), len(_COMPILED), b, normalize(m["name"]) or "named"))
    found = sorted(known)
    cands: list[tuple[int, int, str]] = []
    for a, _, _, b, kind in found:  # leftmost, then longest, then the more specific pattern
        if any(x < b and a < y for x, y, _ in cands):
            continue
        cands.append((a, b, kind))
    cands.sort()
    flags = []
    for a, b, kind in cands:
        after, before = text[b : b + 4], text[max(0, a - 4) : a]
        if _OBJECT_BEFORE.search(before) and not _BEFORE.search(before):
            flags.append(False)
            continue
        if after.startswith("的") or _FORBIDDEN.match(text[b:]) or re.match(r"(?:全年|每年)?人均", text[b:]):
            flags.append(False)
            continue
        if _STEERED.search(before) and not _AFTER.match(after):
            flags.append(False)  # the object of 推动/指导/支持: "推动县职业教育中心与企业共建"
            continue
        if kind == "role" and _DUTY.match(text[b:]) and any(f is not False for f in flags):
            flags.append(False)  # "……，镇党委书记要履行第一责任人职责"
            continue
        clause = re.split(r"[，；：。,;:]", text[:a])[-1]
        clause_start = a == 0 or text[a - 1] in "，；：。,;:"
        if not clause_start and _BUILD.search(clause) and not _BEFORE.search(before):
            flags.append(False)  # inside the object of 健全/形成/构建: "健全组织部门牵头抓总……的格局"
            continue
        if _AFTER.match(after) or (_BEFORE.search(before) and kind != "city_committee"):
            flags.append(True)
        elif clause_start and kind != "city_committee" and not _POSSESSED.match(text[b:]):
            flags.append(None)  # subject position only
        else:
            flags.append(False)
    # a name joined by 、/和/及 to a following doer is a doer too
    for i in range(len(cands) - 2, -1, -1):
        a, b, _ = cands[i]
        nxt = cands[i + 1]
        if flags[i + 1] is not False and not flags[i] and re.fullmatch(r"[、和及与]", text[b : nxt[0]]):
            flags[i] = flags[i + 1]
    # and a name listed after a directed one in the object of 会同/由 ("会同县委组织部、县司法局，……")
    listed = {i for i, (a, _, _) in enumerate(cands) if flags[i] is True and _BEFORE.search(text[max(0, a - 4) : a])}
    for i in range(1, len(cands)):
        prev = cands[i - 1]
        if i - 1 in listed and not flags[i] and re.fullmatch(r"[、和及与]", text[prev[1] : cands[i][0]]):
            flags[i] = True
            listed.add(i)
    out = [
        Party(text=text[a:b], kind=kind, start=base + a, end=base + b, directed=bool(ok) and kind != "everyone")
        for (a, b, kind), ok in zip(cands, flags, strict=True)
        if ok is not False
    ]
    # "区委组织部牵头，各乡镇党委负责/区人社局配合": the sentence says who leads and who supports
    lead = next((p for p in out if p.directed and _LEADS.match(text[p.end - base :])), None)
    if lead is not None:
        lead.role = "lead"
        for p in out:
            if p is not lead and p.directed and _SUPPORTS.match(text[p.end - base :]):
                p.role = "responsible"
    return out
