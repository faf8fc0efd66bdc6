"""CompiledForm: one procedure version's form, compiled once per process and reused."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping
from typing import Any

from werkzeug.datastructures import MultiDict

from form_schemas.canonical import document_hash
from form_schemas.dialect import normalise
from form_schemas.instance import build_validator, errors_by_input, field_errors

from .compile import compile_tree
from .decode import FormData, StoreUpload, Submission, apply_action, decode, defaults, encode
from .fields import FILE, MISSING, WIDGET_HOOKS, FileRule, KeptUpload, Node
from .html import render


class CompiledForm:
    """The application form of one procedure document: render, decode, validate."""

    def __init__(self, document: Mapping[str, Any], key: str | None = None):
        self.document = document
        self.key = key or document_hash(document)
        self.title = str(document.get("title", ""))
        self.description = str(document.get("description") or "")  # the form's introduction
        self.schema = normalise(document)  # as the engine reads it (2020-12 spellings)
        self.root: Node = compile_tree(self.schema)
        self.validator = build_validator(self.schema)
        self.nodes: dict[str, Node] = {node.pattern: node for node in self.root.walk()}
        self.file_fields: dict[str, FileRule] = {
            pattern: node.file_rule for pattern, node in self.nodes.items() if node.widget == FILE and node.file_rule
        }
        self._wtforms_class: type | None = None
        self.has_hooks = any(WIDGET_HOOKS[node.widget].routes_errors for node in self.nodes.values())

    # -- drawing ------------------------------------------------------------------------------
    def render(
        self,
        formdata: FormData | Mapping[str, Any] | None = None,
        errors: Mapping[str, list[str]] | None = None,
        kept_uploads: Mapping[str, KeptUpload | str] | None = None,
        locale: str = "vi",
        *,
        data: Mapping[str, Any] | None = None,
        summary_title: str | None = None,
    ) -> str:
        """The form's body as HTML (no <form> tag, no CSRF token: the app adds those).

        `formdata`: what was posted (re-render after a failed submission keeps every value);
        `data`: an instance to show (a saved draft) when nothing was posted; neither: defaults.
        `errors`: input name -> messages (from `submit`/`validate`), shown on each field and in
        a summary at the top. `kept_uploads`: input name -> files already stored.
        `summary_title`: the summary's heading when the form is not a citizen's application.
        """
        from .decode import as_formdata

        values = as_formdata(formdata) if formdata is not None else None
        return render(self.root, values, errors, kept_uploads, locale, data, summary_title)

    # -- reading a submission -----------------------------------------------------------------
    def decode(
        self,
        formdata: FormData | Mapping[str, Any],
        files: FormData | None = None,
        store_upload: StoreUpload | None = None,
        kept_uploads: Mapping[str, KeptUpload | str] | None = None,
        locale: str = "vi",
    ) -> Submission:
        """Posted data -> JSON instance (typed, empty optional fields left out). Not validated."""
        return decode(self.root, formdata, files, store_upload, kept_uploads, locale)

    def validate(self, instance: Any, locale: str = "vi") -> dict[str, list[str]]:
        """Citizen-facing messages by input name; {} when the instance is valid."""
        found = errors_by_input(field_errors(self.schema, instance, locale, self.validator))
        if not found:
            return found
        placed: dict[str, list[str]] = {}
        for name, messages in found.items():
            target = placed.setdefault(self.input_for(name, instance), [])
            target.extend(m for m in messages if m not in target)
        return placed

    def submit(
        self,
        formdata: FormData | Mapping[str, Any],
        files: FormData | None = None,
        store_upload: StoreUpload | None = None,
        kept_uploads: Mapping[str, KeptUpload | str] | None = None,
        locale: str = "vi",
    ) -> Submission:
        """Decode and validate: `.ok`, `.instance`, `.errors`, `.uploads` (to keep on re-render)."""
        submission = self.decode(formdata, files, store_upload, kept_uploads, locale)
        for name, messages in self.validate(submission.instance, locale).items():
            if name not in submission.errors:  # an upload problem already explains the field
                submission.errors[name] = messages
        return submission

    def is_valid(self, instance: Any) -> bool:
        return self.validator.is_valid(instance)

    # -- helpers for the app ------------------------------------------------------------------
    def encode(self, instance: Mapping[str, Any] | None) -> MultiDict:
        """`instance` as a browser would post it (file fields carry their attachment ids)."""
        return encode(self.root, instance)

    def defaults(self) -> dict[str, Any]:
        """The instance a blank form starts from."""
        value = defaults(self.root)
        return value if value is not MISSING else {}

    def apply_action(self, formdata: FormData | Mapping[str, Any]) -> MultiDict | None:
        """Without JavaScript, "Thêm"/"Xóa" post the form: the new form data to re-render, or None."""
        return apply_action(self.nodes, formdata)

    def file_rule(self, input_name: str) -> FileRule | None:
        """What the file input `input_name` (e.g. "children-2-birth_certificate") accepts."""
        node = self.nodes.get(_pattern(input_name))
        return node.file_rule if node is not None and node.widget == FILE else None

    def input_for(self, name: str, instance: Any = None) -> str:
        """The input (or group) that shows an error reported at `name` (in `instance`, which
        says the block picked in an alternatives field)."""
        parts = name.split("-") if name else []
        if instance is not None and self.has_hooks:
            parts = self._through_hooks(parts, instance)
        while parts:
            if _pattern_of(parts) in self.nodes:
                return "-".join(parts)
            parts.pop()
        return ""

    def _through_hooks(self, parts: list[str], instance: Any) -> list[str]:
        """`applicant-full_name` -> `applicant-ca_nhan-full_name` (the picked block's input)."""
        out: list[str] = []
        value = instance
        for part in parts:
            out.append(part)
            value = value[int(part)] if isinstance(value, list) and part.isdigit() and int(part) < len(value) \
                else value.get(part) if isinstance(value, Mapping) else None
            node = self.nodes.get(_pattern_of(out))
            if node is not None and WIDGET_HOOKS[node.widget].routes_errors:
                key = WIDGET_HOOKS[node.widget].input_for(node, value)
                if key:
                    out.append(key)
        return out

    @property
    def wtforms_class(self) -> type:
        """An equivalent WTForms form class (same input names), built on first use."""
        if self._wtforms_class is None:
            from .wtf import build_form_class

            self._wtforms_class = build_form_class(self.root)
        return self._wtforms_class


def _pattern_of(parts: list[str]) -> str:
    return "-".join("#" if part.isdigit() else part for part in parts)


def _pattern(name: str) -> str:
    return _pattern_of(name.split("-"))


_CACHE_SIZE = 128
_cache: OrderedDict[str, CompiledForm] = OrderedDict()
_lock = threading.Lock()


def compile_form(document: Mapping[str, Any], key: str | None = None) -> CompiledForm:
    """The compiled form of a procedure document, built once per document version per process.

    `key` is the document's hash when the caller has it (stored versions do); otherwise it is
    computed. Raises `UnsupportedForm` (with every problem and its JSON pointer) when the
    document uses something the form engine cannot draw.
    """
    key = key or document_hash(document)
    with _lock:
        compiled = _cache.get(key)
        if compiled is not None:
            _cache.move_to_end(key)
            return compiled
    compiled = CompiledForm(document, key)
    with _lock:
        _cache[key] = compiled
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return compiled


def clear_cache() -> None:
    """Forget every compiled form (for tests and benchmarks)."""
    with _lock:
        _cache.clear()
