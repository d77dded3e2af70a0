"""The only code that changes the law library, 权责清单 and 随机抽查事项."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, Prefetch, Q, Value, When
from django.shortcuts import get_object_or_404
from django.utils import timezone

from zhifa.organizations.models import Organization, OrgKind
from zhifa.organizations.services import ensure_in_scope

from . import lawtext, rules
from .models import (
    Article,
    Chapter,
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
