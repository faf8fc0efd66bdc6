"""Import documents (one JSON file or a zip of many) and export them (JSON or zip)."""

from __future__ import annotations

import zipfile
import zlib
from datetime import date

from flask import Response, request
from flask_appbuilder import BaseView, expose, has_access
from flask_appbuilder.security.decorators import permission_name
from flask_babel import gettext as _

from admin.backoffice.common import actor, can, flash_service_error, procedure_or_404
from catalog.db import db
from catalog.services.bundles import BundleRejected, export_bundle, export_document, import_bundle
from catalog.services.errors import ServiceError


def _download(data: bytes, filename: str, media_type: str) -> Response:
    return Response(data, mimetype=media_type,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


class TransferView(BaseView):
    route_base = "/admin/transfer"
    class_permission_name = "ImportExport"
    default_view = "page"

    @expose("/")
    @has_access
    @permission_name("export")
    def page(self):  # type: ignore[no-untyped-def]
        return self.render_template("backoffice/transfer.html", results=None,
                                    may_import=can("can_import", "ImportExport"),
                                    may_drafts=can("can_read", "ProcedureEditor"))

    @expose("/import", methods=["POST"])
    @has_access
    @permission_name("import")
    def import_(self):  # type: ignore[no-untyped-def]
        upload = request.files.get("file")
        results = None
        status = 200
        if upload is None or not upload.filename:
            from flask import flash

            flash(_("Hãy chọn một tệp .json hoặc .zip."), "danger")
            status = 422
        else:
            try:
                results = import_bundle(db.session, upload.read(), filename=upload.filename, author=actor())
                status = 200 if all(item.ok for item in results) else 422
            except BundleRejected as exc:
                flash_service_error(exc)
                status = 422
            except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError):
                # a damaged member (bad CRC, truncated or unknown compression): nothing was imported
                from flask import flash

                flash(_("Tệp zip bị hỏng (sai mã kiểm tra CRC hoặc nén không đọc được); không nhập tài liệu nào. "
                        "Hãy tạo lại tệp zip rồi thử lại."), "danger")
                status = 422
        return self.render_template("backoffice/transfer.html", results=results, may_import=True,
                                    may_drafts=can("can_read", "ProcedureEditor")), status

    @expose("/export/<code>.json")
    @has_access
    @permission_name("export")
    def export_one(self, code: str):  # type: ignore[no-untyped-def]
        procedure = procedure_or_404(code)
        latest = request.args.get("latest") == "1" and can("can_read", "ProcedureEditor")
        try:
            return _download(export_document(procedure, latest=latest), f"{code}.json", "application/json")
        except ServiceError as exc:
            flash_service_error(exc)
            return self.render_template("backoffice/not_found.html"), 404

    @expose("/export.zip")
    @has_access
    @permission_name("export")
    def export_zip(self):  # type: ignore[no-untyped-def]
        latest = request.args.get("latest") == "1" and can("can_read", "ProcedureEditor")
        codes = [c.strip() for c in request.args.get("codes", "").split(",") if c.strip()] or None
        data = export_bundle(db.session, codes, latest=latest)
        return _download(data, f"thu-tuc-{date.today().isoformat()}.zip", "application/zip")
