"""Small helpers to read a rendered agenda page back: its tags, its text, its inline SVGs."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from xml.etree import ElementTree as ET

SVG_NS = "{http://www.w3.org/2000/svg}"


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend(attrs)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        self.text.append(data)


def read(html: str) -> _Reader:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader


def tags(html: str) -> list[str]:
    """Every start tag, in order."""
    return read(html).tags


def text(html: str) -> str:
    """The page's text content, entities decoded, as one string."""
    return " ".join(read(html).text)


def svgs(html: str) -> list[ET.Element]:
    """Every inline SVG, parsed as XML (raises if one is not well-formed)."""
    return [ET.fromstring(s) for s in re.findall(r"<svg\b.*?</svg>", html, flags=re.S)]
