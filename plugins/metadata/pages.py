"""The plugin's build steps: settings, JSON-LD on each explainer, the 404 page, the sitemap."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pelican.contents import Article
from pelican.generators import Generator

from metadata.jsonld import absolute_siteurl, article_data, script_json
from metadata.sitemap import sitemap_xml
from sitemodel import contents_of
from sitemodel.settings import Option, declare, plugin_options

declare(
    "METADATA",
    {
        "json_ld": Option(True),
        "sitemap": Option(True),
        "not_found": Option("404.html"),
        "evidence": Option("evidence.json"),  # the evidence manifest; "" for none
    },
)


def metadata_settings(settings: dict[str, Any]) -> dict[str, Any]:
    return plugin_options(settings, "METADATA")


def add_json_ld(generators: list[Any]) -> None:
    """Give each explainer its JSON-LD text as `json_ld`, for the article template."""
    context = generators[0].context if generators else {}
    if not generators or not metadata_settings(context)["json_ld"]:
        return
    for content in contents_of(generators):
        if isinstance(content, Article):
            content.json_ld = script_json(article_data(content, context))


class NotFoundGenerator(Generator):  # type: ignore[misc]
    """Checks the METADATA setting and writes the 404 page from the theme's `404` template."""

    def generate_output(self, writer: Any) -> None:
        save_as = metadata_settings(self.settings)["not_found"]
        if save_as:
            writer.write_file(
                save_as,
                self.get_template("404"),
                self.context,
                relative_urls=self.settings["RELATIVE_URLS"],
                url=save_as,
            )


def write_sitemap(pelican: Any, build: Any = None) -> None:
    """sitemap.xml beside the pages, when the site has an absolute address to put in it."""
    siteurl = absolute_siteurl(pelican.settings)
    if not siteurl or not metadata_settings(pelican.settings)["sitemap"]:
        return
    output = Path(pelican.output_path)
    (output / "sitemap.xml").write_text(sitemap_xml(output, siteurl), encoding="utf-8")
