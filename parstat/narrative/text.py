"""A narrative text as people paste it, reduced to what is kept: plain paragraphs and list items.

Text pasted from Word arrives with its non-breaking spaces, bullet glyphs, tabs, manual line
breaks and zero-width marks; only the words are kept, so every output (page, .docx, .pdf) lays the
text out the same way. A line starting with "- " is a list item; any other line a paragraph.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

MAX_TEXT = 20_000  # characters in one part; a whole quarterly report is a few thousand

_SPACES = dict.fromkeys(map(ord, "\u00a0\u2007\u202f\u2002\u2003\u2009\t"), " ")
_DROPPED = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u00ad\ufeff\u2060"), None)
# Word's bullets (symbol-font glyphs included) and the dashes people type as bullets.
_BULLET = re.compile(r"^\s*(?:[•◦▪▫●○■□·\uf0b7\uf0a7\uf0d8\uf076\uf0fc*+\-–—]|o(?=\s))\s+")
_BREAKS = {"\x0b": "\n", "\x0c": "\n\n", "\u2028": "\n", "\u2029": "\n\n"}


@dataclass(frozen=True)
class Block:
    kind: str  # "p" a paragraph, "li" a list item
    text: str


def clean(text: str) -> str:
    """The text as stored: NFC, plain spaces, one "- " per list item, no empty lines doubled."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    for mark, replacement in _BREAKS.items():
        text = text.replace(mark, replacement)
    text = text.translate(_SPACES).translate(_DROPPED)
    lines = []
    for line in text.split("\n"):
        bulleted = _BULLET.match(line)
        line = " ".join(line[bulleted.end():].split()) if bulleted else " ".join(line.split())
        lines.append(f"- {line}" if bulleted and line else line)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")


def first_control_character(text: str) -> str | None:
    """The first control character left in a cleaned text (a newline is not one)."""
    bad = next((ch for ch in text if ch != "\n" and unicodedata.category(ch) == "Cc"), None)
    return None if bad is None else f"U+{ord(bad):04X}"


def blocks(text: str) -> list[Block]:
    """The paragraphs and list items of a stored text, in order."""
    out = []
    for line in text.split("\n"):
        if line.startswith("- "):
            out.append(Block("li", line[2:]))
        elif line.strip():
            out.append(Block("p", line))
    return out
