"""Make Pagefind's filter indexes byte-stable, so two builds of the same site are identical.

Pagefind 1.5 writes each filter's values, and the list of filters in its metadata file, in
hash-map order, which changes on every run (its source: "TODO: Change filter indexes to BTree
to give them a stable hash"). Everything else it writes is stable. We sort those lists, name
the rewritten files after their new content, and point the metadata and entry file at them.

Files are `gzip("pagefind_dcd" + CBOR)`. We decode only the CBOR this needs (integers, strings,
arrays, maps, simple values) and refuse to touch a file our decoder cannot re-encode exactly.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path
from typing import Any

SIGNATURE = b"pagefind_dcd"


class UnstableIndex(Exception):
    """The index is not in the format this module knows; it was left as Pagefind wrote it."""


def _head(major: int, value: int) -> bytes:
    if value < 24:
        return bytes([major << 5 | value])
    for extra, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if value < 1 << (8 * size):
            return bytes([major << 5 | extra]) + value.to_bytes(size, "big")
    raise UnstableIndex(f"integer too large for CBOR: {value}")


def cbor_encode(item: Any) -> bytes:
    """Shortest-form CBOR, as Pagefind's encoder (minicbor) writes it."""
    if item is False or item is True or item is None:
        return bytes([0xF4 if item is False else 0xF5 if item is True else 0xF6])
    if isinstance(item, int):
        return _head(0, item) if item >= 0 else _head(1, -1 - item)
    if isinstance(item, bytes):
        return _head(2, len(item)) + item
    if isinstance(item, str):
        data = item.encode("utf-8")
        return _head(3, len(data)) + data
    if isinstance(item, list):
        return _head(4, len(item)) + b"".join(cbor_encode(x) for x in item)
    if isinstance(item, dict):
        return _head(5, len(item)) + b"".join(
            cbor_encode(k) + cbor_encode(v) for k, v in item.items()
        )
    raise UnstableIndex(f"cannot encode {type(item).__name__} as CBOR")


def cbor_decode(data: bytes) -> Any:
    """The one CBOR item in `data` (definite lengths only)."""
    item, end = _decode(data, 0)
    if end != len(data):
        raise UnstableIndex("trailing bytes after the CBOR item")
    return item


def _decode(data: bytes, at: int) -> tuple[Any, int]:
    if at >= len(data):
        raise UnstableIndex("CBOR ends early")
    major, info = data[at] >> 5, data[at] & 31
    at += 1
    if major == 7:
        simple = {20: False, 21: True, 22: None}
        if info not in simple:
            raise UnstableIndex(f"unsupported CBOR simple value {info}")
        return simple[info], at
    if info < 24:
        value = info
    elif info <= 27:
        size = 1 << (info - 24)
        value = int.from_bytes(data[at : at + size], "big")
        at += size
    else:
        raise UnstableIndex("indefinite-length CBOR is not supported")
    if major == 0:
        return value, at
    if major == 1:
        return -1 - value, at
    if major in (2, 3):
        raw = data[at : at + value]
        return (raw if major == 2 else raw.decode("utf-8")), at + value
    if major == 4:
        items = []
        for _ in range(value):
            item, at = _decode(data, at)
            items.append(item)
        return items, at
    if major == 5:
        mapping = {}
        for _ in range(value):
            key, at = _decode(data, at)
            mapping[key], at = _decode(data, at)
        return mapping, at
    raise UnstableIndex(f"unsupported CBOR major type {major}")


def read_index_file(path: Path) -> Any:
    """Decode one Pagefind file, checking that re-encoding it gives the same bytes."""
    raw = gzip.decompress(path.read_bytes())
    if not raw.startswith(SIGNATURE):
        raise UnstableIndex(f"{path.name} does not start with the Pagefind signature")
    item = cbor_decode(raw[len(SIGNATURE) :])
    if cbor_encode(item) != raw[len(SIGNATURE) :]:
        raise UnstableIndex(f"{path.name} does not round-trip through our CBOR codec")
    return item


def write_index_file(bundle: Path, template: str, language: str, digits: int, item: Any) -> str:
    """Write `item` gzipped under a name made from its content; return that name."""
    body = cbor_encode(item)
    name = f"{language}_{hashlib.sha256(body).hexdigest()[:digits]}"
    data = gzip.compress(SIGNATURE + body, compresslevel=9, mtime=0)
    (bundle / template.format(name)).write_bytes(data)
    return name


def stabilise_bundle(bundle: Path) -> None:
    """Rewrite the filter indexes and metadata of a Pagefind bundle in a stable order."""
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for language, info in sorted(entry.get("languages", {}).items()):
        meta_path = bundle / f"pagefind.{info['hash']}.pf_meta"
        meta = read_index_file(meta_path)
        renamed: dict[str, str] = {}
        for path in sorted((bundle / "filter").glob(f"{language}_*.pf_filter")):
            index = read_index_file(path)
            if not (isinstance(index, list) and len(index) == 2 and isinstance(index[1], list)):
                raise UnstableIndex(f"{path.name} is not a [filter, values] pair")
            index[1].sort(key=lambda value: str(value[0]))
            path.unlink()
            renamed[path.name[: -len(".pf_filter")]] = write_index_file(
                bundle, "filter/{}.pf_filter", language, 7, index
            )
        _rename_filters(meta, renamed)
        meta_path.unlink()
        info["hash"] = write_index_file(bundle, "pagefind.{}.pf_meta", language, 10, meta)
    entry["languages"] = dict(sorted(entry.get("languages", {}).items()))
    entry_path.write_text(
        json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
    )


def _rename_filters(meta: Any, renamed: dict[str, str]) -> None:
    """Point the metadata's [name, hash] filter list at the new files, sorted by name."""
    if not renamed:
        return
    for part in meta if isinstance(meta, list) else []:
        if (
            isinstance(part, list)
            and part
            and all(isinstance(f, list) and len(f) == 2 and f[1] in renamed for f in part)
        ):
            for pair in part:
                pair[1] = renamed[pair[1]]
            part.sort(key=lambda pair: str(pair[0]))
            return
    raise UnstableIndex("no list of filters found in the Pagefind metadata")
