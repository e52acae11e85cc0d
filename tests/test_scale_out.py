"""Scale-out: two Rasa servers share the PostgreSQL tracker store and a Redis lock store (endpoints.scale.yml) and
one action server. Messages of the same conversations alternate between the servers, then arrive at both at once;
the events table must hold every turn exactly once, whole and in order."""
from __future__ import annotations

import os
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.support.postgres import temporary_database
from tests.support.servers import REPO, Assistant, http_json, start_assistant

REDIS_HOST = os.environ.get("REDIS_HOST", "127.0.0.1")
REDIS_PORT = int(os.environ.get("REDIS_PORT", "6379"))

SCRIPTS = [
    ["hei", "hva er G?", "hvem er dekket av yrkesskadeforsikringen?", "takk"],
    ["Regn ut en utbetaling", "arbeidsulykke", "medisinsk invaliditet", "50", "100 %"],
    ["Kva forsikringar har eg?", "kven får pengane om eg døyr?", "kva med skatt?", "takk"],
    ["hva med skatt på utbetalingen?", "hva gjør jeg etter en skade?", "hvilket forsikringsselskap?", "ha det"],
]
CONVERSATIONS = 8  # each runs one of SCRIPTS; all at once


def load_yaml(name: str) -> dict[str, Any]:
    return yaml.safe_load((REPO / name).read_text(encoding="utf-8"))


def test_scale_endpoints_share_the_blocks_of_endpoints_yml() -> None:
    single, scaled = load_yaml("endpoints.yml"), load_yaml("endpoints.scale.yml")
    for block in single:
        assert scaled.get(block) == single[block], f"endpoints.scale.yml: `{block}` differs from endpoints.yml"
    assert scaled["lock_store"]["type"] == "components.redis_lock_store.AtomicRedisLockStore"


def redis_or_skip() -> None:
    import redis

    try:
        redis.Redis(host=REDIS_HOST, port=REDIS_PORT, socket_timeout=3).ping()
    except Exception as error:
        pytest.skip(f"Redis is not answering at {REDIS_HOST}:{REDIS_PORT}: {error}")


def send(assistant: Assistant, sender: str, text: str) -> list[str]:
    status, replies = http_json("POST", f"{assistant.url}/webhooks/rest/webhook",
                                {"sender": sender, "message": text}, timeout=60)
    assert status == 200, replies
    return [r.get("text", "") for r in replies]


def stored_turns(url: str, sender: str) -> list[tuple[str, list[str]]]:
    """(user text, bot texts) per turn, from the events table in id order; asserts every turn ended properly."""
    import psycopg2

    with psycopg2.connect(url) as db, db.cursor() as cursor:
        cursor.execute("SELECT type_name, action_name, data::json->>'text', timestamp FROM events "
                       "WHERE sender_id = %s ORDER BY id", (sender,))
        rows = cursor.fetchall()
    timestamps = [row[3] for row in rows]
    assert timestamps == sorted(timestamps), "events are stored in the order they happened"
    turns: list[tuple[str, list[str]]] = []
    listening = True  # a turn may begin only after the previous one ended with action_listen
    for kind, action, text, _ in rows:
        if kind == "user":
            assert listening, f"{sender}: a turn began before the previous one ended"
            turns.append((text, []))
            listening = False
        elif kind == "bot" and turns:
            turns[-1][1].append(text or "")
        elif kind == "action":
            listening = action == "action_listen"
    assert listening, f"{sender}: the last turn did not end"
    return turns


@pytest.mark.slow
@pytest.mark.postgres
def test_two_servers_share_conversations_without_losing_or_reordering_events(tmp_path: Path) -> None:
    redis_or_skip()
    with temporary_database() as url:
        env = {"ENDPOINTS_FILE": str(REPO / "endpoints.scale.yml"), "TRACKER_STORE_URL": url,
               "REDIS_HOST": REDIS_HOST, "REDIS_PORT": str(REDIS_PORT), "REDIS_DB": "1",
               "REDIS_PASSWORD": os.environ.get("REDIS_PASSWORD", ""),
               "REDIS_KEY_PREFIX": "scaletest" + uuid.uuid4().hex[:8]}
        (tmp_path / "a").mkdir()
        (tmp_path / "b").mkdir()
        first = start_assistant(tmp_path / "a", env)
        servers: list[Assistant] = [first]
        try:
            servers.append(start_assistant(tmp_path / "b", env, action_port=first.action_port))
            senders = [f"scale-{i}-{uuid.uuid4().hex[:8]}" for i in range(CONVERSATIONS)]

            def alternate(index: int) -> list[tuple[str, list[str]]]:
                """One conversation, turn by turn, each turn to the other server."""
                script = SCRIPTS[index % len(SCRIPTS)]
                return [(text, send(servers[(index + n) % 2], senders[index], text)) for n, text in enumerate(script)]

            with ThreadPoolExecutor(max_workers=CONVERSATIONS) as pool:
                expected = list(pool.map(alternate, range(CONVERSATIONS)))

            # Then two messages of each conversation at the same moment, one to each server: the Redis lock
            # store must make them take turns.
            burst = ["hva er G?", "takk"]
            with ThreadPoolExecutor(max_workers=2 * CONVERSATIONS) as pool:
                futures = {(i, n): pool.submit(send, servers[n], senders[i], burst[n])
                           for i in range(CONVERSATIONS) for n in range(2)}
                burst_replies = {key: future.result() for key, future in futures.items()}
        finally:
            for server in servers:
                server.stop()

        for index, sender in enumerate(senders):
            turns = stored_turns(url, sender)
            sent = expected[index]
            assert turns[: len(sent)] == sent, f"{sender}: stored turns differ from what was sent and answered"
            rest = turns[len(sent):]
            assert sorted(text for text, _ in rest) == sorted(burst), f"{sender}: burst turns lost or doubled"
            for text, bot_texts in rest:
                assert bot_texts == burst_replies[(index, burst.index(text))], f"{sender}: burst reply differs"
        for server in servers:
            log = (server.state_dir / "rasa-server.log").read_text(encoding="utf-8", errors="replace")
            assert "Traceback" not in log and "LockError" not in log, log[-3000:]
