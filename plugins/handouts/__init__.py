"""Print handouts: one PDF per explainer and paper size, made with WeasyPrint, with a QR code."""

from __future__ import annotations

from typing import Any

from pelican import signals

from handouts.generator import HandoutGenerator, prepare_handouts
from handouts.model import Handout, HandoutFile
from handouts.options import DEFAULTS, PAPER, handout_options
from handouts.render import HandoutsUnavailable, qr_data_uri
from sitemodel.phases import connect_phases, site_ready

__all__ = [
    "DEFAULTS",
    "PAPER",
    "Handout",
    "HandoutFile",
    "HandoutGenerator",
    "HandoutsUnavailable",
    "handout_options",
    "qr_data_uri",
    "register",
]


def get_generators(pelican: Any) -> type[HandoutGenerator]:
    return HandoutGenerator


_SIGNAL_HANDLERS = (
    (signals.get_generators, get_generators),
    # every page is rendered and none written: the pages' "Print handout" links need the
    # PDFs' page counts
    (site_ready, prepare_handouts),
)


def register() -> None:
    connect_phases()
    for signal, handler in _SIGNAL_HANDLERS:
        signal.connect(handler)
