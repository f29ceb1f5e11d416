"""The glossary: `glossary.yml` read and checked, its page, and first mentions linked in explainers."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from markdown_it.token import Token
from pelican.contents import Page
from pelican.generators import Generator

from mdreader import Document, markdown_of
from sitemodel import ProblemLog, build_of, read_text
from sitemodel.problems import did_you_mean

_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_FIELDS = ("id", "term", "abbr", "aka", "definition")


@dataclass
class Term:
    id: str
    term: str
    definition: str
    line: int
    abbr: str = ""
    aka: list[str] = field(default_factory=list)
    used_in: list[Any] = field(default_factory=list)
    slot: Token | None = None  # the glossary page's "Used in" block, filled once links are known


def load_glossary(path: Path, relpath: str, problems: ProblemLog) -> list[Term]:
    """Every valid entry of the glossary file; each problem reported with its line."""
    text = read_text(path, relpath, problems)
    if text is None:
        return []
    try:
        node = yaml.compose(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problems.add(relpath, mark.line + 1 if mark else 1,
                     f"not valid YAML: {getattr(error, 'problem', '')}", "glossary.yaml")
        return []
    if node is None:
        return []
    if not isinstance(node, yaml.SequenceNode):
        problems.add(relpath, 1, "the glossary must be a list of '- id: ...' entries", "glossary.format")
        return []
    terms: list[Term] = []
    seen: dict[str, int] = {}
    for item in node.value:
        line = item.start_mark.line + 1
        entry = yaml.safe_load(yaml.serialize(item))
        if not isinstance(entry, dict):
            problems.add(relpath, line, "each entry needs 'id', 'term' and 'definition'", "glossary.format")
            continue
        term = _term(entry, relpath, line, problems)
        if term is None:
            continue
        if term.id in seen:
            problems.add(relpath, line, f"term id '{term.id}' is already used on line {seen[term.id]}",
                         "glossary.duplicate")
            continue
        seen[term.id] = line
        terms.append(term)
    return terms


def _term(entry: dict[str, Any], relpath: str, line: int, problems: ProblemLog) -> Term | None:
    ok = True
    for key in entry:
        if key not in _FIELDS:
            problems.add(relpath, line, f"unknown field '{key}'{did_you_mean(str(key), _FIELDS)}",
                         "glossary.format")
            ok = False
    for key in ("id", "term", "definition"):
        if not isinstance(entry.get(key), str) or not entry[key].strip():
            problems.add(relpath, line, f"entry needs a '{key}'", "glossary.format")
            ok = False
    if ok and not _ID.match(entry["id"]):
        problems.add(relpath, line, f"term id '{entry['id']}' must use lowercase letters, digits"
                     " and hyphens only", "glossary.id")
        ok = False
    aka = entry.get("aka", [])
    aka = [aka] if isinstance(aka, str) else aka
    if not isinstance(aka, list) or not all(isinstance(a, str) for a in aka):
        problems.add(relpath, line, "'aka' must be a list of names", "glossary.format")
        ok = False
    if not ok:
        return None
    return Term(entry["id"], entry["term"].strip(), entry["definition"], line,
                str(entry.get("abbr") or "").strip(), [a.strip() for a in aka if a.strip()])


def glossary_document(terms: list[Term], md: Any, relpath: str) -> Document:
    """One Markdown document for the whole page, so notes number across all definitions."""
    env: dict[str, Any] = {"path": relpath, "docId": ""}
    tokens: list[Token] = []
    for term in sorted(terms, key=lambda t: t.term.lower()):
        heading = html.escape(term.term) + (f" ({html.escape(term.abbr)})" if term.abbr else "")
        tokens.append(_html(f'<section class="term" id="term-{term.id}">\n<h2>{heading}</h2>\n'))
        # parse with blank lines in front so token lines are the file's lines
        body = md.parse("\n" * (term.line - 1) + term.definition, env)
        tokens.extend(body)
        if term.aka:
            tokens.append(_html(f'<p class="aka">Also called: {html.escape(", ".join(term.aka))}</p>\n'))
        term.slot = _html("")
        tokens.append(term.slot)
        tokens.append(_html("</section>\n"))
    return Document(relpath, tokens, env)


def _html(content: str) -> Token:
    token = Token("html_block", "", 0)
    token.content = content
    return token


def used_in_html(pages: list[Any], siteurl_marker: str = "{filename}/") -> str:
    if not pages:
        return ""
    items = "".join(
        f'<li><a href="{siteurl_marker}{html.escape(p.relative_source_path)}">{html.escape(p.title)}</a></li>'
        for p in pages
    )
    return f'<div class="used-in"><p>Used in:</p><ul>{items}</ul></div>\n'


class GlossaryGenerator(Generator):  # type: ignore[misc]
    """Reads the glossary before documents are resolved, writes `/glossary/` after."""

    def generate_context(self) -> None:
        build = build_of(self.context)
        options = {"glossary": "glossary.yml", **self.settings.get("CROSSLINKS", {})}
        relpath = options["glossary"]
        path = Path(self.path) / relpath
        self.documents: list[Page] = []
        self.terms: list[Term] = []
        if not path.is_file():
            return
        self.terms = load_glossary(path, relpath, build.problems)
        document = glossary_document(self.terms, markdown_of(self.context), relpath)
        page = Page(
            "",
            metadata={
                "title": "Glossary",
                "slug": "glossary",
                "summary": "The terms, agencies and laws the explainers use, with their sources.",
                "template": "glossary",
                "markdown_document": document,
            },
            settings=self.settings,
            source_path=str(path),
            context=self.context,
        )
        page.glossary_terms = self.terms
        self.documents.append(page)
        self.context["generated_content"][relpath] = page
        self.context["glossary_page"] = page
        for term in self.terms:
            build.targets[f"term:{term.id}"] = (term.term, relpath, f"term-{term.id}")

    def generate_output(self, writer: Any) -> None:
        for page in self.documents:
            writer.write_file(
                page.save_as,
                self.get_template(page.template),
                self.context,
                page=page,
                relative_urls=self.settings["RELATIVE_URLS"],
                override_output=True,
                url=page.url,
            )


def term_pattern(terms: list[Term]) -> re.Pattern[str] | None:
    """One regex for every name of every term: names ignore case, abbreviations do not."""
    names = sorted({n for t in terms for n in [t.term, *t.aka]}, key=len, reverse=True)
    abbrs = sorted({t.abbr for t in terms if t.abbr}, key=len, reverse=True)
    parts = []
    if names:
        parts.append("(?i:" + "|".join(re.escape(n) for n in names) + ")")
    parts.extend(re.escape(a) for a in abbrs)
    if not parts:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)")


def link_first_mentions(
    tokens: list[Token], terms: list[Term], pattern: re.Pattern[str], glossary_path: str
) -> set[str]:
    """Link each term's first mention in running text; return the ids linked."""
    lookup: dict[str, Term] = {}
    for term in terms:
        for name in [term.term, *term.aka]:
            lookup.setdefault(name.lower(), term)
    abbrs = {t.abbr: t for t in terms if t.abbr}
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
        link_depth = 0
        for child in token.children:
            if child.type == "link_open":
                link_depth += 1
            elif child.type == "link_close":
                link_depth -= 1
            if child.type != "text" or link_depth:
                children.append(child)
                continue
            children.extend(_split(child, pattern, lookup, abbrs, linked, glossary_path))
        token.children = children
    return linked


def _split(child: Token, pattern: re.Pattern[str], lookup: dict[str, Term],
           abbrs: dict[str, Term], linked: set[str], glossary_path: str) -> list[Token]:
    out: list[Token] = []
    text = child.content
    position = 0
    for match in pattern.finditer(text):
        word = match.group(0)
        term = abbrs.get(word) or lookup.get(word.lower())
        if term is None or term.id in linked:
            continue
        linked.add(term.id)
        if match.start() > position:
            out.append(_text(text[position : match.start()]))
        token = Token("glossary_term", "", 0)
        token.content = word
        token.meta = {
            "term": term,
            "is_abbr": word == term.abbr,
            "href": f"{{filename}}/{glossary_path}#term-{term.id}",
        }
        out.append(token)
        position = match.end()
    if position == 0:
        return [child]
    if position < len(text):
        out.append(_text(text[position:]))
    return out


def _text(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token


def render_term(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    term: Term = token.meta["term"]
    word = html.escape(token.content)
    href = html.escape(token.meta["href"])
    if token.meta["is_abbr"]:
        expansion = html.escape(term.term)
        word = (f'<abbr title="{expansion}">{word}</abbr>'
                f'<span class="visually-hidden"> ({expansion})</span>')
    return f'<a class="term" href="{href}">{word}</a>'
