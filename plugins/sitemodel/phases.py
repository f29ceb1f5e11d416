"""The build's phases, run in one fixed order whatever the order of `PLUGINS`.

Pelican calls receivers of one signal in the order plugins registered, so correctness used to
depend on that list. Here every plugin connects to a named phase, and one driver (connected to
Pelican's two signals by every plugin, once) sends the phases in this order. Within a phase,
receivers must not depend on each other.

Once every file is read (Pelican's `all_generators_finalized`), sender: the generators:

1. `documents_read`     bring documents from the content cache up to date (mdreader)
2. `documents_parsed`   resolve and verify: citations, wiki links, glossary terms
                        (sender: the Build; `contents`, `context` as keywords)
3. `documents_checked`  whole-site checks and records that read what was resolved
                        (excerpt share, addresses, content files, JSON-LD)
4. `documents_filled`   each page's HTML completed (mdreader)
5. `site_ready`         work that needs finished pages (handouts, incremental plan)
6. `before_writing`     the gate: stop before any page is written if content has errors

Once every page is written (Pelican's `finalized`, after every other plugin's receiver of it),
sender: the Pelican object, with the run's Build as `build`:

7. `site_written`       files made from the written site (sitemap, search index)
8. `site_published`     link check and publishing of the staged site (sitecheck)
9. `after_publishing`   records of what was published (incremental)
"""

from __future__ import annotations

from typing import Any

from blinker import signal
from pelican import signals

from sitemodel.build import build_of, contents_of, documents_parsed

documents_read = signal("explainer.documents_read")
documents_checked = signal("explainer.documents_checked")
documents_filled = signal("explainer.documents_filled")
site_ready = signal("explainer.site_ready")
before_writing = signal("explainer.before_writing")
site_written = signal("explainer.site_written")
site_published = signal("explainer.site_published")
after_publishing = signal("explainer.after_publishing")


_this_run: list[Any] = [None]  # the Build of the run between the two drivers


def run_site_phases(generators: list[Any]) -> None:
    """Phases 1 to 6, in order."""
    # every plugin is registered by now: the output phases move behind every other receiver
    # of `finalized`, so one that fails (another plugin's) fails before anything is published
    signals.finalized.disconnect(run_output_phases)
    signals.finalized.connect(run_output_phases)
    if not generators:
        return
    context = generators[0].context
    _this_run[0] = build_of(context)
    documents_read.send(generators)
    contents = [c for c in contents_of(generators) if getattr(c, "markdown_document", None)]
    documents_parsed.send(build_of(context), contents=contents, context=context)
    for phase in (documents_checked, documents_filled, site_ready, before_writing):
        phase.send(generators)


def run_output_phases(pelican: Any) -> None:
    """Phases 7 to 9, in order; receivers get the Pelican object and, as `build`, the Build."""
    build, _this_run[0] = _this_run[0], None
    for phase in (site_written, site_published, after_publishing):
        phase.send(pelican, build=build)


def connect_phases() -> None:
    """Called by every plugin's `register`; blinker keeps one connection of each driver."""
    signals.all_generators_finalized.connect(run_site_phases)
    signals.finalized.connect(run_output_phases)
