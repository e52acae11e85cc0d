"""Pure helpers that turn a Norwegian word into the form the NLU featurizers count.

Steps (each can be switched off, see `components/norwegian_normaliser.py`):
1. lower-case and NFC (via `nortext.normalise`),
2. Nynorsk -> Bokmål mapping of whole words and of a few compound parts,
3. light typo repair against the training vocabulary (rapidfuzz),
4. Snowball Norwegian stem.

No Rasa imports, so the steps are unit-tested in milliseconds.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Iterable, Optional

import snowballstemmer
from rapidfuzz import fuzz, process

from actions.nortext import normalise

# Whole Nynorsk words -> Bokmål. Function words matter most: they carry the question type
# ("kva" = what, "kven" = who, "korleis" = how) that separates many intents.
NN_TO_NB: dict[str, str] = {
    # question and function words
    "kva": "hva", "kven": "hvem", "korleis": "hvordan", "kvifor": "hvorfor", "kvar": "hvor",
    "kor": "hvor", "kvart": "hvert", "kvarandre": "hverandre", "ikkje": "ikke", "eg": "jeg",
    "noko": "noe", "nokon": "noen", "nokre": "noen", "noka": "noen", "berre": "bare", "frå": "fra",
    "mykje": "mye", "heile": "hele", "heilt": "helt", "medan": "mens", "ho": "hun", "dykk": "dere",
    "dykkar": "deres", "dei": "de", "deira": "deres", "desse": "disse", "sjølv": "selv",
    "ein": "en", "eit": "et", "ei": "en", "difor": "derfor", "då": "da", "no": "nå", "òg": "også",
    "viss": "hvis", "saman": "sammen", "fleire": "flere", "gong": "gang", "gongen": "gangen",
    "fyrst": "først", "einaste": "eneste", "inga": "ingen", "mogleg": "mulig", "sjå": "se",
    "veit": "vet", "vere": "være", "vore": "vært", "vert": "blir", "vart": "ble", "kjem": "kommer",
    "kome": "komme", "fekk": "fikk", "gjer": "gjør", "gjere": "gjøre", "gjekk": "gikk",
    "treng": "trenger", "seie": "si", "seia": "si", "spørje": "spørre", "rekne": "regne",
    "rekn": "regn", "reknar": "regner", "utrekning": "utregning", "søkje": "søke", "høyrer": "hører",
    "heim": "hjem", "heimen": "hjemmet", "heimanfrå": "hjemmefra", "stad": "sted", "staden": "stedet",
    "eigen": "egen", "eige": "egen", "eigne": "egne", "høgare": "høyere", "lågare": "lavere",
    "tener": "tjener", "hugs": "husk", "fortel": "forteller", "meiner": "mener", "tyder": "betyr",
    "tyde": "bety", "byrja": "begynte", "byrjar": "begynner", "halde": "holde", "sluttar": "slutter",
    # domain words
    "tilsett": "ansatt", "tilsette": "ansatte", "tilsetjing": "ansettelse", "tilsetjinga": "ansettelsen",
    "arbeidstakar": "arbeidstaker", "arbeidsgjevar": "arbeidsgiver", "gjeld": "gjelder",
    "dekkjer": "dekker", "dekkje": "dekke", "dekt": "dekket", "dekka": "dekket",
    "døyr": "dør", "døy": "dø", "døydde": "døde", "sambuar": "samboer", "sambuarar": "samboere",
    "ektemake": "ektefelle", "ektemaken": "ektefellen", "etterlatne": "etterlatte", "pengar": "penger",
    "eigenandel": "egenandel", "eigenandelen": "egenandelen", "løn": "lønn", "løna": "lønnen",
    "born": "barn", "borna": "barna", "bornet": "barnet", "dotter": "datter", "lækjar": "lege",
    "lækjaren": "legen", "tannlækjar": "tannlege", "skadd": "skadet", "forsikra": "forsikret",
    "utbetalast": "utbetales", "betalast": "betales", "dekkast": "dekkes", "gravferd": "begravelse",
    "personalavdelinga": "personalavdelingen", "skademelding": "skademelding",
}

# Compound parts: Nynorsk spelling inside longer words (sjukehuset, fritidsulukka, tenestereisa).
NN_PARTS: tuple[tuple[str, str], ...] = (
    ("sjuk", "syk"),
    ("ulukk", "ulykk"),
    ("teneste", "tjeneste"),
    ("gjevar", "giver"),
    ("leiar", "leier"),
    ("eigenandel", "egenandel"),
    ("etterlatn", "etterlatt"),
    ("sambuar", "samboer"),
    ("ektemak", "ektefell"),
)

_STEMMER = snowballstemmer.stemmer("norwegian")


def nn_to_nb(word: str) -> str:
    """Maps a lower-cased Nynorsk word (or compound) to its Bokmål spelling; other words unchanged."""
    if word in NN_TO_NB:
        return NN_TO_NB[word]
    for nynorsk, bokmal in NN_PARTS:
        if nynorsk in word:
            word = word.replace(nynorsk, bokmal)
    return word


@lru_cache(maxsize=20000)
def stem(word: str) -> str:
    """Snowball Norwegian stem ('forsikringa' -> 'forsikring'); digits and short words kept."""
    if len(word) < 3 or any(ch.isdigit() for ch in word):
        return word
    return _STEMMER.stemWord(word)


class TypoRepairer:
    """Replaces an unknown word by the closest training-vocabulary word when they are nearly equal.

    Only words of `min_length`+ letters are touched: short words are too easily "repaired" into
    other real words ("kan" -> "man").
    """

    def __init__(self, vocabulary: Iterable[str], cutoff: float = 88.0, min_length: int = 6) -> None:
        self.vocabulary = sorted({w for w in vocabulary if w.isalpha()})
        self._known = set(self.vocabulary)
        self.cutoff = cutoff
        self.min_length = min_length
        self._cache: dict[str, str] = {}

    def repair(self, word: str) -> str:
        if word in self._known or len(word) < self.min_length or not word.isalpha():
            return word
        if word not in self._cache:
            best = process.extractOne(
                word, self.vocabulary, scorer=fuzz.ratio, score_cutoff=self.cutoff
            )
            self._cache[word] = best[0] if best else word
        return self._cache[word]


def normalise_word(
    word: str,
    map_nynorsk: bool = True,
    use_stem: bool = True,
    repairer: Optional[TypoRepairer] = None,
) -> str:
    """The full chain for one token: lower-case, Nynorsk->Bokmål, typo repair, stem."""
    form = normalise(word)
    if map_nynorsk:
        form = nn_to_nb(form)
    if repairer is not None:
        form = repairer.repair(form)
    if use_stem:
        form = stem(form)
    return form
