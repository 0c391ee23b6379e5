"""Article or listing, decided from the page's own markup: metadata, then the shape of its main text."""

from __future__ import annotations

from dataclasses import dataclass

from lxml import html as lxml_html
from parsel import Selector

from crawler.dates import parse_date

# Inline children whose text counts as the parent's own running text (a paragraph of a body, or text
# split by <br>); a list item, a teaser block or a link does not.
_RUNNING = {"p", "span", "strong", "b", "em", "i", "u", "font", "br", "sup", "sub", "blockquote", "h2", "h3"}
_SKIP = {"script", "style", "noscript", "nav", "header", "footer", "select", "button", "svg", "a"}
_HEADINGS = {"h2", "h3", "h4", "h5"}
_ARTICLE_TYPES = {"newsarticle", "article", "blogposting", "reportagenewsarticle", "analysisnewsarticle"}
_META_ARTICLE = (
    'meta[property="og:type"][content="article"], meta[property="article:published_time"], '
    '[itemtype*="NewsArticle"], [itemtype$="/Article"], [itemprop="articleBody"]'
)

BODY_CHARS = 400  # running text of an article body with no metadata saying it is one
META_BODY_CHARS = 200  # …with metadata (JSON-LD NewsArticle, og:type=article, article:published_time)
HINT_BODY_CHARS = 120  # …when the profile's URL patterns say it is an article
TEASER_HEADINGS = 3  # a block holding this many linked headings is a list of teasers, not a body


@dataclass(frozen=True)
class PageKind:
    """What a page is, and the evidence for it."""

    is_article: bool
    body_chars: int  # the longest run of text held by one element (a body's paragraphs)
    metadata: bool  # the page declares itself an article (JSON-LD, OpenGraph, microdata)
    title: bool
    dated: bool

    @property
    def reason(self) -> str:
        signals = [
            s for s, on in (("metadata", self.metadata), ("title", self.title), ("date", self.dated)) if on
        ]
        return f"{'article' if self.is_article else 'listing'}: {self.body_chars} chars; {', '.join(signals)}"


def _declares_article(sel: Selector) -> bool:
    if sel.css(_META_ARTICLE):
        og = sel.css('meta[property="og:type"]::attr(content)').get()
        return og is None or og.strip().lower() == "article"
    for raw in sel.css('script[type="application/ld+json"]::text').getall():
        compact = raw.replace(" ", "").lower()
        if any(f'"@type":"{t}"' in compact for t in _ARTICLE_TYPES):
            return True
    return False


def _own_text(el: lxml_html.HtmlElement) -> tuple[int, int]:
    """Characters of running text directly held by `el`, and how many linked headings it holds."""
    chars = len((el.text or "").strip())
    teasers = 0
    for child in el:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag in _HEADINGS and child.find(".//a") is not None:
            teasers += 1
        elif tag in _RUNNING:
            chars += sum(len(t.strip()) for t in child.xpath(".//text()[not(ancestor::a)]"))
        chars += len((child.tail or "").strip())
    return chars, teasers


def body_chars(root: lxml_html.HtmlElement) -> int:
    """The longest run of text one element holds: an article's body; a listing's teasers are scattered."""
    best = 0
    for el in root.iter():
        if not isinstance(el.tag, str) or el.tag in _SKIP or el.tag in _RUNNING - {"blockquote"}:
            continue
        if any(isinstance(a.tag, str) and a.tag in _SKIP for a in el.iterancestors()):
            continue
        chars, teasers = _own_text(el)
        if teasers < TEASER_HEADINGS:
            best = max(best, chars)
    return best


def headline_chars(root: lxml_html.HtmlElement) -> int:
    """Text (links left out) of the nearest block around the first <h1> that holds more than the headline:
    a short notice's summary and two paragraphs, which no single element holds on its own."""
    headline = next(root.iter("h1"), None)
    if headline is None:
        return 0
    own = len(headline.text_content().strip())
    for block in list(headline.iterancestors())[:3]:
        teasers = sum(1 for h in block.iter(*_HEADINGS) if h.find(".//a") is not None)
        if teasers >= TEASER_HEADINGS:
            return 0
        text = block.xpath(".//text()[not(ancestor::a) and not(ancestor::script) and not(ancestor::style)]")
        chars = sum(len(t.strip()) for t in text) - own
        if chars > own:
            return chars
    return 0


def classify(sel: Selector, *, url_hint: bool = False, timezone: str = "Asia/Ho_Chi_Minh") -> PageKind:
    """Whether the page is an article: it says so in its metadata, or it has a headline and a dated body of
    real text; a URL that looks like an article's (`url_hint`) lowers the bar, never decides alone."""
    root = sel.root if isinstance(sel.root, lxml_html.HtmlElement) else lxml_html.fromstring(sel.get())
    chars = max(body_chars(root), headline_chars(root))
    metadata = _declares_article(sel)
    title = bool(sel.css("h1") or sel.css('meta[property="og:title"]'))
    dated = metadata or bool(parse_date(" ".join(sel.xpath("//body//text()").getall()[:4000]), timezone))
    is_article = (
        (metadata and chars >= META_BODY_CHARS)
        or (title and dated and chars >= BODY_CHARS)
        or (url_hint and title and chars >= HINT_BODY_CHARS)
    )
    return PageKind(is_article, chars, metadata, title, dated)
