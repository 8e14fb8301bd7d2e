"""Finding listed phrases in what people write, the way moderators mean them.

Matching ignores case, accents, spacing and common letter substitutions: "K1LL  mysélf", "k i l l myself" and
"killmyself" all match the phrase "kill myself", but "skills" does not match "kill" (whole words only). A phrase
ending in * matches any ending of its last word ("cut*" matches "cutting"). Repeated letters are squeezed
("sooo" is "so"), in the text and the phrase alike.

With `correct_spelling=True` a text word of five or more letters that is one slip (a letter missing, added or
changed, or two letters swapped) away from a listed word of five or more letters, with the same first letter, is read
as that word ("myslef" is "myself", "sucide" is "suicide"); a four-letter word with two inner letters swapped is read
as the listed word ("wnat" is "want"). Shorter words and words that are themselves on the list are never corrected,
and the whole phrase must still match, so "dine" never becomes "die".

Used by the word lists (messaging) and the crisis-language detector (community.services.safeguarding).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

# Characters people use in place of letters, applied inside words that also have letters ("k1ll", "h8", "$hit").
_SUBSTITUTIONS = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "9": "g",
                                "@": "a", "$": "s", "!": "i", "|": "i", "+": "t", "€": "e", "£": "l"})  # fmt: skip
# Whole words that text speak uses for another word ("want 2 die").
_TEXT_SPEAK = {"2": "to"}
_WORD_CHARS = re.compile(r"[\w@$!|+€£]+")
_REPEATS = re.compile(r"(.)\1+")
# A window may join this many more text words than the phrase has ("k i l l my self").
_EXTRA_WORDS = 6
# Listed words this long or longer are recognised with one slip when correct_spelling is on.
_CORRECTABLE = 5


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def _word(raw: str) -> str:
    if any(ch.isalpha() for ch in raw):
        raw = raw.translate(_SUBSTITUTIONS)
    raw = "".join(ch for ch in raw if ch.isalnum())
    return _REPEATS.sub(r"\1", raw)


def words(text: str) -> list[str]:
    """The text as normalised words. Runs of single letters are joined ("k i l l" is one word, "kill"); a lone "2"
    is read as "to"."""
    out: list[str] = []
    letters: list[str] = []
    for raw in _WORD_CHARS.findall(_plain(text)):
        word = _TEXT_SPEAK.get(raw) or _word(raw)
        if not word:
            continue
        if len(word) == 1 and word.isalpha():
            letters.append(word)
            continue
        if letters:
            out.append(_REPEATS.sub(r"\1", "".join(letters)) if len(letters) > 1 else letters[0])
            letters = []
        out.append(word)
    if letters:
        out.append(_REPEATS.sub(r"\1", "".join(letters)) if len(letters) > 1 else letters[0])
    return out


def normalise(text: str) -> str:
    """The text as the matcher sees it, for the "test this text" box."""
    return " ".join(words(text))


@dataclass(frozen=True)
class Match:
    phrase: str  # as listed
    start: int  # word positions in words(text)
    end: int


class PhraseMatcher:
    """Compiled phrases: `find(text)` gives every listed phrase found. Build once per list change, reuse per text."""

    def __init__(self, phrases: Iterable[str], *, correct_spelling: bool = False):
        self.exact: dict[str, str] = {}
        self.prefixes: dict[int, dict[str, str]] = {}
        self.longest = 0
        self.most_words = 1
        self.correct_spelling = correct_spelling
        self.vocabulary: set[str] = set()  # listed words long enough to be corrected to
        self._known: set[str] = set()  # every listed word: never corrected away from
        self._slips: dict[str, set[str]] = {}
        self._swaps: dict[str, set[str]] = {}  # four-letter listed words with two inner letters swapped
        for phrase in phrases:
            key, wildcard, count = _compile(phrase)
            if not key:
                continue
            if correct_spelling:
                self._learn(words(phrase.strip().rstrip("*")))
            if wildcard:
                self.prefixes.setdefault(len(key), {}).setdefault(key, phrase)
            else:
                self.exact.setdefault(key, phrase)
            self.longest = max(self.longest, len(key))
            self.most_words = max(self.most_words, count)

    def __bool__(self) -> bool:
        return bool(self.exact or self.prefixes)

    def _learn(self, phrase_words: list[str]) -> None:
        self._known.update(phrase_words)
        for word in phrase_words:
            if len(word) == _CORRECTABLE - 1 and word.isalpha():
                for i in range(1, len(word) - 1):
                    self._swaps.setdefault(word[:i] + word[i + 1] + word[i] + word[i + 2 :], set()).add(word)
            if len(word) < _CORRECTABLE or word in self.vocabulary:
                continue
            self.vocabulary.add(word)
            for variant in _one_letter_less(word):
                self._slips.setdefault(variant, set()).add(word)

    def corrected(self, text_words: list[str]) -> list[str]:
        """`text_words` with each slip of a listed word read as that word (only with correct_spelling)."""
        if not self.vocabulary and not self._swaps:
            return text_words
        return [self._correct(word) for word in text_words]

    def _correct(self, word: str) -> str:
        if word in self._known or not word.isalpha():
            return word
        if len(word) == _CORRECTABLE - 1:
            swapped = self._swaps.get(word, set())
            return next(iter(swapped)) if len(swapped) == 1 else word
        if len(word) < _CORRECTABLE:
            return word
        candidates = set(self._slips.get(word, ()))  # a letter missing from a listed word
        for variant in _one_letter_less(word):
            if variant in self.vocabulary:  # a letter added in the text
                candidates.add(variant)
            candidates.update(self._slips.get(variant, ()))  # changed or swapped
        best = {c for c in candidates if c[0] == word[0] and _one_slip_apart(word, c)}
        return best.pop() if len(best) == 1 else word  # two listed words equally close: leave it alone

    def spans(self, text_words: list[str], *, skip: set[int] | frozenset[int] = frozenset()) -> list[Match]:
        """Matches in already-normalised words. Words at positions in `skip` are never part of a match."""
        found: list[Match] = []
        window = self.most_words + _EXTRA_WORDS
        for start in range(len(text_words)):
            if start in skip:
                continue
            joined = ""
            for end in range(start, min(len(text_words), start + window)):
                if end in skip:
                    break
                joined += text_words[end]
                phrase = self.exact.get(joined)
                if phrase is None:
                    phrase = self._prefix_match(joined)
                if phrase is not None:
                    found.append(Match(phrase, start, end + 1))
                    break
                if len(joined) > self.longest and not self.prefixes:
                    break
        return found

    def _prefix_match(self, joined: str) -> str | None:
        for length, keys in self.prefixes.items():
            if len(joined) >= length and joined[:length] in keys:
                return keys[joined[:length]]
        return None

    def find(self, text: str) -> list[str]:
        """The listed phrases found in `text`, each once, in the order they appear."""
        return _unique(match.phrase for match in self.spans(self.corrected(words(text))))


def _compile(phrase: str) -> tuple[str, bool, int]:
    stripped = phrase.strip()
    wildcard = stripped.endswith("*")
    phrase_words = words(stripped.rstrip("*"))
    return "".join(phrase_words), wildcard, max(1, len(phrase_words))


def _unique(items: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for item in items:
        seen.setdefault(item, None)
    return list(seen)


def _one_letter_less(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def _one_slip_apart(a: str, b: str) -> bool:
    """True if a and b differ by one letter added, removed or changed, or two neighbouring letters swapped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return a == b
    if len(a) == len(b):
        diffs = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diffs) == 1:
            return True
        if len(diffs) != 2 or diffs[1] != diffs[0] + 1:
            return False
        first, second = diffs
        return a[first] == b[second] and a[second] == b[first]
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def covered_positions(matches: Iterable[Match]) -> set[int]:
    return {position for match in matches for position in range(match.start, match.end)}
