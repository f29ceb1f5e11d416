"""A byline as a citation manager wants it: family and given names, or an organisation.

Sources give authors as written ("Alistair Farrow", "Freedom for Immigrants", "IMA-USA").
Citation styles sort and abbreviate by family name, so a person's name is split; a name we
cannot split safely is kept whole (`literal`), which no style mangles.
"""

from __future__ import annotations

# lowercase particles stay with the family name but are not sorted on ("Ludwig van Beethoven")
_PARTICLES = {"da", "das", "de", "del", "della", "den", "der", "di", "do", "dos", "du", "la",
              "las", "le", "los", "ten", "ter", "van", "von", "y", "zu"}  # fmt: skip
# capitalised, they start a compound family name ("Norissa Santa Cruz", "Maria De La Cruz")
_FAMILY_STARTS = {"da", "de", "del", "della", "di", "dos", "du", "san", "santa", "santo", "van",
                  "von"}  # fmt: skip
_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"}
# a byline with one of these words names a body, not a person
_ORGANISATION_WORDS = {
    "administration", "agency", "alliance", "association", "board", "campaign", "center",
    "centre", "coalition", "commission", "committee", "council", "court", "department",
    "desk", "editors", "foundation", "government", "group", "institute", "league", "ministry",
    "network", "news", "newsroom", "office", "organisation", "organization", "party", "press",
    "project", "reporters", "service", "society", "staff", "team", "union", "wire",
}  # fmt: skip
_CONNECTIVES = {"and", "for", "of", "on", "the", "against", "&"}


def is_organisation(name: str, outlet: str = "") -> bool:
    """A body rather than a person: the outlet itself, one word, an acronym, a body's word."""
    words = name.split()
    lowered = [word.lower().strip(".,()") for word in words]
    return (
        len(words) < 2
        or outlet.lower().startswith(name.lower())
        or any(character.isdigit() for character in name)
        or any(word in _ORGANISATION_WORDS or word in _CONNECTIVES for word in lowered)
        or any(len(word) > 1 and word.isupper() and "." not in word for word in words)
    )


def csl_name(name: str, outlet: str = "") -> dict[str, str]:
    """One CSL name: `family`/`given` (with particle and suffix) or `literal`.

    "Family, Given" is taken as written, so a contributor can settle a name this cannot guess
    (a double family name without a particle: "García Márquez, Gabriel").
    """
    name = " ".join(name.split())
    if is_organisation(name, outlet):
        return {"literal": name}
    parts = [part.strip() for part in name.split(",")]
    suffix = ""
    if len(parts) > 1 and parts[-1].lower() in _SUFFIXES:  # "Martin Luther King, Jr."
        suffix = parts.pop()
    elif len(parts) == 3 and parts[1].lower() in _SUFFIXES:  # "King, Jr., Martin Luther"
        suffix = parts.pop(1)
    if len(parts) == 2 and all(parts):
        return _with_suffix({"family": parts[0], "given": parts[1]}, suffix)
    if len(parts) != 1:
        return {"literal": name}
    words = parts[0].split()
    if not suffix and len(words) > 2 and words[-1].lower() in _SUFFIXES:
        suffix = words.pop()
    return _with_suffix(_split_words(words), suffix)


def _split_words(words: list[str]) -> dict[str, str]:
    if len(words) < 2:
        return {"literal": " ".join(words)}
    start = len(words) - 1
    for index in range(1, len(words) - 1):
        if words[index].lower() in _PARTICLES | _FAMILY_STARTS:
            start = index
            break
    given, family = words[:start], words[start:]
    particle: list[str] = []
    while len(family) > 1 and family[0].islower() and family[0] in _PARTICLES:
        particle.append(family.pop(0))
    name = {"family": " ".join(family), "given": " ".join(given)}
    if particle:
        name["non-dropping-particle"] = " ".join(particle)
    return name


def _with_suffix(name: dict[str, str], suffix: str) -> dict[str, str]:
    return {**name, "suffix": suffix} if suffix and "literal" not in name else name


def inverted(name: dict[str, str], *, suffix_last: bool) -> str:
    """The name family first, or the organisation: BibTeX writes "von Last, Jr., First"
    (`suffix_last=False`), RIS "Last, First, Suffix"."""
    if "literal" in name:
        return name["literal"]
    family = " ".join(filter(None, [name.get("non-dropping-particle", ""), name["family"]]))
    suffix, given = name.get("suffix", ""), name.get("given", "")
    parts = [family, given, suffix] if suffix_last else [family, suffix, given]
    return ", ".join(filter(None, parts))
