"""Search procedures by relevance, on SQLite FTS5 and PostgreSQL full text, behind one interface.

The rule (docs/search.md): a query of digits and dots lists the codes starting so. Any other
query is folded like the index (`search_words`: accents, case, đ/d, "ký/kí"), cut into concepts
(a word, or a phrase of the synonym table with its alternatives; stop words dropped), the last
word also matching as a prefix. The engine finds the procedures holding every concept, title
first, filters included (as index words), and hands back at most `CANDIDATES` of them, shortest
titles first; it counts the total. Python then orders those few: concepts found in the title,
whole words before prefixes, the phrase in order, the title starting with it, the user's own
words before synonyms, the usual procedure ("Đăng ký …", "Cấp …"), sector and agency matches,
shorter titles. Only when nothing matches: one wrong letter per unknown word is corrected from
the vocabulary (`suggestion` says which query answered: "Có phải bạn muốn tìm …"), then, for
three concepts or more, every concept but one is enough. Without a query, procedures are listed by code.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.orm import Session

from catalog.models import (
    Agency,
    Office,
    Procedure,
    ProcedureVersion,
    SearchDocument,
    SearchWord,
    Sector,
    VersionStatus,
)
from catalog.services.offices import received_condition
from catalog.services.search_index import FTS_TABLE, ROWID_FACTOR, flag_words
from catalog.text import fold, search_words

CANDIDATES = 150
MAX_COUNT = 1000
MAX_CONCEPTS = 8
CODE_PART = re.compile(r"^\s*\d[\d.]*\s*$")
LETTERS = "abcdefghijklmnopqrstuvwxyz"


@dataclass(frozen=True)
class SearchPage:
    items: list[Procedure]
    total: int
    page: int
    per_page: int
    suggestion: str | None = None  # the corrected query the items answer, when the query found nothing
    more: bool = False  # more than `total` match (a broad query: counting stops at MAX_COUNT)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


Words = tuple[str, ...]


@dataclass(frozen=True)
class Synonyms:
    """The synonym table (catalog/search_synonyms.json), folded."""

    alternatives: dict[Words, tuple[Words, ...]]
    stop_words: frozenset[Words]
    primary_leads: tuple[Words, ...]
    secondary: tuple[Words, ...]
    longest: int


@lru_cache(maxsize=1)
def synonyms() -> Synonyms:
    """The synonym table, loaded once."""
    data = json.loads((resources.files("catalog") / "search_synonyms.json").read_text(encoding="utf-8"))

    def words(text: str) -> Words:
        return tuple(search_words(text))

    table: dict[Words, list[Words]] = {}
    for key, values in data.get("abbreviations", {}).items():
        table.setdefault(words(key), []).extend(words(v) for v in values)
    for group in data.get("equivalents", []):
        for member in group:
            table.setdefault(words(member), []).extend(words(v) for v in group if words(v) != words(member))
    stops = frozenset(words(w) for w in data.get("stop_words", []))
    alternatives = {key: tuple(dict.fromkeys(v for v in values if v and v != key)) for key, values in table.items()}
    longest = max([len(k) for k in alternatives] + [len(s) for s in stops] + [1])
    return Synonyms(alternatives, stops, tuple(words(w) for w in data.get("primary_leads", [])),
                    tuple(words(w) for w in data.get("secondary", [])), longest)


@dataclass(frozen=True)
class Alternative:
    words: Words
    original: bool  # the user's own words (not a synonym)
    prefix: bool  # the last word may be the start of a longer word


@dataclass(frozen=True)
class Concept:
    alternatives: tuple[Alternative, ...]
    source: Words = field(default=())  # the query words it came from


def parse(q: str) -> list[Concept]:
    """The concepts of a query: synonym phrases (longest first), other words one by one, stop
    words dropped unless nothing else is left; the last word also matches as a prefix."""
    table = synonyms()
    tokens = search_words(q)
    concepts: list[Concept] = []
    stopped: list[Concept] = []
    i = 0
    while i < len(tokens):
        for size in range(min(table.longest, len(tokens) - i), 0, -1):
            key = tuple(tokens[i:i + size])
            if key in table.alternatives:
                alts = (Alternative(key, True, False),
                        *(Alternative(a, False, False) for a in table.alternatives[key]))
                concepts.append(Concept(alts, key))
                break
            if key in table.stop_words:
                stopped.append(Concept((Alternative(key, True, False),), key))
                break
        else:
            size = 1
            concepts.append(Concept((Alternative((tokens[i],), True, False),), (tokens[i],)))
        i += size
    if not concepts:
        concepts = stopped
    concepts = concepts[:MAX_CONCEPTS]
    if concepts and tokens:
        last = concepts[-1]
        first = last.alternatives[0]
        if first.words[-1] == tokens[-1] and len(tokens[-1]) >= 2 and not tokens[-1].isdigit():
            concepts[-1] = Concept((Alternative(first.words, True, True), *last.alternatives[1:]), last.source)
    return concepts


# --- engine expressions -------------------------------------------------------------------

def _fts_alternative(alt: Alternative) -> str:
    words = [f'"{word}"' for word in alt.words]
    if alt.prefix:
        words[-1] += "*"
    return "(" + " AND ".join(words) + ")"


def _pg_alternative(alt: Alternative, weight: str = "") -> str:
    """PostgreSQL: `weight` "A" asks for the title's words."""
    label = f":{weight}" if weight else ""
    words = [word + label for word in alt.words[:-1]] + [alt.words[-1] + (f":*{weight}" if alt.prefix else label)]
    return "(" + " & ".join(words) + ")"


def _expression(groups: Sequence[Sequence[Concept]], postgres: bool, weight: str = "") -> str:
    """OR of groups, each the AND of its concepts, each the OR of its alternatives, each the AND
    of its words: the engine finds the words; adjacency (the phrase) is for the fine ordering,
    which costs nothing in FTS5 but a heap recheck of every match on PostgreSQL."""
    def alternative(alt: Alternative) -> str:
        return _pg_alternative(alt, weight) if postgres else _fts_alternative(alt)

    both, either = (" & ", " | ") if postgres else (" AND ", " OR ")
    return either.join(
        "(" + both.join("(" + either.join(alternative(a) for a in concept.alternatives) + ")" for concept in group)
        + ")"
        for group in groups)


def _conditions(sector_id: int | None, level: str | None, online_level: int | None,
                published_only: bool, office: Office | None) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if sector_id:
        conditions.append(Procedure.sector_id == sector_id)
    if level:
        conditions.append(Procedure.levels.like(f"%{level}%"))
    if online_level:
        conditions.append(Procedure.online_level == online_level)
    if published_only:
        conditions.append(Procedure.published_version_id.is_not(None))
    if office is not None:
        conditions.append(received_condition(office))
    return conditions


class Candidate(NamedTuple):
    procedure_id: int
    code: str
    title: str
    extra: str
    title_length: int


@dataclass(frozen=True)
class Filters:
    """The filters as index words (see `flag_words`), and the office (a join on procedures)."""

    words: tuple[str, ...]
    office: Office | None


def _filters(sector_id: int | None, level: str | None, online_level: int | None, published_only: bool,
             office: Office | None) -> Filters:
    words = flag_words(published_only, sector_id, online_level, level or "").split()
    return Filters(tuple(words), office)


def _flag_conditions(filters: Filters) -> list[ColumnElement[bool]]:
    """The filter words as conditions on the `flags` text (PostgreSQL, and codes on SQLite)."""
    padded = " " + SearchDocument.flags + " "
    # "pub" is always first: a prefix test, which the planner can estimate from the statistics.
    return [SearchDocument.flags.like("pub%") if word == "pub" else padded.contains(f" {word} ")
            for word in filters.words]


_ALL_TSV = sa.literal_column("search_document.all_tsv")
_fts = sa.table(FTS_TABLE, sa.column("rowid"), sa.column("code"), sa.column("title"), sa.column("extra"))


def _postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _matching(session: Session, columns: Sequence[Any], expression: str, title_only: bool,
              filters: Filters) -> Select:
    """SELECT columns FROM the documents matching `expression` and the filters."""
    if _postgres(session):
        query = func.to_tsquery(sa.literal_column("'simple'::regconfig"), expression)
        stmt = select(*columns).select_from(SearchDocument).where(_ALL_TSV.op("@@")(query), *_flag_conditions(filters))
        procedure_id: Any = SearchDocument.procedure_id
    else:
        match = f"{{title}} : ({expression})" if title_only else f"{{title extra}} : ({expression})"
        if filters.words:
            flags = " AND ".join(f'"{word}"' for word in filters.words)
            match = f"({match}) AND ({{flags}} : ({flags}))"
        stmt = select(*columns).select_from(_fts).where(sa.literal_column(FTS_TABLE).op("MATCH")(match))
        procedure_id = _fts.c.rowid.op("%")(ROWID_FACTOR)
    if filters.office is not None:
        stmt = stmt.join(Procedure, Procedure.id == procedure_id).where(received_condition(filters.office))
    return stmt


_PG_COLUMNS = (SearchDocument.procedure_id, SearchDocument.code, SearchDocument.title, SearchDocument.extra,
               SearchDocument.title_length)


def _rows(session: Session, expression: str, title_only: bool, filters: Filters, limit: int) -> list[Candidate]:
    """SQLite: the first `limit` matches in row-id order (shortest titles first)."""
    stmt = _matching(session, [_fts.c.rowid, _fts.c.code, _fts.c.title, _fts.c.extra], expression, title_only, filters)
    return [Candidate(rowid % ROWID_FACTOR, code, title, extra, rowid // ROWID_FACTOR)
            for rowid, code, title, extra in session.execute(stmt.order_by(_fts.c.rowid).limit(limit))]


def _count(session: Session, expression: str, filters: Filters) -> int:
    """How many documents match, counted by the engine up to `MAX_COUNT` + 1 (beyond, the
    page says "more than 1,000": counting every match of a broad word costs a pass over them)."""
    matches = _matching(session, [sa.literal(1)], expression, False, filters).limit(MAX_COUNT + 1)
    return session.scalar(select(func.count()).select_from(matches.subquery())) or 0


def _candidates(session: Session, groups: Sequence[Sequence[Concept]], filters: Filters,
                limit: int) -> tuple[list[Candidate], int]:
    """At most `limit` matching documents, shortest titles first, and how many match.

    SQLite: title matches first, then the others (two streaming FTS5 queries). PostgreSQL: one
    query in title-length order, which the planner may answer by walking the length index for
    a broad word; the title comes first in the fine ordering."""
    postgres = _postgres(session)
    expression = _expression(groups, postgres)
    if postgres:
        stmt = _matching(session, _PG_COLUMNS, expression, False, filters)
        found = [Candidate(*row) for row in session.execute(
            stmt.order_by(SearchDocument.title_length, SearchDocument.procedure_id).limit(limit))]
    else:
        found = _rows(session, expression, True, filters, limit)
        if len(found) < limit:
            seen = {row.procedure_id for row in found}
            more = _rows(session, expression, False, filters, limit + len(found))
            found += [row for row in more if row.procedure_id not in seen][:limit - len(found)]
    if len(found) < limit:
        return found, len(found)
    return found, _count(session, expression, filters)


# --- fine ordering --------------------------------------------------------------------------

class _Scorer:
    """The fine ordering of candidates, on the words joined by single spaces (string search)."""

    def __init__(self, concepts: Sequence[Concept]) -> None:
        self.concepts = [[(" " + " ".join(a.words), a.original, a.prefix) for a in c.alternatives] for c in concepts]
        table = synonyms()
        self.leads = [" " + " ".join(lead) for lead in table.primary_leads]
        self.secondary = [" " + " ".join(word) for word in table.secondary]

    @staticmethod
    def _find(text: str, alt: str, prefix: bool) -> tuple[int, int, bool] | None:
        """(start, end, whole) of `alt` (" w1 w2") in `text` (" words "), whole words first."""
        at = text.find(alt + " ")
        if at >= 0:
            return at, at + len(alt), True
        if prefix:
            at = text.find(alt)
            if at >= 0:
                return at, text.find(" ", at + len(alt)), False
        return None

    def __call__(self, row: Any) -> tuple[Any, ...]:
        title = " " + row.title + " "
        extra = " " + row.extra + " "
        offset = 8 if title.startswith(" thu tuc ") else 0
        in_title = whole = original = in_extra = 0
        spans: list[tuple[int, int]] = []
        for alternatives in self.concepts:
            best: tuple[int, int, bool, bool] | None = None
            for alt, own, prefix in alternatives:
                hit = self._find(title, alt, prefix)
                if hit is not None and (best is None or (hit[2], own) > (best[2], best[3])):
                    best = (*hit, own)
            if best is not None:
                in_title += 1
                whole += best[2]
                original += best[3]
                spans.append((best[0], best[1]))
            if any((alt + " ") in extra or (prefix and alt in extra) for alt, _, prefix in alternatives):
                in_extra += 1
                if best is None:
                    whole += any((alt + " ") in extra for alt, _, _ in alternatives)
        pairs = list(zip(spans, spans[1:], strict=False))
        in_order = len(spans) == len(self.concepts) and all(a[0] < b[0] for a, b in pairs)
        phrase = in_order and all(a[1] == b[0] for a, b in pairs)
        starts = bool(spans) and in_order and spans[0][0] == offset
        lead = next((lead for lead in self.leads if title.startswith(lead + " ", offset)), None)
        primary = lead is not None and not any(
            title.startswith(word + " ", offset + len(lead)) for word in self.secondary)
        return (-in_title, -whole, -phrase, -in_order, -starts, -original, -primary, -in_extra,
                row.title_length, row.code)


def _ranked(session: Session, concepts: list[Concept], groups: Sequence[Sequence[Concept]],
            filters: Filters, needed: int) -> tuple[list[Candidate], int]:
    rows, total = _candidates(session, groups, filters, max(CANDIDATES, needed))
    rows.sort(key=_Scorer(concepts))
    return rows, total


# --- typo correction ------------------------------------------------------------------------

def _edits(word: str) -> set[str]:
    """Every word one letter away: a letter dropped, swapped with the next, changed or added."""
    letters = LETTERS if not word.isdigit() else "0123456789"
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    edits = {a + b[1:] for a, b in splits if b}
    edits |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    edits |= {a + c + b[1:] for a, b in splits if b for c in letters}
    edits |= {a + c + b for a, b in splits for c in letters}
    edits.discard(word)
    return {e for e in edits if e}


def _corrections(session: Session, concepts: list[Concept]) -> dict[str, str]:
    """Unknown query words mapped to the most frequent indexed word one letter away."""
    words = {w for c in concepts for a in c.alternatives if a.original for w in a.words}
    known = set(session.scalars(select(SearchWord.word).where(SearchWord.word.in_(sorted(words)))))
    fixes: dict[str, str] = {}
    for word in sorted(words - known):
        if len(word) < 3:  # "hon" → "ho" is no correction; short words have too many neighbours
            continue
        prefix_ok = any(a.prefix and a.words[-1] == word for c in concepts for a in c.alternatives)
        if prefix_ok and session.scalar(select(SearchWord.word).where(
                SearchWord.word.like(f"{word}%")).limit(1)) is not None:
            continue
        # A key pressed twice ("xee", "truu") first; otherwise no correction into a word of
        # fewer than three letters (too many neighbours).
        doubled = {word[:i] + word[i + 1:] for i in range(1, len(word)) if word[i] == word[i - 1]}
        edits = sorted(doubled | {e for e in _edits(word) if len(e) >= 3})
        candidates = session.execute(select(SearchWord.word, SearchWord.documents)
                                     .where(SearchWord.word.in_(edits))).all()
        if candidates:
            fixes[word] = max(candidates, key=lambda r: (r.word in doubled, r.documents, -len(r.word), r.word)).word
    return fixes


def _corrected(q: str, concepts: list[Concept], fixes: dict[str, str]) -> tuple[list[Concept], str]:
    def fix(alt: Alternative) -> Alternative:
        return Alternative(tuple(fixes.get(w, w) for w in alt.words), alt.original, alt.prefix)

    text = fold(q)
    for wrong, right in fixes.items():
        text = re.sub(rf"\b{re.escape(wrong)}\b", right, text)
    return [Concept(tuple(fix(a) for a in c.alternatives), c.source) for c in concepts], text


def _filtered(q: str | None, sector_id: int | None, level: str | None, online_level: int | None,
              published_only: bool, office: Office | None = None) -> Select:
    """Procedures holding every word of `q` as a substring of code, name and sector (the back
    office's list, newest edits first, filters with it; the bench's baseline)."""
    conditions = _conditions(sector_id, level, online_level, published_only, office)
    for word in fold(q or "").split():
        escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        conditions.append(Procedure.search_text.like(f"%{escaped}%", escape="\\"))
    return select(Procedure).where(*conditions)


def _code_prefixes(q: str) -> list[str]:
    """What a code query may start: itself, and without a dot also after "N." ("001193" is the
    number part of "1.001193")."""
    prefix = q.strip()
    return [prefix] if "." in prefix else [prefix, *(f"{digit}.{prefix}" for digit in range(10))]


def _by_code(session: Session, q: str, filters: Filters, page: int, per_page: int) -> tuple[list[int], int]:
    """Codes and parts of codes ("1.001193", "2.0005", "001193"): the procedures whose code starts
    so, by code, and how many; read from the index alone (GLOB uses SQLite's B-tree, LIKE the
    pattern index on PostgreSQL; the text is only digits and dots)."""
    prefixes = _code_prefixes(q)
    if _postgres(session):
        starts = [SearchDocument.code.like(f"{prefix}%") for prefix in prefixes]
    else:
        starts = [SearchDocument.code.op("GLOB")(f"{prefix}*") for prefix in prefixes]
    stmt = select(SearchDocument.procedure_id).where(or_(*starts), *_flag_conditions(filters))
    if filters.office is not None:
        stmt = stmt.join(Procedure, Procedure.id == SearchDocument.procedure_id).where(
            received_condition(filters.office))
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    ids = list(session.scalars(stmt.order_by(SearchDocument.code).offset((page - 1) * per_page).limit(per_page)))
    return ids, total


# --- the service ----------------------------------------------------------------------------

def search_procedures(session: Session, q: str | None = None, *, sector_id: int | None = None,
                      level: str | None = None, online_level: int | None = None,
                      published_only: bool = True, page: int = 1, per_page: int = 20,
                      office: Office | None = None) -> SearchPage:
    """A page of procedures matching `q`, most relevant first (by code without a query); with
    `office`, only those the office receives. `suggestion` is set when the items answer a
    corrected query because `q` itself matched nothing."""
    page = max(1, page)
    q = (q or "").strip()
    filters = _filters(sector_id, level, online_level, published_only, office)
    if not q:
        listed = select(Procedure).where(*_conditions(sector_id, level, online_level, published_only, office))
        total = session.scalar(select(func.count()).select_from(listed.subquery())) or 0
        items = list(session.scalars(listed.order_by(Procedure.code).offset((page - 1) * per_page).limit(per_page)))
        return SearchPage(items, total, page, per_page)
    if CODE_PART.match(q):
        ids, total = _by_code(session, q, filters, page, per_page)
        return SearchPage(_procedures(session, ids), total, page, per_page)
    concepts = parse(q)
    if not concepts:
        return SearchPage([], 0, page, per_page)
    needed = page * per_page
    rows, total = _ranked(session, concepts, [concepts], filters, needed)
    suggestion = None
    if not rows:
        fixes = _corrections(session, concepts)
        if fixes:
            fixed, text = _corrected(q, concepts, fixes)
            rows, total = _ranked(session, fixed, [fixed], filters, needed)
            if rows:
                suggestion, concepts = text, fixed
        if not rows and len(concepts) > 2:  # with two, "all but one" would be any one word
            if fixes:
                concepts, suggestion = _corrected(q, concepts, fixes)
            groups = [concepts[:i] + concepts[i + 1:] for i in range(len(concepts))]
            rows, total = _ranked(session, concepts, groups, filters, needed)
            if not rows:
                suggestion = None
    ids = [row.procedure_id for row in rows[(page - 1) * per_page:needed]]
    more = total > MAX_COUNT
    return SearchPage(_procedures(session, ids), min(total, MAX_COUNT), page, per_page, suggestion, more)


def _procedures(session: Session, ids: list[int]) -> list[Procedure]:
    """The procedures with these ids, in this order."""
    found = {p.id: p for p in session.scalars(select(Procedure).where(Procedure.id.in_(ids)))} if ids else {}
    return [found[i] for i in ids if i in found]


def sector_counts(session: Session, published_only: bool = True,
                  office: Office | None = None) -> list[tuple[Sector, int]]:
    """Sectors with how many procedures each has (that `office` receives, when given), largest first."""
    stmt = select(Sector, func.count(Procedure.id)).join(Procedure, Procedure.sector_id == Sector.id)
    if published_only:
        stmt = stmt.where(Procedure.status == VersionStatus.published)
    if office is not None:
        stmt = stmt.where(received_condition(office))
    stmt = stmt.group_by(Sector.id).order_by(func.count(Procedure.id).desc(), Sector.name)
    return [(sector, count) for sector, count in session.execute(stmt)]


def published_versions(session: Session, *, sector: str | None = None, level: str | None = None,
                       agency: str | None = None) -> list[tuple[Procedure, ProcedureVersion]]:
    """Every published procedure with its current version, by code; `sector` and `agency` match
    names ignoring accents and case (a part of the name is enough), `level` is a level key."""
    stmt = (select(Procedure, ProcedureVersion)
            .join(ProcedureVersion, ProcedureVersion.id == Procedure.published_version_id)
            .order_by(Procedure.code))
    if sector:
        stmt = stmt.join(Sector, Sector.id == Procedure.sector_id).where(
            Sector.name_folded.contains(fold(sector), autoescape=True))
    if agency:
        stmt = stmt.join(Agency, Agency.id == Procedure.agency_id).where(
            Agency.name_folded.contains(fold(agency), autoescape=True))
    if level:
        stmt = stmt.where(Procedure.levels.contains(level, autoescape=True))
    return [(procedure, version) for procedure, version in session.execute(stmt)]
