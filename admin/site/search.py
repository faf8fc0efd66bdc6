"""Search: `/` and `/procedures/` with ?q=, sector, level, online level and page; most relevant
first, and "Có phải bạn muốn tìm …" with a link when the query matched nothing as typed."""

from __future__ import annotations

from typing import Any

from flask import current_app, render_template, request, url_for
from markupsafe import Markup
from sqlalchemy import func, select

from admin.site import site
from admin.site.formatting import LEVELS, ONLINE_LEVELS
from admin.site.offices import office_arg
from catalog.db import db
from catalog.models import Procedure
from catalog.services.search import search_procedures, sector_counts

PER_PAGE = 20
MAX_PAGE = 10_000
MAX_QUERY = 200


def _int(text: str | None, low: int, high: int) -> int | None:
    try:
        value = int(text or "")
    except ValueError:
        return None
    return value if low <= value <= high else None


SECTORS_EXTENSION = "motcua_sector_counts"


def sectors_with_counts() -> list[tuple[int, str, int]]:
    """(id, name, published procedures) per sector, recounted only when the catalogue changed
    (a one-row aggregate tells: counts, ids and last update of the procedures)."""
    signature = tuple(db.session.execute(select(
        func.count(Procedure.id), func.count(Procedure.published_version_id),
        func.sum(Procedure.published_version_id), func.max(Procedure.updated_at),
    )).one())
    cache = current_app.extensions.setdefault(SECTORS_EXTENSION, {})
    if cache.get("signature") != signature:
        cache["rows"] = [(sector.id, sector.name, count) for sector, count in sector_counts(db.session)]
        cache["signature"] = signature
    return cache["rows"]


_OPTIONS_CACHE: dict[int, tuple[list[tuple[int, str, int]], list[str]]] = {}


def sector_options(rows: list[tuple[int, str, int]], selected: int | None) -> Markup:
    """The sector filter's <option>s ("Hộ tịch (12)"), built without the template engine; the
    escaped options are kept while `rows` is the same list (sectors_with_counts' cache), so a
    search page only marks the selected one."""
    cached = _OPTIONS_CACHE.get(id(rows))
    if cached is None or cached[0] is not rows:
        options = [str(Markup('<option value="{}">{} ({})</option>').format(sector_id, name, count))
                   for sector_id, name, count in rows]
        if len(_OPTIONS_CACHE) > 8:  # an office's counts are a new list each time
            _OPTIONS_CACHE.clear()
        _OPTIONS_CACHE[id(rows)] = cached = (rows, options)
    options = cached[1]
    if selected is not None:
        options = [option.replace(">", " selected>", 1) if sector_id == selected else option
                   for option, (sector_id, _name, _count) in zip(options, rows, strict=True)]
    return Markup("".join(options))


def sector_links(rows: list[tuple[int, str, int]], office_id: int | None = None) -> Markup:
    return Markup("").join(
        Markup('<li><a href="{}">{}</a> <span class="count">({})</span></li>').format(
            url_for("site.search", sector=sector_id, office=office_id), name, count)
        for sector_id, name, count in rows
    )


def page_links(current: int, pages: int, width: int = 2) -> list[int | None]:
    """Page numbers to show: first, last and `width` around `current`; None marks a gap."""
    shown: list[int | None] = []
    for number in range(1, pages + 1):
        if number in (1, pages) or abs(number - current) <= width:
            shown.append(number)
        elif shown and shown[-1] is not None:
            shown.append(None)
    return shown


@site.get("/")
@site.get("/procedures/")
def search() -> str:
    """Search; `?office=ID` narrows it to what that office receives, kept across pages and filters."""
    office = office_arg()
    q = " ".join(request.args.get("q", "").split())[:MAX_QUERY]
    filters: dict[str, Any] = {
        "sector": _int(request.args.get("sector"), 1, 2**31),
        "level": request.args.get("level") if request.args.get("level") in LEVELS else None,
        "online": _int(request.args.get("online"), 1, 4),
    }
    page_number = _int(request.args.get("page"), 1, MAX_PAGE) or 1
    result = search_procedures(
        db.session, q, sector_id=filters["sector"], level=filters["level"],
        online_level=filters["online"], page=page_number, per_page=PER_PAGE, office=office,
    )
    args = {k: v for k, v in {"q": q, **filters}.items() if v}
    place = {"office": office.id} if office is not None else {}

    def link(number: int) -> str:
        return url_for("site.search", **args, **place, page=number)

    searched = bool(args)
    suggestion_link = (url_for("site.search", **{**args, "q": result.suggestion}, **place)
                       if result.suggestion else None)
    rows = sectors_with_counts() if office is None else [
        (sector.id, sector.name, count) for sector, count in sector_counts(db.session, office=office)]
    return render_template(
        "site/search.html", q=q, filters=filters, result=result,
        sector_options=sector_options(rows, filters["sector"]),
        sector_links=sector_links(rows, office.id if office else None) if not searched else "",
        office=office,
        levels={key: str(label) for key, label in LEVELS.items()},
        online_levels=ONLINE_LEVELS, pages=page_links(result.page, result.pages),
        link=link, searched=searched, suggestion_link=suggestion_link,
    )
