"""Citizen-facing texts of the application form: error messages and the form's own words.

Vietnamese first, English when the locale starts with "en". Messages speak to the citizen
about the field by its label ("Vui lòng nhập Số điện thoại"), never about JSON.
"""

from __future__ import annotations

from typing import Any

from form_schemas import wording

# (vi, en) templates; {label}, {limit}, {other}, {types}, {example} are filled in.
ERRORS: dict[str, tuple[str, str]] = {
    "required": ("Vui lòng nhập {label}", "Please enter {label}"),
    "required_choice": ("Vui lòng chọn {label}", "Please choose {label}"),
    "required_file": ("Vui lòng tải lên {label}", "Please upload {label}"),
    "required_tick": ("Vui lòng đánh dấu vào ô {label}", "Please tick {label}"),
    "required_group": (
        "Vui lòng thêm ít nhất một mục {label}",
        "Please add at least one {label}",
    ),
    "dependentRequired": (
        "Vui lòng nhập {label} (bắt buộc khi đã khai {other})",
        "Please enter {label} (needed because {other} is filled in)",
    ),
    "type_integer": ("{label} phải là một số nguyên", "{label} must be a whole number"),
    "type_number": ("{label} phải là một số", "{label} must be a number"),
    "ambiguous_number": (
        "{label}: không rõ “{value}” là {digits} hay một số thập phân; vui lòng viết liền "
        "các chữ số, ví dụ {digits}",
        "{label}: “{value}” could be {digits} or a decimal; please type the digits "
        "without a separator, for example {digits}",
    ),
    "type_boolean": ("Vui lòng chọn Có hoặc Không cho {label}", "Please answer yes or no for {label}"),
    "type": ("{label} không hợp lệ", "{label} is not valid"),
    "minLength": (
        "{label} phải có ít nhất {limit} ký tự",
        "{label} must be at least {limit} characters long",
    ),
    "maxLength": (
        "{label} không được dài quá {limit} ký tự",
        "{label} must be at most {limit} characters long",
    ),
    "pattern": ("{label} không đúng định dạng", "{label} is not in the expected format"),
    "pattern_example": (
        "{label} không đúng định dạng, ví dụ: {example}",
        "{label} is not in the expected format, for example: {example}",
    ),
    "minimum": ("{label} phải lớn hơn hoặc bằng {limit}", "{label} must be at least {limit}"),
    "maximum": ("{label} phải nhỏ hơn hoặc bằng {limit}", "{label} must be at most {limit}"),
    "exclusiveMinimum": ("{label} phải lớn hơn {limit}", "{label} must be more than {limit}"),
    "exclusiveMaximum": ("{label} phải nhỏ hơn {limit}", "{label} must be less than {limit}"),
    "multipleOf": ("{label} phải là bội số của {limit}", "{label} must be a multiple of {limit}"),
    "enum": ("Vui lòng chọn {label} trong danh sách", "Please choose {label} from the list"),
    "const": ("{label} phải là {limit}", "{label} must be {limit}"),
    "minItems": (
        "{label}: cần ít nhất {limit} mục",
        "{label}: at least {limit} entries are needed",
    ),
    "minItems_choice": (
        "Vui lòng chọn ít nhất {limit} mục ở {label}",
        "Please choose at least {limit} options for {label}",
    ),
    "maxItems": ("{label}: tối đa {limit} mục", "{label}: at most {limit} entries"),
    "maxItems_choice": (
        "Vui lòng chọn tối đa {limit} mục ở {label}",
        "Please choose at most {limit} options for {label}",
    ),
    "uniqueItems": ("{label} có mục bị trùng nhau", "{label} has duplicate entries"),
    "format_date": (
        "{label} phải là một ngày hợp lệ, dạng dd/mm/yyyy (ví dụ 25/12/2024)",
        "{label} must be a real date, as dd/mm/yyyy (for example 25/12/2024)",
    ),
    "format_date-time": (
        "{label} phải là ngày giờ hợp lệ, dạng dd/mm/yyyy hh:mm",
        "{label} must be a real date and time, as dd/mm/yyyy hh:mm",
    ),
    "format_time": (
        "{label} phải là giờ hợp lệ, dạng hh:mm (ví dụ 09:30)",
        "{label} must be a real time of day, as hh:mm (for example 09:30)",
    ),
    "format_email": (
        "{label} phải là địa chỉ email hợp lệ, ví dụ ten@example.com",
        "{label} must be an email address, like name@example.com",
    ),
    "format_uri": (
        "{label} phải là địa chỉ trang web đầy đủ, bắt đầu bằng https://",
        "{label} must be a full web address starting with https://",
    ),
    "format_vn-citizen-id": (
        "{label} phải là số định danh cá nhân (CCCD) hợp lệ gồm 12 chữ số",
        "{label} must be a valid 12-digit personal identification number",
    ),
    "format_vn-id-card": (
        "{label} phải gồm 9 hoặc 12 chữ số",
        "{label} must have 9 or 12 digits",
    ),
    "format_vn-phone": (
        "{label} phải là số di động 10 chữ số, ví dụ 0912345678",
        "{label} must be a 10-digit mobile number, like 0912345678",
    ),
    "format_vn-tax-code": (
        "{label} phải gồm 10 chữ số hoặc dạng 0123456789-001",
        "{label} must have 10 digits, or look like 0123456789-001",
    ),
    "format": ("{label} không đúng định dạng", "{label} is not in the expected format"),
    "formatMinimum": ("{label} không được trước ngày {limit}", "{label} must not be before {limit}"),
    "formatMinimum_today": (
        "{label} không được trước ngày hôm nay",
        "{label} must not be before today",
    ),
    "formatMaximum": ("{label} không được sau ngày {limit}", "{label} must not be after {limit}"),
    "formatMaximum_today": (
        "{label} không được sau ngày hôm nay",
        "{label} must not be after today",
    ),
    "file_type": (
        "Tệp {label} phải có định dạng {types}",
        "The file for {label} must be of type {types}",
    ),
    "file_size": (
        "Tệp {label} không được lớn hơn {limit}",
        "The file for {label} must not be larger than {limit}",
    ),
    "file_missing": (
        "Tệp {label} chưa được tải lên, vui lòng chọn lại",
        "The file for {label} was not received, please choose it again",
    ),
    "invalid": ("{label} không hợp lệ", "{label} is not valid"),
}

# Words of the form itself (buttons, headings, choices).
UI: dict[str, tuple[str, str]] = {
    "summary_title": (
        "Hồ sơ chưa hợp lệ. Vui lòng sửa các lỗi sau:",
        "There is a problem with your application. Please correct the following:",
    ),
    "add": ("Thêm {label}", "Add {label}"),
    "remove": ("Xóa", "Remove"),
    "remove_item": ("Xóa {label} {index}", "Remove {label} {index}"),
    "item": ("{label} {index}", "{label} {index}"),
    "yes": ("Có", "Yes"),
    "no": ("Không", "No"),
    "choose": ("— Chọn —", "— Choose —"),
    "required_mark": ("bắt buộc", "required"),
    "optional": ("(không bắt buộc)", "(optional)"),
    # an optional group (form_schemas/groups.py): the paper form's "(nếu có)", and the rule
    "optional_group": ("(nếu có)", "(if any)"),
    "optional_group_hint": ("Không bắt buộc. Nếu khai phần này, các mục có dấu * phải được điền.",
                            "Optional. If you fill in this section, the fields marked * are required."),
    "uploaded": ("Đã tải lên: {name}", "Uploaded: {name}"),
    "uploaded_unnamed": ("Đã tải lên tệp", "A file has been uploaded"),
    "replace_file": ("Chọn tệp khác để thay thế (không bắt buộc)", "Choose another file to replace it (optional)"),
    "accept": ("Định dạng: {types}", "Accepted: {types}"),
    "file_chosen": ("Đã chọn: {name} ({size})", "Chosen: {name} ({size})"),
    "choose_file": ("Chọn tệp", "Choose a file"),
    "choose_other_file": ("Chọn tệp khác", "Choose another file"),
    "no_file": ("Chưa chọn tệp", "No file chosen"),
    "keep_file": ("Giữ tệp đã tải lên", "Keeping the uploaded file"),
    "max_size": ("Dung lượng tối đa: {size}", "Maximum size: {size}"),
    "date_hint": ("Dạng dd/mm/yyyy", "As dd/mm/yyyy"),
    "example": ("Ví dụ: {example}", "For example: {example}"),
    "items_count": ("Tối thiểu {min}, tối đa {max} mục", "At least {min}, at most {max} entries"),
}


def is_english(locale: str | None) -> bool:
    """True for an English locale ("en", "en_GB", "en-US"); Vietnamese otherwise."""
    return bool(locale) and locale.lower().startswith("en")  # type: ignore[union-attr]


def error_message(key: str, locale: str = "vi", **params: Any) -> str:
    """The error text for `key` (falls back to the generic one) in the citizen's language."""
    vi, en = ERRORS.get(key, ERRORS["invalid"])
    return (en if is_english(locale) else vi).format(**params)


def ui_text(key: str, locale: str = "vi", **params: Any) -> str:
    """A word of the form itself ("Thêm", "Xóa", …) in the citizen's language."""
    vi, en = UI[key]
    text = en if is_english(locale) else vi
    return text.format(**params) if params else text


def format_number(value: float | int, locale: str = "vi") -> str:
    """A limit as citizens write it: 1.000.000 and 2,5 in Vietnamese; 1,000,000 and 2.5 in English."""
    return wording.number(value, locale, places=None)


def format_size(size: int, locale: str = "vi") -> str:
    """A file size in MB or KB, rounded for reading."""
    if size >= 1024 * 1024:
        amount, unit = size / (1024 * 1024), "MB"
    elif size >= 1024:
        amount, unit = size / 1024, "KB"
    else:
        amount, unit = float(size), ("byte" if not is_english(locale) else "bytes")
    text = f"{amount:.1f}".rstrip("0").rstrip(".")
    if not is_english(locale):
        text = text.replace(".", ",")
    return f"{text} {unit}"
