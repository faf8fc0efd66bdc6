"""Levels, subjects, agencies and the publication decision of a national record."""

from __future__ import annotations

import re

from .text import is_absent, one_line

LEVELS: dict[str, str] = {
    "cấp bộ": "central",
    "cấp tỉnh": "province",
    "cấp huyện": "district",
    "cấp xã": "commune",
    "cơ quan khác": "other",
}
# Subjects whose names contain commas, matched before splitting on commas.
_COMPOUND_SUBJECTS = (
    "Tổ chức (không bao gồm doanh nghiệp, HTX)",
    "Cán bộ, công chức, viên chức",
)
INDIVIDUAL_SUBJECTS = (
    "Công dân Việt Nam",
    "Người nước ngoài",
    "Người Việt Nam định cư ở nước ngoài",
    "Cán bộ, công chức, viên chức",
    "Đảng viên",
    "Người nước ngoài cư trú tại Việt Nam",
)
FOREIGN_SUBJECTS = ("Người nước ngoài", "Tổ chức nước ngoài", "Người nước ngoài cư trú tại Việt Nam")
MINISTRIES: dict[str, str] = {
    "bo-tai-chinh": "Bộ Tài chính",
    "bo-nong-nghiep-mt": "Bộ Nông nghiệp và Môi trường",
    "bo-xay-dung": "Bộ Xây dựng",
    "bo-cong-an": "Bộ Công an",
    "bo-tu-phap": "Bộ Tư pháp",
    "ngan-hang-nha-nuoc": "Ngân hàng Nhà nước Việt Nam",
    "toa-an-nhan-dan": "Tòa án nhân dân tối cao",
}
_DECISION_ISSUERS: dict[str, str] = {
    "BTC": "Bộ Tài chính",
    "BNNMT": "Bộ Nông nghiệp và Môi trường",
    "BXD": "Bộ Xây dựng",
    "BCA": "Bộ Công an",
    "BTP": "Bộ Tư pháp",
    "NHNN": "Ngân hàng Nhà nước Việt Nam",
    "TANDTC": "Tòa án nhân dân tối cao",
}


def parse_levels(text: str | None) -> tuple[list[str], str]:
    """Levels in our vocabulary; unknown labels make the part "raw"."""
    if is_absent(text):
        return [], "absent"
    levels: list[str] = []
    unknown = False
    for label in (one_line(part) for part in (text or "").split(",")):
        level = LEVELS.get(label.casefold())
        if level is None:
            unknown = unknown or bool(label)
        elif level not in levels:
            levels.append(level)
    return levels, "raw" if unknown or not levels else "parsed"


def parse_subjects(text: str | None) -> tuple[list[str], str]:
    """Subjects, keeping "Tổ chức (không bao gồm doanh nghiệp, HTX)" in one piece."""
    if is_absent(text):
        return [], "absent"
    rest = one_line(text)
    found: list[tuple[int, str]] = []
    for compound in _COMPOUND_SUBJECTS:
        while (at := rest.find(compound)) >= 0:
            found.append((at, compound))
            rest = rest[:at] + "\0" * len(compound) + rest[at + len(compound) :]
    position = 0
    for part in rest.split(","):
        label = part.strip()
        if label and "\0" not in label:
            found.append((position, label))
        position += len(part) + 1
    subjects: list[str] = []
    for _, label in sorted(found):
        if label not in subjects:
            subjects.append(label)
    return subjects, "parsed"


# Labels of the portal page: an agency cell holding one of them swallowed the rest of the page.
_PAGE_LABELS = ("Tên thủ tục", "Mã thủ tục", "Số quyết định", "Cấp thực hiện", "Lĩnh vực", "Trình tự thực hiện")


def agency_text(text: str | None) -> tuple[str, bool]:
    """(the agency named by a cell, whether the cell held something else instead).

    A cell that starts in lower case, runs over several lines or carries the page's own labels
    is other text glued into the cell (steps, the next fields): it names no agency."""
    value = _value(text)
    if not value:
        return "", False
    glued = ("\n" in value or not value[:1].isupper() or any(label in value for label in _PAGE_LABELS))
    return ("", True) if glued else (value, False)


def parse_agencies(record: dict) -> tuple[dict, str, list[dict]]:
    """Agencies as the record names them, with review marks for what it does not say.

    The competent agency is never the ministry the record was filed under: when the record
    has none it is the implementing agency (marked inferred, with that text as source), and
    when neither is given it is left out (unknown, marked to check). A cell that holds other
    text instead of a name (`agency_text`) is left out too, marked with that text as source.
    """
    raw_competent, raw_implementing = record.get("co_quan_co_tham_quyen"), record.get("co_quan_thuc_hien")
    competent, competent_glued = agency_text(raw_competent)
    implementing, implementing_glued = agency_text(raw_implementing)
    agencies: dict = {}
    marks: list[dict] = []
    status = "parsed"
    if competent:
        agencies["competent"] = competent
    elif implementing:
        agencies["competent"] = implementing
        marks.append({"pointer": "competent", "kind": "inferred",
                      "reason": "competent_from_implementing", "source": implementing})
        status = "inferred"
    elif competent_glued:
        marks.append({"pointer": "competent", "kind": "to_check", "reason": "agency_unreadable",
                      "source": one_line(raw_competent or "")[:300]})
        status = "raw"
    else:
        marks.append({"pointer": "competent", "kind": "to_check", "reason": "competent_absent"})
        status = "absent"
    if implementing:
        agencies["implementing"] = implementing
    elif implementing_glued:
        marks.append({"pointer": "implementing", "kind": "to_check", "reason": "agency_unreadable",
                      "source": one_line(raw_implementing or "")[:300]})
        status = "raw"
    authorized = _value(record.get("co_quan_duoc_uy_quyen"))
    if authorized:
        agencies["authorized"] = authorized
    address = _value(record.get("dia_chi_tiep_nhan"))
    if address:
        agencies["receivingAddress"] = address
    coordinating = _value(record.get("co_quan_phoi_hop"))
    if coordinating:
        names = [one_line(name) for name in re.split(r"[,;\n]", coordinating)]
        agencies["coordinating"] = [name for name in names if name and not is_absent(name)]
        if not agencies["coordinating"]:
            del agencies["coordinating"]
    return agencies, status, marks


def parse_publication(text: str | None) -> tuple[dict | None, str]:
    """The announcing decision ("163/QĐ-BTP") with its issuer when the suffix names one."""
    if is_absent(text):
        return None, "absent"
    decision = one_line(text)
    publication: dict = {"decision": decision}
    suffix = re.search(r"QĐ-([A-ZĐ]+)", decision) or re.search(r"-([A-ZĐ]+)$", decision)
    if suffix and suffix.group(1) in _DECISION_ISSUERS:
        publication["issuer"] = _DECISION_ISSUERS[suffix.group(1)]
    status = "parsed" if re.fullmatch(r"\d+/QĐ-[A-ZĐ0-9-]+", decision) else "raw"
    return publication, status


def _value(text: str | None) -> str:
    return "" if is_absent(text) else (text or "").strip()
