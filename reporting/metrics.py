"""The report's numbers, computed from conversations (definitions: docs/privacy-and-reporting.md)."""
from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable, Optional

from rapidfuzz import fuzz

from actions.privacy import mask_text
from reporting.conversations import Conversation

FALLBACK, OUT_OF_SCOPE = "nlu_fallback", "out_of_scope"
HANDOFF_ACTIONS = {"handoff_form", "utter_handoff"}  # the form, or the plain advice (e.g. inside the calculator)
HANDOFF_PAYLOAD = "/human_handoff"                   # action_fallback's button after two misses
# action_calculate_payout answered before the payout form answered by itself (kept for conversations stored then)
ANSWER_ACTIONS = {"action_answer_kb", "action_calculate_payout"}
ANSWER_FORMS = {"payout_form"}  # the calculator's form ends itself with the answer
SIMILARITY = 75  # rapidfuzz token_set_ratio at which two unanswered questions count as the same


@dataclass
class Group:
    representative: str
    examples: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.examples)


@dataclass
class Report:
    since: Optional[datetime.date]
    until: Optional[datetime.date]
    conversations: int = 0
    messages: int = 0
    deflected: int = 0
    answered: int = 0
    fallback_messages: int = 0
    out_of_scope_messages: int = 0
    handoff_offered: int = 0
    handoff_accepted: int = 0
    hr_cases: int = 0
    nynorsk: int = 0
    thumbs_up: int = 0
    thumbs_down: int = 0
    topics: list[tuple[str, int]] = field(default_factory=list)
    schemes: list[tuple[str, int]] = field(default_factory=list)
    unanswered: list[Group] = field(default_factory=list)
    per_day: list[tuple[datetime.date, int]] = field(default_factory=list)

    @staticmethod
    def share(part: int, whole: int) -> Optional[float]:
        return part / whole if whole else None

    @property
    def deflection_rate(self) -> Optional[float]:
        return self.share(self.deflected, self.conversations)

    @property
    def answered_rate(self) -> Optional[float]:
        return self.share(self.answered, self.conversations)

    @property
    def fallback_rate(self) -> Optional[float]:
        return self.share(self.fallback_messages, self.messages)

    @property
    def out_of_scope_rate(self) -> Optional[float]:
        return self.share(self.out_of_scope_messages, self.messages)

    @property
    def nynorsk_rate(self) -> Optional[float]:
        return self.share(self.nynorsk, self.conversations)

    @property
    def thumbs_up_rate(self) -> Optional[float]:
        return self.share(self.thumbs_up, self.thumbs_up + self.thumbs_down)


def day_of(timestamp: float) -> datetime.date:
    return datetime.datetime.fromtimestamp(timestamp, datetime.timezone.utc).date()


def in_period(conversation: Conversation, since: Optional[datetime.date], until: Optional[datetime.date]) -> bool:
    """A conversation belongs to the day (UTC) of its first message; since and until are both inclusive."""
    day = day_of(conversation.start)
    return (since is None or day >= since) and (until is None or day <= until)


def offered_handoff(conversation: Conversation) -> bool:
    return bool(HANDOFF_ACTIONS & set(conversation.actions())) or HANDOFF_PAYLOAD in conversation.bot_payloads()


def accepted_handoff(conversation: Conversation) -> bool:
    return True in conversation.slot_values("handoff_consent")


def group_similar(texts: Iterable[str], threshold: int = SIMILARITY) -> list[Group]:
    """Greedy grouping: each text joins the first group whose representative it resembles (token_set_ratio)."""
    groups: list[Group] = []
    for text in texts:
        text = mask_text(" ".join(text.split()))  # stored masked already; masked again so the report never leaks
        if not text:
            continue
        for group in groups:
            if fuzz.token_set_ratio(text.lower(), group.representative.lower()) >= threshold:
                group.examples.append(text)
                break
        else:
            groups.append(Group(text, [text]))
    return sorted(groups, key=lambda g: (-g.count, g.representative))


def build_report(
    conversations: list[Conversation],
    hr_case_count: int,
    since: Optional[datetime.date] = None,
    until: Optional[datetime.date] = None,
    top: int = 10,
) -> Report:
    chosen = [c for c in conversations if in_period(c, since, until)]
    report = Report(since, until, conversations=len(chosen), hr_cases=hr_case_count)
    topics: Counter[str] = Counter()
    schemes: Counter[str] = Counter()
    days: Counter[datetime.date] = Counter()
    unanswered: list[str] = []
    for conversation in chosen:
        messages = conversation.messages
        report.messages += len(messages)
        days[day_of(conversation.start)] += 1
        for message in messages:
            if message.intent == FALLBACK:
                report.fallback_messages += 1
                unanswered.append(message.text)
            elif message.intent == OUT_OF_SCOPE:
                report.out_of_scope_messages += 1
                unanswered.append(message.text)
            elif message.intent and message.intent.startswith("ask_"):
                topics[message.intent] += 1
            schemes.update(message.schemes)
        offered, accepted = offered_handoff(conversation), accepted_handoff(conversation)
        report.handoff_offered += offered or accepted
        report.handoff_accepted += accepted
        report.deflected += not accepted
        answered = ANSWER_ACTIONS & set(conversation.actions()) or ANSWER_FORMS & set(conversation.completed_forms())
        report.answered += (not accepted) and bool(answered)
        report.nynorsk += "nn" in conversation.slot_values("language")
        ratings = conversation.slot_values("answer_rating")
        report.thumbs_up += ratings.count("up")
        report.thumbs_down += ratings.count("down")
    report.topics = sorted(topics.items(), key=lambda item: (-item[1], item[0]))[:top]
    report.schemes = sorted(schemes.items(), key=lambda item: (-item[1], item[0]))[:top]
    report.unanswered = group_similar(unanswered)
    report.per_day = sorted(days.items())
    return report
