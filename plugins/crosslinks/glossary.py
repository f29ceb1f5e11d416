"""The glossary: `glossary.yml` and its translations (`glossary.<lang>.yml`) read and checked
once per build (their pages: `glossary_page`; their terms in running text: `terms`)."""

from __future__ import annotations

import hashlib
import re
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
    is_language_tag,
)

_ID = SLUG_PATTERN
_FIELDS = ("id", "term", "abbr", "aka", "definition")
_MAX_NAME = 100  # characters of a term, abbreviation or aka: each is looked for in every text


def load_glossary(
    path: Path,
    relpath: str,
    problems: ProblemLog,
    max_bytes: int = MAX_FILE_BYTES,
    known: dict[str, Term] | None = None,
    known_in: str = "",
) -> list[Term]:
    """Every valid entry of the glossary file; each problem reported with its line.

    A translation (`known`: the entries of the glossary it translates) may only use their ids.
    """
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
        if known is not None and term.id not in known:
            problems.add(
                relpath,
                line,
                f"term id '{shorten(term.id)}' is not in {known_in}, which this file translates"
                f"{did_you_mean(term.id, known) or '; add the entry there first'}",
                "glossary.unknown-id",
            )
            continue
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
    """One glossary of the build (the site's, or a translation), loaded before any document."""

    relpath: str
    terms: list[Term]
    pattern: TermMatcher | None
    version: str  # changes with the file, so cached documents are rendered again
    lang: str = ""  # a translation's language; "" for the site's own glossary
    by_id: dict[str, Term] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_id = {term.id: term for term in self.terms}


@dataclass
class Glossaries:
    """The site's glossary and its translations, by language."""

    base: Glossary
    translated: dict[str, Glossary]
    default_lang: str

    def for_lang(self, lang: str) -> Glossary | None:
        """The glossary whose terms a page in `lang` links: its language's (`es` also for
        `es-MX`), the site's own for the default language, none for another language (names
        of the default language are not looked for in its text)."""
        if not lang or lang == self.default_lang:
            return self.base
        return self.translated.get(lang) or self.translated.get(lang.split("-")[0])

    def all(self) -> list[Glossary]:
        return [self.base, *self.translated.values()]

    @property
    def version(self) -> str:
        return "|".join(g.version for g in self.all() if g.version)


_CONTEXT_KEY = "EXPLAINER_GLOSSARY"


def glossary_of(context: dict[str, Any]) -> Glossary:
    """The site's own glossary (`CROSSLINKS['glossary']`)."""
    return glossaries_of(context).base


def glossaries_of(context: dict[str, Any]) -> Glossaries:
    glossaries = context.get(_CONTEXT_KEY)
    if isinstance(glossaries, Glossaries):
        return glossaries
    relpath = str(plugin_options(context, "CROSSLINKS")["glossary"])
    default_lang = str(context.get("DEFAULT_LANG") or "en")
    base = _load(context, relpath, "")
    translated = {}
    for lang, path in translation_files(context, relpath).items():
        if lang == default_lang:
            message = f"'{lang}' is the site's language (DEFAULT_LANG): its terms go in {relpath}"
            build_of(context).problems.add(path, 1, message, "glossary.format")
        else:
            translated[lang] = _load(context, path, lang, base)
    glossaries = Glossaries(base, translated, default_lang)
    context[_CONTEXT_KEY] = glossaries
    return glossaries


def translation_files(context: dict[str, Any], relpath: str) -> dict[str, str]:
    """language -> path of `<name>.<lang><suffix>` beside the glossary (`glossary.es.yml`)."""
    root = Path(str(context.get("PATH", "")))
    path = Path(relpath)
    folder = root / path.parent
    if "PATH" not in context or not folder.is_dir():
        return {}
    name = re.compile(re.escape(path.stem) + r"\.([A-Za-z0-9-]+)" + re.escape(path.suffix))
    found = {}
    for entry in sorted(folder.iterdir()):
        match = name.fullmatch(entry.name)
        if match and is_language_tag(match.group(1)):
            found[match.group(1)] = (path.parent / entry.name).as_posix()
    return found


def _load(
    context: dict[str, Any], relpath: str, lang: str, base: Glossary | None = None
) -> Glossary:
    path = Path(str(context.get("PATH", ""))) / relpath
    terms: list[Term] = []
    version = ""
    if "PATH" in context and path.is_file():
        problems = build_of(context).problems
        known = base.by_id if base is not None else None
        known_in = base.relpath if base is not None else ""
        terms = load_glossary(path, relpath, problems, content_limit(context), known, known_in)
        if file_problem(path, relpath, content_limit(context)) is None:  # not a link, not huge
            digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
            version = f"glossary:{relpath}:{digest}"
    return Glossary(relpath, terms, term_pattern(terms), version, lang)
