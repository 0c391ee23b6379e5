"""Scrapy settings for thidua's crawler; `scrapy crawl <site>` and `thidua crawl` both start from these."""

from __future__ import annotations

from runtime.settings import get_settings

_app = get_settings()  # THIDUA_* environment variables decide where things are stored

BOT_NAME = "thidua"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# --- Where the archive lives (thidua's own settings; the runner overrides them per run) -----------------
THIDUA_DB_PATH = str(_app.db_path)
THIDUA_WARC_DIR = str(_app.warc_dir)
THIDUA_RELEVANCE_KEYWORDS = list(_app.relevance_keywords)
THIDUA_ALL_ARTICLES = False
THIDUA_NEAR_DUP_THRESHOLD = 0.8

# --- Politeness: https://docs.scrapy.org/en/latest/topics/settings.html#robotstxt-obey -----------------
# A User-Agent that names the project and a contact URL; robots.txt obeyed; few requests per domain.
USER_AGENT = _app.user_agent
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0

# --- AutoThrottle: https://docs.scrapy.org/en/latest/topics/autothrottle.html ---------------------------
# Adapts the delay to the server's latency; on by default, off for local benchmarks and tests.
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

# --- Retries with backoff: https://docs.scrapy.org/en/latest/topics/downloader-middleware.html#retry ----
# 5xx, 408/429, timeouts and dropped connections are retried after base * 2**(n-1) seconds (capped).
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
RETRY_BACKOFF_BASE = 2.0
RETRY_BACKOFF_MAX = 60.0
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 20 * 1024 * 1024
REDIRECT_MAX_TIMES = 10

# --- Downloader middlewares: https://docs.scrapy.org/en/latest/topics/downloader-middleware.html --------
# Our retry replaces Scrapy's at the same slot (it also honours Retry-After); the conditional-request
# middleware sits just inside it, so it sees final responses only (not the ones about to be retried).
# Our redirect replaces Scrapy's too: loops and off-site redirects are refused, logged and counted.
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.middlewares.BackoffRetryMiddleware": 550,
    "crawler.middlewares.ConditionalRequestMiddleware": 540,
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "crawler.middlewares.ReportingRedirectMiddleware": 600,
    "crawler.middlewares.CrawlDelayMiddleware": 560,  # robots.txt Crawl-delay, which Scrapy reads but ignores
}

# --- Item pipelines: https://docs.scrapy.org/en/latest/topics/item-pipeline.html ------------------------
ITEM_PIPELINES = {
    "crawler.pipelines.normalize.NormalizePipeline": 100,
    "crawler.pipelines.relevance.RelevancePipeline": 200,
    "crawler.pipelines.dedupe.DedupePipeline": 300,
    "crawler.pipelines.archive.ArchivePipeline": 400,
    "crawler.pipelines.store.StorePipeline": 500,
}

# --- Extensions: https://docs.scrapy.org/en/latest/topics/extensions.html ------------------------------
# One owner of the crawl's SQLite connections: it opens the corpus store and the crawl state once, at
# spider_opened, and closes them at spider_closed; the middleware and pipelines above take them from it.
EXTENSIONS = {
    "crawler.extensions.ArchiveConnections": 100,
}

# --- Jobs (pause/resume): https://docs.scrapy.org/en/latest/topics/jobs.html ----------------------------
# The runner sets JOBDIR under THIDUA_DATA_DIR/jobs/<site>; `scrapy crawl` users may pass -s JOBDIR=….
SCHEDULER_DISK_QUEUE = "scrapy.squeues.PickleFifoDiskQueue"
SCHEDULER_MEMORY_QUEUE = "scrapy.squeues.FifoMemoryQueue"

# --- Shared frontier (docs/SCALING.md): THIDUA_FRONTIER=redis://HOST:PORT/DB ----------------------------
# Every crawler process with the same frontier and crawl key shares one request queue and seen-set in
# Redis; requests a killed crawler held go back to the queue after THIDUA_FRONTIER_LEASE seconds.
THIDUA_FRONTIER = _app.frontier
THIDUA_FRONTIER_LEASE = _app.frontier_lease
THIDUA_FRONTIER_KEY = None  # the runner names the round: thidua:frontier:<spider>[-<start URLs hash>]
THIDUA_CRAWLER_ID = None  # the runner names each crawler (host, process, random); also in WARC names
THIDUA_FRONTIER_PREFETCH = 0  # requests a crawler takes ahead; 0: CONCURRENT_REQUESTS_PER_DOMAIN
if THIDUA_FRONTIER:
    SCHEDULER = "crawler.frontier.scheduler.RedisScheduler"

# --- Logging: https://docs.scrapy.org/en/latest/topics/logging.html -------------------------------------
# Progress every few seconds; dropped items as one line, never their raw HTML.
LOG_LEVEL = "INFO"
LOGSTATS_INTERVAL = 5.0
LOG_FORMATTER = "crawler.logformatter.QuietLogFormatter"

# --- Engine: https://docs.scrapy.org/en/latest/topics/settings.html#twisted-reactor --------------------
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
FEED_EXPORT_ENCODING = "utf-8"
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
