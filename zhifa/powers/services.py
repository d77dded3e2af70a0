"""The only code that changes the law library, 权责清单 and 随机抽查事项."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, Prefetch, Q, Value, When
from django.shortcuts import get_object_or_404
from django.utils import timezone

from zhifa.organizations.models import Organization, OrgKind
from zhifa.organizations.services import ensure_in_scope

from . import lawtext, rules
from .models import (
    Article,
    BenchmarkStatus,
    Chapter,
    DiscretionBenchmark,
    DiscretionTier,
    InspectionItem,
    InspectionItemBasis,
    Law,
    LawVersion,
    Paragraph,
    PowerCategory,
    PowerItem,
    PowerItemBasis,
)

BUNDLED_LAWS = Path(__file__).resolve().parent / "data" / "laws"


# --- Importing laws -----------------------------------------------------------------------------
@dataclass
class ImportResult:
    law: Law
    version: LawVersion
    created: bool  # False: this exact text was already in the library
    article_count: int
    outdated_items: int = 0  # 权责清单 items still citing a version that is no longer current

    @property
    def message(self) -> str:
        if not self.created:
            return (
                f"{self.law}{self.version.version_date:%Y年%m月%d日}版已在法律法规库中，内容相同，未作改动。"
            )
        text = f"已导入{self.law}{self.version.version_date:%Y年%m月%d日}版，共{self.article_count}条。"
        if self.version.is_current:
            text += "该版本为现行有效版本。"
        if self.outdated_items:
            text += f"有{self.outdated_items}项权责清单事项仍引用旧版本条文，请核对其依据。"
        return text


def import_law(
    text: str,
    *,
    filename: str = "",
    short_title: str = "",
    version_date: date | None = None,
    level: str = "",
    issuing_body: str = "",
    today: date | None = None,
) -> ImportResult:
    """Import one law file (format of data/laws/README.md); all or nothing.

    The version date comes from ``version_date``, else the file name ``简称(YYYY-MM-DD).md``,
    else the last history line. Importing the same text again changes nothing; a new version date
    adds a version, which becomes current when it is the one in force.
    """
    try:
        parsed = lawtext.parse_law(text)
    except lawtext.LawFormatError as exc:
        raise ValidationError(exc.errors) from exc
    file_short, file_date = lawtext.parse_filename(filename) if filename else (None, None)
    version_date = version_date or file_date or parsed.version_date()
    if version_date is None:
        raise ValidationError(
            "无法确定版本日期：请将文件命名为“简称(YYYY-MM-DD).md”，或在沿革中写明“YYYY年M月D日 …通过/修正/修订”。"
        )
    short_title = (
        short_title.strip() or (file_short if file_date else "") or lawtext.short_title_of(parsed.title)
    )
    guessed_level, guessed_body = lawtext.guess_level(parsed.history)
    with transaction.atomic():
        law = _law_for(parsed.title, short_title, level or guessed_level, issuing_body or guessed_body)
        digest = parsed.content_hash()
        existing = law.versions.filter(version_date=version_date).first()
        if existing is not None:
            if existing.content_hash != digest:
                raise ValidationError(
                    f"{law}{version_date:%Y年%m月%d日}版已在法律法规库中，但条文与本文件不同。"
                    "同一版本不能有两份文本：如为新的修改，请使用新的版本日期；如为更正，请在管理后台修改条文。"
                )
            return ImportResult(law, existing, created=False, article_count=existing.articles.count())
        version = LawVersion.objects.create(
            law=law,
            version_date=version_date,
            effective_date=parsed.effective_date(version_date),
            history="\n".join(parsed.history),
            source_name=filename[:200],
            content_hash=digest,
        )
        _store_structure(version, parsed)
        refresh_current_version(law, today)
        version.refresh_from_db()
        outdated = (
            PowerItem.objects.filter(articles__version__law=law, articles__version__is_current=False)
            .distinct()
            .count()
        )
    return ImportResult(
        law, version, created=True, article_count=len(parsed.articles), outdated_items=outdated
    )


def _law_for(title: str, short_title: str, level: str, issuing_body: str) -> Law:
    law = Law.objects.filter(title=title).first()
    if law is not None:
        return law
    if other := Law.objects.filter(short_title=short_title).first():
        raise ValidationError(f"简称“{short_title}”已被{other}使用，请为《{title}》指定其他简称。")
    return Law.objects.create(title=title, short_title=short_title, level=level, issuing_body=issuing_body)


def _store_structure(version: LawVersion, parsed: lawtext.ParsedLaw) -> None:
    chapters: list[Chapter] = []
    for ordinal, chapter in enumerate(parsed.chapters, 1):
        parent = chapters[chapter.parent] if chapter.parent is not None else None
        chapters.append(
            Chapter.objects.create(
                version=version,
                parent=parent,
                ordinal=ordinal,
                kind=chapter.kind,
                number=chapter.number,
                title=chapter.title,
            )
        )
    articles = Article.objects.bulk_create(
        Article(
            version=version,
            chapter=chapters[a.chapter] if a.chapter is not None else None,
            number=a.number,
            label=a.label,
            text=a.text,
        )
        for a in parsed.articles
    )
    Paragraph.objects.bulk_create(
        Paragraph(article=article, ordinal=ordinal, kuan=p.kuan, xiang=p.xiang, text=p.text)
        for article, parsed_article in zip(articles, parsed.articles, strict=True)
        for ordinal, p in enumerate(parsed_article.paragraphs, 1)
    )


def refresh_current_version(law: Law, today: date | None = None) -> LawVersion | None:
    """Mark the version in force today as current (处罚法 Art. 37: the law at the time of the act)."""
    versions = list(law.versions.order_by("version_date"))
    index = rules.version_in_force(
        [(v.version_date, v.effective_date) for v in versions], today or timezone.localdate()
    )
    if index is None:
        return None
    chosen = versions[index]
    if not chosen.is_current:
        law.versions.filter(is_current=True).update(is_current=False)
        LawVersion.objects.filter(pk=chosen.pk).update(is_current=True)
    return chosen


def import_law_file(path: Path, **kwargs) -> ImportResult:
    return import_law(path.read_text(encoding="utf-8"), filename=path.name, **kwargs)


def bundled_law_files() -> list[Path]:
    return sorted(p for p in BUNDLED_LAWS.glob("*.md") if p.name.upper() != "README.MD")


def load_bundled_laws() -> list[ImportResult]:
    """Every statute shipped in data/laws (seed of the 法律法规库); safe to run again."""
    with transaction.atomic():
        results = [import_law_file(path) for path in bundled_law_files()]
        for result in results:
            refresh_current_version(result.law)
    return results


# --- Finding articles and linking citations -----------------------------------------------------
def law_name_filter(name: str, prefix: str = "") -> Q:
    name = name.strip().strip("《》")
    bare = name.removeprefix("中华人民共和国")
    return (
        Q(**{f"{prefix}title": name})
        | Q(**{f"{prefix}short_title": name})
        | Q(**{f"{prefix}title": "中华人民共和国" + bare})
        | Q(**{f"{prefix}short_title": bare})
    )


def find_law(name: str) -> Law | None:
    return Law.objects.filter(law_name_filter(name)).first()


def find_article(law_short_or_title: str, number: int, version_date: date | None = None) -> Article | None:
    """第``number``条 of a law named by title or short title, in the current version (or the
    version of ``version_date`` when the library has it)."""
    articles = Article.objects.filter(law_name_filter(law_short_or_title, "version__law__"), number=number)
    if version_date and (dated := articles.filter(version__version_date=version_date).first()):
        return dated
    return articles.filter(version__is_current=True).select_related("version__law").first()


def resolve_citations(text: str) -> tuple[list[tuple[lawtext.Citation, Article]], list[lawtext.Citation]]:
    """(resolved citations with their articles, citations the library does not have)."""
    resolved, missing = [], []
    cache: dict[tuple, Article | None] = {}
    for citation in lawtext.parse_citations(text):
        key = (citation.law, citation.article, citation.version_date)
        if key not in cache:
            cache[key] = find_article(citation.law, citation.article, citation.version_date)
        if cache[key] is None:
            missing.append(citation)
        else:
            resolved.append((citation, cache[key]))
    return resolved, missing


def link_basis(item: PowerItem | InspectionItem) -> list[lawtext.Citation]:
    """Link an item to the articles its 依据 text cites; returns the citations not found."""
    link_model, owner = (
        (PowerItemBasis, "power_item")
        if isinstance(item, PowerItem)
        else (InspectionItemBasis, "inspection_item")
    )
    resolved, missing = resolve_citations(item.basis_text)
    links, seen = [], set()
    for ordinal, (citation, article) in enumerate(resolved, 1):
        key = (article.pk, citation.kuan, citation.xiang)
        if key in seen:
            continue
        seen.add(key)
        links.append(
            link_model(
                **{owner: item}, article=article, kuan=citation.kuan, xiang=citation.xiang, ordinal=ordinal
            )
        )
    with transaction.atomic():
        link_model.objects.filter(**{owner: item}).delete()
        link_model.objects.bulk_create(links)
    return missing


# --- 权责清单 and 随机抽查事项 -------------------------------------------------------------------------
def _check_scope(user, item) -> None:
    ensure_in_scope(user, item.agency if item.agency_id else None)
    if item.pk:
        stored = type(item).objects.select_related("agency").get(pk=item.pk)
        ensure_in_scope(user, stored.agency)


@transaction.atomic
def save_power_item(user, item: PowerItem) -> PowerItem:
    """Create or update a 权责清单 事项 within the user's scope and link its 依据 to articles."""
    _check_scope(user, item)
    return store_item(item)


@transaction.atomic
def save_inspection_item(user, item: InspectionItem) -> InspectionItem:
    _check_scope(user, item)
    return store_item(item)


@transaction.atomic
def store_item(item: PowerItem | InspectionItem):
    """Validate, save and link an item whose scope the caller has already checked (demo, imports)."""
    if isinstance(item, PowerItem):
        item.code = (item.code or "").strip()
    item.full_clean()
    item.save()
    link_basis(item)
    return item


def power_items_citing(user, article: Article):
    return (
        PowerItem.objects.for_user(user)
        .filter(basis_links__article=article)
        .select_related("agency")
        .distinct()
        .order_by("agency__path", "name")
    )


def inspection_items_citing(user, article: Article):
    return (
        InspectionItem.objects.for_user(user)
        .filter(basis_links__article=article)
        .select_related("agency")
        .distinct()
        .order_by("agency__path", "name")
    )


def article_fine_ranges(item: PowerItem) -> lawtext.FineRanges:
    """The fine envelope of the articles an item cites, to check the entered range against."""
    ranges = lawtext.FineRanges()
    for link in item.basis_links.all():
        ranges.merge(lawtext.fine_ranges(cited_text(link.article, link.kuan)))
    return ranges


def cited_text(article: Article, kuan: int | None = None) -> str:
    """The text of an article, or of one 款 of it (with its 项)."""
    if not kuan:
        return article.text
    return "\n".join(p.text for p in article.paragraphs.all() if p.kuan == kuan) or article.text


def quoted_citations(text: str) -> list[dict]:
    """Citations in a free 依据 text as 文书 quote them: ``{"citation": "《…》第…条…", "text": …}``
    with the cited 款 (or article) from the law library, or "" where the library lacks it. Text
    without a recognisable citation is kept whole, as one citation without quoted text."""
    text = (text or "").strip()
    if not text:
        return []
    resolved, _ = resolve_citations(text)
    articles = {(c.law, c.article, c.kuan, c.xiang): a for c, a in resolved}
    rows = []
    for citation in lawtext.parse_citations(text):
        article = articles.get((citation.law, citation.article, citation.kuan, citation.xiang))
        quoted = cited_text(article, citation.kuan) if article is not None else ""
        rows.append({"citation": citation.label, "text": quoted})
    return rows or [{"citation": text, "text": ""}]


# --- Reading for pages --------------------------------------------------------------------------
def version_with_text(version: LawVersion) -> dict:
    """The outline of a version (章 → 节 → articles with 款/项) in three queries."""
    chapters = list(version.chapters.all())
    articles = list(version.articles.prefetch_related("paragraphs"))
    by_chapter: dict[int | None, list[Article]] = {}
    for article in articles:
        by_chapter.setdefault(article.chapter_id, []).append(article)
    outline = [
        {
            "chapter": chapter,
            "articles": by_chapter.get(chapter.pk, []),
            "sections": [
                {"chapter": s, "articles": by_chapter.get(s.pk, [])}
                for s in chapters
                if s.parent_id == chapter.pk
            ],
        }
        for chapter in chapters
        if chapter.parent_id is None
    ]
    return {"outline": outline, "loose_articles": by_chapter.get(None, []), "article_count": len(articles)}


def laws_with_current_version():
    return Law.objects.prefetch_related(
        Prefetch("versions", queryset=LawVersion.objects.filter(is_current=True), to_attr="current_versions")
    )


def public_agency(pk: int) -> Organization:
    """An active 执法主体 the portal may show (G1); anything else is 404."""
    return get_object_or_404(Organization, pk=pk, kind=OrgKind.AGENCY, is_active=True)


def public_power_items(agency: Organization):
    """The 权责清单 an agency publishes (G1): active items with their linked articles."""
    return (
        PowerItem.objects.filter(agency=agency, is_active=True)
        .select_related("undertaking_unit")
        .prefetch_related(
            Prefetch("basis_links", queryset=PowerItemBasis.objects.select_related("article__version__law"))
        )
        .order_by(category_order(), "code", "id")
    )


def category_order():
    """Order by the 类别 as the list is published (许可, 处罚, 强制 …), not alphabetically."""
    return Case(
        *(When(category=value, then=Value(index)) for index, value in enumerate(PowerCategory.values)),
        default=Value(len(PowerCategory.values)),
    )


def public_inspection_items(agency: Organization):
    """The 随机抽查事项清单 an agency publishes (G1)."""
    return (
        InspectionItem.objects.filter(agency=agency, is_active=True)
        .prefetch_related(
            Prefetch(
                "basis_links", queryset=InspectionItemBasis.objects.select_related("article__version__law")
            )
        )
        .order_by("field_name", "id")
    )


# --- 裁量基准 (S8) ---------------------------------------------------------------------------------
def tier_problem_text(problem: rules.TierError, specs: list[rules.TierSpec]) -> str:
    if problem.row is None:
        return problem.message
    return f"第{problem.row + 1}档（{specs[problem.row].label}）：{problem.message}"


def benchmark_problems(benchmark: DiscretionBenchmark, tiers: list[DiscretionTier]) -> list[str]:
    """Every reason the benchmark cannot stand, in Chinese, each naming S8 and its basis."""
    problems = []
    item = benchmark.power_item
    if not item.is_penalty:
        problems.append(f"裁量基准只能针对行政处罚事项制定，“{item.name}”不是行政处罚事项{rules.S8_BASIS}。")
    elif benchmark.agency_id != item.agency_id:
        problems.append("裁量基准的制定机关应与权责事项的实施主体一致。")
    if benchmark.effective_until and benchmark.effective_until < benchmark.effective_from:
        problems.append("失效日期不能早于生效日期。")
    if problems:
        return problems
    specs = [tier.spec() for tier in tiers]
    return [
        tier_problem_text(p, specs)
        for p in rules.benchmark_errors(benchmark.legal_range(), specs, benchmark.band_boundary)
    ]


def _require(user, permission: str, action: str) -> None:
    if not user.has_perm(permission):
        raise PermissionDenied(f"您的角色无权{action}。")


@transaction.atomic
def save_benchmark(user, benchmark: DiscretionBenchmark, tiers: list[DiscretionTier]) -> DiscretionBenchmark:
    """Create or update a draft benchmark and replace its tiers; all or nothing."""
    if benchmark.power_item_id and not benchmark.agency_id:
        benchmark.agency_id = benchmark.power_item.agency_id
    ensure_in_scope(user, benchmark.agency if benchmark.agency_id else None)
    if benchmark.pk:
        stored = DiscretionBenchmark.objects.select_related("agency").get(pk=benchmark.pk)
        ensure_in_scope(user, stored.agency)
        if not stored.is_editable:
            raise ValidationError(f"已公布或已撤回的裁量基准不能修改，请“修订为新版本”{rules.S8_BASIS}。")
    return store_benchmark(benchmark, tiers)


@transaction.atomic
def store_benchmark(benchmark: DiscretionBenchmark, tiers: list[DiscretionTier]) -> DiscretionBenchmark:
    """Validate and write a benchmark whose scope the caller has checked (import, demo)."""
    if problems := benchmark_problems(benchmark, tiers):
        raise ValidationError(problems)
    if not benchmark.pk:
        benchmark.version = next_benchmark_version(benchmark.power_item)
    benchmark.full_clean(exclude=["previous", "published_by"])
    benchmark.save()
    benchmark.tiers.all().delete()
    for order, tier in enumerate(tiers, 1):
        tier.pk = None
        tier.benchmark = benchmark
        tier.order = order
        tier.full_clean(exclude=["benchmark"])
    DiscretionTier.objects.bulk_create(tiers)
    return benchmark


def next_benchmark_version(item: PowerItem) -> int:
    latest = item.benchmarks.order_by("-version").values_list("version", flat=True).first()
    return (latest or 0) + 1


@transaction.atomic
def publish_benchmark(user, benchmark: DiscretionBenchmark) -> DiscretionBenchmark:
    """Publish (处罚法 Art. 34: 裁量基准应当向社会公布). The version it revises, when still open-ended,
    ends the day before this one takes effect; any other overlap is refused."""
    _require(user, "powers.publish_discretionbenchmark", "公布裁量基准")
    ensure_in_scope(user, benchmark.agency)
    return mark_published(benchmark, user)


@transaction.atomic
def mark_published(benchmark: DiscretionBenchmark, user=None) -> DiscretionBenchmark:
    """Publish a benchmark whose permission and scope the caller has checked (demo data)."""
    benchmark = (
        DiscretionBenchmark.objects.select_for_update()
        .select_related("power_item", "agency")
        .get(pk=benchmark.pk)
    )
    if benchmark.status == BenchmarkStatus.PUBLISHED:
        raise ValidationError("该裁量基准已经公布。")
    tiers = list(benchmark.tiers.all())
    if problems := benchmark_problems(benchmark, tiers):
        raise ValidationError(problems)
    closing = []
    others = benchmark.power_item.benchmarks.filter(status=BenchmarkStatus.PUBLISHED).exclude(pk=benchmark.pk)
    for other in others:
        until = other.effective_until
        if until is None and other.effective_from < benchmark.effective_from:
            until = benchmark.effective_from - timedelta(days=1)
            closing.append((other, until))
        if _periods_overlap(other.effective_from, until, benchmark.effective_from, benchmark.effective_until):
            raise ValidationError(
                f"与已公布的第{other.version}版（{_period_text(other.effective_from, other.effective_until)}）"
                f"生效期间重叠，同一事项同一时间只能适用一个裁量基准{rules.S8_BASIS}。"
            )
    for other, until in closing:
        other.effective_until = until
        other.save(update_fields=["effective_until", "updated_at"])
    benchmark.status = BenchmarkStatus.PUBLISHED
    benchmark.published_at = timezone.now()
    benchmark.published_by = user
    benchmark.withdrawn_at = None
    benchmark.withdraw_reason = ""
    benchmark.save()
    return benchmark


def _periods_overlap(a_from, a_until, b_from, b_until) -> bool:
    return (a_until is None or b_from <= a_until) and (b_until is None or a_from <= b_until)


def _period_text(start, end) -> str:
    return f"{start:%Y年%m月%d日}起" + (f"至{end:%Y年%m月%d日}" if end else "")


@transaction.atomic
def withdraw_benchmark(user, benchmark: DiscretionBenchmark, reason: str) -> DiscretionBenchmark:
    """Take a benchmark off the portal; cases stop being offered it. It stays on record."""
    _require(user, "powers.publish_discretionbenchmark", "撤回裁量基准")
    ensure_in_scope(user, benchmark.agency)
    if benchmark.status != BenchmarkStatus.PUBLISHED:
        raise ValidationError("只有已公布的裁量基准才能撤回。")
    if not (reason or "").strip():
        raise ValidationError({"withdraw_reason": "请填写撤回原因。"})
    benchmark.status = BenchmarkStatus.WITHDRAWN
    benchmark.withdrawn_at = timezone.now()
    benchmark.withdraw_reason = reason.strip()[:300]
    benchmark.save(update_fields=["status", "withdrawn_at", "withdraw_reason", "updated_at"])
    return benchmark


@transaction.atomic
def revise_benchmark(
    user, benchmark: DiscretionBenchmark, effective_from: date | None = None
) -> DiscretionBenchmark:
    """A new draft version copying the tiers, to be edited and published in its place."""
    ensure_in_scope(user, benchmark.agency)
    if benchmark.status == BenchmarkStatus.DRAFT:
        raise ValidationError("草稿可以直接修改，无需修订为新版本。")
    tiers = list(benchmark.tiers.all())
    draft = DiscretionBenchmark(
        agency=benchmark.agency,
        power_item=benchmark.power_item,
        title=benchmark.title,
        document_number=benchmark.document_number,
        item_number=benchmark.item_number,
        effective_from=max(
            effective_from or timezone.localdate(), benchmark.effective_from + timedelta(days=1)
        ),
        band_boundary=benchmark.band_boundary,
        notes=benchmark.notes,
        version=next_benchmark_version(benchmark.power_item),
        previous=benchmark,
    )
    draft.save()
    for order, tier in enumerate(tiers, 1):
        tier.pk, tier.benchmark, tier.order = None, draft, order
    DiscretionTier.objects.bulk_create(tiers)
    return draft


def benchmark_with_tiers():
    return DiscretionBenchmark.objects.select_related("agency", "power_item").prefetch_related("tiers")


# --- the case engine's entry points -------------------------------------------------------------
@dataclass
class ProposedPenalty:
    amount: Decimal | None = None  # 罚款 in yuan
    kinds: list[str] = dataclass_field(default_factory=list)  # PENALTY_KINDS codes
    text: str = ""  # the decision as the 决定书 words it, e.g. “给予警告，并处罚款8000元”


@dataclass
class DiscretionResult:
    """What the benchmark says for a case, and whether a proposal keeps to it (S8)."""

    benchmark: DiscretionBenchmark | None
    suggestion: rules.Suggestion
    within: bool | None  # None when no proposal was checked
    lawful: bool | None
    tier: str  # rules.TIERS code, "" when no tier applies
    tier_label: str
    level_label: str
    range_text: str
    yuan_min: Decimal | None
    yuan_max: Decimal | None
    kinds: tuple[str, ...]
    deviations: list[str]
    legal_problems: list[str]
    notes: list[str]
    explanation: str

    @property
    def needs_reason(self) -> bool:
        """A proposal outside its tier must be justified in writing and is flagged to review (S8, L3)."""
        return self.within is False


def discretion_for(power_item: PowerItem, on_date: date) -> DiscretionBenchmark | None:
    """The published benchmark of a penalty 事项 in effect on ``on_date``, with its tiers."""
    return (
        benchmark_with_tiers()
        .filter(power_item=power_item, status=BenchmarkStatus.PUBLISHED, effective_from__lte=on_date)
        .filter(Q(effective_until__isnull=True) | Q(effective_until__gte=on_date))
        .order_by("-effective_from", "-version")
        .first()
    )


def _party(facts: dict | None, party: str) -> tuple[dict, str]:
    facts = dict(facts or {})
    for key in ("party", "当事人类别"):
        value = facts.pop(key, None)
        party = party or (value or "")
    return facts, party


def suggest_penalty(
    power_item: PowerItem,
    circumstances,
    facts: dict | None,
    on_date: date,
    *,
    party: str = "",
    benchmark: DiscretionBenchmark | None = None,
) -> DiscretionResult:
    """The tier and yuan range the benchmark in effect on ``on_date`` suggests (no proposal)."""
    return _evaluate(power_item, circumstances, facts, on_date, party, None, "", benchmark)


def check_proposal(
    power_item: PowerItem,
    circumstances,
    facts: dict | None,
    proposed,
    on_date: date,
    *,
    party: str = "",
    reason: str = "",
    benchmark: DiscretionBenchmark | None = None,
) -> DiscretionResult:
    """Check a proposed penalty (``ProposedPenalty`` or ``{"amount", "kinds", "text"}``) against
    the benchmark, and against the statutory range; ``explanation`` is the 决定书 sentence."""
    if isinstance(proposed, dict):
        proposed = ProposedPenalty(
            amount=proposed.get("amount"),
            kinds=list(proposed.get("kinds") or []),
            text=proposed.get("text", ""),
        )
    return _evaluate(power_item, circumstances, facts, on_date, party, proposed, reason, benchmark)


def _evaluate(item, circumstances, facts, on_date, party, proposed, reason, benchmark) -> DiscretionResult:
    facts, party = _party(facts, party)
    if benchmark is None:
        benchmark = discretion_for(item, on_date)
    legal = rules.LegalRange(
        kinds=tuple(item.penalty_kinds or ()),
        fine_min=item.fine_min,
        fine_max=item.fine_max,
        multiple_base=item.multiple_base,
        multiple_min=item.multiple_min,
        multiple_max=item.multiple_max,
    )
    specs = benchmark.specs() if benchmark else []
    boundary = benchmark.band_boundary if benchmark else rules.BAND_LOWER_INCLUSIVE
    suggestion = rules.suggest(specs, set(circumstances or ()), facts, party, boundary)
    notes = list(suggestion.notes)
    if benchmark is None:
        notes.insert(
            0,
            f"该事项没有生效的裁量基准，应在法定幅度（{legal.text or item.range_text or '未载明'}）内裁量。",
        )
    within = lawful = None
    deviations: list[str] = []
    legal_problems: list[str] = []
    if proposed is not None:
        check = rules.proposal_check(suggestion, proposed.amount, proposed.kinds, legal, facts)
        lawful, legal_problems = check.lawful, check.legal_problems
        if benchmark is None:
            within = check.lawful
        else:
            within, deviations = check.within, check.deviations
    return DiscretionResult(
        benchmark=benchmark,
        suggestion=suggestion,
        within=within,
        lawful=lawful,
        tier=suggestion.tier or "",
        tier_label=suggestion.tier_label,
        level_label=suggestion.level_label,
        range_text=suggestion.range_text if benchmark else legal.text,
        yuan_min=suggestion.yuan_min,
        yuan_max=suggestion.yuan_max,
        kinds=suggestion.kinds,
        deviations=deviations,
        legal_problems=legal_problems,
        notes=notes,
        explanation=_explanation(benchmark, suggestion, legal, proposed, within, reason),
    )


def decision_text(proposed: ProposedPenalty | None) -> str:
    """“给予警告，并处罚款8000元” from a proposal."""
    if proposed is None:
        return ""
    if proposed.text:
        return proposed.text.strip().rstrip("。")
    others = [rules.PENALTY_KIND_LABELS.get(k, k) for k in proposed.kinds if k != "fine"]
    amount = Decimal(str(proposed.amount)) if proposed.amount not in (None, "") else None
    fine = f"罚款{rules.format_amount(amount)}" if amount else ""
    if others and fine:
        return f"给予{'、'.join(others)}，并处{fine}"
    if others:
        return f"给予{'、'.join(others)}"
    return f"处{fine}" if fine else "不予行政处罚"


def _explanation(benchmark, suggestion, legal, proposed, within, reason) -> str:
    decided = decision_text(proposed)
    if benchmark is None:
        text = f"本机关在法定处罚幅度（{legal.text or '未载明'}）内裁量"
        return text + (f"，决定{decided}。" if decided else "。")
    if suggestion.tier == rules.TIER_NONE and suggestion.spec is None:
        return f"鉴于{'；'.join(suggestion.reasons)}，依法不予行政处罚" + (
            f"，本机关决定{decided}。" if decided and decided != "不予行政处罚" else "。"
        )
    if suggestion.spec is None:
        text = f"依据{benchmark.citation}，当事人违法行为不属于该基准所列情形，本机关在法定处罚幅度（{legal.text}）内裁量"
        return text + (f"，决定{decided}。" if decided else "。")
    short = rules.TIER_SHORT[suggestion.tier]
    label = suggestion.spec.level_label or short
    shown = (
        f"“{label}”"
        if label in (short, rules.TIER_LABELS[suggestion.tier])
        else f"“{label}”（{rules.TIER_LABELS[suggestion.tier]}）"
    )
    text = f"依据{benchmark.citation}，当事人违法行为属于{shown}情形"
    if suggestion.reasons:
        text += f"（{'；'.join(suggestion.reasons)}）"
    text += f"，{rules.standard_sentence(suggestion)}"
    if decided:
        text += f"，本机关决定{decided}"
    if within is False and reason.strip():
        text += f"。该处罚超出上述档次，理由是：{reason.strip().rstrip('。')}"
    return text + "。"


# --- reading for pages -------------------------------------------------------------------------
def public_benchmarks(agency: Organization, today: date | None = None):
    """Published benchmarks of an agency in effect today or later (处罚法 Art. 34)."""
    today = today or timezone.localdate()
    return (
        DiscretionBenchmark.objects.filter(agency=agency, status=BenchmarkStatus.PUBLISHED)
        .filter(Q(effective_until__isnull=True) | Q(effective_until__gte=today))
        .select_related("power_item")
        .prefetch_related("tiers")
        .order_by("title", "item_number", "power_item__name", "effective_from")
    )


def agencies_with_public_benchmarks(today: date | None = None):
    today = today or timezone.localdate()
    published = DiscretionBenchmark.objects.filter(status=BenchmarkStatus.PUBLISHED).filter(
        Q(effective_until__isnull=True) | Q(effective_until__gte=today)
    )
    return (
        Organization.objects.filter(kind=OrgKind.AGENCY, is_active=True, discretion_benchmarks__in=published)
        .distinct()
        .order_by("path")
    )


class _ImportFailed(Exception):
    def __init__(self, error):
        self.error = error


def import_benchmarks(user, header, upload):
    """Import an xlsx of 裁量基准 rows as draft benchmarks; any error imports nothing."""
    from .discretion_import import RowError, check_file

    _require(user, "powers.add_discretionbenchmark", "导入裁量基准")
    ensure_in_scope(user, header.agency)
    report = check_file(header, upload)
    if report.file_error or report.errors or not report.benchmarks:
        return report
    try:
        with transaction.atomic():
            for pending in report.benchmarks:
                try:
                    store_benchmark(pending.benchmark, pending.tiers)
                except ValidationError as exc:
                    raise _ImportFailed(RowError(pending.rows[0], "", "；".join(exc.messages))) from exc
    except _ImportFailed as failed:
        report.errors.append(failed.error)
        for pending in report.benchmarks:
            pending.benchmark.pk = None
        return report
    report.imported = len(report.benchmarks)
    return report
