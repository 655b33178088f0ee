"""A reader for the block-style YAML subset our manifests use, so tests need no PyYAML.

Supports mappings, sequences (of scalars or mappings), plain and quoted scalars, comments and
blank lines. Anything else (flow collections, anchors, multi-line scalars, tabs) is refused with
:class:`YamlSubsetError`, so a manifest cannot silently drift outside what this reads.
"""

from __future__ import annotations

import re
from typing import Any

_KEY = re.compile(r"^([A-Za-z0-9_.-]+):(?:\s+(.*))?$")


class YamlSubsetError(ValueError):
    """The text uses YAML this reader does not support, or is malformed."""


def _scalar(text: str, line: int) -> str:
    text = text.strip()
    if text[:1] in ("'", '"'):
        quote = text[0]
        if len(text) < 2 or text[-1] != quote:
            raise YamlSubsetError(f"line {line}: unterminated quoted scalar")
        inner = text[1:-1]
        return inner.replace("''", "'") if quote == "'" else inner
    if text[:1] in ("[", "{", "&", "*", "|", ">", "!", "%", "@", "`"):
        raise YamlSubsetError(f"line {line}: unsupported YAML: {text[:20]!r}")
    return re.sub(r"\s+#.*$", "", text)


def _lines(text: str) -> list[tuple[int, int, str]]:
    out = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if "\t" in raw[: len(raw) - len(raw.lstrip())]:
            raise YamlSubsetError(f"line {number}: tab in indentation")
        stripped = raw.strip()
        if not stripped or stripped.startswith("#") or stripped in ("---", "..."):
            continue
        out.append((len(raw) - len(raw.lstrip(" ")), number, stripped))
    return out


def loads(text: str) -> Any:
    lines = _lines(text)
    if not lines:
        return None
    value, end = _block(lines, 0, lines[0][0])
    if end != len(lines):
        raise YamlSubsetError(f"line {lines[end][1]}: unexpected indentation")
    return value


def _block(lines: list[tuple[int, int, str]], at: int, indent: int) -> tuple[Any, int]:
    if lines[at][2].startswith("- ") or lines[at][2] == "-":
        return _sequence(lines, at, indent)
    return _mapping(lines, at, indent)


def _mapping(lines: list[tuple[int, int, str]], at: int, indent: int) -> tuple[dict[str, Any], int]:
    out: dict[str, Any] = {}
    while at < len(lines) and lines[at][0] == indent:
        _, number, text = lines[at]
        match = _KEY.match(text)
        if not match or text.startswith("- "):
            raise YamlSubsetError(f"line {number}: expected 'key: value'")
        key, rest = match.group(1), match.group(2)
        if key in out:
            raise YamlSubsetError(f"line {number}: duplicate key {key!r}")
        at += 1
        if rest is not None and rest.strip() and not rest.strip().startswith("#"):
            out[key] = _scalar(rest, number)
        elif at < len(lines) and (
            lines[at][0] > indent or (lines[at][0] == indent and lines[at][2].startswith("- "))
        ):
            out[key], at = _block(lines, at, lines[at][0])
        else:
            out[key] = None
    if at < len(lines) and lines[at][0] > indent:
        raise YamlSubsetError(f"line {lines[at][1]}: unexpected indentation")
    return out, at


def _sequence(lines: list[tuple[int, int, str]], at: int, indent: int) -> tuple[list[Any], int]:
    out: list[Any] = []
    while at < len(lines) and lines[at][0] == indent and lines[at][2].startswith("-"):
        _, number, text = lines[at]
        item = text[1:].strip()
        if _KEY.match(item):  # "- key: value" opens a mapping indented under the dash
            child = indent + (len(text) - len(item))
            rewritten = [(child, number, item), *lines[at + 1 :]]
            value, used = _mapping(rewritten, 0, child)
            out.append(value)
            at += used
        elif item:
            out.append(_scalar(item, number))
            at += 1
        else:
            raise YamlSubsetError(f"line {number}: empty sequence item")
    return out, at
