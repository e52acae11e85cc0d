"""Markdown report of a `rasa test nlu` run: accuracy, macro-F1, entity F1, out-of-scope recall,
top confusions, worst intents, date and git commit; optionally a fallback-threshold sweep.

    python scripts/nlu_report.py                      # `make eval`: test models/assistant.tar.gz, then report
    python scripts/nlu_report.py --model models/nlu.tar.gz --results results/nlu --out reports/nlu-eval.md
    python scripts/nlu_report.py --no-run --no-sweep   # re-render from an existing results folder

By default it runs `rasa test nlu --nlu tests/nlu --model MODEL --out RESULTS` first, then
`rasa test core --stories tests/test_stories.yml` (end-to-end test stories: NLU and policies together).

The results folder may be the `--out` of `rasa test nlu` or of `rasa test` (3.6 writes the NLU files
either directly there or in a sub-folder): the report files are found by name, recursively.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Optional

OOS = "out_of_scope"
FALLBACK = "nlu_fallback"
SAFE_FOR_OOS = {OOS, FALLBACK}  # both lead to a "can't answer that" reply, never to an amount
NON_INTENT_KEYS = {"accuracy", "macro avg", "weighted avg", "micro avg"}


def find_file(results: Path, name: str) -> Optional[Path]:
    """The newest file called `name` under `results` (rasa 3.6 nests it differently per command)."""
    hits = sorted(results.rglob(name), key=lambda p: p.stat().st_mtime, reverse=True)
    return hits[0] if hits else None


def load_json(path: Optional[Path]) -> Any:
    if path is None:
        return None
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def git_commit(repo: Path) -> str:
    try:
        sha = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=repo, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain"], cwd=repo, capture_output=True, text=True, check=True
        ).stdout.strip()
        return f"{sha}{' (uncommitted changes)' if dirty else ''}"
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def intent_rows(report: dict) -> dict[str, dict]:
    return {k: v for k, v in report.items() if k not in NON_INTENT_KEYS and isinstance(v, dict)}


def oos_recall(report: dict, errors: list[dict]) -> tuple[int, int, int]:
    """(support, predicted out_of_scope, predicted out_of_scope or nlu_fallback) for out_of_scope messages."""
    support = int(intent_rows(report).get(OOS, {}).get("support", 0))
    wrong = Counter(e["intent_prediction"]["name"] for e in errors if e["intent"] == OOS)
    fallback = wrong.get(FALLBACK, 0)
    strict = support - sum(wrong.values())
    return support, strict, strict + fallback


def entity_summary(results: Path) -> list[tuple[str, str, float, float, float, int]]:
    """(extractor, label, precision, recall, f1, support) from every <Extractor>_report.json."""
    rows = []
    for path in sorted(results.rglob("*_report.json")):
        extractor = path.name[: -len("_report.json")]
        if extractor in {"intent", "response_selection"}:
            continue
        report = load_json(path)
        for label, values in report.items():
            if isinstance(values, dict) and "f1-score" in values:
                rows.append(
                    (extractor, label, values["precision"], values["recall"], values["f1-score"], int(values["support"]))
                )
    return rows


# ---------------------------------------------------------------- threshold sweep

def load_test_messages(test_path: Path) -> list[tuple[str, str]]:
    from rasa.shared.nlu.training_data.loading import load_data

    data = load_data(str(test_path))
    return [(m.get("text"), m.get("intent")) for m in data.intent_examples]


def diet_rankings(model: Path, messages: list[tuple[str, str]]) -> list[list[tuple[str, float]]]:
    """The classifier's own ranking for each message (the FallbackClassifier's entry removed)."""
    import asyncio

    from rasa.core.agent import Agent

    agent = Agent.load(str(model))

    async def parse_all() -> list[list[tuple[str, float]]]:
        out = []
        for text, _ in messages:
            parsed = await agent.parse_message(text)
            out.append([(r["name"], r["confidence"]) for r in parsed["intent_ranking"] if r["name"] != FALLBACK])
        return out

    return asyncio.run(parse_all())


def simulate(rankings: list, gold: list[str], threshold: float, ambiguity: float) -> dict[str, float]:
    """FallbackClassifier rule: fallback if top < threshold or top - second < ambiguity."""
    n_in = n_oos = correct = wrong_in = fb_in = oos_safe = oos_answered = 0
    for ranking, truth in zip(rankings, gold):
        top_name, top = ranking[0]
        second = ranking[1][1] if len(ranking) > 1 else 0.0
        predicted = FALLBACK if (top < threshold or top - second < ambiguity) else top_name
        if truth == OOS:
            n_oos += 1
            oos_safe += predicted in SAFE_FOR_OOS
            oos_answered += predicted not in SAFE_FOR_OOS
        else:
            n_in += 1
            fb_in += predicted == FALLBACK
            wrong_in += predicted not in (truth, FALLBACK)
        correct += predicted == truth
    total = n_in + n_oos
    return {
        "accuracy": correct / total,
        "oos_safe": oos_safe / max(n_oos, 1),
        "in_fallback": fb_in / max(n_in, 1),
        "in_wrong": wrong_in / max(n_in, 1),
        "oos_answered": oos_answered,
    }


def sweep_table(rankings: list, gold: list[str]) -> list[str]:
    lines = [
        "| threshold | ambiguity | accuracy | OOS safe recall | in-scope → fallback | in-scope → wrong intent | OOS answered |",
        "|---|---|---|---|---|---|---|",
    ]
    for threshold in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8):
        for ambiguity in (0.0, 0.1, 0.2):
            r = simulate(rankings, gold, threshold, ambiguity)
            lines.append(
                f"| {threshold:.1f} | {ambiguity:.1f} | {r['accuracy']:.1%} | {r['oos_safe']:.1%} | "
                f"{r['in_fallback']:.1%} | {r['in_wrong']:.1%} | {r['oos_answered']} |"
            )
    return lines


# ---------------------------------------------------------------- report

def run_rasa_test(model: Path, test: Path, results: Path) -> None:
    if not model.exists():
        raise SystemExit(f"no model at {model}: run `make train` first")
    rasa = Path(sys.executable).with_name("rasa")
    command = [str(rasa), "test", "nlu", "--nlu", str(test), "--model", str(model), "--out", str(results), "--no-plot"]
    subprocess.run(command, check=True)


def run_rasa_test_core(model: Path, stories: Path, results: Path) -> None:
    rasa = Path(sys.executable).with_name("rasa")
    command = [str(rasa), "test", "core", "--stories", str(stories), "--model", str(model), "--out", str(results),
               "--no-plot"]
    subprocess.run(command, check=True)


def story_section(stories: Path, results: Path) -> list[str]:
    """Stories predicted end to end (NLU + policies) by `rasa test core`, and the action-level accuracy."""
    import yaml

    title = ["", f"## Test stories (`rasa test core --stories {stories}`)", ""]
    actions = load_json(find_file(results, "story_report.json")) if results.exists() else None
    if actions is None:  # --no-run without a `rasa test core` results folder: say so rather than count 0 failures
        return title + [f"- Not run: no story_report.json under `{results}`"]
    total = len(yaml.safe_load(stories.read_text(encoding="utf-8")).get("stories") or [])
    failed_file = results / "failed_test_stories.yml"
    failed = (yaml.safe_load(failed_file.read_text(encoding="utf-8")) or {}).get("stories") or [] \
        if failed_file.exists() else []
    lines = title + [f"- Stories predicted without an error: {total - len(failed)}/{total}",
                     f"- Action-level accuracy: {actions.get('accuracy', float('nan')):.1%} "
                     f"(macro-F1 {actions.get('macro avg', {}).get('f1-score', float('nan')):.3f})"]
    lines += [f"- Failed: {story.get('story')}" for story in failed]
    if failed:
        lines.append(f"- Details: `{failed_file}`")
    return lines


def configured_fallback(config: Path) -> tuple[float, float]:
    """(threshold, ambiguity_threshold) of the FallbackClassifier in config.yml (rasa defaults 0.3/0.1)."""
    import yaml

    for component in yaml.safe_load(config.read_text(encoding="utf-8")).get("pipeline", []):
        if component.get("name") == "FallbackClassifier":
            return float(component.get("threshold", 0.3)), float(component.get("ambiguity_threshold", 0.1))
    return 0.0, 0.0


def build_report(
    results: Path,
    repo: Path,
    sweep: Optional[list[str]] = None,
    with_fallback: Optional[tuple[float, float, dict[str, float]]] = None,
    top: int = 15,
    stories: Optional[list[str]] = None,
) -> str:
    report = load_json(find_file(results, "intent_report.json"))
    if report is None:
        raise SystemExit(f"no intent_report.json under {results}: run `rasa test nlu --out {results}` first")
    errors = load_json(find_file(results, "intent_errors.json")) or []
    rows = intent_rows(report)
    support, strict, safe = oos_recall(report, errors)
    macro = report.get("macro avg", {})
    total = sum(int(v["support"]) for v in rows.values())

    out = [
        "# NLU evaluation (held-out test set)",
        "",
        f"- Date: {datetime.now(timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- Git commit: {git_commit(repo)}",
        f"- Results folder: `{results}`; test messages: {total}",
        "",
        "| metric | value |",
        "|---|---|",
        f"| intent accuracy | {report.get('accuracy', 0):.1%} |",
        f"| intent macro-F1 | {macro.get('f1-score', 0):.3f} |",
        f"| out-of-scope recall, predicted `out_of_scope` | {strict}/{support} = {strict / max(support, 1):.1%} |",
        f"| out-of-scope recall, predicted `out_of_scope` or `nlu_fallback` (safe reply) | "
        f"{safe}/{support} = {safe / max(support, 1):.1%} |",
    ]
    entities = entity_summary(results)
    for extractor, label, _, _, f1, n in entities:
        if label in ("macro avg", "weighted avg", "micro avg"):
            out.append(f"| entity {label} F1 ({extractor}) | {f1:.3f} (n={n}) |")
    if with_fallback:
        threshold, ambiguity, r = with_fallback
        out += [
            f"| **with the FallbackClassifier of config.yml** (threshold {threshold}, ambiguity {ambiguity}): accuracy "
            f"| {r['accuracy']:.1%} |",
            f"| … out-of-scope recall, `out_of_scope` or `nlu_fallback` | {r['oos_safe']:.1%} "
            f"({r['oos_answered']} out-of-scope messages answered) |",
            f"| … in-scope messages sent to `nlu_fallback` | {r['in_fallback']:.1%} |",
            f"| … in-scope messages given a wrong intent | {r['in_wrong']:.1%} |",
        ]
    out += [
        "",
        "`rasa test nlu` reverts `nlu_fallback` to the classifier's own top intent, so the first rows, the",
        "confusions and the per-intent table measure DIETClassifier alone; the FallbackClassifier rows re-apply",
        "the configured thresholds to the classifier's ranking (the sweep below shows other thresholds).",
        "",
    ]

    out += stories or []
    confusions = Counter((e["intent"], e["intent_prediction"]["name"]) for e in errors)
    out += ["## Top confusions (true → predicted)", "", "| true | predicted | count |", "|---|---|---|"]
    out += [f"| {t} | {p} | {c} |" for (t, p), c in confusions.most_common(top)]

    out += ["", "## Worst intents (by F1)", "", "| intent | precision | recall | F1 | support |", "|---|---|---|---|---|"]
    for name, v in sorted(rows.items(), key=lambda kv: kv[1]["f1-score"])[:10]:
        out.append(f"| {name} | {v['precision']:.2f} | {v['recall']:.2f} | {v['f1-score']:.2f} | {int(v['support'])} |")

    if entities:
        out += ["", "## Entities per label", "", "| extractor | label | precision | recall | F1 | support |", "|---|---|---|---|---|---|"]
        out += [f"| {x} | {l} | {p:.2f} | {r:.2f} | {f:.2f} | {n} |" for x, l, p, r, f, n in entities]
        out += ["", "`WrittenStandardDetector` tags every Bokmål/Nynorsk message with `language`, which the test",
                "data does not annotate: its rows are expected to show precision 0 and say nothing about DIET."]

    if sweep:
        out += ["", "## Fallback threshold sweep (DIET ranking, FallbackClassifier rule re-applied)", ""] + sweep

    out += ["", "## Misclassified messages", "", "| text | true | predicted | confidence |", "|---|---|---|---|"]
    for e in sorted(errors, key=lambda e: e["intent"]):
        text = e["text"].replace("|", "\\|")
        out.append(f"| {text} | {e['intent']} | {e['intent_prediction']['name']} | {e['intent_prediction']['confidence']:.2f} |")
    return "\n".join(out) + "\n"


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--results", default="results/nlu", type=Path)
    parser.add_argument("--out", default="reports/nlu-eval.md", type=Path)
    parser.add_argument("--model", default="models/assistant.tar.gz", type=Path)
    parser.add_argument("--test", default="tests/nlu", type=Path)
    parser.add_argument("--config", default="config.yml", type=Path, help="for the FallbackClassifier thresholds")
    parser.add_argument("--stories", default="tests/test_stories.yml", type=Path, help="end-to-end test stories")
    parser.add_argument("--core-results", default="results/core", type=Path)
    parser.add_argument("--no-run", action="store_true", help="do not run `rasa test nlu`; use existing results")
    parser.add_argument("--no-sweep", action="store_true", help="skip the fallback-threshold sweep")
    args = parser.parse_args(argv)

    repo = Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(repo))  # the model names our custom components (components.*)
    if not args.no_run:
        run_rasa_test(args.model, args.test, args.results)
        run_rasa_test_core(args.model, args.stories, args.core_results)
    sweep = with_fallback = None
    if not args.no_sweep:
        messages = load_test_messages(args.test)
        rankings = diet_rankings(args.model, messages)
        gold = [intent for _, intent in messages]
        sweep = sweep_table(rankings, gold)
        threshold, ambiguity = configured_fallback(args.config)
        with_fallback = (threshold, ambiguity, simulate(rankings, gold, threshold, ambiguity))
    text = build_report(args.results, repo, sweep, with_fallback, stories=story_section(args.stories, args.core_results))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(text.split("## Top confusions")[0])
    return 0


if __name__ == "__main__":
    sys.exit(main())
