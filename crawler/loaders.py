"""Item loaders: the cleaning applied to each scraped field, declared once."""

from __future__ import annotations

from itemloaders.processors import Identity, MapCompose, TakeFirst
from scrapy.loader import ItemLoader

from crawler.items import ArticleItem


def _squash(value: str | None) -> str | None:
    """Whitespace runs to one space; empty strings to None."""
    text = " ".join((value or "").split())
    return text or None


def _strip_lines(value: str) -> str:
    """Each line stripped, blank lines dropped."""
    return "\n".join(line.strip() for line in value.splitlines() if line.strip())


class ArticleLoader(ItemLoader):
    """Loads an ArticleItem: one value per field, whitespace cleaned in short fields."""

    default_item_class = ArticleItem
    default_output_processor = TakeFirst()
    title_in = MapCompose(_squash)
    author_in = MapCompose(_squash)
    body_in = MapCompose(_strip_lines)
    headers_out = Identity()
    request_headers_out = Identity()
