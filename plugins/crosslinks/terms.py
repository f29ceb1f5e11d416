"""Glossary terms in running text: every name found in one pass, first mentions linked."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from sitemodel.settings import is_explainer

if TYPE_CHECKING:
    from crosslinks.glossary import Glossaries


@dataclass
class Term:
    id: str
    term: str
    definition: str
    line: int
    abbr: str = ""
    aka: list[str] = field(default_factory=list)
    used_in: list[Any] = field(default_factory=list)  # explainers linking it, found at resolve
    definition_line: int = 0  # file line where the definition's text starts


def _key(words: str) -> str:
    return " ".join(_straight(words).split())


def _straight(text: str) -> str:
    """Curly apostrophes as typed ones (same length): running text is shown with ’, and
    "Women’s Refugee Commission" is still the glossary's "Women's Refugee Commission"."""
    return text.replace("\u2019", "'")


_TOKEN = re.compile(r"(\w+)|(\s+)|[^\w\s]")
_WORD = re.compile(r"\w+")
_END = ""  # the key marking where a name ends in a trie (no token is empty)
Trie = dict[str, "Trie"]


def _tokens(text: str) -> tuple[list[tuple[int, int]], list[str], list[bool]]:
    """Spans, texts and is-a-word of the words, whitespace runs (one space) and other
    characters of `text`: names match whole tokens, so word boundaries come for free."""
    spans, texts, words = [], [], []
    for match in _TOKEN.finditer(text):
        spans.append(match.span())
        texts.append(" " if match.lastindex == 2 else match.group(0))
        words.append(match.lastindex == 1)
    return spans, texts, words


class TermMatcher:
    """Every name of every term, found in one pass over a text: names ignore case,
    abbreviations do not, and where names overlap the longest wins whatever its kind:
    "Customs and Border Patrol" over "Border Patrol", "SAFE-T" over "Safe".

    Each text token is looked up in a trie of name tokens (no regex alternation of every
    name, which tried each name at each position), so the work is the text's length times
    at most the longest name's tokens.
    """

    def __init__(self, terms: list[Term]) -> None:
        # the term of each name (lowercase) and each abbreviation, built once per glossary
        self.by_name: dict[str, Term] = {}
        for term in terms:
            for name in [term.term, *term.aka]:
                self.by_name.setdefault(_key(name).lower(), term)
        self.by_abbr = {_key(t.abbr): t for t in terms if t.abbr}
        self.names: Trie = {}
        self.abbrs: Trie = {}
        for trie, words, fold in (
            (self.names, self.by_name, True),
            (self.abbrs, self.by_abbr, False),
        ):
            for word in words:
                node = trie
                for token in _tokens(word)[1]:
                    node = node.setdefault(token.lower() if fold else token, {})
                node[_END] = {}
        # when every name starts with a word, the regex engine finds the words and only a
        # word that starts some name is followed into the tries
        firsts = {*self.names, *self.abbrs}
        self.prefilter = all(_WORD.fullmatch(first) for first in firsts)
        # a small glossary: one alternation of every name, longest first, run by the regex
        # engine (at most SMALL_GLOSSARY alternatives at a position: linear, and fastest)
        alternatives = len(self.by_name) + len(self.by_abbr)
        self.regex = _alternation(self.by_name, self.by_abbr) if alternatives <= SMALL else None

    def finditer(self, text: str) -> Iterator[tuple[int, int]]:
        """(start, end) of each mention, left to right, never overlapping."""
        text = _straight(text)
        if self.regex is not None:
            yield from (match.span() for match in self.regex.finditer(text))
            return
        if self.prefilter:
            yield from self._from_words(text)
            return
        spans, exact, words = _tokens(text)
        folded = [token.lower() for token in exact]
        i = 0
        while i < len(exact):
            end = i
            # a name may start with a non-word character, but not right after a word
            if not (i and words[i - 1] and not words[i]):
                end = max(
                    _longest(self.names, folded, words, i), _longest(self.abbrs, exact, words, i)
                )
            if end > i:
                yield spans[i][0], spans[end - 1][1]
                i = end
            else:
                i += 1

    def _from_words(self, text: str) -> Iterator[tuple[int, int]]:
        """`finditer` when every name starts with a word: the regex engine finds the words,
        and only a word that starts some name is followed into the tries."""
        lowered = text.lower()
        position = 0
        for match in _WORD.finditer(text):
            start = match.start()
            if start < position:
                continue
            word = match.group()
            if word.lower() not in self.names and word not in self.abbrs:
                continue
            end = max(_walk(self.names, lowered, start), _walk(self.abbrs, text, start))
            if end > start:
                yield start, end
                position = end


SMALL = 200  # names and abbreviations matched with one regex alternation


def _alternation(names: dict[str, Term], abbrs: dict[str, Term]) -> re.Pattern[str]:
    """Names ignore case, abbreviations do not; longest first, so where names overlap the
    longest wins whatever its kind. The first letters as a lookahead let the search skip most
    positions at once."""
    alternatives = [(n, f"(?i:{_pattern_words(n)})") for n in names]
    alternatives += [(a, _pattern_words(a)) for a in abbrs]
    alternatives.sort(key=lambda item: (-len(item[0]), item[1]))
    firsts = {n[0].lower() for n in names} | {n[0].upper() for n in names} | {a[0] for a in abbrs}
    first = "(?=[" + "".join(re.escape(c) for c in sorted(firsts)) + "])"
    alternation = "|".join(regex for _, regex in alternatives)
    return re.compile(first + r"(?<!\w)(?:" + alternation + r")(?!\w)")


def _pattern_words(name: str) -> str:
    """A name as a pattern: its words escaped, any whitespace between them."""
    return r"\s+".join(re.escape(word) for word in name.split())


def _walk(trie: Trie, text: str, start: int) -> int:
    """The end offset of the longest name in `trie` at `start` (`start` if none); the text's
    tokens are read only as far as the trie goes."""
    best, node = start, trie
    token = _TOKEN.match(text, start)
    while token is not None:
        key = " " if token.lastindex == 2 else token.group(0)
        if key not in node:
            break
        node = node[key]
        following = _TOKEN.match(text, token.end())
        # nor may a name end with a non-word character right before a word
        if _END in node and not (
            following is not None and following.lastindex == 1 and token.lastindex != 1
        ):
            best = token.end()
        token = following
    return best


def _longest(trie: Trie, tokens: list[str], words: list[bool], i: int) -> int:
    """The end of the longest name in `trie` starting at token `i` (`i` if none)."""
    best, node, j = i, trie, i
    while j < len(tokens) and tokens[j] in node:
        node = node[tokens[j]]
        j += 1
        # nor may one end with a non-word character right before a word
        if _END in node and not (j < len(tokens) and words[j] and not words[j - 1]):
            best = j
    return best


def term_pattern(terms: list[Term]) -> TermMatcher | None:
    """The matcher for every name, aka and abbreviation of the terms (None for no terms)."""
    return TermMatcher(terms) if terms else None


def glossary_rule(glossaries: Glossaries) -> Any:
    """A core rule marking each term's first mention, with the glossary of the document's
    language; whether it becomes a link waits for the page kind (explainers only), known once
    Pelican has sorted its content."""

    def link_terms(state: StateCore) -> None:
        lang = state.env.setdefault("lang", document_lang(state.tokens))
        glossary = glossaries.for_lang(lang)
        if glossary is not None and glossary.pattern is not None:
            state.env["glossary"] = glossary.relpath
            link_first_mentions(state.tokens, glossary.terms, glossary.pattern)

    return link_terms


_LANG_LINE = re.compile(r"""^lang[ \t]*:[ \t]*(["']?)([A-Za-z0-9-]+)\1[ \t]*(?:#.*)?$""", re.M)


def document_lang(tokens: list[Token]) -> str:
    """The `lang:` of the document's front matter ("" when none): terms are matched as the
    text is parsed, before the reader has the front matter's data. The reader checks the
    value; a form this does not read (a block scalar) leaves the default language."""
    if tokens and tokens[0].type == "front_matter":
        match = _LANG_LINE.search(tokens[0].content)
        if match:
            return match.group(2)
    return ""


def link_first_mentions(tokens: list[Token], terms: list[Term], pattern: TermMatcher) -> set[str]:
    """Link each term's first mention in running text; return the ids linked.

    `pattern` was made from `terms` and knows them: nothing here is per term, as the
    glossary page runs this once per definition.
    """
    linked: set[str] = set()
    in_heading = False
    for token in tokens:
        if token.type == "heading_open":
            in_heading = True
        elif token.type == "heading_close":
            in_heading = False
        if token.type != "inline" or in_heading or not token.children:
            continue
        children: list[Token] = []
        run: list[Token] = []  # text and soft line breaks outside links: where terms are found
        link_depth = 0
        for child in token.children:
            if child.type == "link_open":
                link_depth += 1
            elif child.type == "link_close":
                link_depth -= 1
            if child.type in ("text", "softbreak") and not link_depth:
                run.append(child)
                continue
            children.extend(_split(run, pattern, linked))
            run = []
            children.append(child)
        children.extend(_split(run, pattern, linked))
        token.children = children
    return linked


def _split(
    run: list[Token],
    pattern: TermMatcher,
    linked: set[str],
) -> list[Token]:
    """The run with first mentions made into term tokens; a name may span a line break."""
    text = "".join("\n" if child.type == "softbreak" else child.content for child in run)
    out: list[Token] = []
    position = 0
    for start, end in pattern.finditer(text):
        word = text[start:end]
        term = pattern.by_abbr.get(_key(word)) or pattern.by_name.get(_key(word).lower())
        if term is None or term.id in linked:
            continue
        linked.add(term.id)
        out.extend(_text(text[position:start]))
        token = Token("glossary_term", "", 0)
        token.content = word
        token.meta = {
            "term": term,
            "is_abbr": _key(word) == term.abbr,
        }
        out.append(token)
        position = end
    if position == 0:
        return run
    out.extend(_text(text[position:]))
    return out


def _text(content: str) -> list[Token]:
    """Text tokens, with the soft line breaks the run had."""
    tokens: list[Token] = []
    for index, line in enumerate(content.split("\n")):
        if index:
            tokens.append(Token("softbreak", "br", 0))
        if line:
            token = Token("text", "", 0)
            token.content = line
            tokens.append(token)
    return tokens


def term_renderer(glossary_path: str, settings: dict[str, Any]) -> Any:
    """The render rule of a term's first mention: a link in explainers (whose paths are known
    when the file is read) to the glossary of the page's language, plain text elsewhere; each
    mention recorded for "used in"."""

    def render_term(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
        meta = tokens[idx].meta
        mentions: list[tuple[str, str, bool]] = env.setdefault("terms", [])
        mentions.append((meta["term"].id, tokens[idx].content, meta["is_abbr"]))
        if not is_explainer(str(env.get("path", "")), settings):
            return html.escape(tokens[idx].content)  # only explainers link terms
        path = str(env.get("glossary", glossary_path))
        return mention_html(meta["term"], tokens[idx].content, meta["is_abbr"], path)

    return render_term


def mention_html(term: Term, word: str, is_abbr: bool, glossary_path: str) -> str:
    word = html.escape(word)
    href = html.escape(f"{{filename}}/{glossary_path}#term-{term.id}")
    if is_abbr:
        expansion = html.escape(term.term)
        word = (
            f'<abbr title="{expansion}">{word}</abbr>'
            f'<span class="visually-hidden"> ({expansion})</span>'
        )
    return f'<a class="term" href="{href}">{word}</a>'
