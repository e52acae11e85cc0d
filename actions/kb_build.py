"""Build step for the knowledge base: `python -m actions.kb_build`.

Parses the source markdown into sections (with their heading path), checks that every fact's
quote still appears verbatim (whitespace/case-normalised) under the section the fact names, that
every table row still reads as in the brochure and that its numbers match the data, and writes
kb/build/knowledge.json. When HR replaces the brochure with a new edition, any fact whose quote is
gone fails the build with its id, so the KB cannot drift from the brochure.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Iterable, Optional

from actions.knowledge import FACTS_FILE, TABLES_FILE, KnowledgeBase, load_kb, section_key
from actions.nortext import normalise
from actions.yaml_data import KB_DIR

SOURCE_DIR = KB_DIR / "source"
BUILD_FILE = KB_DIR / "build" / "knowledge.json"

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$")
# Lines that are layout only: rules ("---"), table separators ("|----|"), the brochure's "- |  |  |".
_LAYOUT_ONLY = re.compile(r"^[\s\-|]*$")
# A Norwegian number as printed: "15", "10,0", "100 000", "15 000 000".
_NUMBER = re.compile(r"\d{1,3}(?: \d{3})+(?!\d)|\d+(?:,\d+)?")


@dataclass
class Section:
    """One heading and the text up to the next heading of any level."""

    id: str
    path: tuple[str, ...]  # heading texts as written in the source, outermost first
    level: int
    line: int  # 1-based line of the heading
    body: str  # own text, markdown markup removed, one line per source line
    occurrence: int = 1  # 2, 3, ... when the same heading path appears again (e.g. "Viktige spørsmål")
    display_path: tuple[str, ...] = ()
    subtree: str = ""  # own body plus the bodies of all subsections

    @property
    def title(self) -> str:
        return self.path[-1]


class BuildError(Exception):
    """The facts no longer match the source. `problems` lists one line per fact or table row."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("Knowledge base build failed:\n  " + "\n  ".join(problems))
        self.problems = problems


@dataclass
class BuildReport:
    facts: int = 0
    sections: int = 0
    quotes: int = 0
    tables: int = 0
    rows: int = 0
    sources: dict[str, str] = field(default_factory=dict)

    def summary(self) -> str:
        return (
            f"KB build OK: {self.facts} facts, {self.sections} sections, {self.quotes} quotes checked, "
            f"{self.tables} tables ({self.rows} rows) cross-checked."
        )


def clean_inline(text: str) -> str:
    """Drop markdown emphasis, table pipes and bullets so text compares as the reader sees it."""
    text = text.replace("**", "").replace("*", "").replace("|", " ").replace("•", " ").replace("\t", " ")
    text = re.sub(r"^\s*-\s+", "", text)
    return re.sub(r"[ ]+", " ", text).strip()


def match_key(text: str) -> str:
    """Whitespace- and case-normalised text used for quote and row matching."""
    return normalise(clean_inline(text))


def _strip_front_matter(lines: list[str]) -> tuple[list[str], int]:
    if lines and lines[0].strip() == "---":
        for index in range(1, len(lines)):
            if lines[index].strip() == "---":
                return lines[index + 1 :], index + 1
    return lines, 0


def parse_sections(markdown: str) -> list[Section]:
    """Split markdown into sections. Text before the first heading is ignored (front matter, blank lines)."""
    lines, offset = _strip_front_matter(markdown.splitlines())
    sections: list[Section] = []
    stack: list[tuple[int, str]] = []
    body: list[str] = []
    seen: dict[tuple[str, ...], int] = {}

    def close() -> None:
        if sections:
            sections[-1].body = "\n".join(line for line in body if line)
        body.clear()

    for number, raw in enumerate(lines, start=offset + 1):
        heading = _HEADING.match(raw)
        if heading:
            close()
            level, title = len(heading.group(1)), clean_inline(heading.group(2))
            while stack and stack[-1][0] >= level:
                stack.pop()
            stack.append((level, title))
            path = tuple(t for _, t in stack)
            key = tuple(section_key(t) for t in path)
            seen[key] = seen.get(key, 0) + 1
            sections.append(Section(f"s{len(sections) + 1:02d}", path, level, number, "", seen[key]))
        elif not _LAYOUT_ONLY.match(raw):
            body.append(clean_inline(raw))
    close()
    for index, section in enumerate(sections):
        parts = [section.body]
        for later in sections[index + 1 :]:
            if later.level <= section.level:
                break
            parts.append(later.body)
        section.subtree = "\n".join(p for p in parts if p)
    return sections


def find_sections(sections: Iterable[Section], wanted: str) -> list[Section]:
    """Sections whose heading path ends with `wanted` ("A > B"), compared with section_key.

    A suffix (not a full path) keeps facts short and survives a new cover-page heading.
    Duplicated headings (two "Viktige spørsmål") simply yield several candidates.
    """
    parts = tuple(section_key(p) for p in wanted.split(">"))
    found = []
    for section in sections:
        key = tuple(section_key(t) for t in section.path)
        if len(key) >= len(parts) and key[-len(parts) :] == parts:
            found.append(section)
    return found


def numbers_in(text: str) -> list[float]:
    return [float(n.replace(" ", "").replace(",", ".")) for n in _NUMBER.findall(text)]


def _check_quote(sections: list[Section], section_path: str, quote: str, who: str) -> Optional[str]:
    candidates = find_sections(sections, section_path)
    if not candidates:
        return f"{who}: section «{section_path}» not found in the source"
    needle = match_key(quote)
    if not any(needle in match_key(s.subtree) for s in candidates):
        return f"{who}: quote no longer appears under «{section_path}»: \"{quote}\""
    return None


def check(kb: KnowledgeBase, parsed: dict[str, list[Section]], report: BuildReport) -> list[str]:
    """All problems found; empty when facts and tables agree with the sources."""
    problems: list[str] = []
    for fact in kb.facts.values():
        for quote in fact.quotes:
            report.quotes += 1
            problem = _check_quote(parsed[quote.source], quote.section, quote.text, f"fact '{fact.id}'")
            if problem:
                problems.append(problem)
    for table in kb.tables.values():
        report.tables += 1
        candidates = find_sections(parsed["brochure"], table.section)
        if not candidates:
            problems.append(f"table '{table.id}': section «{table.section}» not found in the source")
            continue
        text = "\n".join(match_key(s.subtree) for s in candidates)
        for index, row in enumerate(table.rows):
            report.rows += 1
            who = f"table '{table.id}' row {index + 1}"
            if match_key(row.text) not in text:
                problems.append(f"{who}: row no longer appears in the source: \"{row.text}\"")
                continue
            printed = numbers_in(row.text)
            declared = [float(v) for v in row.numbers(table.number_fields)]
            if printed != declared:
                problems.append(f"{who}: data {declared} does not match the brochure's numbers {printed}")
    return problems


def build(
    source_dir: Path = SOURCE_DIR,
    facts_file: Path = FACTS_FILE,
    tables_file: Path = TABLES_FILE,
    out: Optional[Path] = BUILD_FILE,
) -> BuildReport:
    """Check and (when `out` is given) write knowledge.json. Raises BuildError or DataError."""
    kb = load_kb(facts_file, tables_file)
    report = BuildReport(facts=len(kb.facts))
    parsed: dict[str, list[Section]] = {}
    for name, source in kb.sources.items():
        path = source_dir / source.file
        try:
            markdown = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise BuildError([f"source '{name}': file {path} not found"]) from None
        report.sources[name] = hashlib.sha256(markdown.encode("utf-8")).hexdigest()
        parsed[name] = parse_sections(markdown)
        for section in parsed[name]:
            section.display_path = tuple(kb.display_heading(t) for t in section.path)
    report.sections = sum(len(s) for s in parsed.values())
    problems = check(kb, parsed, report)
    if problems:
        raise BuildError(problems)
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        payload = {
            "schema": "knowledge/1",
            "sources": {
                name: {"file": kb.sources[name].file, "sha256": digest} for name, digest in report.sources.items()
            },
            "sections": {name: [asdict(s) for s in secs] for name, secs in parsed.items()},
            "facts": {fid: fact.to_json() for fid, fact in kb.facts.items()},
            "tables": {tid: table.to_json() for tid, table in kb.tables.items()},
        }
        out.write_text(json.dumps(payload, ensure_ascii=False, indent=1), encoding="utf-8")
    return report


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source-dir", type=Path, default=SOURCE_DIR)
    parser.add_argument("--facts", type=Path, default=FACTS_FILE)
    parser.add_argument("--tables", type=Path, default=TABLES_FILE)
    parser.add_argument("--out", type=Path, default=BUILD_FILE)
    parser.add_argument("--check", action="store_true", help="check only, write nothing")
    args = parser.parse_args(argv)
    try:
        report = build(args.source_dir, args.facts, args.tables, None if args.check else args.out)
    except BuildError as error:
        print(error, file=sys.stderr)
        return 1
    except ValueError as error:  # DataError: a schema problem in facts.yml/tables.yml
        print(f"Knowledge base build failed: {error}", file=sys.stderr)
        return 1
    where = "" if args.check else f" Wrote {args.out}."
    print(report.summary() + where)
    return 0


if __name__ == "__main__":
    sys.exit(main())
