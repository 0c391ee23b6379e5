"""The shared crawl frontier on Redis: one request queue and one seen-set for every crawler process."""
