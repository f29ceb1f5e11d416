"""Gatekeeping the output: fail on content problems or broken links, else publish atomically."""

from __future__ import annotations

from typing import Any

from pelican import signals

from sitecheck.gate import (
    BuildFailed,
    ContentGate,
    fail_before_writing,
    page_written,
    publish_output,
    report_problems,
    stage_output,
)
from sitecheck.links import check_links
from sitecheck.paths import check_content_files, check_output_paths
from sitemodel.phases import before_writing, connect_phases, documents_checked, site_published
from sitemodel.settings import enforce_autoescape

__all__ = ["BuildFailed", "check_links", "register", "report_problems"]


def get_generators(pelican: Any) -> type[ContentGate]:
    # get_generators is sent at the start of every run, before any generator is created
    stage_output(pelican)
    return ContentGate


def register() -> None:
    connect_phases()
    signals.initialized.connect(enforce_autoescape)
    documents_checked.connect(check_content_files)
    documents_checked.connect(check_output_paths)
    before_writing.connect(fail_before_writing)
    signals.get_generators.connect(get_generators)
    signals.content_written.connect(page_written)
    site_published.connect(publish_output)
