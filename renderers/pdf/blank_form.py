"""The blank paper form (tờ khai) of a procedure, to print and fill with a pen."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from form_schemas.wording import checked_agency
from renderers.pdf.engine import get_renderer, render_template
from renderers.pdf.form_layout import FormLayout, build_layout
from renderers.pdf.office import OfficeHeading

FORM_WORDS = ("tờ khai", "đơn ", "giấy đề nghị", "phiếu", "văn bản đề nghị")
DEFAULT_SIGNERS = ({"title": "Người yêu cầu"},)
SIGN_NOTE = "(Ký, ghi rõ họ tên)"
_NUMBER = re.compile(r"\bMẫu\s+(?:số\s+)?[\w./-]*\d[\w./-]*(?:\s+Phụ lục\s+[IVXLC\d]+)?", re.IGNORECASE)
_ISSUER = re.compile(r"(?:Thông tư|Nghị định|Quyết định|Nghị quyết)(?:\s+liên tịch)?(?:\s+số)?\s+[^\s();,]+",
                     re.IGNORECASE)
ISSUED_WITH = "ban hành kèm theo "


@dataclass(frozen=True)
class OfficialForm:
    """The official form a procedure's application is written on."""

    name: str
    number: str = ""  # "Mẫu CT01"
    circular: str = ""  # "ban hành kèm theo Thông tư số 53/2025/TT-BCA"
    field: str = ""  # the attachment field of the signed form, never listed as its own attachment


def _application_document(procedure: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The document that is the application itself: the first with a template naming a form."""
    for item in procedure.get("documents") or []:
        name = str(item.get("name", "")).strip().lower()
        if item.get("template") and name.startswith(FORM_WORDS):
            return item
    return None


def official_form(document: Mapping[str, Any]) -> OfficialForm | None:
    """`x-procedure.form`, else the application document's `template`; None when neither names
    a form."""
    procedure = document.get("x-procedure") or {}
    application = _application_document(procedure)
    field = str((application or {}).get("field") or "")
    declared = procedure.get("form")
    if isinstance(declared, Mapping) and declared.get("name"):
        circular = str(declared.get("circular") or "")
        if circular and not circular.lower().startswith("ban hành"):
            circular = ISSUED_WITH + circular
        return OfficialForm(str(declared["name"]), str(declared.get("number") or ""), circular, field)
    if application is None:
        return None
    name = re.split(r"[;(]", str(application["name"]), maxsplit=1)[0].strip()
    template = str(application["template"]).strip()
    number_match = _NUMBER.search(template)
    issuer_match = _ISSUER.search(template)
    number = number_match.group(0) if number_match else ""
    circular = ISSUED_WITH + issuer_match.group(0) if issuer_match else ""
    return OfficialForm(name, number, circular, field)


def form_title(document: Mapping[str, Any]) -> str:
    """The official form's name when the document names one; else a title naming its form is
    kept and "Đăng ký khai sinh" becomes "Tờ khai đăng ký khai sinh"."""
    official = official_form(document)
    if official is not None:
        return official.name
    title = document.get("title", "").strip()
    if title.lower().startswith(FORM_WORDS):
        return title
    return "Tờ khai " + title[:1].lower() + title[1:]


def _fold(text: str) -> str:
    return " ".join(text.lower().split())


def without_own_form(layout: FormLayout, official: OfficialForm | None, title: str) -> FormLayout:
    """The attachments less the form itself (its signed copy is the paper being filled)."""
    def is_self(path: str, name: str) -> bool:
        if official is not None and official.field and path == official.field:
            return True
        return _fold(name).startswith(_fold(title))

    attachments = [f for f in layout.attachments if not is_self(f.path, f.title)]
    return FormLayout(fields=layout.fields, attachments=attachments)


def signers(document: Mapping[str, Any]) -> list[dict[str, str]]:
    """One signature block per signer (`x-signers`), else the applicant's."""
    listed = document.get("x-signers") or DEFAULT_SIGNERS
    return [{"title": str(item.get("title", "")), "note": str(item.get("note") or SIGN_NOTE)}
            for item in listed if isinstance(item, Mapping)]


def recipient(document: Mapping[str, Any], office: OfficeHeading | None) -> str:
    """"Kính gửi": a commune office's people's committee, else the procedure's checked competent
    agency, else "" (a dotted line the applicant fills)."""
    if office is not None and office.authority:
        return office.authority
    return checked_agency(document, "competent")


def form_context(
    document: Mapping[str, Any],
    instance: Mapping[str, Any] | None = None,
    *,
    signed_on: date | None = None,
    place: str | None = None,
    signer: str | None = None,
    office: OfficeHeading | None = None,
) -> dict[str, Any]:
    """The template context of a blank (no instance) or filled form."""
    official = official_form(document)
    title = form_title(document)
    people = signers(document)
    return {
        "document": document,
        "procedure": document["x-procedure"],
        "form_title": title,
        "official": official,
        "layout": without_own_form(build_layout(document, instance), official, title),
        "filled": instance is not None,
        "recipient_filled": False,
        # "Kính gửi" names the office's authority, or the competent agency when it is a checked
        # fact; otherwise the applicant writes it on the dotted line
        "recipient": recipient(document, office),
        "signed_on": signed_on,
        "place": place or (office.place_name if office else None),
        "signer": signer if len(people) == 1 else None,
        "signers": people,
        "office": office,
    }


def blank_form_html(
    document: Mapping[str, Any], *, office: OfficeHeading | None = None, preview: bool = True
) -> str:
    """HTML of the blank form; with `preview` the CSS is inlined for a browser."""
    return render_template("form.html", preview=preview, **form_context(document, office=office))


def render_blank_form(document: Mapping[str, Any], *, office: OfficeHeading | None = None) -> bytes:
    """PDF of the blank form (addressed to `office`'s authority when given)."""
    return get_renderer().pdf(blank_form_html(document, office=office, preview=False))
