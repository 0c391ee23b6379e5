"""Fixtures for crawler tests: a real local HTTP server with generated pages and fault endpoints."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack

import pytest
from crawlsite import FaultHandler, Site

from corpus.sample_site.server import mapping_resolver, serve


@pytest.fixture
def make_site() -> Iterator[Callable[[dict[str, bytes]], Site]]:
    """Starts a local fault-injecting server for the given pages; returns the Site."""
    with ExitStack() as stack:

        def start(pages: dict[str, bytes]) -> Site:
            site = Site(dict(pages))
            handler = type("Handler", (FaultHandler,), {"site": site})
            site.base = stack.enter_context(serve(mapping_resolver(site.pages), handler))
            return site

        yield start
