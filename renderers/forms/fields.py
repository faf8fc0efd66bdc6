"""The compiled form: a tree of nodes, one per property of the procedure's schema."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from form_schemas.kinds import plain_key

NAME_PREFIX = "\ue000"  # stands for the parent's input name prefix in show conditions


class _Missing:
    """Marks a value that is not there (distinct from None, which JSON can hold)."""

    _instance: _Missing | None = None

    def __new__(cls) -> _Missing:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


MISSING: Any = _Missing()

# Widgets a node can be drawn with.
TEXT = "text"  # <input type=…> (text, number, date, email, tel, url, datetime-local)
TEXTAREA = "textarea"
SELECT = "select"
RADIO = "radio"
CHECKBOXES = "checkboxes"  # array of an enum, one box per choice
MULTISELECT = "multiselect"  # array of an enum drawn as <select multiple>
CHECKBOX = "checkbox"  # a boolean that must be ticked (const: true)
FILE = "file"
GROUP = "group"  # object: fieldset + legend
REPEAT = "repeat"  # array of anything but an enum: repeating group with add/remove
ALTERNATIVES = "alternatives"  # oneOf/anyOf of titled blocks: radio, then the chosen block's fields

# The registry's kinds (form_schemas/kinds.py) -> the widget they are drawn with by default
# (x-widget may pick another: a choice as a select, …); every other kind is a TEXT input.
# Filled by `register_widget` (renderers/forms/controls.py, alternatives.py).
KIND_WIDGETS: dict[str, str] = {}

CHOICE_WIDGETS = frozenset((SELECT, RADIO, CHECKBOXES, MULTISELECT))


@dataclass(frozen=True)
class Choice:
    """One option of a choice field: what is posted (`key`), what is stored, what is shown."""

    key: str
    value: Any
    label: str
    label_en: str | None = None  # only for our own Có/Không
    hint: str = ""

    def text(self, english: bool) -> str:
        return self.label_en if english and self.label_en else self.label


@dataclass(frozen=True)
class FileRule:
    """What a file field accepts: media types (from contentMediaType) and a size limit."""

    accept: tuple[str, ...] = ()
    max_bytes: int | None = None

    def accepts(self, media_type: str | None) -> bool:
        """True when `media_type` is allowed ("image/*" patterns honoured; no list = anything)."""
        if not self.accept:
            return True
        if not media_type:
            return False
        media_type = media_type.split(";", 1)[0].strip().lower()
        major = media_type.split("/", 1)[0]
        return any(
            media_type == allowed or (allowed.endswith("/*") and allowed[:-2] == major)
            for allowed in self.accept
        )

    def too_big(self, size: int) -> bool:
        return self.max_bytes is not None and size > self.max_bytes


@dataclass(frozen=True)
class KeptUpload:
    """A file already stored for this application: its attachment id and original name."""

    id: str
    filename: str | None = None


@dataclass(frozen=True)
class Clause:
    """One part of a show condition: sibling `key` holds one of `values` (None: any value)."""

    key: str
    values: tuple[str, ...] | None
    present: bool  # the condition requires the sibling to be filled in


@dataclass(frozen=True)
class Condition:
    """All clauses hold (or, with `negate`, not all of them: the `else` branch)."""

    clauses: tuple[Clause, ...]
    negate: bool = False


@dataclass(eq=False)
class Node:
    """One property of the form. `pattern` is its input name with "#" for list indexes."""

    key: str | None  # property name; None for the items of an array
    pattern: str
    widget: str
    type: str
    label: str
    help: str = ""
    required: bool = False
    conditional: bool = False  # required only when a condition (if/then/else) holds
    show_when: tuple[Condition, ...] = ()  # shown when any holds; () = always shown
    read_only: bool = False
    default: Any = MISSING
    const: Any = MISSING
    format: str | None = None
    input_type: str = "text"
    attrs: str = ""  # HTML attributes mirroring the schema's constraints and hints
    choices: tuple[Choice, ...] = ()
    children: list[Node] = field(default_factory=list)
    item: Node | None = None
    min_items: int = 0
    max_items: int | None = None
    file_rule: FileRule | None = None
    depth: int = 0  # how many arrays enclose this node
    examples: tuple[Any, ...] = ()
    # filled in once compiled, for speed
    choice_values: dict[str, Any] = field(default_factory=dict)
    label_html: str = ""
    help_html: str = ""
    show_json: str = ""  # JSON of show_when, "\x00" standing for the parent's name prefix
    # a choice whose options another choice narrows (if A = v then this ∈ […]): A's key, and
    # each option key -> the values of A that allow it (the browser hides the others)
    narrowed_by: str = ""
    narrow_values: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def walk(self) -> list[Node]:
        """This node and every node below it, in form order."""
        found = [self]
        for child in self.children:
            found += child.walk()
        if self.item is not None:
            found += self.item.walk()
        return found

    def choice_key(self, value: Any) -> str:
        """The posted key of a stored value (its text when it is not a choice)."""
        for choice in self.choices:
            if same_json(choice.value, value):
                return choice.key
        return _plain_key(value)


def same_json(a: Any, b: Any) -> bool:
    """Equality as JSON sees it: 1 == 1.0, but True is not 1."""
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return a == b
    return type(a) is type(b) and a == b


_plain_key = plain_key  # the one spelling of a choice value as posted text


def join(prefix: str, key: str) -> str:
    """WTForms name of a child: "applicant" + "phone" -> "applicant-phone"."""
    return f"{prefix}-{key}" if prefix else key


class Widget:
    """The renderer half of a kind (form_schemas/kinds.py holds the rest): how one widget
    family is drawn, read back from posted data, written out as posted data, prefilled, and
    mirrored as a WTForms field. Modelled on WTForms' field classes: one object per family,
    registered in `WIDGET_HOOKS` (renderers/forms/controls.py, renderers/forms/alternatives.py);
    html.py, decode.py and wtf.py only dispatch through that table."""

    routes_errors = False  # `input_for` inserts a key into the input names of errors inside it
    compared = False  # a show condition may compare its value in the browser (forms.js)
    tested_filled = False  # a show condition may test whether it is filled in

    def file_rule(self, schema: Mapping[str, Any]) -> FileRule | None:
        """What a file input accepts (only file widgets have a rule)."""
        return None

    def attrs(self, schema: Mapping[str, Any], rule: FileRule | None) -> dict[str, str]:
        """HTML attributes mirroring the schema's constraints for the browser (widgets.py)."""
        return {}

    def render(self, renderer: Any, node: Node, name: str, prefix: str, out: list[str], context: str,
               label: str | None) -> None:
        """Append the field's HTML to `out` (`renderer`: html.Renderer, for the shared pieces)."""
        raise NotImplementedError

    def decode(self, decoder: Any, node: Node, name: str) -> Any:
        """The JSON value posted at `name` (MISSING when empty; `decoder`: decode._Decoder)."""
        raise NotImplementedError

    def encode(self, node: Node, value: Any, name: str, out: Any) -> None:
        """Add `value` to the MultiDict `out` as the browser would post it at `name`."""
        raise NotImplementedError

    def defaults(self, node: Node) -> Any:
        """The value a blank form starts from: the `default`, else the `const`, else MISSING."""
        if node.default is not MISSING:
            return node.default
        return node.const

    def wtforms(self, node: Node, options: dict[str, Any], class_name: str, build_form_class: Any) -> Any:
        """The equivalent unbound WTForms field (`options`: label, description, name)."""
        raise NotImplementedError

    def input_for(self, node: Node, value: Any) -> str | None:
        """The key inserted in an input name when an error is reported inside `value`."""
        return None


# widget name -> its renderer object (the table every dispatch goes through)
WIDGET_HOOKS: dict[str, Widget] = {}


def register_widget(name: str, widget: Widget, kinds: tuple[str, ...] = ()) -> Widget:
    """Add (or replace) the renderer object drawing widget `name`, the default widget of the
    registry's `kinds` (by name, form_schemas/kinds.py)."""
    WIDGET_HOOKS[name] = widget
    for kind in kinds:
        KIND_WIDGETS[kind] = name
    return widget
