"""Re-finding a cited quote in an original that may have changed since we took its text.

Hypothesis's way with a W3C TextQuote selector (exact words, 32 characters of context each
side): the exact words first, their context telling "in place" from "moved"; then an
approximate match (rapidfuzz), candidates ranked on the quote (weight 50), prefix (20) and
suffix (20). Texts are compared as the build compares quotes: whitespace, quote marks and
dashes folded (`citations.quotes.normalize`), case kept.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from citations.quotes import NormalizedText, normalize
from sitemodel.evidence import SELECTOR_CONTEXT

EXACT, MOVED, DRIFTED, REMOVED = "exact", "moved", "drifted", "removed"
FOUND = (EXACT, MOVED, DRIFTED)
QUOTE_WEIGHT, PREFIX_WEIGHT, SUFFIX_WEIGHT = 50, 20, 20


@dataclass
class Anchor:
    """Where a quote stands in the live text now."""

    status: str  # exact, moved, drifted or removed
    score: float = 100.0  # similarity of the words found to the quote, 0 to 100
    found: str = ""  # the live words, when they differ from the quote
    # the word diff from the quote to `found`: ("=", words), ("-", words) or ("+", words)
    diff: list[tuple[str, str]] = field(default_factory=list)


def anchor(
    exact: str,
    prefix: str,
    suffix: str,
    live: list[str],
    ours: list[str] | None = None,
    paragraph: int = 0,
    threshold: float = 80.0,
) -> Anchor:
    """Find `exact` (with its stored context) in the live paragraphs.

    `ours` and `paragraph` (1-based) are our copy's paragraphs and the one quoted: an exact
    quote whose paragraph now has other neighbours has moved too."""
    quote, before, after = normalize(exact), _fold(prefix), _fold(suffix)
    texts = [normalize(text) for text in live]
    if not quote:
        return Anchor(REMOVED, 0.0)
    context_changed = False
    for index, text in enumerate(texts):
        start = text.find(quote)
        while start >= 0:
            end = start + len(quote)
            if _context_holds(text[:start], before, len(prefix)) and _context_holds(
                text[end:][::-1], after[::-1], len(suffix)
            ):
                ours_normal = [normalize(text) for text in ours or []]
                moved = _neighbours_moved(ours_normal, paragraph, texts, index)
                return Anchor(MOVED if moved else EXACT)
            context_changed = True
            start = text.find(quote, start + 1)
    if context_changed:
        return Anchor(MOVED)
    return _approximate(quote, before, after, texts, threshold)


def _fold(text: str) -> str:
    """Folded as quotes are, keeping the space at either end (it is part of the context)."""
    return NormalizedText(text).text


def _context_holds(live_before: str, stored: str, raw_length: int) -> bool:
    """The stored context still stands next to the quote. Context shorter than the selector
    keeps was cut by the paragraph's edge, so the live paragraph must end there too."""
    if not live_before.endswith(stored):
        return False
    return raw_length >= SELECTOR_CONTEXT or len(live_before) == len(stored)


def _neighbours_moved(ours: list[str], paragraph: int, live: list[str], index: int) -> bool:
    """A paragraph next to ours in our copy that is still in the live text, but no longer
    next to it on the same side."""
    if not 0 < paragraph <= len(ours):
        return False
    present = set(live)
    for step in (-1, 1):
        mine = paragraph - 1 + step
        theirs = index + step
        still_there = 0 <= mine < len(ours) and ours[mine] in present
        if still_there and not (0 <= theirs < len(live) and live[theirs] == ours[mine]):
            return True
    return False


def _approximate(quote: str, before: str, after: str, texts: list[str], threshold: float) -> Anchor:
    """The best approximate match over all paragraphs, or `removed` below the threshold."""
    best: tuple[float, float, str] = (-1.0, 0.0, "")
    for text in texts:
        if not text:
            continue
        aligned = fuzz.partial_ratio_alignment(quote, text)
        if aligned is None:
            continue
        start, end = _whole_words(text, aligned.dest_start, aligned.dest_end)
        found = text[start:end].strip()
        score = fuzz.ratio(quote, found)  # not partial: a short paragraph inside the quote
        weights, total = QUOTE_WEIGHT, QUOTE_WEIGHT * score
        if before:
            weights += PREFIX_WEIGHT
            total += PREFIX_WEIGHT * fuzz.ratio(before, text[max(0, start - len(before)) : start])
        if after:
            weights += SUFFIX_WEIGHT
            total += SUFFIX_WEIGHT * fuzz.ratio(after, text[end : end + len(after)])
        ranked = (total / weights, score, found)
        if ranked[0] > best[0]:
            best = ranked
    _, score, found = best
    score = round(score, 1)
    if score >= threshold:
        return Anchor(DRIFTED, score, found, word_diff(quote, found))
    return Anchor(REMOVED, max(score, 0.0), found if score > 0 else "")


def _whole_words(text: str, start: int, end: int) -> tuple[int, int]:
    """The aligned span without spaces at its ends, widened to whole words."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    while 0 < start < len(text) and not text[start - 1].isspace():
        start -= 1
    while 0 < end < len(text) and not text[end].isspace():
        end += 1
    return start, end


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """The words kept, removed and added from `old` to `new`."""
    a, b = old.split(), new.split()
    diff: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            diff.append(("=", " ".join(a[i1:i2])))
            continue
        if i2 > i1:
            diff.append(("-", " ".join(a[i1:i2])))
        if j2 > j1:
            diff.append(("+", " ".join(b[j1:j2])))
    return diff
