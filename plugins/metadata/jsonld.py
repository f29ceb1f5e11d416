"""schema.org JSON-LD for explainers: an Article whose `citation` lists the sources it cites."""

from __future__ import annotations

import html
import json
from typing import Any

from sitemodel import Source

# schema.org types for our source kinds; anything else is a plain Article.
_SOURCE_TYPES = {"news": "NewsArticle", "opinion": "OpinionNewsArticle"}


def absolute_siteurl(settings: dict[str, Any]) -> str:
    """The configured SITEURL when it is absolute (production builds), else ''."""
    siteurl = str(settings.get("SITEURL", "")).rstrip("/")
    return siteurl if siteurl.startswith(("http://", "https://")) else ""


def source_data(source: Source, siteurl: str, source_url: str) -> dict[str, Any]:
    """One `citation` entry: who published what, when, where the original and our copy are."""
    data: dict[str, Any] = {
        "@type": _SOURCE_TYPES.get(source.kind, "Article"),
        "headline": source.title,
        "publisher": {"@type": "Organization", "name": source.outlet},
        "datePublished": source.date_iso,
        "inLanguage": source.language,
    }
    if source.authors:
        data["author"] = [{"@type": "Person", "name": name} for name in source.authors]
    if source.url:
        data["url"] = source.url
    copies = [u for u in (source.archived, f"{siteurl}/{source_url}" if siteurl else "") if u]
    if copies:
        data["sameAs"] = copies
    return data


def article_data(article: Any, settings: dict[str, Any]) -> dict[str, Any]:
    """The Article record of one explainer."""
    siteurl = absolute_siteurl(settings)
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": article.title,
        "inLanguage": getattr(article, "lang", None) or settings.get("DEFAULT_LANG", "en"),
        "datePublished": article.date.date().isoformat(),
        "dateModified": (getattr(article, "modified", None) or article.date).date().isoformat(),
        "isPartOf": {"@type": "WebSite", "name": settings.get("SITENAME", "")},
    }
    summary = getattr(article, "metadata", {}).get("summary")
    if summary:
        data["description"] = html.unescape(str(summary))
    if siteurl:
        data["url"] = f"{siteurl}/{article.url}"
        data["mainEntityOfPage"] = data["url"]
        data["isPartOf"]["url"] = f"{siteurl}/"
    if siteurl:
        data.update(translation_data(article, siteurl, str(settings.get("DEFAULT_LANG", "en"))))
    tags = getattr(article, "tags", None) or []
    if tags:
        data["keywords"] = [str(tag) for tag in tags]
    pattern = str(settings.get("SOURCE_URL", "sources/{id}/"))
    data["citation"] = [
        source_data(source, siteurl, pattern.format(id=source.id))
        for source in getattr(article, "note_sources", [])  # see `sitemodel.evidence`
    ]
    return data


def translation_data(article: Any, siteurl: str, default: str) -> dict[str, Any]:
    """The original's `workTranslation` list, or a translation's `translationOfWork`."""
    versions = sorted(
        (t for t in getattr(article, "translations", None) or [] if t.status == "published"),
        key=lambda t: str(t.lang),
    )
    records = [
        {"@type": "Article", "url": f"{siteurl}/{t.url}", "inLanguage": str(t.lang)}
        for t in versions
    ]
    if not records:
        return {}
    if getattr(article, "lang", default) == default:
        return {"workTranslation": records}
    original = [r for r in records if r["inLanguage"] == default]
    return {"translationOfWork": original[0]} if original else {}


def script_json(data: dict[str, Any]) -> str:
    """JSON safe inside <script type="application/ld+json">: no '<', '>' or '&' characters."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
