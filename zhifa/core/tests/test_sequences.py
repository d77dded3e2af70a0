"""Gap-free numbers under concurrency (案号/文号 rely on this)."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, transaction

from zhifa.core.sequences import next_number


@pytest.mark.django_db(transaction=True)
def test_parallel_allocations_are_distinct_and_gap_free():
    def allocate(_):
        try:
            with transaction.atomic():
                return next_number("test:2026")
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=8) as pool:
        numbers = list(pool.map(allocate, range(100)))
    assert sorted(numbers) == list(range(1, 101))


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_number_is_reused():
    class Abort(Exception):
        pass

    with pytest.raises(Abort), transaction.atomic():
        next_number("rollback")
        raise Abort
    with transaction.atomic():
        assert next_number("rollback") == 1


@pytest.mark.django_db(transaction=True)
def test_allocation_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError):
        next_number("autocommit")
