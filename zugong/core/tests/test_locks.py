"""Named locks held until the transaction ends (``core.locks``)."""

import pytest
from django.db import connection, transaction
from django.db.transaction import TransactionManagementError

from zugong.core import locks


def test_a_name_has_one_signed_64_bit_key_in_every_process():
    key = locks.lock_key("members.export_job_start")
    assert key == locks.lock_key("members.export_job_start") != locks.lock_key("cadres.post:1:镇长")
    assert -(2**63) <= key < 2**63
    assert key == int.from_bytes(bytes.fromhex("abdb6a0a38786ee0"), "big", signed=True)  # SHA-256: not hash(), which varies by process


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_it_refuses_to_run_outside_a_transaction():
    with pytest.raises(TransactionManagementError):
        locks.hold("x")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_it_holds_the_named_locks_until_the_transaction_ends():
    with transaction.atomic():
        locks.hold("b", "a", "a")
        if connection.vendor == "postgresql":
            with connection.cursor() as cur:
                cur.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()")
                assert cur.fetchone()[0] == 2
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()")
            assert cur.fetchone()[0] == 0
