"""A tiny HTML reader for the form engine tests (stdlib only)."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"input", "br", "img", "meta", "link", "hr"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str | None]
    parent: Element | None = None
    children: list[Element] = field(default_factory=list)
    text: str = ""
    in_template: bool = False

    def get(self, name: str) -> str | None:
        return self.attrs.get(name)

    def has(self, name: str) -> bool:
        return name in self.attrs

    def all_text(self) -> str:
        return self.text + "".join(child.all_text() for child in self.children)

    def ancestors(self) -> list[Element]:
        found = []
        node = self.parent
        while node is not None:
            found.append(node)
            node = node.parent
        return found


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("root", {})
        self.stack = [self.root]
        self.elements: list[Element] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        parent = self.stack[-1]
        element = Element(tag, dict(attrs), parent, in_template=parent.in_template or parent.tag == "template")
        parent.children.append(element)
        self.elements.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        while len(self.stack) > 1:
            element = self.stack.pop()
            if element.tag == tag:
                break

    def handle_data(self, data: str) -> None:
        self.stack[-1].text += data


class Page:
    """Parsed HTML with lookups by id, name and tag (template contents excluded by default)."""

    def __init__(self, html: str):
        reader = _Reader()
        reader.feed(html)
        reader.close()
        self.html = html
        self.root = reader.root
        self.all = reader.elements
        self.elements = [e for e in reader.elements if not e.in_template]

    def by_id(self, ident: str) -> Element:
        found = [e for e in self.elements if e.get("id") == ident]
        assert len(found) == 1, f"{len(found)} elements with id {ident!r}"
        return found[0]

    def named(self, name: str) -> list[Element]:
        return [e for e in self.elements if e.get("name") == name and e.tag in ("input", "select", "textarea")]

    def control(self, name: str) -> Element:
        found = [e for e in self.named(name) if e.get("type") != "hidden"]
        assert len(found) == 1, f"{len(found)} controls named {name!r}"
        return found[0]

    def tags(self, tag: str) -> list[Element]:
        return [e for e in self.elements if e.tag == tag]

    def label_for(self, ident: str) -> Element:
        found = [e for e in self.elements if e.tag == "label" and e.get("for") == ident]
        assert len(found) == 1, f"{len(found)} labels for {ident!r}"
        return found[0]

    def controls(self) -> list[Element]:
        return [
            e
            for e in self.elements
            if e.tag in ("input", "select", "textarea") and e.get("type") not in ("hidden",)
        ]
