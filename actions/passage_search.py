"""Rank brochure passages for a free-text question (the low-confidence fallback).

A passage is one brochure section's own text, indexed together with its heading path. Scoring is
BM25 over Norwegian snowball stems; Nynorsk words are folded to Bokmål first (the brochure is
Bokmål) and query words the brochure never uses are mapped to the closest brochure stem with
rapidfuzz, so phone typos still match.

`best_passage(question)` returns the best passage, its section and `score` in 0..1: the BM25 of the
passage divided by the BM25 a passage containing every query term would get, i.e. how much of the
question (weighted by how rare each word is) the passage covers. `is_strong(hit)` applies the
thresholds measured in tests/test_passage_search.py over tests/data/kb_passage_questions.json
(see docs/knowledge-base.md): STRONG_SCORE and STRONG_MARGIN.

    python -m actions.passage_search "får samboeren min noe hvis jeg dør?"
    python -m actions.passage_search --measure
"""
from __future__ import annotations

import json
import math
import re
import sys
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional

import snowballstemmer
from rapidfuzz import fuzz, process

from actions.nortext import normalise, words

# Measured over tests/data/kb_passage_questions.json (49 brochure questions, 18 out of scope; see
# docs/knowledge-base.md): 25 brochure questions pass, all from the right section; no out-of-scope
# question passes. The nearest wrong answer scored 0.37; the best out-of-scope one 0.46 with margin 0.10.
STRONG_SCORE = 0.40
STRONG_MARGIN = 0.15  # the best passage must beat the runner-up by this share of its score

BM25_K1 = 1.2
BM25_B = 0.75
HEADING_WEIGHT = 2  # heading words count twice: "Hva med skatt?" says what the passage is about

_STEMMER = snowballstemmer.stemmer("norwegian")

# Function words in both written standards; they carry no topic.
STOPWORDS = frozenset(
    """
    og i på til av for med som er det den de en et ei eit ein at å om fra frå har hadde har kan skal vil
    må jeg eg du han hun ho vi me dere de dei meg deg seg oss dykk min mi mitt mine din di ditt dine sin
    si sitt sine hva kva hvem kven hvor kvar når korleis hvordan hvorfor kvifor hvilken hvilke kva for
    ikke ikkje noe noko noen nokon blir bli vert vart var være vere vært vore så da då eller men også
    òg bare berre får fått få gjelder gjeld dersom hvis viss om enn etter før under over ved hos
    meg jo nå no her der dette denne disse desse sånn slik mye mykje mange
    """.split()
)

# Nynorsk -> Bokmål word forms the brochure uses (applied to whole words before stemming).
NN_TO_NB = {
    "ulukke": "ulykke", "ulukka": "ulykken", "ulukker": "ulykker", "ulukkesforsikring": "ulykkesforsikring",
    "fritidsulukke": "fritidsulykke", "sjuk": "syk", "sjukdom": "sykdom", "sjukehus": "sykehus",
    "yrkessjukdom": "yrkessykdom", "tilsett": "ansatt", "tilsette": "ansatte", "løn": "lønn", "løna": "lønnen",
    "born": "barn", "borna": "barna", "etterlatne": "etterlatte", "døyr": "dør", "døydde": "døde",
    "sambuar": "samboer", "sambuaren": "samboeren", "arbeidsgjevar": "arbeidsgiver",
    "tenestereise": "tjenestereise", "tenestereiser": "tjenestereiser", "tenestereiseforsikring": "tjenestereiseforsikring",
    "forsikringa": "forsikringen", "forsikringane": "forsikringene", "skatta": "skatten", "uførleik": "uførhet",
    "ervervsuførleik": "ervervsuførhet", "sluttar": "slutter", "personalavdelinga": "personalavdelingen",
    "helseføretak": "helseforetak", "helseføretaket": "helseforetaket", "utbetalt": "utbetalt", "pengar": "penger",
    "heile": "hele", "verda": "verden", "skadd": "skadet", "eigenandel": "egenandel", "heim": "hjem",
    "heimtransport": "hjemtransport", "pensjonskassa": "pensjonskassen", "folketrygda": "folketrygden",
}


@dataclass(frozen=True)
class Passage:
    section_id: str
    path: tuple[str, ...]  # display headings, outermost first
    text: str

    @property
    def section(self) -> str:
        """The section as shown in the source line: the innermost heading."""
        return self.path[-1]


@dataclass(frozen=True)
class Hit:
    passage: Passage
    score: float  # 0..1, see module docstring
    margin: float  # (best - second) / best, 0..1
    raw: float  # plain BM25

    @property
    def section(self) -> str:
        return self.passage.section

    @property
    def text(self) -> str:
        return self.passage.text


def tokens(text: str) -> list[str]:
    """Stems of the content words, Nynorsk folded to Bokmål."""
    out = []
    for word in words(text):
        word = NN_TO_NB.get(word, word)
        if word in STOPWORDS or len(word) < 2:
            continue
        out.append(_STEMMER.stemWord(word))
    return out


class PassageIndex:
    def __init__(self, passages: list[Passage]) -> None:
        self.passages = passages
        self.docs: list[Counter[str]] = []
        for p in passages:
            terms = Counter(tokens(p.text))
            for heading in p.path[1:]:  # skip the cover title, it is on every path
                for t in tokens(heading):
                    terms[t] += HEADING_WEIGHT
            self.docs.append(terms)
        self.avg_len = sum(sum(d.values()) for d in self.docs) / max(len(self.docs), 1)
        df: Counter[str] = Counter()
        for d in self.docs:
            df.update(d.keys())
        n = len(self.docs)
        self.idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}
        self.max_idf = math.log(1 + (n - 0.5) / 1.5) if n else 0.0
        self.vocabulary = list(self.idf)

    def _query_terms(self, question: str) -> list[str]:
        terms = []
        for t in tokens(question):
            if t not in self.idf and len(t) >= 4:
                # Compounds: "gruppeliv" is written "gruppelivsforsikring"; take the shortest such stem.
                longer = sorted((v for v in self.vocabulary if v.startswith(t)), key=len)
                # Else a typo or a word form the brochure does not use: the closest brochure stem.
                best = process.extractOne(t, self.vocabulary, scorer=fuzz.ratio, score_cutoff=80)
                if longer:
                    t = longer[0]
                elif best:
                    t = best[0]
            terms.append(t)
        return list(dict.fromkeys(terms))

    def _bm25(self, doc: Counter[str], terms: list[str]) -> float:
        length = sum(doc.values())
        score = 0.0
        for t in terms:
            tf = doc.get(t, 0)
            if tf:
                norm = tf + BM25_K1 * (1 - BM25_B + BM25_B * length / self.avg_len)
                score += self.idf[t] * tf * (BM25_K1 + 1) / norm
        return score

    def search(self, question: str, limit: int = 3) -> list[Hit]:
        terms = self._query_terms(question)
        if not terms:
            return []
        ceiling = sum(self.idf.get(t, self.max_idf) for t in terms) * (BM25_K1 + 1)
        scored = sorted(((self._bm25(d, terms), i) for i, d in enumerate(self.docs)), reverse=True)
        hits = []
        for rank, (raw, i) in enumerate(scored[:limit]):
            if raw <= 0:
                break
            runner_up = scored[rank + 1][0] if rank + 1 < len(scored) else 0.0
            hits.append(Hit(self.passages[i], min(raw / ceiling, 1.0), (raw - runner_up) / raw, raw))
        return hits


def passages_from_build(data: dict) -> list[Passage]:
    return [
        Passage(s["id"], tuple(s["display_path"]), s["body"])
        for s in data["sections"]["brochure"]
        if s["body"].strip()
    ]


@lru_cache(maxsize=1)
def default_index() -> PassageIndex:
    """From kb/build/knowledge.json when built; otherwise parse the brochure now (same result)."""
    from actions import kb_build  # local import: kb_build imports knowledge, keep this module light

    if kb_build.BUILD_FILE.exists():
        data = json.loads(kb_build.BUILD_FILE.read_text(encoding="utf-8"))
    else:
        from dataclasses import asdict

        from actions.knowledge import get_kb

        kb = get_kb()
        sections = kb_build.parse_sections((kb_build.SOURCE_DIR / kb.sources["brochure"].file).read_text(encoding="utf-8"))
        for s in sections:
            s.display_path = tuple(kb.display_heading(t) for t in s.path)
        data = {"sections": {"brochure": [asdict(s) for s in sections]}}
    return PassageIndex(passages_from_build(data))


def best_passage(question: str, index: Optional[PassageIndex] = None) -> Optional[Hit]:
    """The best brochure passage for a question, or None when no content word matches at all."""
    hits = (index or default_index()).search(question, limit=2)
    return hits[0] if hits else None


def is_strong(hit: Optional[Hit]) -> bool:
    """Strong enough to answer with the passage when the intent model is unsure."""
    return hit is not None and hit.score >= STRONG_SCORE and hit.margin >= STRONG_MARGIN


def cite(hit: Hit, language: str = "nb") -> str:
    """The passage as a reply: intro, quoted text, source line (the fallback action sends this)."""
    from actions.knowledge import get_kb, source_lines

    intro = "Dette står i brosjyren:"  # same in both written standards
    body = re.sub(r"\n+", "\n", hit.text).strip()
    return "\n".join([intro, body] + source_lines(get_kb(), [("brochure", hit.section)], "nn" if language == "nn" else "nb"))


def matches_section(hit: Hit, expected: "str | list[str]") -> bool:
    """`expected` ("Gruppelivsforsikring > Etterlatte", or a list of such) is a suffix of the hit's display path."""
    have = [normalise(p).rstrip(" :") for p in hit.passage.path]
    for option in [expected] if isinstance(expected, str) else expected:
        want = [normalise(p).rstrip(" :") for p in option.split(">")]
        if have[-len(want):] == want:
            return True
    return False


def _measure(path: Path) -> None:
    """Print score/margin for every labelled question (used to choose the thresholds)."""
    cases = json.loads(path.read_text(encoding="utf-8"))
    for case in cases:
        hit = best_passage(case["question"])
        expected = case.get("section")
        right = hit is not None and expected is not None and matches_section(hit, expected)
        label = "IN " if expected else "OUT"
        print(f"{label} {'ok ' if right else '-- '} {hit.score if hit else 0:.2f} {hit.margin if hit else 0:.2f} "
              f"{'STRONG' if is_strong(hit) else '      '} {case['question']!r} -> {hit.section if hit else None}")


def main(argv: list[str]) -> int:
    if argv[:1] == ["--measure"]:
        _measure(Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent.parent / "tests/data/kb_passage_questions.json")
        return 0
    hit = best_passage(" ".join(argv))
    if hit is None:
        print("No passage matches.")
        return 1
    print(f"score={hit.score:.2f} margin={hit.margin:.2f} strong={is_strong(hit)}")
    print(cite(hit))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
