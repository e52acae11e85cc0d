"""Plain functions over Bot Framework activities for the Teams channel: reading what the user said, who said it,
and building what the bot sends back. No network and no Rasa, so they are unit-tested in milliseconds."""
from __future__ import annotations

import hashlib
import html
import json
import logging
import re
from typing import Any, Optional

logger = logging.getLogger(__name__)

AT_TAG = re.compile(r"<at(?:\s[^>]*)?>(.*?)</at>", re.IGNORECASE | re.DOTALL)
SOURCE_LINE = re.compile(r"^\s*(Kilde|Kjelde)\s*:")
MAX_CARD_BUTTONS = 6  # Teams shows at most six buttons on a hero card
HERO_CARD = "application/vnd.microsoft.card.hero"

# Teams' own reactions on a bot message feed the same report as the widget's thumbs.
REACTION_RATINGS = {"like": "up", "heart": "up", "sad": "down", "angry": "down"}


def _plain(text: str) -> str:
    # Teams may send &nbsp; after a mention and HTML entities in channel messages.
    return " ".join(html.unescape(text).replace("\u00a0", " ").split())


def strip_mentions(text: str, entities: Optional[list[dict]] = None, bot_id: Optional[str] = None) -> str:
    """The text without the bot's @mention; other people's mentions keep their names as words.

    Teams puts `<at>Name</at>` in the text and a `mention` entity naming who it is. Without entities every
    `<at>` tag is taken for the bot (the usual case: "@Forsikringsassistenten hva er G?").
    """
    bot_names: set[str] = set()
    for entity in entities or []:
        mentioned = entity.get("mentioned") or {}
        if entity.get("type") == "mention" and (bot_id is None or mentioned.get("id") == bot_id):
            inner = AT_TAG.search(entity.get("text") or "")
            bot_names.add(_plain(inner.group(1) if inner else mentioned.get("name") or "").lower())
    know_who = any(e.get("type") == "mention" for e in entities or [])

    def replace(match: re.Match) -> str:
        name = _plain(match.group(1))
        if not know_who or name.lower() in bot_names:
            return " "
        return f" {name} "

    return _plain(AT_TAG.sub(replace, text or ""))


def message_text(activity: dict) -> str:
    """What the user said: the text without the mention, or a card button's payload."""
    text = strip_mentions(activity.get("text") or "", activity.get("entities"), (activity.get("recipient") or {}).get("id"))
    if text:
        return text
    value = activity.get("value")
    if isinstance(value, dict) and isinstance(value.get("payload"), str):
        return value["payload"].strip()
    return ""


def conversation_key(activity: dict) -> str:
    # A channel thread's id ends in ";messageid=…"; the thread is still one conversation.
    return str((activity.get("conversation") or {}).get("id") or "").split(";messageid=")[0]


def sender_id(activity: dict) -> str:
    """One tracker per person per Teams conversation (a 1:1 chat, a group chat or a channel).

    Hashed: Teams ids are long (the tracker column holds 255) and need not sit in every event row.
    """
    user = activity.get("from") or {}
    who = user.get("aadObjectId") or user.get("id") or ""
    digest = hashlib.sha256(f"{conversation_key(activity)}|{who}".encode("utf-8")).hexdigest()
    return f"teams-{digest[:40]}"


def metadata(activity: dict) -> dict[str, Any]:
    conversation = activity.get("conversation") or {}
    channel_data = activity.get("channelData") or {}
    return {
        "teams": {
            "tenant_id": (channel_data.get("tenant") or {}).get("id") or conversation.get("tenantId"),
            "conversation_type": conversation.get("conversationType"),
            "locale": activity.get("locale"),
        }
    }


def language_of(activity: dict) -> str:
    return "nn" if str(activity.get("locale") or "").lower().startswith("nn") else "nb"


def bot_was_added(activity: dict) -> bool:
    """A conversationUpdate that adds the bot itself (installed in a chat, a team or a group)."""
    if activity.get("type") != "conversationUpdate":
        return False
    bot_id = (activity.get("recipient") or {}).get("id")
    return any(member.get("id") == bot_id for member in activity.get("membersAdded") or [])


def welcome_payload(activity: dict) -> str:
    """The greeting is the domain's utter_greet (with its buttons), in the language of the user's Teams."""
    return "/greet" + json.dumps({"language": language_of(activity)}, separators=(",", ":"))


def reaction_payload(activity: dict) -> Optional[str]:
    if activity.get("type") != "messageReaction":
        return None
    for reaction in activity.get("reactionsAdded") or []:
        rating = REACTION_RATINGS.get(str(reaction.get("type") or "").lower())
        if rating:
            return "/answer_feedback" + json.dumps({"rating": rating}, separators=(",", ":"))
    return None


def teams_markdown(text: str) -> str:
    """Our reply text as Teams markdown: each line its own paragraph, the source line in italics."""
    lines = [line.strip() for line in (text or "").strip().splitlines() if line.strip()]
    shown = [f"_{line}_" if SOURCE_LINE.match(line) and "_" not in line else line for line in lines]
    return "\n\n".join(shown)


def card_action(button: dict) -> dict[str, Any]:
    """A Rasa button as a Teams card action.

    Intent payloads ("/ask_tax") go as messageBack: the user sees the title in the chat and the bot gets the
    payload. Plain-text payloads go as imBack (what is shown is what is sent); URLs as openUrl.
    """
    title = str(button.get("title") or button.get("payload") or "")
    if button.get("url"):
        return {"type": "openUrl", "title": title, "value": button["url"]}
    payload = str(button.get("payload") or title)
    if payload.startswith("/"):
        return {"type": "messageBack", "title": title, "displayText": title, "text": payload,
                "value": {"payload": payload}}
    return {"type": "imBack", "title": title, "value": payload}


def hero_card(text: str, buttons: list[dict]) -> dict[str, Any]:
    if len(buttons) > MAX_CARD_BUTTONS:
        logger.warning("Teams shows %d card buttons; dropping %d", MAX_CARD_BUTTONS, len(buttons) - MAX_CARD_BUTTONS)
    return {
        "contentType": HERO_CARD,
        "content": {"text": teams_markdown(text), "buttons": [card_action(b) for b in buttons[:MAX_CARD_BUTTONS]]},
    }
