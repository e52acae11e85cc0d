"""Loopback load for the benchmark: single-message latency and N concurrent conversations (asyncio + aiohttp).

Every run is bounded twice: by a message count and by a time limit, and talks only to 127.0.0.1.
"""
from __future__ import annotations

import asyncio
import itertools
import statistics
import time
import uuid
from dataclasses import dataclass, field
from typing import Sequence

import aiohttp


@dataclass
class Sample:
    latencies: list[float] = field(default_factory=list)  # seconds, answered messages only
    errors: int = 0
    elapsed: float = 0.0

    def percentile(self, p: float) -> float:
        """Nearest-rank percentile in milliseconds (NaN when nothing was answered)."""
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        rank = max(1, min(len(ordered), round(p / 100 * len(ordered) + 0.5)))
        return ordered[rank - 1] * 1000

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.elapsed if self.elapsed else 0.0

    def summary(self) -> dict[str, float]:
        return {"n": len(self.latencies), "errors": self.errors, "p50": self.percentile(50),
                "p95": self.percentile(95), "p99": self.percentile(99),
                "mean": statistics.fmean(self.latencies) * 1000 if self.latencies else float("nan"),
                "throughput": self.throughput}


def merged(samples: Sequence[Sample]) -> Sample:
    """Several rounds as one sample: all latencies, all errors, the rounds' time added up."""
    return Sample([x for s in samples for x in s.latencies], sum(s.errors for s in samples),
                  sum(s.elapsed for s in samples))


async def _post(session: aiohttp.ClientSession, url: str, sender: str, text: str, sample: Sample) -> None:
    started = time.perf_counter()
    try:
        async with session.post(url, json={"sender": sender, "message": text}) as response:
            body = await response.json(content_type=None)
            ok = response.status == 200 and isinstance(body, list) and bool(body)
    except (aiohttp.ClientError, asyncio.TimeoutError, ValueError):
        ok = False
    if ok:
        sample.latencies.append(time.perf_counter() - started)
    else:
        sample.errors += 1


def _session() -> aiohttp.ClientSession:
    # One connection per conversation, as separate users would have; 30 s per request at most.
    return aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30),
                                 connector=aiohttp.TCPConnector(limit=0))


async def single_messages(url: str, text: str, count: int, time_limit: float) -> Sample:
    """`count` messages one after another, each opening a new conversation (no queueing, no history)."""
    sample = Sample()
    async with _session() as session:
        started = time.perf_counter()
        for _ in range(count):
            if time.perf_counter() - started > time_limit:
                break
            await _post(session, url, f"bench-{uuid.uuid4().hex}", text, sample)
        sample.elapsed = time.perf_counter() - started
    return sample


async def conversations(url: str, texts: Sequence[str], concurrent: int, per_conversation: int,
                        time_limit: float) -> Sample:
    """`concurrent` conversations at once, each sending `per_conversation` messages in turn (a reply before the
    next message, as a person would), cycling through `texts`; stops early at `time_limit`."""
    sample = Sample()
    deadline = time.perf_counter() + time_limit

    async def one(index: int, session: aiohttp.ClientSession) -> None:
        sender = f"bench-c{concurrent}-{index}-{uuid.uuid4().hex[:8]}"
        for text in itertools.islice(itertools.cycle(texts[index % len(texts):] + texts[:index % len(texts)]),
                                     per_conversation):
            if time.perf_counter() > deadline:
                return
            await _post(session, url, sender, text, sample)

    async with _session() as session:
        started = time.perf_counter()
        await asyncio.gather(*(one(i, session) for i in range(concurrent)))
        sample.elapsed = time.perf_counter() - started
    return sample
