"""`explainer translations`: every page in the site's language and, for each other language,
whether its translation is missing, current, stale or unstamped; `--stamp` records which
version of its original a translation translates (`crosslinks.translations` says what the
version covers).

The pages are found by reading front matter only (no build), so it answers at once.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from crosslinks.translations import text_version
from explainer_cli import project
from explainer_cli.errors import CliError, shorten
from sitemodel import ProblemLog, load_yaml, read_text, split_front_matter
from sitemodel.textfile import content_limit, is_language_tag

CODE = "cli.stamp"
STATUSES = ("current", "stale", "unstamped", "missing")


@dataclass
class PageFile:
    """An explainer or page file, as far as translations are concerned."""

    path: Path
    relpath: str  # from the content folder
    slug: str
    lang: str
    translates: str  # "" when the front matter has none
    version: str | None  # of its own text (`text_version`)


def add_parser(commands: Any, settings_help: str, project_help: str) -> None:
    parser = commands.add_parser(
        "translations",
        help="list every page's translations: missing, current or stale; stamp a translation",
        description="List every explainer and page in the site's language and, for each other"
        " language, its translation's state: missing, current (it translates the original as it"
        " is), stale (the original's title, summary or text changed since) or unstamped (no"
        " `translates:` line). Exit 0. With --stamp, write into each translation named (a file,"
        " or a slug with --lang) the `translates:` line saying it translates its original as"
        " the original is now; nothing else in the file changes." + project_help,
    )
    parser.add_argument(
        "--stamp",
        nargs="+",
        metavar="FILE_OR_SLUG",
        help="translations to stamp: files (content/explainers/es/x.md) or slugs (with --lang)",
    )
    parser.add_argument("--lang", help="the language of the slugs given to --stamp (e.g. es)")
    parser.add_argument("--json", action="store_true", help="print JSON, not a table")
    parser.add_argument("path", nargs="?", help="content folder (default: PATH in the settings)")
    parser.add_argument("-s", "--settings", help=settings_help)


def run(args: argparse.Namespace) -> int:
    settings_file = project.settings_file(args.settings)
    path = os.path.abspath(args.path) if args.path else None
    targets = [
        os.path.abspath(target) if _is_file(target) else target for target in args.stamp or []
    ]
    with project.in_project(settings_file):
        settings = project.read_settings(settings_file)
        content = Path(path or settings["PATH"])
        if not content.is_dir():
            raise CliError("no such content folder", path=str(content), code="cli.no-folder")
        default = str(settings.get("DEFAULT_LANG") or "en")
        folders = [*settings.get("ARTICLE_PATHS", []), *settings.get("PAGE_PATHS", [])]
        files = scan(content, folders, content_limit(settings))
        if targets:
            for target in targets:
                stamp(_translation(target, args.lang, files, default), files, default)
            return 0
        report = status(files, default)
        if args.json:
            print(json.dumps(report, ensure_ascii=False, indent=2))
        else:
            sys.stdout.write(table(report))
    return 0


def _is_file(target: str) -> bool:
    return target.endswith((".md", ".markdown")) or os.sep in target or "/" in target


def scan(content: Path, folders: list[str], max_bytes: int) -> list[PageFile]:
    """Every Markdown file under the explainer and page folders, in path order; links are not
    followed and unreadable files are left out (`explainer check` reports them)."""
    found: list[PageFile] = []
    seen: set[Path] = set()
    for folder in folders or [""]:
        top = content / folder
        for root, dirs, names in os.walk(top):
            dirs.sort()
            for name in sorted(names):
                path = Path(root) / name
                if path.suffix not in (".md", ".markdown") or path in seen:
                    continue
                seen.add(path)
                page = _read(path, path.relative_to(content).as_posix(), max_bytes)
                if page is not None:
                    found.append(page)
    return sorted(found, key=lambda page: page.relpath)


def _read(path: Path, relpath: str, max_bytes: int) -> PageFile | None:
    text = read_text(path, relpath, ProblemLog(), max_bytes)
    split = split_front_matter(text) if text is not None else None
    if text is None or split is None:
        return None
    try:
        data = load_yaml(split[0])
    except yaml.YAMLError:
        return None
    if not isinstance(data, dict):
        return None
    lang = str(data.get("lang") or "").strip()
    slug = str(data.get("slug") or "").strip() or path.stem
    return PageFile(
        path,
        relpath,
        slug,
        lang,
        str(data.get("translates") or "").strip(),
        text_version(text),
    )


def status(files: list[PageFile], default: str) -> dict[str, Any]:
    """Each original's translations by language, and translations without an original."""
    originals = {f.slug: f for f in files if (f.lang or default) == default}
    translations = [f for f in files if (f.lang or default) != default]
    languages = sorted({f.lang for f in translations})
    by_key = {(f.slug, f.lang): f for f in translations}
    pages = []
    for original in originals.values():
        states = {}
        for lang in languages:
            translation = by_key.get((original.slug, lang))
            state: dict[str, str] = {"status": "missing"}
            if translation is not None:
                state = {
                    "status": _state(translation, original),
                    "path": os.path.relpath(translation.path),
                    "translates": translation.translates,
                }
            states[lang] = state
        pages.append(
            {
                "path": os.path.relpath(original.path),
                "slug": original.slug,
                "version": original.version or "",
                "translations": states,
            }
        )
    orphans = [
        {"path": os.path.relpath(f.path), "slug": f.slug, "lang": f.lang}
        for f in translations
        if f.slug not in originals
    ]
    return {"default_lang": default, "languages": languages, "pages": pages, "orphans": orphans}


def _state(translation: PageFile, original: PageFile) -> str:
    if not translation.translates:
        return "unstamped"
    return "current" if translation.translates == original.version else "stale"


def table(report: dict[str, Any]) -> str:
    """The report as aligned text: one row per original, one column per language."""
    languages: list[str] = report["languages"]
    rows = [["page", *languages]]
    rows += [
        [p["path"], *(p["translations"][lang]["status"] for lang in languages)]
        for p in report["pages"]
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
    for lang in languages:
        counts = {s: 0 for s in STATUSES}
        for page in report["pages"]:
            counts[page["translations"][lang]["status"]] += 1
        lines.append(f"{lang}: " + ", ".join(f"{n} {s}" for s, n in counts.items()))
    if not languages:
        lines.append(f"No translations yet: every page is in '{report['default_lang']}'.")
    for orphan in report["orphans"]:
        lines.append(
            f"{orphan['path']}: in '{orphan['lang']}', but no page in"
            f" '{report['default_lang']}' is called '{orphan['slug']}'"
        )
    return "\n".join(lines) + "\n"


def _translation(target: str, lang: str | None, files: list[PageFile], default: str) -> PageFile:
    """The translation a --stamp argument names: a file, or a slug in --lang."""
    translations = [f for f in files if (f.lang or default) != default]
    if os.path.isabs(target):
        found = next((f for f in files if os.path.abspath(f.path) == target), None)
        if found is None:
            raise CliError(
                "not an explainer or page this command can read (a Markdown file with front"
                " matter, under the explainer or page folders, not a link)",
                path=os.path.relpath(target),
                code=CODE,
            )
        if found in translations:
            return found
        raise CliError(
            f"this page is in the site's language ('{default}'); stamp its translations",
            path=os.path.relpath(target),
            code=CODE,
        )
    languages = sorted({f.lang for f in translations})
    if lang is None and len(languages) == 1:
        lang = languages[0]
    if lang is None or not is_language_tag(lang):
        raise CliError(
            f"say which language's '{shorten(target)}' to stamp: --lang"
            f" {' or --lang '.join(languages) or 'LANG'}",
            path="explainer translations",
            code=CODE,
        )
    found = next((f for f in translations if f.slug == target and f.lang == lang), None)
    if found is None:
        raise CliError(
            f"no translation in '{lang}' called '{shorten(target)}'",
            path="explainer translations",
            code=CODE,
        )
    return found


def stamp(translation: PageFile, files: list[PageFile], default: str) -> None:
    """Write the original's version into the translation's `translates:` line."""
    where = os.path.relpath(translation.path)
    original = next(
        (f for f in files if f.slug == translation.slug and (f.lang or default) == default), None
    )
    if original is None:
        raise CliError(
            f"no page in '{default}' is called '{translation.slug}' (a translation keeps its"
            " original's file name)",
            path=where,
            code=CODE,
        )
    if original.version is None:
        raise CliError(
            "the original's front matter cannot be read; run `explainer check`",
            path=os.path.relpath(original.path),
            code=CODE,
        )
    raw = translation.path.read_bytes()
    new = with_stamp(raw.decode("utf-8"), original.version)
    if new is None:
        raise CliError("no front matter to stamp", path=where, code=CODE)
    if new.encode("utf-8") != raw:
        translation.path.write_bytes(new.encode("utf-8"))
        print(f"{where}: translates: {original.version} ({os.path.relpath(original.path)})")
    else:
        print(f"{where}: already translates {os.path.relpath(original.path)} as it is")


_STAMP_LINE = re.compile(r"^translates[ \t]*:")


def with_stamp(text: str, version: str) -> str | None:
    """The file's text with `translates: <version>` in its front matter (the line replaced, or
    added before the closing `---`); every other character as it was. None: no front matter."""
    lines = text.split("\n")
    if not lines or lines[0].lstrip("\ufeff").rstrip() != "---":
        return None
    for index in range(1, len(lines)):
        line = lines[index]
        ending = "\r" if line.endswith("\r") else ""
        if line.rstrip() in ("---", "..."):
            lines.insert(index, f"translates: {version}{ending}")
            return "\n".join(lines)
        if _STAMP_LINE.match(line):
            lines[index] = f"translates: {version}{ending}"
            return "\n".join(lines)
    return None
