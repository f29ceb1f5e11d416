"""The glossary: `glossary.yml` read and checked once per build (its page: `glossary_page`;
its terms in running text: `terms`)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from citations.limits import shorten
from crosslinks.terms import Term, TermMatcher, _key, term_pattern
from sitemodel import ProblemLog, build_of, read_text
from sitemodel.problems import did_you_mean
from sitemodel.settings import plugin_options
from sitemodel.source import SLUG_PATTERN
from sitemodel.textfile import (
    MAX_FILE_BYTES,
    compose_yaml,
    construct_yaml,
    content_limit,
    file_problem,
)

_ID = SLUG_PATTERN
_FIELDS = ("id", "term", "abbr", "aka", "definition")
_MAX_NAME = 100  # characters of a term, abbreviation or aka: each is looked for in every text


def load_glossary(
    path: Path, relpath: str, problems: ProblemLog, max_bytes: int = MAX_FILE_BYTES
) -> list[Term]:
    """Every valid entry of the glossary file; each problem reported with its line."""
    text = read_text(path, relpath, problems, max_bytes)
    if text is None:
        return []
    try:
        node = compose_yaml(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problems.add(
            relpath,
            mark.line + 1 if mark else 1,
            f"not valid YAML: {getattr(error, 'problem', '')}",
            "glossary.yaml",
        )
        return []
    if node is None:
        return []
    if not isinstance(node, yaml.SequenceNode):
        problems.add(
            relpath, 1, "the glossary must be a list of '- id: ...' entries", "glossary.format"
        )
        return []
    terms: list[Term] = []
    seen: dict[str, int] = {}
    for item in node.value:
        line = item.start_mark.line + 1
        entry = construct_yaml(item)
        if not isinstance(entry, dict):
            problems.add(
                relpath, line, "each entry needs 'id', 'term' and 'definition'", "glossary.format"
            )
            continue
        term = _term(entry, relpath, line, problems)
        if term is None:
            continue
        term.definition_line = _definition_line(item) or line
        if term.id in seen:
            problems.add(
                relpath,
                line,
                f"term id '{shorten(term.id)}' is already used on line {seen[term.id]}",
                "glossary.duplicate",
            )
            continue
        seen[term.id] = line
        terms.append(term)
    return terms


def _definition_line(item: yaml.Node) -> int:
    """File line where the definition's text starts, so its citations name that line."""
    for key, value in item.value if isinstance(item, yaml.MappingNode) else []:
        if key.value == "definition":
            # a block scalar (`>-`, `|`) starts on the line after its indicator
            return int(value.start_mark.line) + (2 if value.style in (">", "|") else 1)
    return 0


def _term(entry: dict[str, Any], relpath: str, line: int, problems: ProblemLog) -> Term | None:
    ok = True
    for key in entry:
        if key not in _FIELDS:
            problems.add(
                relpath,
                line,
                f"unknown field '{shorten(str(key))}'{did_you_mean(str(key), _FIELDS)}",
                "glossary.format",
            )
            ok = False
    for key in ("id", "term", "definition"):
        if not isinstance(entry.get(key), str) or not entry[key].strip():
            problems.add(relpath, line, f"entry needs a '{key}'", "glossary.format")
            ok = False
    if ok and not _ID.match(entry["id"]):
        problems.add(
            relpath,
            line,
            f"term id '{shorten(entry['id'])}' must use lowercase letters, digits and hyphens only",
            "glossary.id",
        )
        ok = False
    aka = entry.get("aka", [])
    aka = [aka] if isinstance(aka, str) else aka
    if not isinstance(aka, list) or not all(isinstance(a, str) for a in aka):
        problems.add(relpath, line, "'aka' must be a list of names", "glossary.format")
        ok = False
    for name in [entry["term"], str(entry.get("abbr") or ""), *aka] if ok else []:
        if len(_key(name)) > _MAX_NAME:
            problems.add(
                relpath,
                line,
                f"the name '{shorten(_key(name))}' is too long ({len(_key(name))} characters,"
                f" at most {_MAX_NAME}); give the full title in the definition",
                "glossary.format",
            )
            ok = False
    if not ok:
        return None
    return Term(
        entry["id"],
        entry["term"].strip(),
        entry["definition"],
        line,
        str(entry.get("abbr") or "").strip(),
        [a.strip() for a in aka if a.strip()],
    )


@dataclass
class Glossary:
    """The build's glossary, loaded once before the first document is read."""

    relpath: str
    terms: list[Term]
    pattern: TermMatcher | None
    version: str  # changes with the file, so cached documents are rendered again
    by_id: dict[str, Term] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_id = {term.id: term for term in self.terms}


_CONTEXT_KEY = "EXPLAINER_GLOSSARY"


def glossary_of(context: dict[str, Any]) -> Glossary:
    glossary = context.get(_CONTEXT_KEY)
    if isinstance(glossary, Glossary):
        return glossary
    relpath = str(plugin_options(context, "CROSSLINKS")["glossary"])
    path = Path(str(context.get("PATH", ""))) / relpath
    terms: list[Term] = []
    version = ""
    if "PATH" in context and path.is_file():
        terms = load_glossary(path, relpath, build_of(context).problems, content_limit(context))
        if file_problem(path, relpath, content_limit(context)) is None:  # not a link, not huge
            digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
            version = f"glossary:{relpath}:{digest}"
    glossary = Glossary(relpath, terms, term_pattern(terms), version)
    context[_CONTEXT_KEY] = glossary
    return glossary
