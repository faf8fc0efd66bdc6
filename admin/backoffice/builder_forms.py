"""The builder's own WTForms: add a field, edit one, and the small move/nest/delete/label forms."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from form_schemas.builder import KINDS, FieldInfo, FieldSpec

KIND_CHOICES = [(k.key, _l(k.label_vi)) for k in KINDS.values()]
SCALAR_CHOICES = [(k.key, _l(k.label_vi)) for k in KINDS.values() if not k.container]


class LockedForm(FlaskForm):
    """Every builder action posts the draft's lock_version it was made on.

    CSRF is checked for every POST by the app-wide CSRFProtect (admin.backoffice.register).
    """

    class Meta:
        csrf = False

    lock = HiddenField(validators=[DataRequired()])


class AddFieldForm(FlaskForm):
    """Shown with the prefix "add-"; the lock is posted as the page's plain `lock`."""

    class Meta:
        csrf = False

    kind = SelectField(_l("Loại trường"), choices=KIND_CHOICES)
    label = StringField(_l("Nhãn"), validators=[DataRequired(), Length(max=300)],
                        description=_l("Người dân thấy nhãn này, ví dụ «Họ, chữ đệm và tên»."))
    parent = SelectField(_l("Đặt trong nhóm"), choices=[("", _l("Biểu mẫu (cấp ngoài cùng)"))], default="")
    required = BooleanField(_l("Bắt buộc"))


class FieldForm(LockedForm):
    path = HiddenField(validators=[DataRequired()])
    label = StringField(_l("Nhãn"), validators=[DataRequired(), Length(max=300)])
    name = StringField(_l("Tên thuộc tính (không dấu)"), validators=[Optional(), Length(max=64)],
                       description=_l("Tự tạo từ nhãn; chỉ chữ cái không dấu, chữ số và dấu gạch dưới."))
    help = TextAreaField(_l("Hướng dẫn"), validators=[Optional(), Length(max=2000)])
    kind = SelectField(_l("Loại trường"), choices=SCALAR_CHOICES)
    required = BooleanField(_l("Bắt buộc"))
    min_length = IntegerField(_l("Độ dài tối thiểu (ký tự)"), validators=[Optional()])
    max_length = IntegerField(_l("Độ dài tối đa (ký tự)"), validators=[Optional()])
    preset = SelectField(_l("Kiểm tra nội dung"), choices=[
        ("", _l("Chữ tự do (chỉ giới hạn độ dài)")), ("cmnd", _l("Số chứng minh nhân dân (9 chữ số)")),
        ("postal_code", _l("Mã bưu chính (5 chữ số)")), ("licence_plate", _l("Biển số ô tô, ví dụ 29A-123.45")),
        ("digits", _l("Chỉ gồm chữ số"))], default="",
        description=_l("Số định danh cá nhân, số điện thoại, mã số thuế: chọn loại trường tương ứng ở trên."))
    pattern = StringField(_l("Mẫu kiểm tra (biểu thức chính quy)"), validators=[Optional(), Length(max=500)])
    minimum = StringField(_l("Giá trị nhỏ nhất"), validators=[Optional(), Length(max=30)])
    maximum = StringField(_l("Giá trị lớn nhất"), validators=[Optional(), Length(max=30)])
    options = TextAreaField(_l("Các lựa chọn"), validators=[Optional()],
                            description=_l("Mỗi dòng một lựa chọn: «nhãn» hoặc «giá_trị|nhãn»."))
    widget = SelectField(_l("Cách hiển thị"), choices=[("", _l("Tự động")), ("radio", _l("Nút chọn")),
                                                       ("select", _l("Danh sách thả xuống"))], default="")
    file_types = SelectMultipleField(
        _l("Loại tệp chấp nhận"), choices=[("pdf", "PDF"), ("image", _l("Ảnh JPG, PNG")), ("word", "Word"),
                                           ("excel", "Excel")],
        widget=ListWidget(prefix_label=False), option_widget=CheckboxInput(), validate_choice=True)
    accept = StringField(_l("Loại tệp khác (kiểu MIME)"), validators=[Optional(), Length(max=300)],
                         description=_l("Chỉ khi cần loại tệp ngoài các ô trên, ví dụ image/tiff."))
    max_mb = StringField(_l("Dung lượng tối đa (MB)"), validators=[Optional(), Length(max=10)])
    document = SelectField(_l("Giấy tờ trong thành phần hồ sơ"), choices=[("", _l("Không gắn"))], default="")
    date_range = SelectField(_l("Giới hạn ngày"), choices=[
        ("", _l("Không giới hạn")), ("past", _l("Không sau ngày hôm nay (ví dụ ngày sinh)")),
        ("future", _l("Không trước ngày hôm nay (ví dụ ngày hẹn)"))], default="")
    min_items = IntegerField(_l("Số mục tối thiểu"), validators=[Optional()])
    max_items = IntegerField(_l("Số mục tối đa"), validators=[Optional()])
    when = SelectField(_l("Chỉ hiện và bắt buộc khi trường"), choices=[("", _l("Luôn hiện"))], default="")
    equals = StringField(_l("có giá trị"), validators=[Optional(), Length(max=300)])

    SETTINGS = ("min_length", "max_length", "preset", "pattern", "minimum", "maximum", "options", "widget",
                "file_types", "accept", "max_mb", "document", "min_items", "max_items", "date_range")

    def fill(self, info: FieldInfo, document_id: str) -> None:
        """Show a field's current values."""
        self.path.data = info.path
        self.label.data = info.label
        self.name.data = info.name
        self.help.data = info.help
        self.kind.data = info.kind
        self.required.data = info.required and info.condition is None
        for key, value in info.settings.items():
            if key == "options":
                self.options.data = "\n".join(f"{v}|{label}" for v, label in value)
            elif hasattr(self, key):
                getattr(self, key).data = value
        self.document.data = document_id
        if info.condition is not None:
            self.when.data = info.condition.field
            value: Any = info.condition.value
            self.equals.data = ("Có" if value else "Không") if isinstance(value, bool) else str(value)

    def spec(self, kind: str) -> FieldSpec:
        """The field spec these values describe (container kinds keep their kind)."""
        settings = {key: getattr(self, key).data for key in self.SETTINGS}
        return FieldSpec(kind=kind, label=self.label.data or "", name=self.name.data or None,
                         help=self.help.data or "", required=bool(self.required.data), settings=settings)


class PathForm(LockedForm):
    path = HiddenField(validators=[DataRequired()])


class MoveForm(PathForm):
    """One step up/down (`delta`, the Lên/Xuống buttons) or to a 0-based `position` among the
    field's siblings (drag and drop)."""

    delta = IntegerField(validators=[Optional()])
    position = IntegerField(validators=[Optional()])


class LabelForm(PathForm):
    label = StringField(_l("Nhãn"), validators=[DataRequired(), Length(max=300)])


class NestForm(PathForm):
    parent = SelectField(_l("Chuyển vào nhóm"), choices=[("", _l("Biểu mẫu (cấp ngoài cùng)"))],
                         validate_choice=False)
