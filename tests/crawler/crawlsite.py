"""Crawler test kit: generated NukeViet-style pages, a fault-injecting handler, store snapshots, crawls
in a process of their own."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any

from corpus.sample_site.server import SiteHandler
from corpus.store import CorpusStore
from thidua.settings import Settings

ROOT_DIR = Path(__file__).resolve().parents[2]

# Local crawls need no politeness delays; failures retry fast.
FAST = {
    "AUTOTHROTTLE_ENABLED": False,
    "DOWNLOAD_DELAY": 0,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 4,
    "RETRY_TIMES": 2,
    "RETRY_BACKOFF_BASE": 0.05,
    "DOWNLOAD_TIMEOUT": 2,
}

PARAGRAPHS = [
    (
        "Chiều ngày {d}/3, tại hội trường UBND huyện, Cụm thi đua số {n} tổ chức hội nghị tổng kết "
        "công tác thi đua, khen thưởng năm {y} với sự tham dự của lãnh đạo {n} địa phương."
    ),
    (
        "Hội nghị đã thống nhất nhiều giải pháp phát triển kinh tế - xã hội, trong đó chú trọng "
        "chuyển đổi số, cải cách hành chính và xây dựng nông thôn mới tại xã số {n}."
    ),
    (
        "Bài viết số {n}: các đơn vị cam kết hoàn thành chỉ tiêu kế hoạch, "
        "phấn đấu vượt {p} phần trăm so với năm trước."
    ),
]


def article_html(n: int, *, title: str | None = None, extra: str = "", charset: str = "utf-8") -> str:
    """A NukeViet-style article page whose text differs from every other n."""
    body = "".join(
        f"<p>{escape(p.format(n=n, d=n % 28 + 1, y=2000 + n % 25, p=n * 7 % 90))}</p>" for p in PARAGRAPHS
    )
    words = " ".join(f"từ{n * 31 + i}" for i in range(40))  # makes every article's text distinct
    title = title or f"Cụm thi đua số {n} tổng kết năm {2000 + n % 25}"
    return (
        f'<html><head><meta charset="{charset}"><title>{escape(title)}</title></head><body>'
        f'<div class="news_column panel panel-default"><div class="panel-body">'
        f'<h1 class="title margin-bottom-lg">{escape(title)}</h1>'
        f'<div class="row"><span class="h5">Thứ năm - {n % 28 + 1:02d}/03/2022 15:{n % 60:02d}</span></div>'
        f'<div id="news-bodyhtml" class="bodytext">{body}<p>{words}</p>{extra}</div>'
        f'<p class="h5 text-right"><strong>Tác giả bài viết: </strong>'
        f'<span itemprop="author">Tác giả {n}</span></p>'
        f"</div></div></body></html>"
    )


def article_path(n: int) -> str:
    return f"/news/tin-tuc/bai-viet-so-{n}-{1000 + n}.html"


def listing_pages(
    paths: list[str], per_page: int = 10, extra_links: list[str] | None = None
) -> dict[str, bytes]:
    """NukeViet listing pages /news/ and /news/page-N/ linking to `paths`."""
    chunks = [paths[i : i + per_page] for i in range(0, len(paths), per_page)] or [[]]
    pages = {}
    for i, chunk in enumerate(chunks, start=1):
        links = "".join(f'<h3><a href="{p}">bài {p}</a></h3>' for p in chunk)
        if i == 1:
            links += "".join(f'<h3><a href="{p}">khác</a></h3>' for p in extra_links or [])
        nav = f'<a href="/news/page-{i + 1}/">Sau</a>' if i < len(chunks) else ""
        pages["/news/" if i == 1 else f"/news/page-{i}/"] = f"<html><body>{links}{nav}</body></html>".encode()
    return pages


@dataclass
class Site:
    """A local site: pages by path, plus what the server saw."""

    pages: dict[str, bytes]
    base: str = ""
    seen: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    times: list[tuple[str, float]] = field(default_factory=list)
    flaky_left: int = 2
    busy_left: int = 1
    retry_after: str = "1"
    delay: float = 0.0  # seconds each article page takes, to give a kill time to land mid-crawl
    lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, path: str) -> str:
        return self.base + path

    def requests_for(self, path: str) -> list[dict[str, str]]:
        return [headers for p, headers in self.seen if p == path]


class FaultHandler(SiteHandler):
    """SiteHandler plus fault endpoints under /fault/ and a request log."""

    site: Site

    def do_GET(self) -> None:  # noqa: N802
        site = type(self).site
        with site.lock:
            site.seen.append((self.path, dict(self.headers.items())))
            site.times.append((self.path, time.monotonic()))
        fault = self.path.split("/fault/", 1)[1] if "/fault/" in self.path else None
        if fault is None:
            if site.delay and "/tin-tuc/" in self.path:
                time.sleep(site.delay)
            super().do_GET()
        elif fault.startswith("500"):
            self.send_page(500, b"<h1>Internal Server Error</h1>", "text/html")
        elif fault.startswith("flaky"):
            with site.lock:
                failing = site.flaky_left > 0
                site.flaky_left -= 1
            if failing:
                self.send_page(503, b"busy", "text/html")
            else:
                self.send_page(200, article_html(777).encode(), "text/html; charset=utf-8")
        elif fault.startswith("slow"):
            time.sleep(4)
            self.send_page(200, article_html(778).encode(), "text/html; charset=utf-8")
        elif fault.startswith("truncated"):
            body = article_html(779).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body) + 5000))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
        elif fault.startswith("loop"):
            self.redirect(self.path)
        elif fault.startswith("pingpong"):  # a -> b -> a: a loop through two addresses
            other = "-b-" if "-a-" in fault else "-a-"
            self.redirect(self.path.replace("-a-" if other == "-b-" else "-b-", other))
        elif fault.startswith("offsite"):  # the same server under another host name
            port = self.server.server_address[1]
            self.redirect(f"http://localhost:{port}/news/tin-tuc/bai-viet-so-1-1001.html")
        elif fault.startswith(("binary", "page-")):  # an article, or a listing page (/fault/page-N/)
            kind = "application/pdf" if "pdf" in fault else "application/octet-stream"
            self.send_page(200, binary_body(fault), kind)
        elif fault.startswith("busy"):  # 503 with Retry-After once, then the article
            with site.lock:
                first = site.busy_left > 0
                site.busy_left -= 1
            if first:
                self.send_page(503, b"busy", "text/html", {"Retry-After": site.retry_after})
            else:
                self.send_page(200, article_html(780).encode(), "text/html; charset=utf-8")

    def redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()


def binary_body(name: str) -> bytes:
    """A PDF, or bytes with no text in them, big enough to look like legacy text to a charset guesser."""
    noise = bytes((n * 151 + 7) % 256 for n in range(6000))
    return b"%PDF-1.7\n" + noise if "pdf" in name else noise


def stored(db: Path) -> dict[str, dict[str, object]]:
    """The store's articles keyed by id, without the fields that differ between crawls (times, WARC refs)."""
    with CorpusStore(db) as store:
        return {
            a.id: {
                "url": a.url,
                "title": a.title,
                "text": a.text,
                "published": a.published,
                "author": a.author,
                "relevant": a.relevant,
                "alternate_urls": sorted(a.alternate_urls),
            }
            for a in store.iter_articles()
        }


def count_articles(db: Path) -> int:
    """How many articles the store holds (0 before it has any), read while a crawl writes to it."""
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(db, timeout=5) as conn:
            return int(conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0])
    except sqlite3.OperationalError:
        return 0


def crawl_in_background_until_some_stored(
    settings: Settings, start: list[str], overrides: dict[str, Any], grace: float = 10.0
) -> subprocess.Popen[bytes]:
    """Start `crawl` of the nukeviet profile in its own process group and return once it has stored a
    few articles (`grace`: the runner's SIGINT_GRACE)."""
    code = (
        # Ctrl-C works as in a terminal even when this test runs where SIGINT is ignored (a shell's
        # background job ignores it, and a child inherits that)
        "import signal; signal.signal(signal.SIGINT, signal.default_int_handler); "
        "from pathlib import Path; from crawler import runner; from thidua.settings import Settings; "
        f"runner.SIGINT_GRACE = {grace!r}; "
        f"runner.crawl(Settings(data_dir=Path({str(settings.data_dir)!r})), site='nukeviet', "
        f"start_urls={start!r}, overrides={overrides!r})"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code],
        cwd=ROOT_DIR,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while count_articles(settings.db_path) < 5 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    return proc
