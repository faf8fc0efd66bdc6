"""API keys that do not write on every request.

Rule: Flask-AppBuilder records an API key's last use on every request it authenticates, so
every read became a write (and, on SQLite, a lock every caller waits for). Here the last-use
time is written at most once a minute per key, by a conditional UPDATE in its own short
transaction; a busy database skips the note rather than failing the request.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from flask import g
from flask_appbuilder.security.sqla.manager import SecurityManager
from sqlalchemy import or_, update
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash

from catalog.db import DatabaseBusy, run_write

log = logging.getLogger(__name__)

LAST_USE_EVERY = timedelta(minutes=1)


class MotcuaSecurityManager(SecurityManager):
    """FAB's SQLAlchemy security manager with throttled API-key last-use times."""

    def validate_api_key(self, api_key_string: str) -> Any:
        """The key's active user (and g.user set), or None; as FAB's, minus the write per call."""
        model = self.api_key_model
        api_key = (self.session.query(model)
                   .filter(model.lookup_hash == self._compute_lookup_hash(api_key_string))
                   .one_or_none())
        if api_key is None or not check_password_hash(api_key.key_hash, api_key_string):
            return None
        if not api_key.is_active:
            log.warning("API key '%s' matched but is not active", api_key.name)
            return None
        user = api_key.user
        if not user or not user.is_active:
            log.warning("API key '%s' user is not active", api_key.name)
            return None
        now = datetime.now()  # FAB stores naive local times in last_used_on
        if api_key.last_used_on is None or now - api_key.last_used_on >= LAST_USE_EVERY:
            note_api_key_use(self.session, api_key.id, now)
        g.user = user
        g._api_key_user = True
        return user


def note_api_key_use(session: Session, api_key_id: int, now: datetime) -> bool:
    """Write the key's last use unless another request did within LAST_USE_EVERY; True if
    written. A database still busy after the retry skips it (logged)."""
    model = SecurityManager.api_key_model

    def write(tx: Session) -> bool:
        result = tx.execute(
            update(model)
            .where(model.id == api_key_id,
                   or_(model.last_used_on.is_(None), model.last_used_on <= now - LAST_USE_EVERY))
            .values(last_used_on=now)
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount)

    try:
        return run_write(session, write)
    except DatabaseBusy:
        log.warning("database busy: last use of API key %s not recorded", api_key_id)
        return False
