"""Published decisions on the portal: search, detail, Atom feed per agency, sitemap (issue 6,
items 5 and 8; G3, G5, G9).

Principle 5 of ARCHITECTURE.md: these views read only ``PortalEntry`` (the approved, redacted
snapshot copied by ``publicity.services``) and, for the correction history, approved
``PublicationVersion`` rows' number, date and public reason — never a case table.

The detail page is immutable per entry version, so its HTML is rendered once and cached, keyed
by the entry's version, update time and ledger position, which one primary-key lookup checks on
every request (or, if a deployment sets ``ZHIFA_PORTAL_FRESH_SECONDS``, at most that often), so
a correction, withdrawal (G5) or expiry (G9) shows at once. The page is rendered without the
request (no session, CSRF token or messages), so it is the same for everyone; browsers and
proxies get ``Cache-Control: public, max-age=60``, an ``ETag`` and ``Last-Modified``, and a 304
when unchanged.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape as xml_escape

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.cache import cache
from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.http import http_date, quote_etag
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from zhifa.core.context_processors import site
from zhifa.organizations import services as org_services
from zhifa.organizations.models import EnforcementField

from . import search, snapshot
from .models import Category, PortalEntry, PublicationVersion

MAX_ID = 2**63 - 1  # larger path numbers cannot name a row (and would overflow the driver)
SNIPPET_KEYS = ("facts", "conclusion", "licence_content", "reason", "penalty_content", "withdrawal_reason")
SNIPPET_CHARS = 90
HIDDEN_KEYS = frozenset({"category"})  # a code; category_label shows it in words
DETAIL_TEMPLATE_VERSION = 1  # bump when the detail template changes, to retire cached pages
DETAIL_CACHE_SECONDS = 24 * 3600
SITEMAP_BUCKET = 50_000  # URLs per sitemap file (the sitemaps.org limit)
FEED_ITEMS = 50


# --- Search and list -----------------------------------------------------------------------------


def _mark(text: str, words: list[str]) -> str:
    """``text`` escaped, with the query's words wrapped in <mark>."""
    text = text or ""
    if not words:
        return escape(text)
    pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)
    out, last = [], 0
    for m in pattern.finditer(text):
        out.append(escape(text[last : m.start()]))
        out.append(f"<mark>{escape(m.group())}</mark>")
        last = m.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece is escaped above


def _snippet(fields: dict, words: list[str]) -> str:
    for key in SNIPPET_KEYS:
        text = fields.get(key)
        if not text or not isinstance(text, str):
            continue
        start = 0
        lowered = text.lower()
        for w in words:
            at = lowered.find(w)
            if at >= 0:
                start = max(0, at - 20)
                break
        piece = text[start : start + SNIPPET_CHARS]
        prefix = "…" if start else ""
        suffix = "…" if start + SNIPPET_CHARS < len(text) else ""
        return mark_safe(prefix + _mark(piece, words) + suffix)  # noqa: S308 - _mark escapes
    return ""


def _row(entry: PortalEntry, words: list[str]) -> dict:
    return {
        "pk": entry.publication_id,
        "url": reverse("portal:decision_detail", args=[entry.publication_id]),
        "title": _mark(entry.title, words),
        "party_name": _mark(entry.party_name, words),
        "document_number": _mark(entry.document_number, words),
        "agency_id": entry.agency_id,
        "agency_name": entry.agency_name,
        "category": search.CATEGORY_LABELS.get(entry.category, entry.category),
        "decided_on": entry.decided_on,
        "amount": entry.amount,
        "withdrawn": entry.withdrawn,
        "snippet": _snippet(entry.fields or {}, words),
    }


def _page_url(request, page: int) -> str:
    params = request.GET.copy()
    params["page"] = str(page)
    return "?" + params.urlencode()


@require_GET
def decision_list(request):
    """行政执法决定公示: Chinese full-text search with filters, newest decision first."""
    p = search.parse_params(request.GET)
    fields = _fields()
    agency_name = ""
    if p.agency is not None:
        agency_name = (
            org_services.public_agencies().filter(pk=p.agency).values_list("name", flat=True).first() or ""
        )
        if not agency_name:
            p.errors.append("没有该执法机关，已按全部机关检索。")
            p.agency = None
    if p.field is not None and not any(f.pk == p.field for f in fields):
        p.errors.append("没有该执法领域，已按全部领域检索。")
        p.field = None
    result = search.find(p)
    if not result.rows and p.page > 1:
        p.errors.append(f"没有第{p.page}页，已显示第1页。")
        p.page = 1
        result = search.find(p)
    words = search.highlight_words(p.q) if p.q else []
    without_agency = request.GET.copy()
    without_agency.pop("agency", None)
    without_agency.pop("page", None)
    context = {
        "p": p,
        "rows": [_row(e, words) for e in result.rows],
        "result": result,
        "agency_name": agency_name,
        "categories": Category.choices,
        "fields": fields,
        "previous_url": _page_url(request, result.page - 1) if result.has_previous else "",
        "next_url": _page_url(request, result.page + 1) if result.has_next else "",
        "without_agency": without_agency.urlencode(),
        "max_rows": search.MAX_PAGES * search.PAGE_SIZE,
        "approx_text": _approx(result.approx),
        "searched": bool(p.q) or p.filtered,
    }
    return render(request, "publicity/decisions/list.html", context)


def _approx(n: int | None) -> str:
    """An estimate as people say it: 约 6.6 万 / 约 3200."""
    if n is None:
        return ""
    if n >= 10000:
        return f"{n / 10000:.1f}".removesuffix(".0") + "万"
    digits = len(str(n)) - 2
    return str(round(n, -digits) if digits > 0 else n)


def _fields():
    return list(EnforcementField.objects.order_by("order", "code"))


# --- Detail ---------------------------------------------------------------------------------------


def _gone(request, status=404):
    return render(request, "publicity/decisions/gone.html", status=status)


def _display(value) -> str:
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return str(value)


def _render_detail(request, pk: int) -> str | None:
    entry = PortalEntry.objects.defer("search_text").filter(pk=pk).first()
    if entry is None:
        return None
    fields = entry.fields or {}
    rows = [
        (label, _display(value))
        for key, label, value in snapshot.labelled(entry.category, fields)
        if key not in HIDDEN_KEYS
    ]
    versions = list(
        PublicationVersion.objects.filter(publication_id=pk, approved_at__isnull=False)
        .order_by("number")
        .values("number", "approved_at", "correction_reason")
    )
    context = {
        **site(request),
        "entry": entry,
        "rows": rows,
        "category_label": search.CATEGORY_LABELS.get(entry.category, entry.category),
        "withdrawal": {
            "kind": fields.get("withdrawal_kind_label", ""),
            "reason": fields.get("withdrawal_reason", ""),
            "on": fields.get("withdrawn_on", ""),
        }
        if entry.withdrawn
        else None,
        "versions": versions,
        "corrected": len(versions) > 1,
        "list_url": reverse("portal:decision_list"),
        "ledger_url": reverse("portal:ledger"),
        "proof_url": (
            f"{reverse('ledger-inclusion-proof')}?index={entry.ledger_index}"
            if entry.ledger_index is not None
            else ""
        ),
        "feed_url": reverse("portal:agency_decisions_feed", args=[entry.agency_id]),
    }
    # Rendered without the request: nothing per visitor (no CSRF token, session or messages), so
    # one rendering serves everyone until the entry changes.
    return render_to_string("publicity/decisions/detail.html", context)


def _page(request, pk: int) -> tuple[str, float, str] | None:
    """(ETag, update time, HTML) of an entry's detail page, or None when it is not on the portal.
    One primary-key lookup; the HTML is rendered once per entry version and kept in the cache."""
    head = (
        PortalEntry.objects.filter(pk=pk).values_list("version_number", "updated_at", "ledger_index").first()
    )
    if head is None:
        return None
    version, updated_at, ledger_index = head
    tag = (
        f"d{DETAIL_TEMPLATE_VERSION}-{pk}-{version}-{int(updated_at.timestamp() * 1_000_000)}-{ledger_index}"
    )
    key = f"portal:decision:{tag}"
    html = cache.get(key)
    if html is None:
        html = _render_detail(request, pk)
        if html is None:
            return None
        cache.set(key, html, DETAIL_CACHE_SECONDS)
    return quote_etag(tag), updated_at.timestamp(), html


@require_GET
def decision_detail(request, pk: int):
    """One published decision: every public field with its label, the withdrawal notice (G5),
    the correction history, the display period (G9) and the ledger position (principle 3).

    By default every request checks the entry (one primary-key lookup) and serves the cached
    HTML. A deployment may set ``ZHIFA_PORTAL_FRESH_SECONDS`` (e.g. 10) to answer from the cache
    without touching the database for that long after a check: the response allows proxies 60 s
    anyway and a withdrawal is due within 3 working days (G5), so seconds of delay are harmless;
    within one process nothing invalidates it earlier."""
    if pk > MAX_ID:
        return _gone(request)
    fresh = settings.ZHIFA_PORTAL_FRESH_SECONDS
    key = f"portal:decision-head:{pk}"
    page = cache.get(key) if fresh else None
    if page is None:
        page = _page(request, pk)
        if page is None:  # never published, or its display period has ended (G9)
            return _gone(request)
        if fresh:
            cache.set(key, page, fresh)
    etag, updated, html = page
    response = HttpResponseNotModified() if _not_modified(request, etag, updated) else HttpResponse(html)
    response["ETag"] = etag
    response["Last-Modified"] = http_date(updated)
    response["Cache-Control"] = "public, max-age=60"
    return response


def _not_modified(request, etag: str, updated: float) -> bool:
    inm = request.META.get("HTTP_IF_NONE_MATCH")
    if inm is not None:
        return etag in [t.strip() for t in inm.split(",")] or inm.strip() == "*"
    ims = request.META.get("HTTP_IF_MODIFIED_SINCE")
    if ims:
        from django.utils.http import parse_http_date_safe

        since = parse_http_date_safe(ims)
        return since is not None and int(updated) <= since
    return False


# --- Atom feed per agency -------------------------------------------------------------------------


class AgencyDecisionsFeed(Feed):
    """The latest published decisions of one 执法主体, as Atom (subscribe in any feed reader)."""

    feed_type = Atom1Feed

    def get_object(self, request, pk):
        if pk > MAX_ID:
            raise Http404("没有该执法机关。")
        agency = org_services.public_agencies().filter(pk=pk).first()
        if agency is None:
            raise Http404("没有该执法机关。")
        return agency

    def title(self, obj):
        return f"{obj.name} · 行政执法决定公示"

    def subtitle(self, obj):
        return f"{obj.name}公示的行政许可、行政处罚等执法决定（国办发〔2018〕118号）。"

    def link(self, obj):
        return f"{reverse('portal:decision_list')}?agency={obj.pk}"

    def feed_url(self, obj):
        return reverse("portal:agency_decisions_feed", args=[obj.pk])

    def items(self, obj):
        return list(
            PortalEntry.objects.filter(agency_id=obj.pk)
            .order_by("-decided_on", "-publication_id")
            .defer("search_text")[:FEED_ITEMS]
        )

    def item_title(self, item):
        prefix = "【已撤回】" if item.withdrawn else ""
        return f"{prefix}{item.title}"

    def item_description(self, item):
        fields = item.fields or {}
        parts = [
            f"{search.CATEGORY_LABELS.get(item.category, '')}",
            f"行政相对人：{item.party_name}",
            f"文号：{item.document_number}" if item.document_number else "",
            f"决定日期：{item.decided_on.isoformat()}",
        ]
        if item.withdrawn:
            parts.append(f"已撤回：{fields.get('withdrawal_reason', '')}")
        elif fields.get("facts"):
            parts.append(f"违法事实：{fields['facts'][:200]}")
        return escape("；".join(p for p in parts if p))

    def item_link(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at


# --- Sitemap --------------------------------------------------------------------------------------


def _xml(body: str) -> HttpResponse:
    response = HttpResponse('<?xml version="1.0" encoding="UTF-8"?>\n' + body, content_type="application/xml")
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_GET
def sitemap_index(request):
    """sitemaps.org index: the portal's main pages, then the decisions in files of 50 000 by id
    (stable ranges, so a file's URL keeps its content when other items expire)."""
    from django.db.models import Max

    top = PortalEntry.objects.aggregate(top=Max("publication_id"))["top"] or 0
    locs = [request.build_absolute_uri(reverse("portal:sitemap_pages"))]
    for n in range(top // SITEMAP_BUCKET + 1):
        low = n * SITEMAP_BUCKET
        if PortalEntry.objects.filter(
            publication_id__gte=low, publication_id__lt=low + SITEMAP_BUCKET
        ).exists():
            locs.append(request.build_absolute_uri(reverse("portal:sitemap_decisions", args=[n])))
    body = "".join(f"<sitemap><loc>{xml_escape(loc)}</loc></sitemap>" for loc in locs)
    return _xml(f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{body}</sitemapindex>')


@require_GET
def sitemap_pages(request):
    names = [
        "portal:home",
        "portal:decision_list",
        "portal:agency_list",
        "portal:officer_list",
        "portal:ledger",
    ]
    body = "".join(
        f"<url><loc>{xml_escape(request.build_absolute_uri(reverse(n)))}</loc></url>" for n in names
    )
    return _xml(f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{body}</urlset>')


@require_GET
def sitemap_decisions(request, n: int):
    """One file of the sitemap: the decisions whose id falls in the file's range (read from the
    primary-key index alone, so 50 000 URLs cost no row reads). No ``lastmod``: it is optional,
    and an entry's modification time would cost a row read per URL."""
    if n > MAX_ID // SITEMAP_BUCKET:
        raise Http404("没有该站点地图。")
    low = n * SITEMAP_BUCKET
    ids = (
        PortalEntry.objects.filter(publication_id__gte=low, publication_id__lt=low + SITEMAP_BUCKET)
        .order_by("publication_id")
        .values_list("publication_id", flat=True)
    )
    prefix = xml_escape(request.build_absolute_uri(reverse("portal:decision_list")))
    parts = [f"<url><loc>{prefix}{pk}/</loc></url>" for pk in ids.iterator(chunk_size=10000)]
    if not parts:
        raise Http404("该站点地图没有条目。")
    return _xml(f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{"".join(parts)}</urlset>')
