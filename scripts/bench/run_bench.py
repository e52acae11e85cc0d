"""`make bench`: latency, throughput, memory and start-up of the assistant, against the floor of a bare Rasa bot.

Starts the assistant (action server + Rasa server, free loopback ports, SQLite in a temp dir) and then the floor
bot (scripts/bench/floor.py) the same way, measures both, and writes BENCHMARKS.md (latest run + history row).
A benchmark, not a test: it reports against the targets, it does not fail on them.

  .venv/bin/python scripts/bench/run_bench.py [--train] [--samples 40] [--no-write]
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Optional

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).parent))

import floor  # noqa: E402
import load  # noqa: E402
import report  # noqa: E402
import sysinfo  # noqa: E402
from tests.support.servers import Assistant, free_port, http_json, start_assistant  # noqa: E402

KINDS = {
    "kb": "Hvem er dekket av yrkesskadeforsikringen?",
    "calculator": "Jeg er 50 år og har 100 % medisinsk invaliditet etter en arbeidsulykke – hva får jeg?",
    "out_of_scope": "Hvordan blir været i Bergen i morgen?",
}
# The conversations' mix: what users ask most, one after another in the same conversation.
MIX = ["hei", KINDS["kb"], "hva er G?", KINDS["calculator"], KINDS["out_of_scope"], "takk"]
LEVELS = ((1, 30), (10, 10), (50, 6))  # (concurrent conversations, messages each)
# Each level is run this many times, with new conversations, and reported as one sample: one round of 10
# conversations lasts about 2 s, and single rounds on one machine ranged 37-58 msg/s (2026-12-01).
ROUNDS = 5
TIME_LIMIT = 60.0  # seconds per measurement, whatever the count


def _first_answer(assistant: Assistant, started: float) -> float:
    status, _ = http_json("POST", f"{assistant.url}/webhooks/rest/webhook", {"sender": "bench-first", "message": "hei"})
    if status != 200:
        raise RuntimeError(f"first message answered {status}")
    return time.monotonic() - started


def measure(assistant: Assistant, started: float, singles: dict[str, str], mix: list[str], samples: int) -> dict:
    url = f"{assistant.url}/webhooks/rest/webhook"
    result: dict[str, Any] = {"start_to_first_answer_s": _first_answer(assistant, started)}
    for text in list(singles.values()) * 3:  # warm-up: first calls load lazily (TensorFlow graphs, KB)
        http_json("POST", url, {"sender": "bench-warm", "message": text})
    result["single"] = {kind: asyncio.run(load.single_messages(url, text, samples, TIME_LIMIT)).summary()
                        for kind, text in singles.items()}
    result["concurrent"] = {
        str(c): load.merged([asyncio.run(load.conversations(url, mix, c, per, TIME_LIMIT))
                             for _ in range(ROUNDS)]).summary()
        for c, per in LEVELS}
    result["rss_mib"] = {("rasa" if p is assistant.rasa_process else "actions"): round(sysinfo.rss_mib(p.pid), 1)
                         for p in assistant.processes}
    return result


def run_ours(tmp: Path, samples: int, model: Optional[Path] = None) -> dict:
    (tmp / "ours").mkdir()
    started = time.monotonic()
    assistant = start_assistant(tmp / "ours", model=model)
    try:
        return measure(assistant, started, KINDS, MIX, samples)
    finally:
        assistant.stop()


def run_floor(tmp: Path, samples: int) -> dict:
    project, model = floor.floor_project()
    (tmp / "floor").mkdir()
    env = {"ENDPOINTS_FILE": str(project / "endpoints.yml"), "CREDENTIALS_FILE": str(project / "credentials.yml")}
    started = time.monotonic()
    assistant = start_assistant(tmp / "floor", env, action_port=free_port(), model=model)
    try:
        return measure(assistant, started, {"greet": "hei"}, ["hei"], samples)
    finally:
        assistant.stop()


def training_seconds(train: bool, tmp: Path) -> tuple[Optional[float], str]:
    if train:
        # A cold training: an empty Rasa cache, so no component is reused from .rasa/cache.
        env = dict(os.environ, RASA_CACHE_DIRECTORY=str(tmp / "rasa-cache"))
        started = time.monotonic()
        subprocess.run([str(REPO / ".venv/bin/rasa"), "train", "--fixed-model-name", "bench", "--out",
                        str(tmp / "models"), "--quiet"], cwd=REPO, env=env, check=True)
        return time.monotonic() - started, "timed now, cold cache (--train)"
    recorded = REPO / "models" / ".train-seconds"
    if recorded.exists():
        return float(recorded.read_text().strip()), "last `make train` (models/.train-seconds)"
    return None, "not recorded yet (run `make train` with FORCE_TRAIN=1, or `make bench BENCH_ARGS=--train`)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--train", action="store_true", help="also time a full `rasa train` (minutes, busy CPU)")
    parser.add_argument("--samples", type=int, default=40, help="single messages per kind (default 40)")
    parser.add_argument("--no-write", action="store_true", help="print the results, leave BENCHMARKS.md alone")
    parser.add_argument("--model", type=Path, help="measure another trained model (a config variant); implies --no-write")
    args = parser.parse_args()
    if args.model:
        args.no_write = True

    run: dict[str, Any] = {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": sysinfo.git_commit(REPO), "cpu": sysinfo.cpu_model(), "cores": sysinfo.cores(),
        "load_before": sysinfo.load_average(),
    }
    with tempfile.TemporaryDirectory(prefix="bench-") as name:
        tmp = Path(name)
        print("bench: measuring the assistant", flush=True)
        run["ours"] = run_ours(tmp, args.samples, args.model.resolve() if args.model else None)
        print("bench: measuring the floor (bare Rasa bot)", flush=True)
        run["floor"] = run_floor(tmp, args.samples)
        run["train_s"], run["train_source"] = training_seconds(args.train, tmp)
    run["load_after"] = sysinfo.load_average()
    print(json.dumps(run, indent=2, ensure_ascii=False))
    if not args.no_write:
        report.write(REPO / "BENCHMARKS.md", run)
        print("bench: BENCHMARKS.md updated")


if __name__ == "__main__":
    main()
