"""One spider class per YAML profile, so `scrapy crawl baolamdong` works like `thidua crawl --site`."""

from __future__ import annotations

from crawler.sites import list_sites
from crawler.spiders.base import ProfileSpider


def _spider_for(site: str) -> type[ProfileSpider]:
    cls = type(
        f"{site.title().replace('_', '')}Spider", (ProfileSpider,), {"name": site, "profile_name": site}
    )
    cls.__module__ = __name__  # Scrapy's spider loader only lists classes defined in this module
    return cls


SPIDERS = {site: _spider_for(site) for site in list_sites()}
globals().update({cls.__name__: cls for cls in SPIDERS.values()})
