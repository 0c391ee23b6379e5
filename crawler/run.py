"""The crawl child process: `python -m crawler.run CONFIG.json` runs one Scrapy crawl and writes its stats."""

from __future__ import annotations

import json
import logging
import os
import sys
from pathlib import Path
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.utils.project import get_project_settings

from crawler.spiders.sites import SPIDERS

STAT_KEYS = {
    "pages_fetched": "thidua/pages_fetched",
    "not_modified": "thidua/not_modified",
    "conditional_requests": "thidua/conditional_requests",
    "articles_new": "thidua/articles_new",
    "articles_updated": "thidua/articles_updated",
    "articles_unchanged": "thidua/articles_unchanged",
    "duplicates": "thidua/duplicates",
    "relevant": "thidua/relevant",
    "not_relevant": "thidua/not_relevant",
    "flagged": "thidua/flagged",
    "errors": "thidua/errors",
    "warc_records": "thidua/warc_records",
    "robots_forbidden": "robotstxt/forbidden",
    "canonical_offsite": "thidua/canonical_offsite",
    "redirect_loops": "thidua/redirect_loops",
    "redirect_offsite": "thidua/redirect_offsite",
    "not_html": "thidua/not_html",
    "retry_after_honoured": "thidua/retry_after_honoured",
    "retry_after_too_long": "thidua/retry_after_too_long",
}

CHATTY_LOGGERS = ("scrapy.middleware", "scrapy.addons", "scrapy.crawler", "scrapy.extensions.telnet")


def scrapy_settings(config: dict[str, Any]) -> Any:
    """The project's Scrapy settings with this run's paths, limits and overrides applied."""
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    settings = get_project_settings()
    settings.set("THIDUA_DB_PATH", config["db_path"], priority="cmdline")  # the parent's Settings paths
    settings.set("THIDUA_WARC_DIR", config["warc_dir"], priority="cmdline")
    settings.set("THIDUA_RELEVANCE_KEYWORDS", config["relevance_keywords"], priority="cmdline")
    settings.set("THIDUA_ALL_ARTICLES", config["all_articles"], priority="cmdline")
    settings.set("USER_AGENT", config["user_agent"], priority="cmdline")
    if config.get("jobdir"):
        settings.set("JOBDIR", config["jobdir"], priority="cmdline")
    _shared_settings(settings, config)
    settings.set("STATS_DUMP", False, priority="cmdline")  # the parent logs the run's report instead
    settings.set("LOG_VERSIONS", [], priority="cmdline")
    for key, value in (config.get("overrides") or {}).items():
        settings.set(key, value, priority="cmdline")
    return settings


def _shared_settings(settings: Any, config: dict[str, Any]) -> None:
    """A crawler among many: the shared frontier as scheduler, its id in WARC names, and with an ingest
    queue the articles sent there instead of being deduplicated and stored here."""
    if config.get("crawler_id"):
        settings.set("THIDUA_CRAWLER_ID", config["crawler_id"], priority="cmdline")
    if config.get("frontier"):
        for key, value in (
            ("THIDUA_FRONTIER", config["frontier"]),
            ("THIDUA_FRONTIER_KEY", config["frontier_key"]),
            ("THIDUA_FRONTIER_LEASE", config["frontier_lease"]),
            ("SCHEDULER", "crawler.frontier.scheduler.RedisScheduler"),
        ):
            settings.set(key, value, priority="cmdline")
    if config.get("ingest"):
        settings.set("THIDUA_INGEST", config["ingest"], priority="cmdline")
        pipelines = dict(settings.getdict("ITEM_PIPELINES"))
        for name in ("crawler.pipelines.dedupe.DedupePipeline", "crawler.pipelines.store.StorePipeline"):
            pipelines.pop(name, None)
        pipelines["crawler.pipelines.ship.ShipPipeline"] = 500
        settings.set("ITEM_PIPELINES", pipelines, priority="cmdline")


def main(argv: list[str]) -> int:
    config = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    process = CrawlerProcess(scrapy_settings(config))
    for name in CHATTY_LOGGERS:  # start-up inventories, not progress: keep them out of a run's log
        logging.getLogger(name).setLevel(logging.WARNING)
    crawler = process.create_crawler(SPIDERS[config["spider"]])
    process.crawl(crawler, start_urls=config.get("start_urls") or None, max_pages=config.get("max_pages"))
    process.start()
    stats = crawler.stats.get_stats() if crawler.stats else {}
    report: dict[str, Any] = {name: int(stats.get(key, 0)) for name, key in STAT_KEYS.items()}
    report["finish_reason"] = str(stats.get("finish_reason", "unknown"))
    Path(config["report"]).write_text(json.dumps(report), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
