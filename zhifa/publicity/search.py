"""Chinese full-text search over the portal's published decisions (issue 6, item 5).

How the index works
-------------------
Chinese has no spaces between words, and a segmenter (jieba) would miss what the public types:
fragments of company names, masked names such as 张某, 文号 parts, statute article numbers. So a
document is indexed by **overlapping character bigrams**, computed here in Python:

* the text is NFKC-normalised (full-width digits and letters become ASCII) and lower-cased;
* it is cut into *units*: every CJK character is one unit, every ASCII word (``2026``, ``12``,
  ``91350100m000100y43``) is one unit, and punctuation is dropped — so 罚决〔2026〕12号,
  罚决[2026]12号 and 罚决（2026）12号 are the same five units, and 《食品安全法》第一百二十四条
  is found by 食品安全法第一百二十四条;
* a document's *segments* are its lines (each field value is a line); a segment is indexed as its
  overlapping unit bigrams followed by its last unit alone: 张某超市 → ``张某 某超 超市 市``.

``PortalEntry.search_text`` holds these tokens separated by spaces (:func:`document_text`, called
by the services whenever they write an entry). A query's space-separated words are its *terms*;
a term of two or more units must occur as a *phrase* (its bigrams at consecutive positions), so
it is an exact substring match inside a field — 过期食品 does not match a text that merely
contains 过期 and 食品 apart. A term of one unit (张, 2026, the start of a credit code) is a
*prefix* term: every character of a text starts a bigram or ends a segment, so single characters
are found too. The trailing unit also keeps a phrase from spanning two fields. All terms must
match.

The database does the indexing, with no extension to install (migration 0002_search_index):

* **SQLite**: a contentless FTS5 table (``unicode61`` tokenizer, which splits exactly at our
  spaces) kept in sync by triggers. Its rowid is minus the sort key ``days(decided_on) << 40 |
  publication_id``, so FTS5 returns matches already ordered newest first and a page is read off
  the index with LIMIT/OFFSET even when a query matches most of the million rows (罚款); a date
  range is a rowid range. The filters agency, category and field are indexed as facet tokens
  (U+E000 + a<id>, c<category>, f<id>), so a filter is an intersection inside the index rather
  than a scan; only the amount range reads the rows.
* **PostgreSQL**: a stored generated column ``search_vector = to_tsvector('simple', search_text)``
  with a GIN index; a term is ``'张某' <-> '某超'``, a prefix ``'张':*``. GIN cannot return rows
  in date order, so the plan is chosen from a sample of the newest rows (:func:`_postgres`).
* any other database: ``LIKE`` on ``search_text`` (correct words, not indexed, not phrases).

Counts are exact up to ``COUNT_CAP`` (the 1 000 results one can page through); above it the page
says "超过 1000 条" (or, on PostgreSQL for queries matching many rows, "约 N 条") instead of
counting a million rows.
"""

from __future__ import annotations

import json
import re
import time
import unicodedata
from dataclasses import dataclass
from dataclasses import field as dc_field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from . import snapshot
from .models import Category, PortalEntry

# Snapshot keys a decision is found by: names, 文号, facts, basis, content — not dates, amounts
# or codes, which the filters cover. Withdrawn entries keep title, party and 文号 (G5).
SEARCHED_KEYS = frozenset(
    {
        "title",
        "party_name",
        "credit_code",
        "legal_representative",
        "document_title",
        "document_number",
        "agency_name",
        "field_name",
        "violation_type",
        "facts",
        "basis",
        "reason",
        "penalty_kinds",
        "penalty_content",
        "licence_affected",
        "licence_category",
        "certificate_name",
        "licence_number",
        "licence_content",
        "inspection_item",
        "inspection_method",
        "conclusion",
        "handling",
        "measure",
        "items",
        "remarks",
    }
)
WITHDRAWAL_KEYS = ("withdrawal_kind_label", "withdrawal_reason")

MAX_QUERY_CHARS = 60  # longer input is cut (a 文号 or a company name fits easily)
MAX_RUNS = 8  # query terms (space-separated words) used
FTS_TABLE = "publicity_portalentry_fts"

# After normalize(): an ASCII word (cut into pieces of 40 characters, alike in documents and
# queries) or one other letter or digit.
_UNITS = re.compile(r"[a-z0-9]{1,40}|[^\W_]")


# --- Tokens --------------------------------------------------------------------------------------


def normalize(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


def units(segment: str) -> list[str]:
    """The units of a normalised segment, punctuation dropped: 罚决〔2026〕12号 → ``罚 决 2026 12 号``."""
    return _UNITS.findall(segment)


def segments(text: str, *, by_space: bool = False) -> list[list[str]]:
    """The unit lists of ``text``'s segments: lines of a document (a field value is one line),
    or the space-separated words of a query."""
    text = normalize(text)
    parts = text.split() if by_space else text.splitlines()
    return [u for u in map(units, parts) if u]


def tokens(text: str) -> list[str]:
    """A document's tokens: per segment the unit bigrams and then the last unit alone."""
    out: list[str] = []
    for seg in segments(text):
        out.extend(map(str.__add__, seg, seg[1:]))
        out.append(seg[-1])
    return out


def _values(fields: dict, keys) -> list[str]:
    parts = []
    for key in keys:
        value = fields.get(key)
        if isinstance(value, list):
            parts.extend(str(v) for v in value if v)
        elif value:
            parts.append(str(value))
    return parts


def document_text(fields: dict, category: str) -> str:
    """What ``PortalEntry.search_text`` holds: the bigram tokens of the snapshot's searchable
    fields (party, 文号, facts, basis …), separated by spaces. Called by the services on every
    write of an entry, so the index follows corrections and withdrawals."""
    keys = [f.key for f in snapshot.fields_of(category) if f.key in SEARCHED_KEYS]
    parts = _values(fields, [*keys, *WITHDRAWAL_KEYS])
    return " ".join(tokens("\n".join(parts)))


# --- Queries -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """One word of the query: a phrase of bigram tokens, or a single unit matched as a prefix."""

    tokens: tuple[str, ...]
    prefix: bool

    def fts5(self) -> str:
        return f'"{self.tokens[0]}"*' if self.prefix else '"' + " ".join(self.tokens) + '"'

    def tsquery(self) -> str:
        if self.prefix:
            return f"'{self.tokens[0]}':*"
        return "(" + " <-> ".join(f"'{t}'" for t in self.tokens) + ")"


def query_terms(q: str) -> list[Term]:
    terms = []
    seen = set()
    for seg in segments(q, by_space=True)[:MAX_RUNS]:
        if len(seg) == 1:
            term = Term((seg[0],), prefix=True)
        else:
            term = Term(tuple(seg[i] + seg[i + 1] for i in range(len(seg) - 1)), prefix=False)
        if term not in seen:
            seen.add(term)
            terms.append(term)
    return terms


def pg_tsquery(terms: list[Term]) -> str:
    return " & ".join(t.tsquery() for t in terms)


def highlight_words(q: str) -> list[str]:
    """The query's words as typed (normalised), for marking them in titles and snippets."""
    return sorted(set(normalize(q).split()), key=len, reverse=True)[:MAX_RUNS]


# --- Parameters ----------------------------------------------------------------------------------

PAGE_SIZE = 20
MAX_PAGES = 50  # 1 000 results; narrower conditions find the rest
MAX_AMOUNT = Decimal("1e13")
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日")
CATEGORY_LABELS = dict(Category.choices)


@dataclass
class Params:
    q: str = ""
    agency: int | None = None
    category: str = ""
    field: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    page: int = 1
    errors: list[str] = dc_field(default_factory=list)

    @property
    def filtered(self) -> bool:
        return any(
            v not in (None, "")
            for v in (
                self.agency,
                self.category,
                self.field,
                self.date_from,
                self.date_to,
                self.amount_min,
                self.amount_max,
            )
        )


def _get(data, name: str) -> str:
    value = data.get(name, "")
    return value.strip() if isinstance(value, str) else ""


def _parse_date(raw: str) -> date | None:
    raw = normalize(raw).replace(" ", "")
    for fmt in DATE_FORMATS:
        try:
            value = datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
        if 1990 <= value.year <= 2100:
            return value
    return None


def _parse_amount(raw: str) -> Decimal | None:
    raw = normalize(raw).replace(",", "").replace("，", "").replace(" ", "")
    multiplier = Decimal(1)
    if raw.endswith("元"):
        raw = raw[:-1]
    if raw.endswith("万"):
        raw, multiplier = raw[:-1], Decimal(10000)
    if not re.fullmatch(r"\d{1,14}(\.\d{1,2})?", raw):
        return None
    value = Decimal(raw) * multiplier
    return value if value < MAX_AMOUNT else None


def parse_id(raw: str) -> int | None:
    """A positive decimal number typed in a query string, or None. ASCII digits only: "²".isdigit()
    is true but int("²") raises."""
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 18 else None


def parse_params(data) -> Params:
    """The search form's GET parameters; anything malformed is dropped with a Chinese message
    (the search still runs with the rest)."""
    p = Params()
    q = " ".join(_get(data, "q").split())
    if len(q) > MAX_QUERY_CHARS:
        p.errors.append(f"检索词过长，只按前{MAX_QUERY_CHARS}个字检索。")
        q = q[:MAX_QUERY_CHARS]
    p.q = q
    if q and not query_terms(q):
        p.errors.append("检索词中没有可检索的文字或数字，已忽略。")
        p.q = ""
    if raw := _get(data, "agency"):
        p.agency = parse_id(raw)
        if p.agency is None:
            p.errors.append("执法机关参数不正确，已忽略。")
    if raw := _get(data, "category"):
        if raw in CATEGORY_LABELS:
            p.category = raw
        else:
            p.errors.append("公示类别不正确，已忽略。")
    if raw := _get(data, "field"):
        p.field = parse_id(raw)
        if p.field is None:
            p.errors.append("执法领域参数不正确，已忽略。")
    for name, label in (("date_from", "起始日期"), ("date_to", "截止日期")):
        if raw := _get(data, name):
            value = _parse_date(raw[:20])
            if value is None:
                p.errors.append(f"{label}“{raw[:20]}”不是有效日期，应写作 2026-01-31 这样的形式，已忽略。")
            setattr(p, name, value)
    if p.date_from and p.date_to and p.date_from > p.date_to:
        p.errors.append("起始日期晚于截止日期，已按先后对调。")
        p.date_from, p.date_to = p.date_to, p.date_from
    for name, label in (("amount_min", "最低罚没金额"), ("amount_max", "最高罚没金额")):
        if raw := _get(data, name):
            value = _parse_amount(raw[:30])
            if value is None:
                p.errors.append(
                    f"{label}“{raw[:30]}”不是有效金额，应填写以元为单位的数字（如 5000 或 1.5万），已忽略。"
                )
            setattr(p, name, value)
    if p.amount_min is not None and p.amount_max is not None and p.amount_min > p.amount_max:
        p.errors.append("最低金额高于最高金额，已按大小对调。")
        p.amount_min, p.amount_max = p.amount_max, p.amount_min
    if raw := _get(data, "page"):
        page = parse_id(raw)
        if page is None or page < 1:
            p.errors.append("页码应为正整数，已显示第1页。")
        elif page > MAX_PAGES:
            p.errors.append(
                f"最多列出前{MAX_PAGES}页（{MAX_PAGES * PAGE_SIZE}条）结果，已显示第{MAX_PAGES}页；请增加检索条件缩小范围。"
            )
            p.page = MAX_PAGES
        else:
            p.page = page
    return p


# --- Execution -----------------------------------------------------------------------------------

LIST_COLUMNS = (
    "publication_id",
    "title",
    "party_name",
    "document_number",
    "agency_id",
    "agency_name",
    "category",
    "decided_on",
    "amount",
    "withdrawn",
    "fields",
)
COUNT_CAP = MAX_PAGES * PAGE_SIZE  # counted exactly up to here, else "超过 N 条"
KEY_SHIFT = 40  # SQLite index rowid: -(days(decided_on) << 40 | publication_id) (migration 0002)
ID_MASK = (1 << KEY_SHIFT) - 1
FACET = "\ue000"  # facet tokens of the SQLite index; never part of a text token
EPOCH = date(1970, 1, 1)
SAMPLE_ROWS = (250, 2250)  # PostgreSQL: the newest rows of the filtered set checked first …
SAMPLED = 0.01  # … unless the query's rarest bigram is in fewer rows than this
DENSE = 0.02  # PostgreSQL: a query matching this share of the newest rows is read in date order


@dataclass
class Result:
    rows: list
    page: int
    has_next: bool
    count: int | None  # exact, up to COUNT_CAP
    more_than: int | None = None  # "超过 N 条": more than COUNT_CAP, not counted further
    approx: int | None = None  # "约 N 条": estimated (PostgreSQL, queries matching many rows)

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def find(p: Params) -> Result:
    """One page of entries matching ``p``, newest decision first (then newest publication), with
    the number of matches: exact up to ``COUNT_CAP``, else "more than" or an estimate."""
    terms = query_terms(p.q) if p.q else []
    vendor = connection.vendor
    offset = (p.page - 1) * PAGE_SIZE
    approx = None
    if vendor == "sqlite":
        ids, count = _sqlite(p, terms, offset)
    elif vendor == "postgresql" and terms:
        ids, count, approx = _postgres(p, terms, offset)
    else:
        qs = _filtered(p, terms, vendor).order_by("-decided_on", "-publication_id")
        ids = list(qs.values_list("publication_id", flat=True)[offset : offset + PAGE_SIZE + 1])
        first_and_only = offset == 0 and len(ids) <= PAGE_SIZE
        count = len(ids) if first_and_only else qs.order_by().values("pk")[: COUNT_CAP + 1].count()
    has_next = len(ids) > PAGE_SIZE
    ids = ids[:PAGE_SIZE]
    by_id = {e.publication_id: e for e in PortalEntry.objects.filter(pk__in=ids).only(*LIST_COLUMNS)}
    rows = [by_id[i] for i in ids if i in by_id]
    if approx is not None:
        return Result(rows, p.page, has_next, None, approx=approx)
    if count is not None and count > COUNT_CAP:
        return Result(rows, p.page, has_next, None, COUNT_CAP)
    return Result(rows, p.page, has_next, count)


# --- SQLite ---------------------------------------------------------------------------------------


def _key(d: date) -> int:
    return (d - EPOCH).days << KEY_SHIFT


def sqlite_match(p: Params, terms: list[Term]) -> str:
    """The FTS5 query: the text terms and the facet tokens of the filters."""
    parts = [t.fts5() for t in terms]
    if p.agency is not None:
        parts.append(f'"{FACET}a{p.agency}"')
    if p.category:
        parts.append(f'"{FACET}c{p.category.replace("_", "")}"')
    if p.field is not None:
        parts.append(f'"{FACET}f{p.field}"')
    return " AND ".join(parts) or f'"{FACET}all"'


def _sqlite(p: Params, terms: list[Term], offset: int) -> tuple[list[int], int | None]:
    """The FTS5 rowid is minus the sort key, so ascending rowids (which FTS5 reads fastest) are
    newest first: a page is read straight off the index whatever the query matches; only an
    amount range needs the rows."""
    table = PortalEntry._meta.db_table
    where = [f"f.{FTS_TABLE} MATCH %s"]
    params: list = [sqlite_match(p, terms)]
    if p.date_from:
        where.append("f.rowid <= %s")
        params.append(-_key(p.date_from))
    if p.date_to:
        where.append("f.rowid >= %s")
        params.append(-(_key(p.date_to) | ID_MASK))
    join = ""
    if p.amount_min is not None or p.amount_max is not None:
        join = f"JOIN {table} e ON e.publication_id = ((-f.rowid) & {ID_MASK})"
        if p.amount_min is not None:
            where.append("e.amount >= %s")
            params.append(p.amount_min)
        if p.amount_max is not None:
            where.append("e.amount <= %s")
            params.append(p.amount_max)
    sql = f"SELECT (-f.rowid) & {ID_MASK} FROM {FTS_TABLE} f {join} WHERE {' AND '.join(where)}"
    with connection.cursor() as cursor:
        cursor.execute(f"{sql} ORDER BY f.rowid LIMIT %s OFFSET %s", [*params, PAGE_SIZE + 1, offset])
        ids = [row[0] for row in cursor.fetchall()]
        if offset == 0 and len(ids) <= PAGE_SIZE:
            return ids, len(ids)
        cursor.execute(f"SELECT count(*) FROM ({sql} LIMIT %s)", [*params, COUNT_CAP + 1])
        return ids, cursor.fetchone()[0]


# --- PostgreSQL and the fallback ------------------------------------------------------------------


def _filtered(p: Params, terms: list[Term], vendor: str):
    """The filters as a queryset; the text as a tsquery (PostgreSQL) or LIKE (elsewhere)."""
    qs = PortalEntry.objects.all()
    if p.agency is not None:
        qs = qs.filter(agency_id=p.agency)
    if p.category:
        qs = qs.filter(category=p.category)
    if p.field is not None:
        qs = qs.filter(field_id=p.field)
    if p.date_from:
        qs = qs.filter(decided_on__gte=p.date_from)
    if p.date_to:
        qs = qs.filter(decided_on__lte=p.date_to)
    if p.amount_min is not None:
        qs = qs.filter(amount__gte=p.amount_min)
    if p.amount_max is not None:
        qs = qs.filter(amount__lte=p.amount_max)
    if not terms:
        return qs
    if vendor == "postgresql":
        return qs.extra(where=[PG_MATCH], params=[pg_tsquery(terms)])
    for term in terms:  # no index: bigrams as substrings of the token text (not exact phrases)
        for token in term.tokens:
            qs = qs.filter(search_text__contains=token)
    return qs


PG_MATCH = "publicity_portalentry.search_vector @@ to_tsquery('simple', %s)"
# The exact query as a row filter: a function call, which the planner does not take to the index.
PG_FILTER = "ts_match_vq(publicity_portalentry.search_vector, to_tsquery('simple', %s))"
ORDER = ("-decided_on", "-publication_id")
STATS_SECONDS = 600
COMMON = 0.2  # a bigram in this share of rows is left to the recheck
_stats: dict = {"at": 0.0, "freq": {}, "floor": 0.0}


def _pg_stats() -> tuple[dict[str, float], float]:
    """Lexeme frequencies that ANALYZE keeps for ``search_vector`` (the most common ~1000
    bigrams), and the frequency below which a lexeme is not listed. Cached per process."""
    now = time.monotonic()
    if now - _stats["at"] > STATS_SECONDS:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats "
                "WHERE tablename = 'publicity_portalentry' AND attname = 'search_vector'"
            )
            row = cursor.fetchone()
        if row and row[0]:
            elems, freqs = row
            listed = freqs[: len(elems)]  # then the minimum and maximum of these
            # a lexeme not listed is rarer than the least frequent listed one
            _stats.update(freq=dict(zip(elems, listed, strict=True)), floor=min(listed) / 2)
        else:
            _stats.update(freq={}, floor=0.0)
        _stats["at"] = now
    return _stats["freq"], _stats["floor"]


def _pg_index_query(terms: list[Term]) -> tuple[str, float]:
    """The tsquery for the GIN index — each phrase by its bigrams that are not common (measured:
    reading the posting lists of 有限, 公司, 第一 … costs more than they narrow; too few left
    and the heap rechecks cost more), the exact phrase being checked on the candidates — and an
    upper bound of the share of rows the query matches (1.0 when unknown)."""
    freq, floor = _pg_stats()
    parts, bound = [], 1.0
    for term in terms:
        if term.prefix:
            parts.append(term.tsquery())
            continue
        ranked = sorted(term.tokens, key=lambda t: freq.get(t, floor))
        chosen = [t for t in ranked if freq.get(t, floor) < COMMON]
        chosen = chosen if len(chosen) >= 3 else ranked[:3]
        parts.append(" & ".join(f"'{t}'" for t in chosen))
        bound = min(bound, freq.get(ranked[0], floor))
    return " & ".join(parts), bound


def _postgres(p: Params, terms: list[Term], offset: int) -> tuple[list[int], int | None, int | None]:
    """PostgreSQL cannot read a GIN index in date order, and its estimate for a phrase is far
    too low (it multiplies the bigrams' frequencies), so the plan is chosen here:

    * a query with a rare bigram (in fewer than ``SAMPLED`` of the rows by the ANALYZE
      statistics: a company, a 文号) goes through the GIN index by its uncommon bigrams, the exact
      phrase checked on the candidates, then sorted;
    * otherwise the newest rows of the filtered set (b-tree index, in order) are checked first:
      if they are the whole set, the count is exact; if the page lies within their matches, it is
      done (罚款, 过期食品); else a query matching at least ``DENSE`` of them is read in date order
      with the match as a row filter, a rarer one through the GIN index.

    Sampled queries matching more than ``COUNT_CAP`` rows show an estimate (share in the sample ×
    rows filtered) instead of a count, which would read every match."""
    base = _filtered(p, [], "postgresql")
    exact = pg_tsquery(terms)
    index_query, bound = _pg_index_query(terms)
    want = offset + PAGE_SIZE + 1

    def through_index(qs):
        """``qs`` restricted through the GIN index; the exact query is checked on the rows only
        when the index query is not already exact (phrases of several bigrams)."""
        if index_query == exact.replace("(", "").replace(")", ""):
            return qs.extra(where=[PG_MATCH], params=[index_query]).order_by(*ORDER)
        return qs.extra(where=[PG_MATCH, PG_FILTER], params=[index_query, exact]).order_by(*ORDER)

    indexed = through_index(base)
    density = None
    hits: list[int] = []
    if bound >= SAMPLED:
        flagged = base.order_by(*ORDER).extra(select={"hit": PG_FILTER}, select_params=[exact])
        seen, last = 0, None
        for size in SAMPLE_ROWS:
            batch = flagged
            if last is not None:  # keyset: continue below the last row read
                batch = flagged.extra(where=["(decided_on, publication_id) < (%s, %s)"], params=list(last))
            rows = list(batch.values_list("publication_id", "hit", "decided_on")[:size])
            seen += len(rows)
            hits += [pk for pk, hit, _ in rows if hit]
            if len(rows) < size:  # read to the end: the whole filtered set
                return hits[offset:want], len(hits), None
            if len(hits) >= want:
                break
            last = (rows[-1][2], rows[-1][0])
        density = len(hits) / seen
    if len(hits) >= want:
        ids = hits[offset:want]
    elif density is not None and density >= DENSE:
        ordered = base.extra(where=[PG_FILTER], params=[exact]).order_by(*ORDER)
        with transaction.atomic(), connection.cursor() as cursor:
            for setting in ("enable_bitmapscan", "enable_seqscan", "enable_sort"):
                cursor.execute(f"SET LOCAL {setting} = off")
            ids = list(ordered.values_list("publication_id", flat=True)[offset:want])
    else:
        count = indexed.order_by().values("pk")[: COUNT_CAP + 1].count()
        return _recent_first(base, through_index, offset, want, many=count > COUNT_CAP), count, None
    if offset == 0 and len(ids) < want:
        return ids, len(ids), None
    estimate = max(round(density * _estimated_rows(base)), len(hits))
    if estimate > COUNT_CAP:
        return ids, None, estimate
    return ids, indexed.order_by().values("pk")[: COUNT_CAP + 1].count(), None


RECENT_DAYS = (30, 120, 365)


def _recent_first(base, through_index, offset: int, want: int, *, many: bool) -> list[int]:
    """A page through the GIN index. Sorting means reading every candidate row, so when there
    are many, the newest decisions are tried first: if a recent window holds the page, no older
    row can belong on it. (The window is filtered before the text, so the rows outside it are
    not decompressed.)"""
    if many:
        today = timezone.localdate()
        for days in RECENT_DAYS:
            recent = through_index(base.filter(decided_on__gte=today - timedelta(days=days)))
            ids = list(recent.values_list("publication_id", flat=True)[offset:want])
            if len(ids) == want - offset:
                return ids
    return list(through_index(base).values_list("publication_id", flat=True)[offset:want])


def _estimated_rows(qs) -> int:
    """The planner's estimate of the rows of ``qs`` (no scan)."""
    sql, params = qs.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])
