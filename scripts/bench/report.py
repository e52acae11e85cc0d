"""BENCHMARKS.md: the latest run in full between markers, plus one history row per run (newest first).

Everything outside the markers (the notes on what costs what) is the team's text and is left as it is.
"""
from __future__ import annotations

import math
from pathlib import Path
from typing import Any

TARGET_P95_MS = 60.0
TARGET_FLOOR_RATIO = 1.5
TARGET_THROUGHPUT_10 = 50.0

LATEST_START, LATEST_END = "<!-- bench:latest:start -->", "<!-- bench:latest:end -->"
HISTORY_MARK = "<!-- bench:history -->"
HISTORY_HEADER = ("| date | commit | load (1/5/15 min) | KB p95 | calculator p95 | out-of-scope p95 | floor p95 | "
                  "worst ratio | msg/s @10 | msg/s @50 | start→answer | RSS rasa + actions | training |\n"
                  "|---|---|---|---|---|---|---|---|---|---|---|---|---|")

SKELETON = f"""# Benchmarks

`make bench` (scripts/bench/run_bench.py) starts the assistant on free loopback ports with SQLite in a temp dir,
then a bare Rasa bot (the floor, scripts/bench/floor.py), and measures both the same way. The lead re-runs it;
each run replaces the latest run below and adds a row to the history.

Targets (reported, not asserted): p95 ≤ {TARGET_P95_MS:.0f} ms for one user; ≤ {TARGET_FLOOR_RATIO}× the floor's
p95; ≥ {TARGET_THROUGHPUT_10:.0f} messages/s with 10 concurrent conversations.

{LATEST_START}
{LATEST_END}

## History (newest first)

{HISTORY_HEADER}
{HISTORY_MARK}
"""


def ms(value: float) -> str:
    return "–" if value is None or math.isnan(value) else f"{value:.0f} ms"


def verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


def latest_section(run: dict[str, Any]) -> str:
    ours, base = run["ours"], run["floor"]
    floor_p95 = base["single"]["greet"]["p95"]
    lines = [
        f"## Latest run: {run['date']}",
        "",
        f"Commit `{run['commit']}`; machine: {run['cores']} cores, {run['cpu']}; load average before "
        f"{run['load_before']}, after {run['load_after']}"
        + (" (the machine was busy with other work: compare ratios rather than absolute times)"
           if float(run["load_before"].split()[0]) > 0.5 * run["cores"] else "") + ".",
        "",
        "Single messages, each opening a new conversation, one at a time:",
        "",
        "| message | n | p50 | p95 | p99 | p95 / floor p95 |",
        "|---|---|---|---|---|---|",
    ]
    for kind, s in ours["single"].items():
        lines.append(f"| {kind} | {s['n']} | {ms(s['p50'])} | {ms(s['p95'])} | {ms(s['p99'])} | "
                     f"{s['p95'] / floor_p95:.1f}× |")
    g = base["single"]["greet"]
    lines += [f"| floor: greet | {g['n']} | {ms(g['p50'])} | {ms(g['p95'])} | {ms(g['p99'])} | 1.0× |", "",
              "Concurrent conversations (each waits for the reply before its next message; the usual mix of "
              "greeting, KB, G, calculator, out-of-scope, thanks; each level run 5 times with new conversations, "
              "counted together):", "",
              "| conversations | answered | errors | msg/s | p50 | p95 | p99 | floor msg/s | floor p95 |",
              "|---|---|---|---|---|---|---|---|---|"]
    for level, s in ours["concurrent"].items():
        f = base["concurrent"][level]
        lines.append(f"| {level} | {s['n']} | {s['errors']} | {s['throughput']:.1f} | {ms(s['p50'])} | "
                     f"{ms(s['p95'])} | {ms(s['p99'])} | {f['throughput']:.1f} | {ms(f['p95'])} |")
    worst = max(s["p95"] for s in ours["single"].values())
    train = f"{run['train_s']:.0f} s ({run['train_source']})" if run["train_s"] else run["train_source"]
    lines += [
        "",
        f"Memory (RSS after the load): Rasa server {ours['rss_mib'].get('rasa', 0):.0f} MiB, action server "
        f"{ours['rss_mib'].get('actions', 0):.0f} MiB; floor Rasa server {base['rss_mib'].get('rasa', 0):.0f} MiB.",
        f"Start to first answer: {ours['start_to_first_answer_s']:.1f} s (floor "
        f"{base['start_to_first_answer_s']:.1f} s). Training: {train}.",
        "",
        "Targets:",
        f"- p95 ≤ {TARGET_P95_MS:.0f} ms for one user: worst kind {ms(worst)}: {verdict(worst <= TARGET_P95_MS)}",
        f"- ≤ {TARGET_FLOOR_RATIO}× the floor's p95: worst {worst / floor_p95:.1f}×: "
        f"{verdict(worst / floor_p95 <= TARGET_FLOOR_RATIO)}",
        f"- ≥ {TARGET_THROUGHPUT_10:.0f} msg/s with 10 conversations: {ours['concurrent']['10']['throughput']:.1f}: "
        f"{verdict(ours['concurrent']['10']['throughput'] >= TARGET_THROUGHPUT_10)}",
    ]
    return "\n".join(lines)


def history_row(run: dict[str, Any]) -> str:
    ours, base = run["ours"], run["floor"]
    single = ours["single"]
    floor_p95 = base["single"]["greet"]["p95"]
    worst = max(s["p95"] for s in single.values())
    rss = ours["rss_mib"]
    train = f"{run['train_s']:.0f} s" if run["train_s"] else "–"
    return (f"| {run['date']} | {run['commit']} | {run['load_before']} | {ms(single['kb']['p95'])} | "
            f"{ms(single['calculator']['p95'])} | {ms(single['out_of_scope']['p95'])} | {ms(floor_p95)} | "
            f"{worst / floor_p95:.1f}× | {ours['concurrent']['10']['throughput']:.1f} | "
            f"{ours['concurrent']['50']['throughput']:.1f} | {ours['start_to_first_answer_s']:.0f} s | "
            f"{rss.get('rasa', 0):.0f} + {rss.get('actions', 0):.0f} MiB | {train} |")


def write(path: Path, run: dict[str, Any]) -> None:
    text = path.read_text(encoding="utf-8") if path.exists() else SKELETON
    if LATEST_START not in text or HISTORY_MARK not in text:
        raise SystemExit(f"{path}: the bench markers are missing; restore them or delete the file")
    before, rest = text.split(LATEST_START, 1)
    _, after = rest.split(LATEST_END, 1)
    text = f"{before}{LATEST_START}\n{latest_section(run)}\n{LATEST_END}{after}"
    text = text.replace(HISTORY_MARK, f"{HISTORY_MARK}\n{history_row(run)}", 1)
    path.write_text(text, encoding="utf-8")
