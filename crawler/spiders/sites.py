"""One spider class per YAML profile and per registry source, so `scrapy crawl baolamdong` (or `scrapy crawl
baobinhdinh.vn`) works like `thidua crawl --site`."""

from __future__ import annotations

import re

from crawler.sites import spider_names
from crawler.spiders.base import ProfileSpider


def _spider_for(site: str) -> type[ProfileSpider]:
    cls = type(
        re.sub(r"\W", "", site.title()) + "Spider", (ProfileSpider,), {"name": site, "profile_name": site}
    )
    cls.__module__ = __name__  # Scrapy's spider loader only lists classes defined in this module
    return cls


SPIDERS = {site: _spider_for(site) for site in spider_names()}
globals().update({cls.__name__: cls for cls in SPIDERS.values()})
