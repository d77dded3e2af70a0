"""Pagination without COUNT(*): a search page over 100 000 officers fetches one row more than it
shows to learn whether a next page exists, and never counts the whole result."""

from __future__ import annotations

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator


class CountlessPage:
    def __init__(self, object_list, number: int, paginator: CountlessPaginator, has_next: bool):
        self.object_list = object_list
        self.number = number
        self.paginator = paginator
        self._has_next = has_next

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    def has_next(self) -> bool:
        return self._has_next

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_next() or self.has_previous()

    def next_page_number(self) -> int:
        if not self._has_next:
            raise EmptyPage("没有下一页。")
        return self.number + 1

    def previous_page_number(self) -> int:
        if self.number <= 1:
            raise EmptyPage("没有上一页。")
        return self.number - 1


class CountlessPaginator(Paginator):
    """Drop-in for ListView's ``paginator_class``; ``num_pages`` is unknown (None) by design."""

    num_pages = None
    count = None

    def validate_number(self, number) -> int:
        try:
            number = int(number)
        except (TypeError, ValueError) as exc:
            raise PageNotAnInteger("页码必须是整数。") from exc
        if number < 1:
            raise EmptyPage("页码必须大于0。")
        return number

    def page(self, number) -> CountlessPage:
        number = self.validate_number(number)
        offset = (number - 1) * self.per_page
        rows = list(self.object_list[offset : offset + self.per_page + 1])
        if not rows and number > 1:
            raise EmptyPage("该页没有数据。")
        return CountlessPage(rows[: self.per_page], number, self, len(rows) > self.per_page)

    def get_page(self, number) -> CountlessPage:
        try:
            return self.page(number)
        except (PageNotAnInteger, EmptyPage):
            return self.page(1)
