"""The build step keeps the KB tied to the brochure: a changed sentence, number or heading fails it."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from actions import kb_build
from actions.kb_build import BuildError, build, find_sections, numbers_in, parse_sections
from actions.knowledge import get_kb

BROCHURE = "personalforsikringer-helse-vest.md"


@pytest.fixture
def source_copy(tmp_path: Path) -> Path:
    target = tmp_path / "source"
    shutil.copytree(kb_build.SOURCE_DIR, target)
    return target


def _replace(source_dir: Path, old: str, new: str) -> None:
    path = source_dir / BROCHURE
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_build_passes_and_writes_knowledge_json(tmp_path: Path) -> None:
    out = tmp_path / "knowledge.json"
    report = build(out=out)
    data = json.loads(out.read_text(encoding="utf-8"))
    assert report.facts == len(get_kb().facts) == len(data["facts"])
    assert report.quotes >= report.facts and report.rows == sum(len(t.rows) for t in get_kb().tables.values())
    assert "Kilde" not in report.summary() and "facts" in report.summary()
    titles = [s["display_path"][-1] for s in data["sections"]["brochure"]]
    assert "Gruppelivsforsikring" in titles and "Grupplivsforsikring" not in titles


def test_changed_sentence_breaks_the_build_naming_the_fact(source_copy: Path) -> None:
    _replace(source_copy, "engangsbeløp på 10G dersom du er under 51 år", "engangsbeløp på 12G dersom du er under 51 år")
    with pytest.raises(BuildError) as error:
        build(source_dir=source_copy, out=None)
    assert any("fact 'benefits.gruppeliv'" in p and "quote no longer appears" in p for p in error.value.problems)


def test_quote_moved_to_another_section_breaks_the_build(source_copy: Path) -> None:
    # The sentence still exists, but no longer under the section the fact names.
    _replace(source_copy, "### Hva med skatt?\n", "")
    with pytest.raises(BuildError) as error:
        build(source_dir=source_copy, out=None)
    assert any("fact 'tax'" in p and "not found" in p for p in error.value.problems)


def test_changed_table_number_breaks_the_build_naming_the_table(source_copy: Path) -> None:
    _replace(source_copy, "51 år\t9,5 G", "51 år\t9,0 G")
    with pytest.raises(BuildError) as error:
        build(source_dir=source_copy, out=None)
    assert any("table 'gruppeliv_age' row 2" in p for p in error.value.problems)


def test_changed_survivor_share_breaks_the_build(source_copy: Path) -> None:
    _replace(source_copy, "Disse skal ha utbetalt minst 40 %", "Disse skal ha utbetalt minst 50 %")
    with pytest.raises(BuildError) as error:
        build(source_dir=source_copy, out=None)
    assert any("gruppeliv_survivors_order" in p for p in error.value.problems)


def test_whitespace_and_case_do_not_matter(source_copy: Path) -> None:
    _replace(source_copy, "Gruppelivsforsikringen gjelder i hele verden 24 timer i døgnet.",
             "GRUPPELIVSFORSIKRINGEN  gjelder i hele\nverden 24 timer i døgnet.")
    build(source_dir=source_copy, out=None)


def test_command_line_reports_the_fact_and_fails(source_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _replace(source_copy, "må du underrette forsikringselskapet innen 6 måneder", "må du underrette forsikringselskapet innen 3 måneder")
    assert kb_build.main(["--source-dir", str(source_copy), "--check"]) == 1
    err = capsys.readouterr().err
    assert "employment_end.gruppeliv" in err and "employment_end.overview" in err


def test_command_line_summary(capsys: pytest.CaptureFixture[str]) -> None:
    assert kb_build.main(["--check"]) == 0
    assert capsys.readouterr().out.startswith("KB build OK:")


def test_sections_handle_duplicated_and_misspelled_headings() -> None:
    sections = parse_sections((kb_build.SOURCE_DIR / BROCHURE).read_text(encoding="utf-8"))
    viktige = find_sections(sections, "Viktige spørsmål")
    assert [s.occurrence for s in viktige] == [1, 2]
    assert find_sections(sections, "Viktige spørsmål > Hva med skatt?")[0].path[-2] == "Viktige spørsmål"
    assert len(find_sections(sections, "Yrskesskadeforsikring etter loven > Død > Etterlatte")) == 1
    assert get_kb().display_heading("Yrskesskadeforsikring etter loven") == "Yrkesskadeforsikring etter loven"
    assert get_kb().display_heading("Behandlingsutgifter:") == "Behandlingsutgifter"
    hva = find_sections(sections, "Hva skjer dersom du meldes ut av forsikringen?")
    assert hva and hva[0].path[-2] == "Grupplivsforsikring"


def test_front_matter_is_skipped() -> None:
    sections = parse_sections((kb_build.SOURCE_DIR / "ansvarsforsikring-helsepersonell.md").read_text(encoding="utf-8"))
    assert sections[0].path == ("Allied Healthcare Professional Ansvarsforsikring",)
    assert "keywords" not in " ".join(s.body for s in sections)


def test_numbers_as_printed() -> None:
    assert numbers_in("Reiseansvar 15 000 000") == [15_000_000]
    assert numbers_in("15-29 % medisinsk invaliditet: 1 G") == [15, 29, 1]
    assert numbers_in("Under 51 år 10,0 G") == [51, 10.0]
