"""`python -m reporting.retention [--days 90] [--dry-run] [--database-url URL]` (`make retention`).

Deletes conversation events and HR cases older than N days. A sender's current session is never cut in half:
Rasa's SQL store counts the stored rows of the latest session to decide what to insert, so removing some of them
would make it store events again. Old sessions go whole; the current one goes when all of it is old.
"""
from __future__ import annotations

import argparse
import datetime
import sys
from dataclasses import dataclass
from typing import Optional

import sqlalchemy as sa

from actions.hr_cases import delete_cases_before
from reporting.db import default_url, events, make_engine


@dataclass(frozen=True)
class RetentionResult:
    cutoff: datetime.datetime
    events: int
    senders: int
    hr_cases: int
    dry_run: bool

    def describe(self) -> str:
        verb = "Ville slettet" if self.dry_run else "Slettet"
        return (f"{verb} {self.events} hendelser fra {self.senders} samtaler og {self.hr_cases} saker til "
                f"personalavdelingen, eldre enn {self.cutoff:%d.%m.%Y %H.%M} UTC.")


def delete_old_events(engine: sa.engine.Engine, cutoff: float, dry_run: bool) -> tuple[int, int]:
    """(events, senders) deleted or, with dry_run, that would be."""
    if not sa.inspect(engine).has_table("events"):
        return 0, 0
    starts = (
        sa.select(events.c.sender_id, sa.func.max(events.c.timestamp))
        .where(events.c.type_name == "session_started")
        .group_by(events.c.sender_id)
    )
    last = sa.select(events.c.sender_id, sa.func.max(events.c.timestamp)).group_by(events.c.sender_id)
    total_events, senders = 0, 0
    with engine.begin() as connection:
        latest_session = dict(connection.execute(starts).all())
        for sender_id, last_seen in connection.execute(last).all():
            # Still active: keep its latest session (Rasa's own boundary: timestamp >= latest session_started).
            limit = cutoff if (last_seen or 0) < cutoff else min(cutoff, latest_session.get(sender_id) or 0.0)
            condition = sa.and_(events.c.sender_id == sender_id, events.c.timestamp < limit)
            if dry_run:
                count = connection.execute(sa.select(sa.func.count()).select_from(events).where(condition)).scalar_one()
            else:
                count = connection.execute(events.delete().where(condition)).rowcount
            total_events += int(count)
            senders += bool(count)
    return total_events, senders


def apply_retention(url: str, days: int, dry_run: bool = False, now: Optional[datetime.datetime] = None) -> RetentionResult:
    now = now or datetime.datetime.now(datetime.timezone.utc)
    cutoff = now - datetime.timedelta(days=days)
    engine = make_engine(url)
    try:
        deleted_events, senders = delete_old_events(engine, cutoff.timestamp(), dry_run)
        cases = delete_cases_before(engine, cutoff, dry_run)
    finally:
        engine.dispose()
    return RetentionResult(cutoff, deleted_events, senders, cases, dry_run)


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m reporting.retention",
                                     description="Slett samtaler og saker eldre enn N dager.")
    parser.add_argument("--days", type=int, default=90, help="behold så mange dager (standard 90)")
    parser.add_argument("--dry-run", action="store_true", help="vis hva som ville blitt slettet, slett ingenting")
    parser.add_argument("--database-url", default=None, help="standard: TRACKER_STORE_URL / DATABASE_URL / .rasa/")
    args = parser.parse_args(argv)
    if args.days < 1:
        print("Feil: --days må være minst 1.", file=sys.stderr)
        return 2
    print(apply_retention(args.database_url or default_url(), args.days, args.dry_run).describe())
    return 0


if __name__ == "__main__":
    sys.exit(main())
