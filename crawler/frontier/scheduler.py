"""A Scrapy scheduler over the shared frontier (SCHEDULER = "crawler.frontier.scheduler.RedisScheduler").

Requests are queued and de-duplicated in Redis (crawler.frontier.queue), so every crawler process
with the same THIDUA_FRONTIER and crawl key shares one queue and one seen-set. A request taken from
the queue stays in this crawler's in-flight set until the engine is done with it (downloaded, its
callback run, the callback's requests queued and items stored); a crawler killed before that has
its requests put back once its lease (THIDUA_FRONTIER_LEASE seconds) runs out.

Why not scrapy-redis: its queue pops a request outright and marks it seen in a separate step, so a
crawler killed with requests in hand loses them for good (a restart sees them as already seen)."""

from __future__ import annotations

import logging
import pickle
from typing import Any

from scrapy import Request, Spider
from scrapy.core.scheduler import BaseScheduler
from scrapy.crawler import Crawler
from scrapy.utils.request import request_from_dict
from twisted.internet import task

from crawler.frontier.names import new_crawler_id, round_key
from crawler.frontier.queue import FrontierQueue

log = logging.getLogger(__name__)
TICK = 0.25  # seconds between lease renewals, reclaims and acknowledgements


class RedisScheduler(BaseScheduler):
    """Scheduler and seen-set in Redis, with requests in flight acknowledged only once done."""

    def __init__(self, crawler: Crawler) -> None:
        s = crawler.settings
        self.crawler = crawler
        self.url = s.get("THIDUA_FRONTIER")
        self.namespace = s.get("THIDUA_FRONTIER_KEY") or ""  # `scrapy crawl`: the spider's name, below
        self.crawler_id = s.get("THIDUA_CRAWLER_ID") or new_crawler_id()
        self.lease = s.getfloat("THIDUA_FRONTIER_LEASE", 30.0)
        # A round is one site: take no more requests than can be downloading from it at once, so the
        # other crawlers get their share and a kill leaves few requests to fetch again.
        self.max_held = s.getint("THIDUA_FRONTIER_PREFETCH") or s.getint("CONCURRENT_REQUESTS_PER_DOMAIN", 2)
        self.queue: FrontierQueue | None = None
        self.spider: Spider | None = None
        self.held: dict[str, Request] = {}  # taken from the frontier, not yet done, by frontier id
        self.ticker = task.LoopingCall(self._tick)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedisScheduler:
        return cls(crawler)

    def open(self, spider: Spider) -> None:
        self.spider = spider
        self.namespace = self.namespace or round_key(spider.name)
        self.queue = FrontierQueue.connect(self.url, self.namespace, self.crawler_id)
        self.queue.join(self.lease)
        moved = self.queue.reclaim()
        pending = self.queue.pending()
        log.info(
            "frontier %s: joined as %s (%d queued, %d held by others, %d taken back from stopped crawlers)",
            self.namespace, self.crawler_id, pending.queued, pending.held_elsewhere, moved,
        )  # fmt: skip
        self.ticker.start(TICK, now=False)

    def close(self, reason: str) -> None:
        if self.ticker.running:
            self.ticker.stop()
        if self.queue is None:
            return
        self._acknowledge()
        ended = self.queue.leave()
        log.info("frontier %s: left (%s)%s", self.namespace, reason, "; the round is over" if ended else "")
        self.queue.close()

    def has_pending_requests(self) -> bool:
        """Requests queued, or held by other crawlers (they may queue more): the crawl is not over."""
        return self.queue is not None and bool(self.queue.pending())

    def enqueue_request(self, request: Request) -> bool:
        assert self.queue is not None and self.spider is not None
        fingerprint = self.crawler.request_fingerprinter.fingerprint(request).hex()
        payload = pickle.dumps(request.to_dict(spider=self.spider), protocol=4)
        queued = self.queue.push(fingerprint, payload, request.priority, request.dont_filter)
        stats = self.crawler.stats
        assert stats is not None
        stats.inc_value("scheduler/enqueued/redis" if queued else "dupefilter/filtered")
        return queued

    def next_request(self) -> Request | None:
        """The next request of the shared queue. The engine asks as soon as it finished a request,
        so finished requests are acknowledged here first: a kill then re-fetches only those in hand."""
        assert self.queue is not None
        self._acknowledge()
        if len(self.held) >= self.max_held:
            return None
        taken = self.queue.pop()
        if taken is None:
            return None
        frontier_id, payload = taken
        request = request_from_dict(pickle.loads(payload), spider=self.spider)
        self.held[frontier_id] = request
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value("scheduler/dequeued/redis")
        return request

    def _tick(self) -> None:
        """Renew the lease, take back what stopped crawlers held, acknowledge finished requests, and
        wake the engine: other crawlers may have queued requests, or finished the round."""
        assert self.queue is not None
        try:
            self.queue.renew(self.lease)
            self.queue.reclaim()
            self._acknowledge()
            _wake(self.crawler)
        except Exception:  # a Redis hiccup: the next tick tries again, the lease covers the gap
            log.warning("frontier %s: Redis call failed; retrying", self.namespace, exc_info=True)

    def _acknowledge(self) -> None:
        in_progress = _in_progress(self.crawler)
        finished = [fid for fid, request in self.held.items() if request not in in_progress]
        if not finished:
            return
        assert self.queue is not None
        self.queue.done(finished)
        for fid in finished:
            del self.held[fid]


def _engine_slot(crawler: Crawler) -> Any:
    # Scrapy has no signal for "the engine is done with this request"; its engine slot keeps the
    # requests in progress until their callbacks' output is processed (scrapy/core/engine.py, _Slot).
    return getattr(crawler.engine, "_slot", None)


def _in_progress(crawler: Crawler) -> set[Request]:
    slot = _engine_slot(crawler)
    return slot.inprogress if slot is not None else set()


def _wake(crawler: Crawler) -> None:
    slot = _engine_slot(crawler)
    if slot is not None:
        slot.nextcall.schedule()
