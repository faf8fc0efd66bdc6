"""The renderer entry of the "alternatives" kind (form_schemas/kinds.py): HTML, decoding,
encoding, defaults and WTForms for `oneOf`/`anyOf` of titled object blocks.

The rule: the citizen picks one block with a radio button (input `NAME`, value the block's
key); each block is a group whose inputs are named `NAME-<block key>-<field>` and shown only
while it is picked (the script's `data-show-when`). Only the picked block is decoded, so the
instance holds that block's object and jsonschema judges it as `oneOf`/`anyOf` does. A
stored value is drawn in the first block it fits.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .fields import (
    ALTERNATIVES,
    GROUP,
    MISSING,
    RADIO,
    WIDGET_HOOKS,
    Node,
    Widget,
    join,
    register_widget,
    same_json,
)


def pick_block(node: Node, value: Any) -> Node | None:
    """The block a stored value belongs to: every key is one of its fields, its constants
    match and its required fields are there; else the block sharing the most keys."""
    if not isinstance(value, Mapping):
        return None
    best: tuple[int, Node] | None = None
    for block in node.children:
        fields = {child.key: child for child in block.children}
        fits = set(value) <= set(fields) and all(
            same_json(child.const, value[key]) for key, child in fields.items()
            if child.const is not MISSING and key in value
        ) and all(key in value for key, child in fields.items() if child.required)
        if fits:
            return block
        shared = len(set(value) & set(fields))
        if best is None or shared > best[0]:
            best = (shared, block)
    return best[1] if best else None


class Alternatives(Widget):
    """A radio choice of blocks (input `NAME`), then each block as a group shown while picked."""

    routes_errors = True

    def decode(self, decoder: Any, node: Node, name: str) -> Any:
        from .decode import _Empty

        raw = decoder.form.get(name)
        chosen = raw.strip() if isinstance(raw, str) else ""
        block = next((b for b in node.children if b.key == chosen), None)
        if block is None:
            return MISSING  # nothing picked: `required` (when it is) says so
        value = decoder.value(block, join(name, block.key))  # type: ignore[arg-type]
        if value is MISSING:
            return {}
        return value.value if isinstance(value, _Empty) else value

    def encode(self, node: Node, value: Any, name: str, out: Any) -> None:
        from .decode import encode_into

        block = pick_block(node, value)
        if block is None:
            return
        out.add(name, block.key)
        encode_into(block, value, join(name, block.key), out)  # type: ignore[arg-type]

    def defaults(self, node: Node) -> Any:
        return dict(node.default) if isinstance(node.default, Mapping) else MISSING

    def render(self, renderer: Any, node: Node, name: str, prefix: str, out: list[str], context: str,
               label: str | None) -> None:
        out.append(f'<div class="mc-alternatives" id="{name}--alternatives"{renderer.show(node, prefix)}>')
        WIDGET_HOOKS[RADIO].draw(renderer, node, name, prefix, out, context, label)  # type: ignore[attr-defined]
        for block in node.children:
            WIDGET_HOOKS[GROUP].render(renderer, block, join(name, block.key), prefix, out, node.label, None)  # type: ignore[arg-type]
        out.append("</div>")

    def wtforms(self, node: Node, options: dict[str, Any], class_name: str, build_form_class: Any) -> Any:
        """The block choice as a RadioField (the blocks' inputs are the engine's own)."""
        from wtforms import RadioField

        return RadioField(choices=[(c.key, c.label) for c in node.choices], validate_choice=False, **options)

    def input_for(self, node: Node, value: Any) -> str | None:
        """The block key inserted in an input name when an error is reported inside `value`."""
        block = pick_block(node, value)
        return block.key if block is not None and block.widget == GROUP else None


register_widget(ALTERNATIVES, Alternatives(), ("alternatives",))
