"""Pipeline 200: marks articles about thi đua / khen thưởng; the others are stored but not extracted."""

from __future__ import annotations

from scrapy.crawler import Crawler

from corpus import textkeys
from crawler.items import ArticleItem


def is_relevant(title: str, text: str, keywords: list[str]) -> bool:
    """True when the title or text contains one of `keywords` (case-, spacing- and NFC-insensitive)."""
    haystack = textkeys.spaced_lower(f"{title}\n{text}")
    return any(textkeys.spaced_lower(k) in haystack for k in keywords if k.strip())


class RelevancePipeline:
    """Sets `relevant` from the configured keyword set; THIDUA_ALL_ARTICLES marks everything relevant."""

    def __init__(self, crawler: Crawler, keywords: list[str], all_articles: bool) -> None:
        self.crawler = crawler
        self.keywords = keywords
        self.all_articles = all_articles

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RelevancePipeline:
        s = crawler.settings
        return cls(crawler, s.getlist("THIDUA_RELEVANCE_KEYWORDS"), s.getbool("THIDUA_ALL_ARTICLES"))

    def process_item(self, item: ArticleItem) -> ArticleItem:
        item.relevant = self.all_articles or is_relevant(item.title or "", item.text, self.keywords)
        self.crawler.stats.inc_value("thidua/relevant" if item.relevant else "thidua/not_relevant")
        return item
