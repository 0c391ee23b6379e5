"""Duplicate detection as pure functions: canonical URLs, exact hashes, MinHash near-duplicates."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Mapping, Sequence
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import numpy as np

from corpus.models import content_hash

# Query parameters that identify a campaign or a click, never the page.
TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "msclkid",
        "zarsrc",
        "zanalytics",
        "_ga",
        "igshid",
        "mc_cid",
        "mc_eid",
        "ref",
        "ref_src",
        "src",
        "source",
        "cmpid",
        "itm_source",
        "itm_medium",
        "itm_campaign",
        "gidzl",
    }
)
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_")

NUM_PERM = 128
BANDS = 32
SHINGLE = 4
NEAR_DUP_THRESHOLD = 0.8
_PRIME = (1 << 61) - 1
_rng = np.random.default_rng(20240509)  # fixed seed: signatures must be stable across runs
_A = _rng.integers(1, _PRIME, size=NUM_PERM, dtype=np.uint64)
_B = _rng.integers(0, _PRIME, size=NUM_PERM, dtype=np.uint64)


def _is_tracking(key: str) -> bool:
    k = key.lower()
    return k in TRACKING_PARAMS or k.startswith(TRACKING_PREFIXES)


def canonical_url(url: str, declared: str | None = None) -> str:
    """The page's canonical URL: its rel=canonical when given, lower-cased host, no fragment or tracking."""
    target = urljoin(url, declared.strip()) if declared and declared.strip() else url
    parts = urlsplit(target)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        parts = urlsplit(url)
    host = parts.hostname or ""
    default_port = {"http": 80, "https": 443}.get(parts.scheme)
    netloc = host if parts.port in (None, default_port) else f"{host}:{parts.port}"
    query = urlencode(
        sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k))
    )
    return urlunsplit((parts.scheme, netloc, parts.path or "/", query, ""))


def _site_of(url: str) -> tuple[str, int | None]:
    """A URL's host without `www.`, and its port when it is not the scheme's default."""
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.")
    try:
        port = parts.port
    except ValueError:  # a port out of range: no site at all
        return "", None
    return host, None if port == {"http": 80, "https": 443}.get(parts.scheme) else port


def same_site(url: str, declared: str, site_domains: Sequence[str] = ()) -> bool:
    """Whether a page fetched from `url` may name `declared` as its canonical URL: the same host and
    port (`www.` aside), or a host of the site's own domains (a profile's `allowed_domains`, which a
    local mirror of the site serves). A page never speaks for another site's articles."""
    target = urljoin(url, declared.strip())
    if urlsplit(target).scheme not in ("http", "https"):
        return True  # not a web address: canonical_url() keeps the fetched URL anyway
    host, port = _site_of(target)
    if host and (host, port) == _site_of(url):
        return True
    domains = [d.lower().removeprefix("www.") for d in site_domains]
    return bool(host) and port is None and any(host == d or host.endswith("." + d) for d in domains)


def exact_hash(text: str) -> str:
    """Exact-content hash of normalised text (the store's `content_hash`)."""
    return content_hash(text)


def _tokens(text: str) -> list[str]:
    text = unicodedata.normalize("NFC", text).casefold()
    return re.findall(r"\w+", text)


def shingles(text: str, k: int = SHINGLE) -> set[str]:
    """Word k-shingles of the text, case- and punctuation-insensitive."""
    tokens = _tokens(text)
    if len(tokens) <= k:
        return {" ".join(tokens)} if tokens else set()
    return {" ".join(tokens[i : i + k]) for i in range(len(tokens) - k + 1)}


def minhash(text: str) -> np.ndarray:
    """A NUM_PERM-value MinHash signature of the text's shingles (uint64)."""
    grams = shingles(text)
    if not grams:
        return np.full(NUM_PERM, _PRIME, dtype=np.uint64)
    values = np.fromiter(
        (int.from_bytes(hashlib.blake2b(g.encode("utf-8"), digest_size=7).digest(), "big") for g in grams),
        dtype=np.uint64,
        count=len(grams),
    )
    # (a * x + b) mod p with wrap-around in uint64: a fixed family of hash functions, fine for MinHash.
    hashed = (values[:, None] * _A[None, :] + _B[None, :]) % np.uint64(_PRIME)
    signature: np.ndarray = hashed.min(axis=0)
    return signature


def similarity(sig_a: np.ndarray, sig_b: np.ndarray) -> float:
    """Estimated Jaccard similarity of two signatures."""
    return float(np.mean(sig_a == sig_b))


def band_keys(sig: np.ndarray) -> list[int]:
    """LSH keys (signed 64-bit): documents sharing a key are near-duplicate candidates."""
    rows = NUM_PERM // BANDS
    return [
        int.from_bytes(
            hashlib.blake2b(bytes([b]) + sig[b * rows : (b + 1) * rows].tobytes(), digest_size=8).digest(),
            "big",
            signed=True,
        )
        for b in range(BANDS)
    ]


def group_near_duplicates(texts: Mapping[str, str], threshold: float = NEAR_DUP_THRESHOLD) -> list[list[str]]:
    """Groups (two or more ids) of near-duplicate texts; the first id of a group is its canonical."""
    order: Sequence[str] = list(texts)
    sigs = {key: minhash(texts[key]) for key in order}
    buckets: dict[int, list[str]] = {}
    parent = {key: key for key in order}

    def root(key: str) -> str:
        while parent[key] != key:
            key = parent[key]
        return key

    for key in order:
        for band in band_keys(sigs[key]):
            for other in buckets.setdefault(band, []):
                if root(other) != root(key) and similarity(sigs[key], sigs[other]) >= threshold:
                    parent[root(key)] = root(other)
            buckets[band].append(key)
    groups: dict[str, list[str]] = {}
    for key in order:
        groups.setdefault(root(key), []).append(key)
    return [g for g in groups.values() if len(g) > 1]
