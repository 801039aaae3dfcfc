"""Cross-article grouping (souverain_nlp.events)."""

import pytest

from souverain_nlp.events import dates_compatible, group_events, kinds_compatible


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("partnership", "alliance", True),
        ("agreement", "collaboration", True),
        ("investment", "investment", True),
        ("investment", "partnership", False),
        ("joint_venture", "contract", False),
    ],
)
def test_kinds_compatible(a, b, expected):
    assert kinds_compatible(a, b) is expected


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (None, "2020", True),
        ("2020", "2020-11", True),
        ("2020-11-03", "2020-11", True),
        ("2020", "2021", False),
        ("2020-10", "2020-11", False),
        ("XXXX-06-04", "2019-06-04", True),
        ("XXXX-06-04", "2019-07-04", False),
    ],
)
def test_dates_compatible(a, b, expected):
    assert dates_compatible(a, b) is expected


def test_same_deal_in_two_articles_is_one_group():
    groups = group_events(
        party_ids=[["ovhcloud", "google"], ["google", "ovhcloud"], ["orange", "google"]],
        kinds=["alliance", "agreement", "partnership"],
        dates=["2020", None, "2020-07"],
        article_ids=["a1", "a2", "a1"],
    )
    assert groups[0] == groups[1]
    assert groups[2] != groups[0]


def test_incompatible_dates_or_kinds_stay_apart():
    groups = group_events(
        party_ids=[["a", "b"], ["a", "b"], ["a", "b"]],
        kinds=["partnership", "partnership", "investment"],
        dates=["2018", "2021", None],
        article_ids=["x", "y", "z"],
    )
    assert groups[0] != groups[1]
    assert groups[2] not in (groups[0], groups[1])


def test_events_of_one_article_are_not_merged_by_grouping():
    groups = group_events([["a", "b"], ["a", "b"]], ["partnership"] * 2, [None, None], ["x", "x"])
    assert groups[0] != groups[1]


def test_group_ids_are_stable():
    args = ([["a", "b"], ["b", "a"]], ["alliance", "partnership"], [None, "2020"], ["x", "y"])
    assert group_events(*args) == group_events(*args)
