"""Pure helpers that turn a Norwegian word into the form the NLU featurizers count.

Steps (each can be switched off, see `components/norwegian_normaliser.py`):
1. lower-case and NFC (via `nortext.normalise`),
2. Nynorsk -> Bokmål mapping of whole words and of a few compound parts,
3. æ/ø/å restored in a word typed without them ("paa", "doedsfall", "gjor"), when the
   training vocabulary knows the result,
4. light typo repair against the training vocabulary (rapidfuzz),
5. Snowball Norwegian stem.

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

# West Norwegian spoken forms that employees type in chat ("ka e G", "æ vil snakke med nån", "kem får
# pengane"). Only forms that are no other Norwegian word; "e" is "er" in these dialects.
DIALECT_TO_NB: dict[str, str] = {
    "æ": "jeg", "ka": "hva", "kem": "hvem", "kæm": "hvem", "kordan": "hvordan", "koss": "hvordan",
    "kossen": "hvordan", "e": "er", "nokka": "noe", "nåkka": "noe", "nåkke": "noe", "noke": "noe",
    "nån": "noen", "nåken": "noen", "nåkon": "noen", "ska": "skal", "sku": "skulle", "ittje": "ikke",
    "itj": "ikke", "mæ": "meg", "dæ": "deg", "sæ": "seg", "te": "til", "blei": "ble", "dætt": "datt",
    "ungane": "barna", "ungene": "barna", "unga": "barna", "ungar": "barn", "unger": "barn",
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
    """Maps a lower-cased Nynorsk or dialect word (or compound) to its Bokmål spelling; other words unchanged."""
    if word in NN_TO_NB:
        return NN_TO_NB[word]
    if word in DIALECT_TO_NB:
        return DIALECT_TO_NB[word]
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


# Greetings that open a question ("hei, hvem er dekket …", "god morgen! kva dekkjer …"). Without them the
# classifier weighs "hei" above the question and answers a greeting (2026-12-01: "hei, hvem er dekket av
# yrkesskadeforsikringen" was `greet` at 0.64).
_GREETING_WORDS = {"hei", "heia", "heisann", "hallo", "halla", "hallais", "hey", "hi", "morn", "goddag", "heihei"}
_GREETING_PAIRS = {("god", "morgen"), ("god", "morgon"), ("god", "dag"), ("god", "kveld"), ("god", "ettermiddag"),
                   ("god", "natt"), ("hei", "hei")}


def leading_greeting_length(words: list[str]) -> int:
    """How many of the first words are a greeting that opens a longer message (0 if none, or if a greeting and at
    most two more words are all there is: "hei", "hei der", "god morgen alle sammen" stay greetings)."""
    bare = [normalise(w).strip(",.!?:;-") for w in words]
    n = 0
    while n < len(bare):
        if n + 1 < len(bare) and (bare[n], bare[n + 1]) in _GREETING_PAIRS:
            n += 2
        elif bare[n] in _GREETING_WORDS:
            n += 1
        else:
            break
    return n if len(words) - n >= 3 else 0


# "(jeg) lurer på" before a question ("hei jeg er 62 og lurer på hvor mye familien min får …") says only that a
# question follows. The greetings "hei! lurer på noe" teach DIET that it is a greeting, so a question holding it
# was answered with one (2026-12-01: `greet` 0.44 against the calculator's 0.43). "lurer på noe" stays.
_FILLER_SUBJECTS = frozenset({"jeg", "eg", "e", "æ", "i"})
_FILLER_VERBS = frozenset({"lurer", "lurar", "lura", "lure", "lurte", "lurt"})
_FILLER_ADVERBS = frozenset({"bare", "berre", "litt", "egentlig", "eigentleg", "også", "òg", "og"})
_QUESTION_WORDS = frozenset({"om", "hva", "kva", "ka", "hvor", "kor", "ko", "hvordan", "korleis", "koss", "kossen",
                             "åssen", "hvem", "kven", "kem", "når", "hvilke", "hvilken", "hvilket",
                             "hvorfor", "kvifor", "korfor", "at"})


def filler_positions(words: list[str]) -> set[int]:
    """Positions of "(jeg) lurer (litt) på" right before a question word, with at least two words after it."""
    bare = [normalise(w).strip(",.!?:;-") for w in words]
    drop: set[int] = set()
    for i, word in enumerate(bare):
        if word not in _FILLER_VERBS:
            continue
        j = i + 1
        if j < len(bare) and bare[j] in _FILLER_ADVERBS:
            j += 1
        if j + 3 <= len(bare) and bare[j] == "på" and bare[j + 1] in _QUESTION_WORDS:
            start = i - 1 if i > 0 and bare[i - 1] in _FILLER_SUBJECTS else i
            drop.update(range(start, j + 1))
    return drop


# Keyboards without æ/ø/å: the digraphs first ("paa", "doedsfall", "faer"), then a single plain letter
# ("gjor" -> "gjør", "bade" -> "både").
_DIGRAPHS = (("aa", "å"), ("oe", "ø"), ("ae", "æ"))
_PLAIN_TO_NORWEGIAN = (("a", "å"), ("o", "ø"), ("a", "æ"))


def restore_norwegian_letters(word: str, known: set[str]) -> str:
    """The word with æ/ø/å put back where the result is a known word; else the word unchanged.

    Only unknown words of 3+ letters are touched, and only a result the vocabulary holds is taken, so
    a real word ("far", "bade" if it was trained) is never changed.
    """
    if word in known or len(word) < 3 or not word.isalpha() or nn_to_nb(word) in known:
        return word
    candidate = word
    for plain, letter in _DIGRAPHS:
        candidate = candidate.replace(plain, letter)
    if candidate != word and nn_to_nb(candidate) in known:
        return candidate
    for plain, letter in _PLAIN_TO_NORWEGIAN:
        for i, ch in enumerate(word):
            if ch == plain:
                candidate = word[:i] + letter + word[i + 1:]
                if nn_to_nb(candidate) in known:
                    return candidate
    return word


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
    known: Optional[set[str]] = None,
) -> str:
    """The full chain for one token: lower-case, æ/ø/å restored (when `known` is given), Nynorsk->Bokmål,
    typo repair, stem."""
    form = normalise(word)
    if known:
        form = restore_norwegian_letters(form, known)
    if map_nynorsk:
        form = nn_to_nb(form)
    if repairer is not None:
        form = repairer.repair(form)
    if use_stem:
        form = stem(form)
    return form
