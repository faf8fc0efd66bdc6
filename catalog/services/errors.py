"""Errors services raise for the user to read (Vietnamese first, English second)."""

from __future__ import annotations


class ServiceError(Exception):
    """A refusal a user can act on."""

    def __init__(self, message_vi: str, message_en: str):
        self.message_vi = message_vi
        self.message_en = message_en
        super().__init__(message_vi)

    def message(self, locale: str = "vi") -> str:
        return self.message_en if locale.startswith("en") else self.message_vi


class WorkflowError(ServiceError):
    """The action does not fit the version's status or the actor's role."""


class DraftConflict(ServiceError):
    """Someone else saved the draft since it was opened (optimistic locking)."""

    def __init__(self, number: int, saved_by: str, current_lock: int):
        self.current_lock = current_lock
        super().__init__(
            f"Bản nháp phiên bản {number} vừa được {saved_by} lưu sau khi bạn mở nó. "
            "Nội dung của bạn chưa được lưu: hãy sao chép lại, tải lại trang và áp dụng thay đổi.",
            f"Draft version {number} was saved by {saved_by} after you opened it. "
            "Your text was not saved: copy it, reload the page and apply your change again.",
        )
