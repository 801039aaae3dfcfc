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


def _pairwise_groups(party_ids, kinds, dates, article_ids):
    """The definition: components of "compatible and from different articles"."""
    n = len(party_ids)
    parent = list(range(n))

    def find(i):
        while parent[i] != i:
            i = parent[i]
        return i

    for i in range(n):
        for j in range(i + 1, n):
            if (
                set(party_ids[i]) == set(party_ids[j])
                and article_ids[i] != article_ids[j]
                and kinds_compatible(kinds[i], kinds[j])
                and dates_compatible(dates[i], dates[j])
            ):
                parent[find(j)] = find(i)
    return [find(i) for i in range(n)]


def _partition(labels):
    blocks = {}
    for i, label in enumerate(labels):
        blocks.setdefault(label, []).append(i)
    return sorted(blocks.values())


@pytest.mark.parametrize("seed", range(30))
def test_grouping_equals_pairwise_comparison(seed):
    import random

    rng = random.Random(seed)
    dates_pool = [None, "", "2020", "2021", "2020-05", "2020-06", "2020-05-03", "2021-05-03",
                  "XXXX-05-03", "XXXX-05", "XXXX-03", "2020-03"]
    n = rng.randint(2, 40)
    party_ids = [rng.choice([["a", "b"], ["b", "a"], ["a", "c"]]) for _ in range(n)]
    kinds = [rng.choice(["partnership", "alliance", "investment", "contract"]) for _ in range(n)]
    dates = [rng.choice(dates_pool) for _ in range(n)]
    articles = [rng.choice("xyzw"[: rng.randint(1, 4)]) for _ in range(n)]
    got = group_events(party_ids, kinds, dates, articles)
    assert _partition(got) == _partition(_pairwise_groups(party_ids, kinds, dates, articles))


def test_grouping_is_not_quadratic_in_the_events_of_one_deal():
    """50,000 reports of one deal (one party set): pairwise comparison would make 1.25e9
    comparisons (this test would not finish); the time itself is measured by make bench."""
    n = 50_000
    groups = group_events(
        [["renault", "nissan"]] * n,
        ["alliance"] * n,
        [None if i % 3 == 0 else f"20{10 + i % 10}" for i in range(n)],
        [f"a{i}" for i in range(n)],
    )
    assert len(set(groups)) == 1
