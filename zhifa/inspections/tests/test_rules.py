"""The pure rules of “双随机、一公开”: sample sizes at their boundaries, the reproducible draw,
recusal (处罚法第四十三条) and P1's two officers, and the G3 publication date."""

from datetime import date
from decimal import Decimal

import pytest

from zhifa.inspections import rules
from zhifa.workdays.rules import Calendar

NO_HOLIDAYS = Calendar(frozenset(), frozenset(), frozenset({2026}))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5%", Decimal("5")),
        ("30％", Decimal("30")),
        (" 2.5 % ", Decimal("2.5")),
        ("100%", Decimal("100")),
        ("0%", None),
        ("101%", None),
        ("每年不少于1次", None),
        ("60-70家", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_ratio(text, expected):
    assert rules.parse_ratio(text) == expected


@pytest.mark.parametrize(
    ("pool", "ratio", "expected"),
    [
        (20, "5", 1),  # exactly 1
        (21, "5", 2),  # 1.05 rounds up
        (1, "5", 1),  # a ratio above zero never draws nobody from a non-empty pool
        (0, "5", 0),
        (30, "100", 30),
        (3, "0.01", 1),
        (200, "2.5", 5),
    ],
)
def test_sample_size_from_a_ratio_rounds_up(pool, ratio, expected):
    assert rules.sample_size(pool, ratio=Decimal(ratio)) == expected


@pytest.mark.parametrize(("pool", "count", "expected"), [(10, 3, 3), (10, 10, 10), (10, 11, 10), (0, 1, 0)])
def test_sample_size_from_a_count_is_capped_at_the_pool(pool, count, expected):
    assert rules.sample_size(pool, count=count) == expected


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"count": 1, "ratio": Decimal(5)},
        {"count": 0},
        {"ratio": Decimal(0)},
        {"ratio": Decimal("100.01")},
    ],
)
def test_sample_size_refuses_bad_input(kwargs):
    with pytest.raises(ValueError):
        rules.sample_size(10, **kwargs)


@pytest.mark.parametrize(("n", "ok"), [(None, False), (1, False), (2, True), (5, True), (6, False)])
def test_at_least_two_officers_per_target_p1(n, ok):
    error = rules.officers_per_target_error(n)
    assert (error is None) is ok
    if n in (None, 1):
        assert "P1" in error and "处罚法》第四十二条" in error


def test_draw_is_reproducible_from_its_seed():
    targets, officers = range(1, 101), [11, 12, 13, 14, 15, 16]
    first = rules.draw("4f1c2a", targets, officers, 10, 2)
    assert first == rules.draw("4f1c2a", reversed(targets), list(reversed(officers)), 10, 2)
    assert first != rules.draw("4f1c2b", targets, officers, 10, 2)
    assert len({d.target_id for d in first}) == 10
    assert all(len(set(d.officer_ids)) == 2 and set(d.officer_ids) <= set(officers) for d in first)


def test_draw_takes_the_whole_pool_at_its_size():
    drawn = rules.draw("s", [1, 2, 3], [7, 8], 3, 2)
    assert sorted(d.target_id for d in drawn) == [1, 2, 3]
    with pytest.raises(ValueError):
        rules.draw("s", [1, 2, 3], [7, 8], 4, 2)


def test_draw_with_one_eligible_officer_is_refused_p1():
    with pytest.raises(rules.DrawRefused) as excinfo:
        rules.draw("s", [1, 2, 3], [7], 1, 2)
    message = str(excinfo.value)
    assert "P1" in message and "《中华人民共和国行政处罚法》第四十二条" in message and "只有1名" in message
    assert rules.draw("s", [1, 2, 3], [7, 8], 1, 2)  # two is enough


def test_draw_refuses_one_officer_per_target_p1():
    with pytest.raises(rules.DrawRefused, match="P1"):
        rules.draw("s", [1, 2], [7, 8, 9], 1, 1)


def test_recusal_redraws_only_that_target():
    """处罚法第四十三条: the conflicted officer steps out of one target's team; every other
    target keeps its officers, and the target keeps the others of its team."""
    seed, targets, officers = "seed", range(1, 21), range(100, 110)
    before = rules.draw(seed, targets, officers, 8, 2)
    victim = before[3]
    conflicts = {(victim.target_id, victim.officer_ids[0])}
    after = rules.draw(seed, targets, officers, 8, 2, conflicts)
    assert [d.target_id for d in after] == [d.target_id for d in before]
    for old, new in zip(before, after, strict=True):
        if old.target_id != victim.target_id:
            assert new == old
    new_team = after[3].officer_ids
    assert victim.officer_ids[0] not in new_team and victim.officer_ids[1] in new_team
    order = rules.officer_order(seed, victim.target_id, officers)
    assert set(new_team) == set(order[:3]) - {victim.officer_ids[0]}


def test_recusal_leaving_fewer_than_two_officers_is_refused():
    with pytest.raises(rules.DrawRefused) as excinfo:
        rules.pick_officers("s", 1, [7, 8], 2, {(1, 7)})
    assert "回避" in str(excinfo.value) and "第四十三条" in str(excinfo.value)


def test_results_are_published_within_twenty_working_days_g3():
    # Friday 2026-01-09 + 20 working days (no holidays in this calendar) = Friday 2026-02-06.
    assert rules.publication_due(date(2026, 1, 9), NO_HOLIDAYS).date == date(2026, 2, 6)
