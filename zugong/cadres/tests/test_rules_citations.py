"""Each cadre rule at its boundary with its citation (issue 4: "Tests show each rule at its boundaries
with its citation"). Verified articles are asserted; rules whose article could not be verified must
not claim one (docs/decisions/0006-regulation-citations.md)."""

import datetime as dt
import re
from decimal import Decimal

import pytest

from zugong.cadres import rules
from zugong.cadres.rules import BASIC as B
from zugong.cadres.rules import COMPETENT as C
from zugong.cadres.rules import EXCELLENT as E
from zugong.cadres.rules import INCOMPETENT as INC

D = dt.date
ARTICLE = re.compile(r"第[一二三四五六七八九十百零]+条")


def sources(grades: dict[int, str]) -> dict[tuple[str, int], str]:
    return {(c.kind, c.year): c.source for c in rules.appraisal_consequences(grades)}


def test_it_cites_the_verified_articles_of_the_civil_servant_law():
    law = "《中华人民共和国公务员法》（2018）"
    assert rules.SOURCE_RANKS.startswith(law + "第十九条第二款")
    assert rules.SOURCE_QUOTA.startswith(law + "第四十三条")
    assert rules.SOURCE_GRADES.startswith(law + "第三十八条")
    assert rules.SOURCE_DEMOTION.startswith(law + "第五十条第二款")
    assert rules.SOURCE_DISMISSAL.startswith(law + "第八十八条第（一）项")
    assert [label for _, label in rules.GRADES] == ["优秀", "称职", "基本称职", "不称职"]
    assert "优秀、称职、基本称职和不称职四个等次" in rules.SOURCE_GRADES


@pytest.mark.parametrize("name", ["SOURCE_APPRAISAL_QUOTA", "SOURCE_COMMENDATION", "SOURCE_THIRD_CLASS_MERIT",
                                  "SOURCE_BASIC", "SOURCE_WAITING_ACCOUNTABLE", "SOURCE_WAITING_UNSUITABLE",
                                  "SOURCE_WAITING_DEMOTED"])  # fmt: skip
def test_it_claims_no_article_where_none_was_verified(name):
    source = getattr(rules, name)
    assert source.startswith(("《公务员考核规定》（2020）：", "《推进领导干部能上能下规定》（2022）：",
                              "《党政领导干部选拔任用工作条例》（2019）（条款号未核实）："))
    assert ARTICLE.search(source) is None


def test_it_refuses_one_more_holder_at_the_post_quota_citing_article_43():
    rules.check_post_quota(team_name="一镇领导班子", kind=rules.CHIEF, quota=2, holders=1)
    rules.check_post_quota(team_name="一镇领导班子", kind=rules.CHIEF, quota=None, holders=9)
    with pytest.raises(rules.RuleViolation) as exc:
        rules.check_post_quota(team_name="一镇领导班子", kind=rules.CHIEF, quota=2, holders=2)
    assert exc.value.source == rules.SOURCE_QUOTA and "第四十三条" in str(exc.value)


def test_it_keeps_the_excellent_quota_at_its_boundaries_with_its_citation():
    rules.check_excellent_ratio(Decimal("0.20"), "")
    rules.check_excellent_ratio(Decimal("0.25"), "六组〔2025〕7号")
    for ratio, approval in ((Decimal("0.21"), ""), (Decimal("0.251"), "六组〔2025〕7号")):
        with pytest.raises(rules.RuleViolation) as exc:
            rules.check_excellent_ratio(ratio, approval)
        assert exc.value.source == rules.SOURCE_APPRAISAL_QUOTA
    rules.check_round_closable(excellent=2, quota=2, ungraded=0)
    with pytest.raises(rules.RuleViolation) as exc:
        rules.check_round_closable(excellent=3, quota=2, ungraded=0)
    assert exc.value.source == rules.SOURCE_APPRAISAL_QUOTA and "20%" in str(exc.value)


def test_it_commends_each_excellent_year_and_records_merit_at_the_third_with_citations():
    assert sources({2020: E})[("commendation", 2020)] == rules.SOURCE_COMMENDATION
    assert "当年给予嘉奖" in rules.SOURCE_COMMENDATION
    two = sources({2020: E, 2021: E})
    assert not any(kind == "third_class_merit" for kind, _ in two)
    three = sources({2020: E, 2021: E, 2022: E})
    assert three[("third_class_merit", 2022)] == rules.SOURCE_THIRD_CLASS_MERIT
    assert "连续三年确定为优秀等次的，记三等功" in rules.SOURCE_THIRD_CLASS_MERIT


def test_it_gives_salary_steps_and_grades_citing_article_20():
    assert ("salary_step", 2020) not in sources({2020: C})
    got = sources({2020: C, 2021: C})
    assert got[("salary_step", 2021)] == rules.SOURCE_SALARY_STEP
    assert "第二十条第（一）项" in rules.SOURCE_SALARY_STEP and "晋升一个工资档次" in rules.SOURCE_SALARY_STEP
    four = sources(dict.fromkeys(range(2016, 2020), C))
    assert not any(kind == "salary_grade" for kind, _ in four)
    five = sources(dict.fromkeys(range(2016, 2021), C))
    assert five[("salary_grade", 2020)] == rules.SOURCE_SALARY_GRADE
    assert "第二十条第（二）项" in rules.SOURCE_SALARY_GRADE and "晋升一个级别" in rules.SOURCE_SALARY_GRADE


def test_it_uses_the_official_wording_for_basically_competent():
    (c,) = rules.appraisal_consequences({2021: B})
    assert c.kind == "admonishing_talk" and c.source == rules.SOURCE_BASIC
    assert "对其进行诫勉，责令作出书面检查，限期改进" in c.source and "诫勉谈话" not in c.source
    assert c.label.startswith("对其进行诫勉，责令作出书面检查") and "不计算为晋升职务职级的任职年限" in c.label


def test_it_demotes_once_and_dismisses_after_two_consecutive_incompetent_years_citing_the_law():
    assert sources({2020: INC})[("demotion", 2020)] == rules.SOURCE_DEMOTION
    got = sources({2020: INC, 2021: INC})
    assert got[("dismissal", 2021)] == rules.SOURCE_DISMISSAL and "连续两年被确定为不称职" in got[("dismissal", 2021)]
    assert ("dismissal", 2021) not in sources({2019: INC, 2021: INC})


def test_it_ends_the_waiting_periods_on_the_anniversary_with_their_citation():
    W, check = rules.WaitingDates, rules.check_waiting_period
    out = D(2025, 5, 1)
    # accountability (引咎辞职、责令辞职、因问责被免职): no leadership post 1 year, nothing higher 2 years
    with pytest.raises(rules.RuleViolation) as exc:
        check(dates=W(accountable_on=out), on=D(2026, 4, 30), leadership_post=True, promotion=False)
    assert exc.value.source == rules.SOURCE_WAITING_ACCOUNTABLE and "2026.05.01前不安排领导职务" in str(exc.value)
    check(dates=W(accountable_on=out), on=D(2026, 5, 1), leadership_post=True, promotion=False)
    check(dates=W(accountable_on=out), on=D(2025, 6, 1), leadership_post=False, promotion=False)  # a non-leading post
    with pytest.raises(rules.RuleViolation, match="2027.05.01前不得担任高于原任职务层次的领导职务"):
        check(dates=W(accountable_on=out), on=D(2027, 4, 30), leadership_post=True, promotion=True)
    check(dates=W(accountable_on=out), on=D(2027, 5, 1), leadership_post=True, promotion=True)
    # unsuitable (调离岗位、免职): promotion barred 1 year; a post of the same level is not
    check(dates=W(unsuitable_on=out), on=D(2025, 6, 1), leadership_post=True, promotion=False)
    with pytest.raises(rules.RuleViolation) as exc:
        check(dates=W(unsuitable_on=out), on=D(2026, 4, 30), leadership_post=True, promotion=True)
    assert exc.value.source == rules.SOURCE_WAITING_UNSUITABLE and "2026.05.01前不得提拔" in str(exc.value)
    check(dates=W(unsuitable_on=out), on=D(2026, 5, 1), leadership_post=True, promotion=True)
    # demotion: promotion barred 2 years (the project's default; the 2019 条例 defers to 有关规定)
    demoted = D(2025, 2, 1)
    with pytest.raises(rules.RuleViolation) as exc:
        check(dates=W(demoted_on=demoted), on=D(2027, 1, 31), leadership_post=False, promotion=True)
    assert exc.value.source == rules.SOURCE_WAITING_DEMOTED and "2027.02.01前不得提拔" in str(exc.value)
    check(dates=W(demoted_on=demoted), on=D(2027, 2, 1), leadership_post=False, promotion=True)
    assert "条款号未核实" in rules.SOURCE_WAITING_ACCOUNTABLE and "按照有关规定执行" in rules.SOURCE_WAITING_DEMOTED


def test_it_lists_the_fifteen_circumstances_of_article_5_in_order():
    assert rules.SOURCE_CIRCUMSTANCES == "《推进领导干部能上能下规定》（2022）第五条"
    numerals = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四", "十五"]
    assert [code for code, _ in rules.CIRCUMSTANCES] == [f"{i:02d}" for i in range(1, 16)]
    assert [label.split("）")[0] for _, label in rules.CIRCUMSTANCES] == [f"（{n}" for n in numerals]
    labels = dict(rules.CIRCUMSTANCES)
    assert labels["01"].startswith("（一）政治能力不过硬，缺乏应有的政治判断力、政治领悟力、政治执行力")
    assert labels["05"].endswith("任人唯亲、拉帮结派，破坏所在地方、单位政治生态的")
    assert labels["08"].endswith("所负责的工作较长时间处于落后状态的")
