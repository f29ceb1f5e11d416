"""Generate a synthetic but realistic explainer site of N explainers and N sources.

Two variants of the same text: `ours` (citations, wiki links, glossary, related/compares front
matter, for our plugins) and `plain` (citations and wiki links removed, for plain Pelican with its
default Markdown reader).
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import tempfile
from pathlib import Path

WORDS = [
    "agency",
    "border",
    "children",
    "custody",
    "court",
    "data",
    "detention",
    "family",
    "federal",
    "government",
    "hearing",
    "immigration",
    "judge",
    "law",
    "lawyers",
    "office",
    "parents",
    "people",
    "policy",
    "program",
    "records",
    "report",
    "rights",
    "sponsor",
    "state",
    "system",
    "time",
    "workers",
    "year",
    "asylum",
    "officials",
    "process",
    "camp",
    "statement",
    "numbers",
    "release",
    "shelter",
    "school",
    "health",
    "care",
    "county",
    "city",
    "river",
    "line",
    "case",
    "cases",
    "public",
    "letter",
    "week",
    "month",
    "group",
    "campaign",
    "vote",
    "budget",
    "rule",
    "order",
    "staff",
    "plan",
    "review",
    "office",
    "report",
    "country",
    "region",
]
TOPICS = ["custody", "family separation", "prosecutions", "expulsions", "workplace raids", "rules"]


def sentence(rng: random.Random, figure: bool = True) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 20))]
    if figure and rng.random() < 0.3:
        words.insert(rng.randint(0, len(words)), f"{rng.randint(2, 9999):,}")
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def paragraph(rng: random.Random, sentences: int, figures_last_only: bool = False) -> str:
    """Sentences; with `figures_last_only`, figures only in the last (the cited) sentence."""
    return " ".join(
        sentence(rng, figure=not figures_last_only or index == sentences - 1)
        for index in range(sentences)
    )


def make_source(rng: random.Random, index: int) -> tuple[str, list[str]]:
    target = rng.randint(500, 1500)
    paragraphs: list[str] = []
    while sum(len(p.split()) for p in paragraphs) < target:
        paragraphs.append(paragraph(rng, rng.randint(3, 6)))
    front = (
        f'---\ntitle: "Source number {index}"\noutlet: Outlet {index % 50}\n'
        f"author: Writer {index % 300}\n"
        f"published: 20{10 + index % 15:02d}-0{1 + index % 9}-1{index % 9}\n"
        f"url: https://example.org/articles/{index}\nkind: news\nlanguage: en\n---\n"
    )
    return front + "\n\n".join(paragraphs) + "\n", paragraphs


def quote_from(rng: random.Random, paragraphs: list[str]) -> str:
    words = rng.choice(paragraphs).split()
    length = rng.randint(5, 12)
    start = rng.randint(0, max(0, len(words) - length))
    return " ".join(words[start : start + length])


def make_explainer(
    rng: random.Random, index: int, n: int, sources: list[list[str]]
) -> tuple[str, str]:
    """(ours, plain) text of explainer `index`."""
    target = rng.randint(400, 900)
    cited = rng.sample(range(n), k=min(n, rng.randint(2, 5)))
    citations = rng.randint(5, 15)
    links = [f"explainer-{rng.randrange(n)}" for _ in range(rng.randint(2, 4))]
    body: list[str] = []
    words = 0
    made = 0
    while words < target or made < citations:
        text = paragraph(rng, rng.randint(2, 5), figures_last_only=True)
        words += len(text.split())
        source = rng.choice(cited)
        if rng.random() < 0.5:
            cite = f'[@source-{source}, "{quote_from(rng, sources[source])}"]'
        else:
            cite = f"[@source-{source}]"
        made += 1
        link = f" See [[{links[len(body) % len(links)]}]]." if rng.random() < 0.4 else ""
        body.append(text[:-1] + f" {cite}." + link)
    related = sorted({f"explainer-{rng.randrange(n)}" for _ in range(2)} - {f"explainer-{index}"})
    topics = rng.sample(TOPICS, k=2)
    front = (
        f'---\ntitle: "Explainer number {index}"\n'
        f'summary: "{sentence(rng, figure=False)}"\ndate: 2026-01-01\n'
        f"topics: [{', '.join(topics)}]\nrelated: [{', '.join(related)}]\n"
        + (f"compares: [{', '.join(related)}]\n" if index % 20 == 0 and related else "")
        + "lang: en\n---\n"
    )
    ours = front + "\n\n".join(body) + "\n"
    plain_body = re.sub(r" \[@[^\]]*\]", "", "\n\n".join(body))
    plain_body = re.sub(r"\[\[([^\]|]+)\]\]", r"\1", plain_body)
    plain_front = (
        f"---\ntitle: Explainer number {index}\ndate: 2026-01-01\ntags: {', '.join(topics)}\n---\n"
    )
    return ours, plain_front + plain_body + "\n"


def glossary(rng: random.Random, n_sources: int, sources: list[list[str]]) -> str:
    entries = []
    for index, word in enumerate(sorted(set(WORDS))[:40]):
        source = index % n_sources
        entries.append(
            f"- id: term-{word}\n  term: {word} term\n  definition: >-\n"
            f'    About {word} [@source-{source}, "{quote_from(rng, sources[source])}"].\n'
        )
    return "".join(entries)


def generate(n: int, root: Path, seed: int = 1) -> None:
    rng = random.Random(seed)
    ours, plain = root / "ours", root / "plain"
    for folder in (ours / "sources", ours / "explainers", plain / "explainers"):
        folder.mkdir(parents=True, exist_ok=True)
    sources = []
    for index in range(n):
        text, paragraphs = make_source(rng, index)
        (ours / "sources" / f"source-{index}.md").write_text(text, encoding="utf-8")
        sources.append(paragraphs)
    for index in range(n):
        ours_text, plain_text = make_explainer(rng, index, n, sources)
        (ours / "explainers" / f"explainer-{index}.md").write_text(ours_text, encoding="utf-8")
        (plain / "explainers" / f"explainer-{index}.md").write_text(plain_text, encoding="utf-8")
    (ours / "glossary.yml").write_text(glossary(rng, n, sources), encoding="utf-8")


def generated(n: int) -> Path:
    """The synthetic site of size n in the temporary folder (`ours/`, `plain/`), made once."""
    root = Path(tempfile.gettempdir()) / "explainer-bench" / str(n)
    if not (root / "ours").exists():
        generate(n, root)
    return root


def working_copy(n: int, name: str) -> Path:
    """A fresh folder `name` beside the site of size n, with its content copied to `content/`
    (for runs that edit it)."""
    work = generated(n) / name
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(work.parent / "ours", work / "content")
    return work


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("n", type=int)
    parser.add_argument("root", type=Path)
    args = parser.parse_args()
    generate(args.n, args.root)
