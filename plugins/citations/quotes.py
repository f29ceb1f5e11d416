"""Finding quoted words in a source, forgiving only whitespace, quote-mark and dash variants."""

from __future__ import annotations

import bisect
import difflib
import heapq
import re
from dataclasses import dataclass
from operator import itemgetter
from urllib.parse import quote as percent_encode

from sitemodel import Source

_EQUIVALENTS = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2033": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
    }
)
_SPACE = re.compile(r"\s+")
_LONG_SPACE = re.compile(r"\s{2,}")


def normalize(text: str) -> str:
    """The form quotes are compared in: one space for any whitespace, plain quotes and hyphens."""
    return _SPACE.sub(" ", text.translate(_EQUIVALENTS)).strip()


class NormalizedText:
    """A text in normalised form that can map positions back to the original."""

    def __init__(self, original: str) -> None:
        translated = original.translate(_EQUIVALENTS)
        self.text = _SPACE.sub(" ", translated)
        # only runs of two or more whitespace characters shift positions; record where they end
        self._norm_starts: list[int] = [0]  # where each stretch starts in the normalised text
        self._orig_starts: list[int] = [0]  # ... and in the original
        removed = 0
        for match in _LONG_SPACE.finditer(translated):
            removed += len(match.group(0)) - 1
            self._norm_starts.append(match.end() - removed)
            self._orig_starts.append(match.end())

    def to_original(self, index: int) -> int:
        run = bisect.bisect_right(self._norm_starts, index) - 1
        if run < 0:
            return 0
        return self._orig_starts[run] + (index - self._norm_starts[run])


@dataclass(frozen=True)
class Match:
    paragraph: int  # 1-based
    start: int  # offsets in the original paragraph
    end: int


class SourceText:
    """All paragraphs of one source, searchable in one pass per quote."""

    def __init__(self, source: Source) -> None:
        self.source = source
        # normalised in one pass, with a separator that whitespace rules leave alone
        joined = "\x00".join(source.paragraphs)
        texts = _SPACE.sub(" ", joined.translate(_EQUIVALENTS)).split("\x00")
        if len(texts) != len(source.paragraphs):  # a paragraph had a NUL of its own
            texts = [NormalizedText(p).text for p in source.paragraphs]
        self.texts = texts
        self._starts: list[int] = []
        offset = 0
        for text in texts:
            self._starts.append(offset)
            offset += len(text) + 1
        # "\n" never occurs in normalised text, so no match can span two paragraphs
        self._joined = "\n".join(texts)
        self._mapped: dict[int, NormalizedText] = {}  # only paragraphs where a quote is

    def find(self, words: str) -> Match | None:
        needle = normalize(words)
        if not needle:
            return None
        at = self._joined.find(needle)
        if at < 0:
            return None
        index = bisect.bisect_right(self._starts, at) - 1
        paragraph = self._mapped.get(index)
        if paragraph is None:  # once per paragraph, however many quotes it holds
            paragraph = self._mapped[index] = NormalizedText(self.source.paragraphs[index])
        local = at - self._starts[index]
        start = paragraph.to_original(local)
        end = paragraph.to_original(local + len(needle) - 1) + 1
        return Match(index + 1, start, end)

    def closest(self, words: str) -> tuple[int, str]:
        """(paragraph number, passage) most like `words`, for a 'did you mean' hint.

        Bounded whatever the sizes: the quote's start against a few windows of the source,
        those sharing the most words with it.
        """
        needle = normalize(words)[:_HINT_NEEDLE]
        wanted = set(needle.split())
        windows: list[tuple[int, int, int]] = []  # (-shared words, paragraph index, start)
        for index, text in enumerate(self.texts):
            for start in range(0, max(len(text) - len(needle), 0) + 1, _HINT_WINDOW):
                window = text[start : start + _HINT_WINDOW + len(needle)]
                windows.append((-len(wanted & set(window.split())), index, start))
        best = (0, 0, 0, 0)  # size, paragraph index, position in paragraph, position in needle
        for _, index, start in sorted(
            heapq.nsmallest(_HINT_CANDIDATES, windows), key=itemgetter(1, 2)
        ):
            window = self.texts[index][start : start + _HINT_WINDOW + len(needle)]
            matcher = difflib.SequenceMatcher(None, needle, window, autojunk=False)
            found = matcher.find_longest_match(0, len(needle), 0, len(window))
            if found.size > best[0]:
                best = (found.size, index, start + found.b, found.a)
        size, index, at, offset = best
        if not size:
            return 0, ""
        text = self.texts[index]
        start = max(0, at - offset)
        end = start + len(needle) + 10
        return index + 1, text[_word_start(text, start) : _word_end(text, end)].strip()


_HINT_NEEDLE = 200  # characters of a misquote compared for the hint
_HINT_WINDOW = 2000  # characters of source text compared with them at once
_HINT_CANDIDATES = 5  # windows compared
_LONGEST_WORD = 100  # characters a passage is widened by to reach a whole word


def _word_start(text: str, start: int) -> int:
    """`start`, moved back to where its word starts (within reason)."""
    stop = max(0, start - _LONGEST_WORD)
    while start > stop and text[start - 1].isalnum():
        start -= 1
    return start


def _word_end(text: str, end: int) -> int:
    stop = min(len(text), end + _LONGEST_WORD)
    while end < stop and text[end].isalnum():
        end += 1
    return end


def text_fragment(paragraph: str, start: int, end: int, max_words: int = 8) -> str:
    """`#:~:text=` for the passage, widened to whole words; long ones as `start,end`."""
    start, end = _word_start(paragraph, start), _word_end(paragraph, end)
    words = _SPACE.sub(" ", paragraph[start:end]).strip().split(" ")
    if len(words) <= max_words:
        return "#:~:text=" + encode_fragment_term(" ".join(words))
    head = " ".join(words[:4])
    tail = " ".join(words[-4:])
    return "#:~:text=" + encode_fragment_term(head) + "," + encode_fragment_term(tail)


def encode_fragment_term(term: str) -> str:
    """Percent-encode a text-directive term; the spec also reserves '-', '&' and ','."""
    return percent_encode(term, safe="").replace("-", "%2D")
