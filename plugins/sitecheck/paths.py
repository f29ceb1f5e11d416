"""Every page gets an address of its own: no page overwrites another or a folder the site uses."""

from __future__ import annotations

import os
import posixpath
from pathlib import Path
from typing import Any

from sitemodel import build_of, contents_of
from sitemodel.i18n import default_language, theme_languages
from sitemodel.textfile import content_limit, file_problem

# first path segments the site itself writes (besides those its settings name)
_RESERVED = {
    "index", "sources", "topics", "glossary", "search", "theme", "handouts", "404", "feeds",
    "pagefind", "drafts", "sitemap", "robots", "tag", "tags", "category", "author",
}  # fmt: skip
_RESERVED_SETTINGS = (
    "SOURCES_URL", "TAGS_URL", "THEME_STATIC_DIR", "INDEX_SAVE_AS", "FEED_ALL_ATOM",
    "DRAFT_SAVE_AS", "DRAFT_PAGE_SAVE_AS",
)  # fmt: skip
_WRITTEN_FROM_CONTENT = (".md", ".markdown")


def reserved_names(settings: dict[str, Any]) -> set[str]:
    """First segments of the addresses the site's own pages and folders use."""
    names = set(_RESERVED)
    values = [settings.get(key) for key in _RESERVED_SETTINGS]
    for plugin in ("SEARCH", "HANDOUTS", "METADATA"):
        options = settings.get(plugin)
        if isinstance(options, dict):
            values += [options.get(key) for key in ("url", "path", "not_found")]
    for value in values:
        if isinstance(value, str) and value.strip("/"):
            names.add(_first_segment(value))
    return names


def _first_segment(path: str) -> str:
    first = path.strip("/").split("/")[0]
    return first.rsplit(".", 1)[0] if "." in first else first


def check_output_paths(generators: list[Any]) -> None:
    """An error naming both files when two pages would be written to one address, and naming
    the file when a page would take an address the site uses (`/glossary/`, `/sources/`)."""
    if not generators:
        return
    context = generators[0].context
    problems = build_of(context).problems
    root = str(context.get("PATH", ""))
    contents = list(contents_of(generators))
    # each language but the site's has its folder (/es/): only pages in that language go there
    default = default_language(context)
    languages = {str(getattr(c, "lang", "") or default) for c in contents}
    reserved = reserved_names(context) | (languages | set(theme_languages(context))) - {default}
    owners: dict[str, str] = {}
    for content in contents:
        save_as = str(getattr(content, "save_as", "") or "")
        if not save_as:
            continue
        relpath = os.path.relpath(str(content.source_path), root)
        address = posixpath.normpath(save_as.replace("\\", "/"))
        from_content = relpath.endswith(_WRITTEN_FROM_CONTENT)
        in_its_language = _first_segment(address) == getattr(content, "lang", None) != default
        # a translation's own address starts after its language folder (es/search/ is taken)
        first = _first_segment(address.split("/", 1)[1] if in_its_language else address)
        if address.startswith(("../", "/")) or address == "..":
            problems.add(relpath, 0, "the page's address leaves the site", "sitecheck.address")
        elif from_content and first in reserved:
            problems.add(
                relpath,
                0,
                f"the address '{first}/' is used by the site itself"
                f" (reserved: {', '.join(sorted(reserved))}); rename the file",
                "sitecheck.reserved-address",
            )
        elif address in owners:
            problems.add(
                relpath,
                0,
                f"would be written to '{address}', like {owners[address]}; rename one of them",
                "sitecheck.address-collision",
            )
        else:
            owners[address] = relpath


def check_content_files(generators: list[Any]) -> None:
    """No symbolic link anywhere under the content, and no file over the size cap.

    Pelican follows linked folders and copies linked static files into the site: a pull request
    must not publish a file of the build machine (`images/x -> /etc/passwd`).
    """
    if not generators:
        return
    context = generators[0].context
    problems = build_of(context).problems
    root = Path(str(context.get("PATH", "")))
    limit = content_limit(context)
    for folder, subfolders, names in os.walk(root):
        for name in sorted(subfolders + names):
            path = Path(folder) / name
            relpath = path.relative_to(root).as_posix()
            if name in subfolders and not path.is_symlink():
                continue
            refused = file_problem(path, relpath, limit, walked=True)
            if refused is not None:
                problems.add(relpath, 0, *refused)
        subfolders[:] = [name for name in subfolders if not (Path(folder) / name).is_symlink()]
