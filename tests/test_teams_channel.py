"""The Teams channel (components/teams_*.py) against a fake Bot Framework on loopback.

Fast tests: mention stripping, cards, the welcome, token checks, and the channel's webhook in a Sanic app with a
stand-in for Rasa. Slow tests: the trained assistant with the Teams channel on, answering a signed message.
"""
from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path
from typing import Any, Iterator

import aiohttp
import pytest

from components import teams_activity as act
from components.teams_auth import AuthError, InboundAuth
from components.teams_channel import TeamsInput, TeamsSettings
from tests.support.fake_botframework import APP_ID, APP_PASSWORD, BOT_ID, ISSUER, TENANT, FakeBotFramework, new_key
from tests.support.sanic_app import serve_blueprint
from tests.support.servers import Assistant, http_json, start_assistant

CREDENTIALS = {"app_id": APP_ID, "app_password": APP_PASSWORD, "tenant_id": TENANT}


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeBotFramework]:
    peer = FakeBotFramework().start()
    yield peer
    peer.stop()


# ---- reading activities -------------------------------------------------------------------------------------

def test_bot_mention_is_removed() -> None:
    assert act.strip_mentions("<at>Forsikringsassistenten</at> hva er G?") == "hva er G?"
    assert act.strip_mentions("<at>Forsikringsassistenten</at>&nbsp;kva er G?") == "kva er G?"
    assert act.strip_mentions("Hei <at>Bot</at>, hvem er dekket?") == "Hei , hvem er dekket?"


def test_other_mentions_keep_the_name_when_entities_say_who_is_who() -> None:
    entities = [
        {"type": "mention", "text": "<at>Forsikringsassistenten</at>", "mentioned": {"id": BOT_ID, "name": "F"}},
        {"type": "mention", "text": "<at>Kari</at>", "mentioned": {"id": "29:kari", "name": "Kari"}},
    ]
    text = "<at>Forsikringsassistenten</at> gjelder gruppeliv for <at>Kari</at>?"
    assert act.strip_mentions(text, entities, BOT_ID) == "gjelder gruppeliv for Kari ?"


def test_message_text_falls_back_to_a_card_payload() -> None:
    activity = {"type": "message", "text": "", "value": {"payload": "/ask_tax"}, "recipient": {"id": BOT_ID}}
    assert act.message_text(activity) == "/ask_tax"


def test_sender_is_per_person_per_conversation_and_short() -> None:
    peer = FakeBotFramework.__new__(FakeBotFramework)  # only message(): no key, no server
    peer.port = 1
    one = act.sender_id(peer.message("x", user="29:a"))
    assert one == act.sender_id(peer.message("y", user="29:a"))
    assert one != act.sender_id(peer.message("x", user="29:b"))
    thread = peer.message("x", user="29:a", conversation="19:chan@thread.tacv2;messageid=123")
    assert act.sender_id(thread) == act.sender_id(peer.message("x", user="29:a", conversation="19:chan@thread.tacv2"))
    assert one.startswith("teams-") and len(one) < 64


# ---- what the bot sends ---------------------------------------------------------------------------------------

def test_buttons_become_a_hero_card_teams_can_click() -> None:
    card = act.hero_card("Hei!\nKilde: Personalforsikringer, «Skatt»", [
        {"title": "Skatt", "payload": "/ask_tax"},
        {"title": "Ja", "payload": "ja"},
        {"title": "Brosjyren", "url": "https://helse-vest.no"},
    ])
    assert card["contentType"] == "application/vnd.microsoft.card.hero"
    assert card["content"]["text"] == "Hei!\n\n_Kilde: Personalforsikringer, «Skatt»_"
    assert card["content"]["buttons"] == [
        {"type": "messageBack", "title": "Skatt", "displayText": "Skatt", "text": "/ask_tax",
         "value": {"payload": "/ask_tax"}},
        {"type": "imBack", "title": "Ja", "value": "ja"},
        {"type": "openUrl", "title": "Brosjyren", "value": "https://helse-vest.no"},
    ]


def test_a_card_has_at_most_six_buttons() -> None:
    buttons = [{"title": str(i), "payload": f"/x{i}"} for i in range(9)]
    assert len(act.hero_card("Velg", buttons)["content"]["buttons"]) == 6


def test_welcome_only_when_the_bot_itself_is_added() -> None:
    added = {"type": "conversationUpdate", "recipient": {"id": BOT_ID}, "membersAdded": [{"id": BOT_ID}]}
    assert act.bot_was_added(added)
    assert act.welcome_payload(added) == '/greet{"language":"nb"}'
    assert act.welcome_payload({**added, "locale": "nn-NO"}) == '/greet{"language":"nn"}'
    assert not act.bot_was_added({**added, "membersAdded": [{"id": "29:someone"}]})
    assert not act.bot_was_added({**added, "type": "message"})


def test_teams_reactions_are_ratings() -> None:
    assert act.reaction_payload({"type": "messageReaction", "reactionsAdded": [{"type": "like"}]}) == \
        '/answer_feedback{"rating":"up"}'
    assert act.reaction_payload({"type": "messageReaction", "reactionsAdded": [{"type": "sad"}]}) == \
        '/answer_feedback{"rating":"down"}'
    assert act.reaction_payload({"type": "messageReaction", "reactionsAdded": [{"type": "laugh"}]}) is None


# ---- settings ----------------------------------------------------------------------------------------------

def test_token_endpoint_is_the_tenants_own() -> None:
    settings = TeamsSettings.from_credentials(CREDENTIALS, environ={})
    assert settings.token_url == f"https://login.microsoftonline.com/{TENANT}/oauth2/v2.0/token"
    assert settings.openid_url == "https://login.botframework.com/v1/.well-known/openidconfiguration"
    moved = TeamsSettings.from_credentials(CREDENTIALS, environ={"MICROSOFT_LOGIN_URL": "http://127.0.0.1:9/login"})
    assert moved.token_url == f"http://127.0.0.1:9/login/{TENANT}/oauth2/v2.0/token"


def test_missing_credentials_are_named() -> None:
    with pytest.raises(ValueError, match="tenant_id"):
        TeamsSettings.from_credentials({"app_id": "x", "app_password": "y"}, environ={})


def test_channel_starts_offline() -> None:
    # Rasa's channel fetches its keys in __init__ and so cannot start without internet; ours fetches on first use.
    channel = TeamsInput.from_credentials(dict(CREDENTIALS))
    assert channel.name() == "teams" and channel.url_prefix() == "teams"


# ---- inbound token checks (keys given directly) ------------------------------------------------------------

@pytest.fixture
def auth_and_peer() -> tuple[InboundAuth, FakeBotFramework]:
    peer = FakeBotFramework.__new__(FakeBotFramework)
    peer.key, peer.kid, peer.endorsements, peer.port = new_key(), "k1", ("msteams",), 1
    auth = InboundAuth(APP_ID, "http://127.0.0.1:9/unused", ISSUER)
    auth.use_jwks(peer.jwks())
    return auth, peer


async def test_a_good_token_passes(auth_and_peer) -> None:
    auth, peer = auth_and_peer
    claims = await auth.validate(f"Bearer {peer.token()}", peer.message("hei"))
    assert claims["aud"] == APP_ID


@pytest.mark.parametrize("case", ["missing", "not bearer", "garbage", "expired", "wrong audience", "wrong issuer",
                                  "forged signature", "unknown key", "other serviceUrl", "alg none", "hs256",
                                  "not endorsed"])
async def test_bad_tokens_are_refused(auth_and_peer, case: str) -> None:
    auth, peer = auth_and_peer
    activity = peer.message("hei")
    token = {
        "missing": None,
        "not bearer": "Basic abc",
        "garbage": "Bearer not.a.jwt",
        "expired": peer.token(expires_in=-600),  # past the 5-minute clock skew
        "wrong audience": peer.token(audience="another-bot"),
        "wrong issuer": peer.token(issuer="https://sts.windows.net/evil/"),
        "forged signature": peer.token(key=new_key()),
        "unknown key": peer.token(kid="k-unknown"),
        "other serviceUrl": peer.token(service_url="https://attacker.example/"),
        "alg none": __import__("jwt").encode({"aud": APP_ID, "iss": ISSUER, "exp": int(time.time()) + 60,
                                             "serviceUrl": activity["serviceUrl"]}, None, algorithm="none",
                                            headers={"kid": "k1"}),
        "hs256": __import__("jwt").encode({"aud": APP_ID, "iss": ISSUER, "exp": int(time.time()) + 60,
                                          "serviceUrl": activity["serviceUrl"]}, "s" * 32, algorithm="HS256",
                                         headers={"kid": "k1"}),
        "not endorsed": peer.token(),
    }[case]
    if case == "not endorsed":
        activity["channelId"] = "webchat"
    header = token if case in ("missing", "not bearer", "garbage") else f"Bearer {token}"
    with pytest.raises(AuthError):
        await auth.validate(header, activity)


# ---- the webhook in a Sanic app, Rasa replaced by a stand-in -------------------------------------------------

async def _serve_channel(fake: FakeBotFramework, on_new_message) -> tuple[Any, int]:
    settings = TeamsSettings.from_credentials(CREDENTIALS, environ=fake.env())
    channel = TeamsInput(settings)
    return await serve_blueprint(channel.blueprint(on_new_message), "/webhooks/teams")


async def _wait_for(predicate, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("timed out")


async def test_webhook_understands_answers_and_refuses(fake: FakeBotFramework) -> None:
    seen: list[Any] = []

    async def stand_in_for_rasa(message) -> None:
        seen.append(message)
        await message.output_channel.send_response(message.sender_id, {
            "text": f"Du skrev: {message.text}\nKilde: Personalforsikringer", "buttons": [
                {"title": "Skatt", "payload": "/ask_tax"}]})

    server, port = await _serve_channel(fake, stand_in_for_rasa)
    url = f"http://127.0.0.1:{port}/webhooks/teams/webhook"
    conversation = "a:unit-chat"
    try:
        async with aiohttp.ClientSession() as http:
            activity = fake.message("<at>Forsikringsassistenten</at> hva er G?", conversation=conversation)
            async with http.post(url, json=activity, headers={"Authorization": f"Bearer {fake.token()}"}) as r:
                assert r.status == 202
            await _wait_for(lambda: fake.replies(conversation))
            assert seen[0].text == "hva er G?" and seen[0].input_channel == "teams"
            assert seen[0].metadata["teams"]["tenant_id"] == TENANT
            reply = fake.replies(conversation)[0]
            card = reply["attachments"][0]
            assert card["content"]["buttons"][0]["type"] == "messageBack"
            assert reply["recipient"]["id"] == "29:user-1" and reply["replyToId"] == activity["id"]
            assert fake.replies(conversation, kind="typing"), "a typing indicator goes first"
            assert fake.token_requests[-1]["tenant"] == TENANT
            assert fake.token_requests[-1]["scope"] == "https://api.botframework.com/.default"

            # The welcome when the bot is added.
            update = fake.message("", conversation=conversation, type="conversationUpdate",
                                  membersAdded=[{"id": BOT_ID}], locale="nn-NO")
            async with http.post(url, json=update, headers={"Authorization": f"Bearer {fake.token()}"}) as r:
                assert r.status == 202
            await _wait_for(lambda: len(seen) == 2)
            assert seen[1].text == '/greet{"language":"nn"}'

            # Refused: no token, expired, forged, and a token for another serviceUrl.
            before = len(seen)
            for header in (None, f"Bearer {fake.token(expires_in=-600)}", f"Bearer {fake.token(key=new_key())}",
                           f"Bearer {fake.token(service_url='http://127.0.0.1:9/')}"):
                headers = {"Authorization": header} if header else {}
                async with http.post(url, json=fake.message("hei", conversation=conversation), headers=headers) as r:
                    assert r.status == 401
            await asyncio.sleep(0.3)
            assert len(seen) == before
    finally:
        server.close()
        await server.wait_closed()


# ---- the trained assistant with the Teams channel on -----------------------------------------------------------

@pytest.fixture(scope="module")
def teams_assistant(fake: FakeBotFramework, tmp_path_factory) -> Iterator[Assistant]:
    state_dir = tmp_path_factory.mktemp("teams-assistant")
    credentials = state_dir / "credentials.yml"
    base = (Path(__file__).resolve().parents[1] / "credentials.yml").read_text(encoding="utf-8")
    credentials.write_text(base + "\ncomponents.teams_channel.TeamsInput:\n  app_id: ${MICROSOFT_APP_ID}\n"
                           "  app_password: ${MICROSOFT_APP_PASSWORD}\n  tenant_id: ${MICROSOFT_TENANT_ID}\n",
                           encoding="utf-8")
    env = {"CREDENTIALS_FILE": str(credentials), "MICROSOFT_APP_ID": APP_ID, "MICROSOFT_APP_PASSWORD": APP_PASSWORD,
           "MICROSOFT_TENANT_ID": TENANT, **fake.env()}
    running = start_assistant(state_dir, extra_env=env)
    try:
        yield running
    finally:
        running.stop()


def _post(assistant: Assistant, activity: dict, token: str | None) -> int:
    import urllib.request

    request = urllib.request.Request(f"{assistant.url}/webhooks/teams/webhook", data=json.dumps(activity).encode(),
                                     method="POST", headers={"Content-Type": "application/json"})
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _wait(predicate, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError("no reply from the assistant in time")


@pytest.mark.slow
def test_signed_teams_message_gets_the_answer(teams_assistant: Assistant, fake: FakeBotFramework) -> None:
    conversation = "a:slow-personal-1"
    activity = fake.message("<at>Forsikringsassistenten</at> hva er grunnbeløpet?", conversation=conversation)
    assert _post(teams_assistant, activity, fake.token()) == 202
    _wait(lambda: fake.replies(conversation))
    reply = fake.replies(conversation)[0]
    text = reply.get("text") or reply["attachments"][0]["content"]["text"]
    assert "G" in text and ("Kilde" in text or "Kjelde" in text), text
    status, _ = http_json("GET", f"{teams_assistant.url}/webhooks/teams/")
    assert status == 200


@pytest.mark.slow
def test_bot_added_gets_the_greeting_with_clickable_buttons(teams_assistant: Assistant, fake: FakeBotFramework) -> None:
    conversation = "a:slow-personal-2"
    update = fake.message("", conversation=conversation, type="conversationUpdate", membersAdded=[{"id": BOT_ID}])
    assert _post(teams_assistant, update, fake.token()) == 202
    _wait(lambda: fake.replies(conversation))
    card = fake.replies(conversation)[0]["attachments"][0]
    assert card["content"]["text"].startswith("Hei!")
    assert {b["type"] for b in card["content"]["buttons"]} == {"messageBack"}


@pytest.mark.slow
@pytest.mark.parametrize("case", ["missing", "expired", "forged"])
def test_unsigned_or_bad_tokens_get_401_and_no_reply(teams_assistant: Assistant, fake: FakeBotFramework,
                                                    case: str) -> None:
    conversation = f"a:slow-refused-{case}"
    token = {"missing": None, "expired": fake.token(expires_in=-600), "forged": fake.token(key=new_key())}[case]
    assert _post(teams_assistant, fake.message("hei", conversation=conversation), token) == 401
    time.sleep(2)
    assert fake.replies(conversation) == [] and fake.replies(conversation, kind="typing") == []
