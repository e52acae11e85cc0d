"""AtomicRedisLockStore against the real Redis on 127.0.0.1: tickets stay unique when servers race for them."""
from __future__ import annotations

import os
import threading
import uuid

import pytest
from rasa.core.lock_store import RedisLockStore

from components.redis_lock_store import AtomicRedisLockStore

REDIS = {"host": os.environ.get("REDIS_HOST", "127.0.0.1"), "port": int(os.environ.get("REDIS_PORT", "6379")),
         "db": 1, "password": os.environ.get("REDIS_PASSWORD") or None}
SERVERS, TICKETS_EACH = 6, 25


def store(cls: type = AtomicRedisLockStore, prefix: str = "") -> RedisLockStore:
    try:
        lock_store = cls(key_prefix=prefix or "locktest" + uuid.uuid4().hex[:8], **REDIS)
        lock_store.red.ping()
    except Exception as error:  # noqa: BLE001 - any connection failure means "no Redis here"
        pytest.skip(f"no Redis at {REDIS['host']}:{REDIS['port']}: {error}")
    return lock_store


def race_for_tickets(cls: type) -> list[int]:
    """SERVERS stores (one connection each, like Rasa servers) issue tickets for one conversation at once."""
    prefix = "locktest" + uuid.uuid4().hex[:8]
    stores = [store(cls, prefix) for _ in range(SERVERS)]
    conversation, tickets, start = "c-" + uuid.uuid4().hex, [], threading.Barrier(SERVERS)

    def issue(lock_store: RedisLockStore) -> None:
        start.wait()
        for _ in range(TICKETS_EACH):
            tickets.append(lock_store.issue_ticket(conversation, 30))

    threads = [threading.Thread(target=issue, args=(s,)) for s in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stores[0].delete_lock(conversation)
    return tickets


def test_tickets_issued_at_the_same_moment_are_all_different() -> None:
    tickets = race_for_tickets(AtomicRedisLockStore)
    assert sorted(tickets) == list(range(SERVERS * TICKETS_EACH))


def test_freeing_the_last_ticket_deletes_the_lock_but_not_a_newer_ticket() -> None:
    lock_store = store()
    conversation = "c-" + uuid.uuid4().hex
    first = lock_store.issue_ticket(conversation, 30)
    second = lock_store.issue_ticket(conversation, 30)
    lock_store.cleanup(conversation, first)
    lock = lock_store.get_lock(conversation)
    assert lock is not None and lock.now_serving == second and not lock.is_locked(second)
    lock_store.cleanup(conversation, second)
    assert lock_store.get_lock(conversation) is None


async def test_lock_context_serialises_and_cleans_up() -> None:
    lock_store = store()
    conversation = "c-" + uuid.uuid4().hex
    async with lock_store.lock(conversation, lock_lifetime=5, wait_time_in_seconds=0.01) as lock:
        assert lock.now_serving == 0
        assert lock_store.get_lock(conversation).is_someone_waiting()
    assert lock_store.get_lock(conversation) is None


def test_expired_tickets_are_removed_atomically_too() -> None:
    lock_store = store()
    conversation = "c-" + uuid.uuid4().hex
    lock_store.issue_ticket(conversation, -1)  # already expired
    live = lock_store.issue_ticket(conversation, 30)
    lock_store.update_lock(conversation)
    assert [t.number for t in lock_store.get_lock(conversation).tickets] == [live]
    lock_store.delete_lock(conversation)
