"""The form engine: a procedure's JSON Schema -> the citizen's online form, and back.

Pure code: no Flask app, no database. The app feeds requests in and stores what comes out.

    from renderers.forms import compile_form, UploadRejected, STATIC_DIR

    form = compile_form(document)           # cached per document hash: paid once per version
    # (pass key=version.hash when the stored version already has its hash)

    # GET: a blank form (defaults), or a saved draft with data=instance
    body = form.render(locale=get_locale())               # HTML fragment, no <form>/CSRF

    # POST
    changed = form.apply_action(request.form)             # "Thêm"/"Xóa" pressed without JS?
    if changed is not None:
        return page(form.render(changed, kept_uploads=session_files, locale=loc))
    result = form.submit(request.form, request.files,
                         store_upload=store,              # (input_name, FileStorage) -> id
                         kept_uploads=session_files,      # files this applicant stored before
                         locale=loc)
    if result.ok:
        save(result.instance)                             # valid JSON instance of the schema
    else:                                                 # 422, every value and file kept
        return page(form.render(request.form, result.errors, result.uploads, loc)), 422

CompiledForm
    render(formdata=None, errors=None, kept_uploads=None, locale="vi", *, data=None) -> str
        The form body. `formdata` (a MultiDict) is what was posted; `data` an instance to show
        when nothing was posted; neither gives the defaults. `errors` maps input names to
        messages; they are shown on their fields and in a summary at the top
        (`<div role="alert">` linking to each field). `kept_uploads` maps input names to
        `KeptUpload(id, filename)` (or a bare id): the file is shown as uploaded and carried in
        a hidden input, so the citizen is not asked for it again.
    submit(formdata, files=None, store_upload=None, kept_uploads=None, locale="vi") -> Submission
        decode + validate. `Submission.ok`, `.instance` (dict), `.errors` (input name ->
        messages, Vietnamese or English), `.uploads` (input name -> KeptUpload, for the
        re-render). `store_upload(input_name, upload) -> attachment id` stores a posted file;
        it may raise `UploadRejected("message")` (wrong content, too big) and the message is
        shown on the field. A hidden attachment id is only accepted when it matches
        `kept_uploads` (when given): the app passes the files this applicant stored.
    decode(...) -> Submission        the same without validation
    validate(instance, locale="vi") -> dict[str, list[str]]   {} when valid
    encode(instance) -> MultiDict    an instance as the browser would post it
    defaults() -> dict               the instance a blank form starts from
    apply_action(formdata) -> MultiDict | None
        Repeating groups have "Thêm"/"Xóa" submit buttons (name "__action"): the script handles
        them in the page; without JavaScript the form is posted and this returns the form data
        with an item added or removed (re-render it with status 200), or None for a real submit.
    file_rule(input_name) -> FileRule | None     accepted types (.accept, .accepts(mimetype))
        and size limit (.max_bytes, .too_big(size)) of a file input, to check stored files.
    file_fields: dict[pattern, FileRule]          every file field ("children-#-scan")
    wtforms_class                                 an equivalent WTForms Form class
    title, description (the document's top-level description, for the apply page to show),
    key (document hash), document (as written), schema (as read: draft-07 spellings in their
    2020-12 form), validator (Draft202012Validator of `schema`, built once)

Assets: `SCRIPT` and `STYLE` (strings), or serve `STATIC_DIR` (forms.js, forms.css). The
script shows a field required only under a condition when the condition holds, and adds or
removes repeated items; without it every field shows and the server decides.

Input names follow WTForms: `applicant-full_name`, `children-0-name`; ids are the names.
Unsupported constructs raise `UnsupportedForm` (an `InvalidProcedure` with pointers).
"""

from __future__ import annotations

from pathlib import Path

from . import alternatives, controls  # noqa: F401  (register the widgets' renderer objects)
from .compile import UnsupportedForm
from .compiled import CompiledForm, clear_cache, compile_form
from .decode import Submission, UploadRejected
from .fields import FileRule, KeptUpload

STATIC_DIR = Path(__file__).parent / "static"
SCRIPT = (STATIC_DIR / "forms.js").read_text(encoding="utf-8")
STYLE = (STATIC_DIR / "forms.css").read_text(encoding="utf-8")

__all__ = [
    "SCRIPT",
    "STATIC_DIR",
    "STYLE",
    "CompiledForm",
    "FileRule",
    "KeptUpload",
    "Submission",
    "UnsupportedForm",
    "UploadRejected",
    "clear_cache",
    "compile_form",
]
