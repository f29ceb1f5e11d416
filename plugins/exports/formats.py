"""CSL-JSON, BibTeX and RIS text from CSL items, escaped so contributor text stays in its field.

BibTeX counts every brace, escaped or not, so a `}` in a title would end the field early even
as `\\}`: braces and backslashes become brace-balanced commands. RIS has one tag per line, so
every value is one line (`records.one_line`), and each passage is its own `N1` line.
"""

from __future__ import annotations

import json
import re
from typing import Any

from exports.names import inverted
from exports.records import one_line

# biblatex entry type per CSL type: a newspaper article is biblatex's @article subtype
_BIBTEX_TYPES = {"article-newspaper": "article"}
_RIS_TYPES = {"article-newspaper": "NEWS", "webpage": "ELEC"}
_BIBTEX_SPECIALS = str.maketrans(
    {
        "\\": r"\textbackslash{}",
        "{": r"\textbraceleft{}",
        "}": r"\textbraceright{}",
        "%": r"\%",
        "&": r"\&",
        "$": r"\$",
        "#": r"\#",
        "_": r"\_",
        "^": r"\textasciicircum{}",
        "~": r"\textasciitilde{}",
    }
)
# in a URL field (read verbatim) only what would unbalance the braces or break the line
_URL_UNSAFE = re.compile(r"[{}\\\s\x00-\x1f\x7f]")


def csl_json(items: list[dict[str, Any]]) -> str:
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


def bibtex_text(value: str) -> str:
    return one_line(value).translate(_BIBTEX_SPECIALS)


def bibtex_url(url: str) -> str:
    return _URL_UNSAFE.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode()), url)


def _iso(date: dict[str, Any]) -> str:
    return "-".join(f"{part:02d}" for part in date["date-parts"][0])


def bibtex_entry(item: dict[str, Any]) -> str:
    """One biblatex entry; the key is the item's id (letters, digits and hyphens)."""
    kind = _BIBTEX_TYPES.get(item["type"], "online")
    fields: list[tuple[str, str]] = []
    names = [inverted(name, suffix_last=False) for name in item.get("author", [])]
    if names:
        # an organisation in braces: BibTeX must not split it at "and" or invert it
        written = [
            f"{{{bibtex_text(n)}}}" if "literal" in name else bibtex_text(n)
            for n, name in zip(names, item["author"], strict=True)
        ]
        fields.append(("author", " and ".join(written)))
    fields.append(("title", bibtex_text(item["title"])))
    if kind == "article":
        fields += [("journaltitle", bibtex_text(item["container-title"]))]
        fields += [("entrysubtype", "newspaper")]
    else:
        fields.append(("organization", bibtex_text(item["container-title"])))
    fields.append(("date", _iso(item["issued"])))
    if "URL" in item:
        fields.append(("url", bibtex_url(item["URL"])))
    if "accessed" in item:
        fields.append(("urldate", _iso(item["accessed"])))
    annotation = []
    if "archive_location" in item:
        annotation.append(f"Archived copy ({item['archive']}): {item['archive_location']}.")
    if "note" in item:
        heading, *passages = item["note"].splitlines()
        annotation.append(f"{heading} {'; '.join(passages)}")
    if annotation:
        fields.append(("annotation", bibtex_text(" ".join(annotation))))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@{kind}{{{item['id']},\n{body}\n}}\n"


def bibtex(items: list[dict[str, Any]]) -> str:
    return "\n".join(bibtex_entry(item) for item in items)


def _ris_date(date: dict[str, Any]) -> str:
    """YYYY/MM/DD/ with unknown parts empty: 2019/09//."""
    parts = [f"{part:02d}" for part in date["date-parts"][0]] + ["", ""]
    return "/".join(parts[:3]) + "/"


def ris_record(item: dict[str, Any]) -> list[tuple[str, str]]:
    tags = [("TY", _RIS_TYPES.get(item["type"], "GEN"))]
    tags += [("AU", inverted(name, suffix_last=True)) for name in item.get("author", [])]
    tags += [("TI", item["title"]), ("T2", item["container-title"])]
    tags += [("PY", str(item["issued"]["date-parts"][0][0])), ("DA", _ris_date(item["issued"]))]
    if "URL" in item:
        tags.append(("UR", item["URL"]))
    if "accessed" in item:
        tags.append(("Y2", _ris_date(item["accessed"])))
    if "archive_location" in item:
        tags += [("DB", item["archive"]), ("AN", item["archive_location"])]
    tags.append(("LA", item["language"]))
    tags += [("N1", line) for line in item.get("note", "").splitlines()]
    tags.append(("ER", ""))
    return tags


def ris(items: list[dict[str, Any]]) -> str:
    """RIS records, lines ending CR LF as the format asks."""
    lines = [f"{tag}  - {one_line(value)}" for item in items for tag, value in ris_record(item)]
    return "\r\n".join(lines) + "\r\n"
