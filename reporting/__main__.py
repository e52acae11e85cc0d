"""`python -m reporting [--since YYYY-MM-DD] [--until YYYY-MM-DD] [--out DIR] [--database-url URL]` (`make report`)."""
from __future__ import annotations

import argparse
import datetime
import sys
from pathlib import Path
from typing import Optional

import sqlalchemy as sa

from reporting.conversations import split_conversations
from reporting.db import default_url, make_engine, read_events
from reporting.metrics import Report, build_report
from reporting.render import render_html, render_text


def count_hr_cases(engine: sa.engine.Engine, since: Optional[datetime.date], until: Optional[datetime.date]) -> int:
    from actions.hr_cases import hr_cases

    if not sa.inspect(engine).has_table("hr_cases"):
        return 0
    query = sa.select(sa.func.count()).select_from(hr_cases)
    if since:
        query = query.where(hr_cases.c.created_at >= datetime.datetime.combine(since, datetime.time(), datetime.timezone.utc))
    if until:
        end = datetime.datetime.combine(until + datetime.timedelta(days=1), datetime.time(), datetime.timezone.utc)
        query = query.where(hr_cases.c.created_at < end)
    with engine.connect() as connection:
        return int(connection.execute(query).scalar_one())


def make_report(url: str, since: Optional[datetime.date] = None, until: Optional[datetime.date] = None) -> Report:
    engine = make_engine(url)
    try:
        conversations = split_conversations(read_events(engine))
        return build_report(conversations, count_hr_cases(engine, since, until), since, until)
    finally:
        engine.dispose()


def write_report(report: Report, out_dir: Path) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    name = "hr-rapport"
    if report.since or report.until:
        name += f"-{report.since or 'start'}-{report.until or 'i-dag'}"
    path = out_dir / f"{name}.html"
    path.write_text(render_html(report), encoding="utf-8")
    return path


def parse_args(argv: Optional[list[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m reporting", description="Rapport for personalavdelingen.")
    parser.add_argument("--since", type=datetime.date.fromisoformat, help="første dag (YYYY-MM-DD), inkludert")
    parser.add_argument("--until", type=datetime.date.fromisoformat, help="siste dag (YYYY-MM-DD), inkludert")
    parser.add_argument("--out", type=Path, default=Path("reports"), help="mappe for HTML-rapporten (reports/)")
    parser.add_argument("--database-url", default=None, help="standard: TRACKER_STORE_URL / DATABASE_URL / .rasa/")
    return parser.parse_args(argv)


def main(argv: Optional[list[str]] = None) -> int:
    args = parse_args(argv)
    if args.since and args.until and args.since > args.until:
        print("Feil: --since er etter --until.", file=sys.stderr)
        return 2
    report = make_report(args.database_url or default_url(), args.since, args.until)
    print(render_text(report), end="")
    print(f"\nHTML-rapport: {write_report(report, args.out)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
