"""`explainer new SLUG`: a new explainer file that builds at once, with its guide in the file.

The guide is YAML comments inside the front matter: our reader shows raw HTML as text, so an
HTML comment in the body would appear on the page.
"""

from __future__ import annotations

import datetime
import re
import textwrap
from pathlib import Path

from explainer_cli.errors import CliError, shorten
from explainer_cli.sourceid import ID_PATTERN, MAX_ID_LENGTH
from mdreader.reader import PLACEHOLDER_SUMMARY
from sitemodel.textfile import load_yaml, split_front_matter

TEMPLATE = """\
---
# A new explainer. Lines starting with '#' are notes for you: they never appear on the site.
# Delete them when you are done.
title: {title}
# The short answer, in one or two plain sentences (no citations here).
summary: "{placeholder}"
date: {today}
{topics}
topics: []
{slugs}
related: []
lang: en
#
# How to write the text below the closing '---':
# * Short sentences, one idea per paragraph, '## ' for a section heading.
# * Every factual sentence ends with a citation, before the full stop:
#     The vote was delayed by three months [@source-id, "exact words from the source"].
#   The words in quotes must appear in ONE paragraph of content/sources/<source-id>.md
#   (whitespace, curly quotes and dashes may differ; nothing else, case included).
#   Several sources: [@one, "words"; @two, "other words"]. A whole source: [@source-id].
{sources}
# * Links: [[other-explainer-slug]], [[source:source-id]], [[term:glossary-id]].
{terms}
# * No HTML: it is shown as text.
# * Check: `uv run explainer check`. Preview: `uv run explainer serve`, then open
#   http://127.0.0.1:8000/{slug}/ (it rebuilds when you save).
---
Replace this paragraph with the explainer. Every paragraph needs a citation; until it has one,
the local build warns "citation needed" and the published build fails.
"""


class ScaffoldRefused(CliError):
    """The explainer cannot be created; the message says why."""

    def __init__(self, message: str, *, path: str = "explainer new", code: str = "cli.new") -> None:
        super().__init__(message, path=path, code=code)


def front_matter_values(folder: Path, key: str) -> list[str]:
    """Every value of a list field (topics, ...) used in the Markdown files of `folder`."""
    values: set[str] = set()
    for path in sorted(folder.glob("*.md")) if folder.is_dir() else []:
        split = split_front_matter(path.read_text(encoding="utf-8", errors="replace"))
        try:
            fields = load_yaml(split[0]) if split else None
        except Exception:  # noqa: BLE001 - broken files are `check`'s to report
            continue
        value = fields.get(key) if isinstance(fields, dict) else None
        items = value if isinstance(value, list) else [value] if value else []
        values.update(str(item) for item in items)
    return sorted(values)


def listing(label: str, items: list[str], empty: str, indent: str = "", limit: int = 20) -> str:
    """A wrapped comment listing what exists, shortened when the site is large."""
    more = f" and {len(items) - limit} more" if len(items) > limit else ""
    text = f"{label}: " + (", ".join(items[:limit]) + more if items else empty)
    return textwrap.fill(
        text,
        width=96,
        initial_indent="# " + indent,
        subsequent_indent="#   " + indent,
        break_on_hyphens=False,
    )


def glossary_ids(content: Path) -> list[str]:
    """The ids of the glossary's entries, as `[[term:id]]` links name them."""
    path = content / "glossary.yml"
    text = path.read_text(encoding="utf-8", errors="replace") if path.is_file() else ""
    return sorted(set(re.findall(r"^- id:\s*([a-z0-9-]+)\s*$", text, flags=re.M)))


def title_from_slug(slug: str) -> str:
    words = slug.replace("-", " ").strip()
    return words[:1].upper() + words[1:]


def new_explainer(slug: str, content: str = "content", today: datetime.date | None = None) -> Path:
    """Write `explainers/<slug>.md`, refusing a bad or taken slug."""
    if len(slug) > MAX_ID_LENGTH:
        raise ScaffoldRefused(
            f"the slug '{shorten(slug)}' is {len(slug)} characters long; use at most"
            f" {MAX_ID_LENGTH}",
            code="cli.id-too-long",
        )
    if not ID_PATTERN.match(slug):
        suggestion = re.sub(r"[^a-z0-9]+", "-", slug.lower()).strip("-")
        hint = f"; try '{suggestion}'" if suggestion else ""
        raise ScaffoldRefused(
            f"'{slug}' is not a valid slug: use lowercase letters, digits and hyphens{hint}",
            code="cli.slug",
        )
    root = Path(content)
    folder = root / "explainers"
    target = folder / f"{slug}.md"
    for taken in (target, root / "pages" / f"{slug}.md"):
        if taken.exists():
            raise ScaffoldRefused(f"{taken} already exists; edit it, or choose another slug")
    explainers = sorted(p.stem for p in folder.glob("*.md")) if folder.is_dir() else []
    sources = sorted(p.stem for p in (root / "sources").glob("*.md"))
    text = TEMPLATE.format(
        title='"' + title_from_slug(slug).replace('"', '\\"') + '"',
        today=(today or datetime.date.today()).isoformat(),
        topics=listing("Topics already in use", front_matter_values(folder, "topics"), "none yet"),
        slugs=listing("Explainers this one should point to, by slug", explainers, "none yet"),
        sources=listing(
            "Sources you can cite",
            sources,
            "none yet (add one with `explainer add-source`)",
            indent="  ",
        ),
        slug=slug,
        placeholder=PLACEHOLDER_SUMMARY,
        terms=listing("Glossary ids for [[term:id]]", glossary_ids(root), "none yet", indent="  "),
    )
    folder.mkdir(parents=True, exist_ok=True)
    with target.open("x", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    return target
