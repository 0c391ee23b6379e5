"""The frontier's data in Redis, changed only by atomic Lua scripts: a crash between two steps can
neither mark a request seen without queueing it nor lose a request a crawler had taken.

Keys under `<ns>` (one crawl "round": a spider and its start URLs):
  queue              sorted set: request id -> score (higher priority first, then first in, first out)
  data               hash: request id -> serialised request, until the request is done
  seen               set: fingerprints of every request ever queued in this round
  seq                counter of request ids
  workers            set: crawler ids that joined the round
  alive:<crawler>    present while the crawler renews its lease
  inflight:<crawler> sorted set: the requests the crawler took and has not finished (id -> score)
A crawler whose lease ran out (killed, host lost) has its in-flight requests put back by any other."""

from __future__ import annotations

from dataclasses import dataclass

import redis

PRIORITY_SPAN = 1e12  # scores: -priority * span + id; exact in a double for ids below 2**53 / 1e3

_PUSH = """
if ARGV[3] == '0' and redis.call('SADD', KEYS[1], ARGV[1]) == 0 then return 0 end
local id = redis.call('INCR', KEYS[4])
redis.call('HSET', KEYS[3], id, ARGV[2])
redis.call('ZADD', KEYS[2], -tonumber(ARGV[4]) * tonumber(ARGV[5]) + id, id)
return 1
"""
_POP = """
local top = redis.call('ZPOPMIN', KEYS[1])
if #top == 0 then return false end
redis.call('ZADD', KEYS[2], top[2], top[1])
return {top[1], redis.call('HGET', KEYS[3], top[1])}
"""
_DONE = """
for i = 1, #ARGV do
  if redis.call('ZREM', KEYS[1], ARGV[i]) == 1 then redis.call('HDEL', KEYS[2], ARGV[i]) end
end
return #ARGV
"""
# Put back the in-flight requests of every crawler whose lease ran out (ARGV[1]: the key prefix).
_RECLAIM = """
local moved = 0
for _, w in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if redis.call('EXISTS', ARGV[1] .. 'alive:' .. w) == 0 then
    local held = ARGV[1] .. 'inflight:' .. w
    moved = moved + redis.call('ZCARD', held)
    redis.call('ZUNIONSTORE', KEYS[2], 2, KEYS[2], held, 'AGGREGATE', 'MIN')
    redis.call('DEL', held)
    redis.call('SREM', KEYS[1], w)
  end
end
return moved
"""
# Queued requests, and requests held by crawlers other than ARGV[2].
_PENDING = """
local held = 0
for _, w in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if w ~= ARGV[2] then held = held + redis.call('ZCARD', ARGV[1] .. 'inflight:' .. w) end
end
return {redis.call('ZCARD', KEYS[2]), held}
"""
# A crawler leaves: what it still holds goes back; the last to leave a drained round ends it.
_LEAVE = """
local held = ARGV[1] .. 'inflight:' .. ARGV[2]
redis.call('ZUNIONSTORE', KEYS[2], 2, KEYS[2], held, 'AGGREGATE', 'MIN')
redis.call('DEL', held, ARGV[1] .. 'alive:' .. ARGV[2])
redis.call('SREM', KEYS[1], ARGV[2])
if redis.call('SCARD', KEYS[1]) == 0 and redis.call('ZCARD', KEYS[2]) == 0 then
  redis.call('DEL', KEYS[2], KEYS[3], KEYS[4], KEYS[5])
  return 1
end
return 0
"""


@dataclass(frozen=True)
class Pending:
    """Requests waiting in the queue, and requests other crawlers hold."""

    queued: int
    held_elsewhere: int

    def __bool__(self) -> bool:
        return bool(self.queued or self.held_elsewhere)


class FrontierQueue:
    """One crawler's handle on a round of the shared frontier."""

    def __init__(self, client: redis.Redis, namespace: str, crawler_id: str) -> None:
        self.r = client
        self.prefix = f"{namespace}:"
        self.crawler_id = crawler_id
        self.keys = {name: self.prefix + name for name in ("queue", "data", "seen", "seq", "workers")}
        self.inflight = f"{self.prefix}inflight:{crawler_id}"
        self.alive = f"{self.prefix}alive:{crawler_id}"
        self._push = client.register_script(_PUSH)
        self._pop = client.register_script(_POP)
        self._done = client.register_script(_DONE)
        self._reclaim = client.register_script(_RECLAIM)
        self._pending = client.register_script(_PENDING)
        self._leave = client.register_script(_LEAVE)

    @classmethod
    def connect(cls, url: str, namespace: str, crawler_id: str) -> FrontierQueue:
        """A handle over the Redis at `url` (redis://HOST:PORT/DB); raises redis.ConnectionError."""
        client = redis.Redis.from_url(url, socket_timeout=30, health_check_interval=30)
        client.ping()
        return cls(client, namespace, crawler_id)

    def join(self, lease: float) -> None:
        """Register this crawler and take its lease."""
        self.renew(lease)
        self.r.sadd(self.keys["workers"], self.crawler_id)

    def renew(self, lease: float) -> None:
        self.r.set(self.alive, b"1", px=max(1, int(lease * 1000)))

    def push(self, fingerprint: str, payload: bytes, priority: int, dont_filter: bool) -> bool:
        """Queue a request unless its fingerprint was seen (and `dont_filter` is false); True if queued."""
        k = self.keys
        args: list[bytes | str | int | float] = [fingerprint, payload, int(dont_filter), priority]
        args.append(PRIORITY_SPAN)
        return bool(self._push(keys=[k["seen"], k["queue"], k["data"], k["seq"]], args=args))

    def pop(self) -> tuple[str, bytes] | None:
        """Take the next request: (id, payload); it stays in this crawler's in-flight set until `done`."""
        found = self._pop(keys=[self.keys["queue"], self.inflight, self.keys["data"]])
        return (found[0].decode(), found[1]) if found else None

    def done(self, request_ids: list[str]) -> None:
        """Forget finished requests."""
        if request_ids:
            self._done(keys=[self.inflight, self.keys["data"]], args=request_ids)

    def reclaim(self) -> int:
        """Put back what crawlers whose lease ran out held; how many requests."""
        return int(self._reclaim(keys=[self.keys["workers"], self.keys["queue"]], args=[self.prefix]))

    def pending(self) -> Pending:
        queued, held = self._pending(
            keys=[self.keys["workers"], self.keys["queue"]], args=[self.prefix, self.crawler_id]
        )
        return Pending(int(queued), int(held))

    def leave(self) -> bool:
        """Give back what this crawler holds and leave; True when that ended a drained round."""
        k = self.keys
        keys = [k["workers"], k["queue"], k["data"], k["seen"], k["seq"]]
        return bool(self._leave(keys=keys, args=[self.prefix, self.crawler_id]))

    def close(self) -> None:
        self.r.close()
