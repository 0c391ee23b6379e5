"""WARC files (warcio) holding the raw HTTP responses behind every stored article."""

from __future__ import annotations

import os
import re
from io import BytesIO
from pathlib import Path
from typing import BinaryIO

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

# Scrapy hands us decoded bodies, so headers describing the transfer encoding no longer apply.
_TRANSFER_HEADERS = {"content-encoding", "transfer-encoding", "content-length"}


class WarcArchive:
    """One gzip'd WARC file per crawl process; each record is flushed as soon as it is written."""

    def __init__(self, warc_dir: Path, prefix: str, software: str) -> None:
        self.warc_dir = warc_dir
        self.prefix = re.sub(r"[^A-Za-z0-9_.-]+", "-", prefix)
        self.software = software
        self._file: BinaryIO | None = None
        self._writer: WARCWriter | None = None
        self.filename = ""

    def _open(self, stamp: str) -> WARCWriter:
        if self._writer is None:
            self.warc_dir.mkdir(parents=True, exist_ok=True)
            self.filename = f"{self.prefix}-{re.sub(r'[^0-9]', '', stamp)[:14]}-{os.getpid()}.warc.gz"
            self._file = (self.warc_dir / self.filename).open("ab")  # closed in close()
            self._writer = WARCWriter(self._file, gzip=True)
            info = self._writer.create_warcinfo_record(
                self.filename, {"software": self.software, "format": "WARC 1.1"}
            )
            self._writer.write_record(info)
        return self._writer

    def write(
        self,
        url: str,
        *,
        status: int,
        reason: str,
        headers: list[tuple[str, str]],
        body: bytes,
        request_headers: list[tuple[str, str]],
        fetched_at: str,
    ) -> tuple[str, str]:
        """Write the request and response records; returns (WARC file name, response record id)."""
        writer = self._open(fetched_at)
        kept = [(k, v) for k, v in headers if k.lower() not in _TRANSFER_HEADERS]
        kept.append(("Content-Length", str(len(body))))
        http = StatusAndHeaders(f"{status} {reason}".strip(), kept, protocol="HTTP/1.1")
        response = writer.create_warc_record(
            url,
            "response",
            payload=BytesIO(body),
            http_headers=http,
            warc_headers_dict={"WARC-Date": fetched_at},
        )
        path = url.split("/", 3)[3] if url.count("/") >= 3 else ""
        req_http = StatusAndHeaders(f"GET /{path} HTTP/1.1", request_headers, is_http_request=True)
        request = writer.create_warc_record(
            url,
            "request",
            payload=BytesIO(b""),
            http_headers=req_http,
            warc_headers_dict={"WARC-Date": fetched_at},
        )
        record_id = response.rec_headers.get_header("WARC-Record-ID")
        request.rec_headers.add_header("WARC-Concurrent-To", record_id)
        writer.write_record(response)
        writer.write_record(request)
        assert self._file is not None
        self._file.flush()
        return self.filename, record_id

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
            self._writer = None
