"""`AtomicRedisLockStore`: Rasa's Redis lock store with every change of a lock made atomically.

Rasa Open Source 3.6's RedisLockStore reads a conversation's ticket lock, changes it in Python and writes it back.
Two Rasa servers that receive messages of one conversation at the same moment can both read "no tickets", both
issue ticket 0 and both go ahead: tests/test_scale_out.py lost a turn this way (the second save counts the first
server's rows as its own). Freeing a lock has the same gap: one server deletes the lock just after another put its
ticket in. (Rasa's fix, ConcurrentRedisLockStore, is only in Rasa Pro.)

Here issuing, expiring and freeing run as Redis transactions (WATCH the key, MULTI/EXEC, retried on conflict), so
each ticket number is issued once and a lock is deleted only when nobody holds a ticket. Waiting, the ticket order
and the lifetimes are Rasa's. endpoints.scale.yml: `lock_store: {type: components.redis_lock_store.AtomicRedisLockStore, ...}`.
"""
from __future__ import annotations

import json
from typing import Any, Callable, Optional, Text, TypeVar

import redis
from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

T = TypeVar("T")
Change = Callable[[Optional[TicketLock]], "tuple[T, Optional[TicketLock]]"]


class AtomicRedisLockStore(RedisLockStore):
    def __init__(self, endpoint_config: Optional[EndpointConfig] = None, **kwargs: Any) -> None:
        # Rasa builds a custom lock store from its endpoint config; tests may pass the keywords directly.
        if endpoint_config is not None:
            kwargs = {"host": endpoint_config.url or "localhost", **endpoint_config.kwargs}
        super().__init__(**kwargs)

    def _modify(self, conversation_id: Text, change: Change) -> T:
        """Applies `change` to the stored lock in one transaction; the new lock None deletes the key."""
        key = self.key_prefix + conversation_id

        def attempt(pipe: Any) -> T:
            raw = pipe.get(key)
            result, lock = change(TicketLock.from_dict(json.loads(raw)) if raw else None)
            pipe.multi()
            if lock is None:
                pipe.delete(key)
            else:
                pipe.set(key, lock.dumps())
            return result

        try:
            return self.red.transaction(attempt, key, value_from_callable=True)
        except redis.RedisError as error:
            raise LockError(f"Error while changing the lock of a conversation: {error}") from error

    def issue_ticket(self, conversation_id: Text, lock_lifetime: float = LOCK_LIFETIME) -> int:
        def change(lock: Optional[TicketLock]) -> tuple[int, TicketLock]:
            lock = lock or TicketLock(conversation_id)
            return lock.issue_ticket(lock_lifetime), lock

        return self._modify(conversation_id, change)

    def update_lock(self, conversation_id: Text) -> None:
        def change(lock: Optional[TicketLock]) -> tuple[None, Optional[TicketLock]]:
            if lock is not None:
                lock.remove_expired_tickets()
            return None, lock

        self._modify(conversation_id, change)

    def finish_serving(self, conversation_id: Text, ticket_number: int) -> None:
        def change(lock: Optional[TicketLock]) -> tuple[None, Optional[TicketLock]]:
            if lock is not None:
                lock.remove_ticket_for(ticket_number)
            return None, lock

        self._modify(conversation_id, change)

    def cleanup(self, conversation_id: Text, ticket_number: int) -> None:
        """Frees the ticket; deletes the lock in the same transaction only if no other ticket is left."""
        def change(lock: Optional[TicketLock]) -> tuple[None, Optional[TicketLock]]:
            if lock is None:
                return None, None
            lock.remove_ticket_for(ticket_number)
            return None, (lock if lock.is_someone_waiting() else None)

        self._modify(conversation_id, change)
