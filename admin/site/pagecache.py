"""Rendered pages of published versions, kept per process until the version changes.

A published version never changes, so its procedure page (per language) can be reused;
its application form too, with the per-visitor submission and CSRF tokens put in place of
placeholders on each request. Keys carry the version id and document hash; the cache lives
on the app (one per gunicorn worker) and keeps the most recent `SIZE` pages.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from flask import current_app, request, session

SIZE = 512
EXTENSION = "motcua_page_cache"


class PageCache:
    def __init__(self, size: int = SIZE) -> None:
        self.size = size
        self._pages: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_render(self, key: Hashable, render: Callable[[], Any]) -> Any:
        with self._lock:
            if key in self._pages:
                self._pages.move_to_end(key)
                return self._pages[key]
        page = render()
        with self._lock:
            self._pages[key] = page
            while len(self._pages) > self.size:
                self._pages.popitem(last=False)
        return page

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()


def page_cache() -> PageCache:
    found = current_app.extensions.get(EXTENSION)
    if found is None:
        found = current_app.extensions[EXTENSION] = PageCache()
    return found


def cacheable() -> bool:
    """Plain GETs without a query string or pending flash messages may reuse a page."""
    return not request.query_string and "_flashes" not in session


def cached(key: Hashable, render: Callable[[], Any]) -> Any:
    """`render()` once per key when the request allows it, else every time."""
    if not cacheable():
        return render()
    return page_cache().get_or_render(key, render)
