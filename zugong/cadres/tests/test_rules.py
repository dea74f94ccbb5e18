"""The 党内职务 title rule (``rules.is_party_post``) on titles as rosters and résumés write them."""

import pytest

from zugong.cadres import rules

PARTY_POSTS = [
    "县剧团支部书记",  # a 剧团 is a unit: its 支部 is the Party branch
    "县剧团党支部书记",
    "中共金安区委 书记",
    "中共金安区委　书记",  # full-width space
    "金安区委 常委",
    "县委　常委",
    "党委 副书记、 镇长",
    "团委书记 党委委员",  # two posts, one of them the Party's
    "团委书记县委常委",
    "团市委党组书记",  # the Party's 党组 in the Youth League's committee
]
NOT_PARTY_POSTS = [
    "县剧团团支部书记",  # the troupe's Youth League branch
    "共青团金安区委书记",
    "共青团金安区委 书记",
    "共青团金安区委　书记",
    "共青团金安区委\u00a0书记",
    "共青团金安区委 副书记",
    "共青团金安区委 常委",
    "共青团金安区委 委员",
    "团委 书记",
    "民建市委 常委",
    "工会 组织委员",
    "书 记 员",
    "副 镇长",
]


@pytest.mark.parametrize("title", PARTY_POSTS)
def test_it_reads_these_titles_as_party_posts(title):
    assert rules.is_party_post(title)


@pytest.mark.parametrize("title", NOT_PARTY_POSTS)
def test_it_reads_these_titles_as_posts_of_other_organizations_or_none(title):
    assert not rules.is_party_post(title)


@pytest.mark.parametrize("title", PARTY_POSTS + NOT_PARTY_POSTS)
def test_whitespace_inside_a_title_does_not_change_the_reading(title):
    assert rules.is_party_post(title) == rules.is_party_post("".join(title.split()))
