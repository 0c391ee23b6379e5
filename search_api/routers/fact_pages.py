"""A fact's page: its sentence in context, its source, citations, its history, and the maintainers'
correction form (behind the API token)."""

from __future__ import annotations

import hmac
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs

import yaml
from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from runtime.settings import Settings
from search_api.catalog import Catalog
from search_api.citations import source_of, text_citation
from search_api.corrections import CorrectionIn
from search_api.deps import CatalogDep, SettingsDep
from search_api.routers.corrections import apply_correction
from search_api.routers.pages import not_found, render, translator
from search_api.schemas import EvidenceOut
from search_api.stores.base import ArticleDoc

router = APIRouter(include_in_schema=False)
CONTEXT_CHARS = 320
MAX_FORM_BYTES = 20_000


def sentence_in_context(article: ArticleDoc | None, evidence: EvidenceOut) -> tuple[str, str]:
    """The text just before and just after the evidence sentence (cut at word boundaries)."""
    sentence, start, end = evidence.sentence, evidence.start, evidence.end
    if article is None or not sentence:
        return "", ""
    text = article.text
    if text[start:end] != sentence:
        start = text.find(sentence)
        if start < 0:
            return "", ""
        end = start + len(sentence)
    before = text[max(0, start - CONTEXT_CHARS) : start]
    after = text[end : end + CONTEXT_CHARS]
    before = before if start <= CONTEXT_CHARS else "…" + before.split(" ", 1)[-1]
    after = after if end + CONTEXT_CHARS >= len(text) else after.rsplit(" ", 1)[0] + "…"
    return before, after


def _page(
    request: Request,
    catalog: Catalog,
    settings: Settings,
    fact_id: str,
    form: dict[str, Any] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    fact = catalog.fact_alone(fact_id)
    if fact is None:
        return not_found(request, fact_id)
    article = catalog.source_article(fact.evidence.article_id)
    today = datetime.now(UTC).date().isoformat()
    src = source_of(fact, article, str(request.base_url), today)
    before, after = sentence_in_context(article, fact.evidence)
    context = {
        "fact": fact,
        "article": article,
        "src": src,
        "before": before,
        "after": after,
        "citations": {"vi": text_citation(src, "vi"), "en": text_citation(src, "en")},
        "corrections_enabled": bool((settings.api_token or "").strip()),
        "form": form or {},
    }
    return render(request, "fact.html", context, status_code=status_code)


@router.get("/facts/{fact_id}", response_class=HTMLResponse)
def fact_page(request: Request, catalog: CatalogDep, settings: SettingsDep, fact_id: str) -> HTMLResponse:
    """The fact's permalink: sentence in context, source, citations, history and the correction form."""
    return _page(request, catalog, settings, fact_id)


def parse_fields(text: str) -> dict[str, Any]:
    """The form's `name: value` lines (values read as YAML scalars: `2021` is a number, `null` removes)."""
    fields: dict[str, Any] = {}
    for line in text.splitlines():
        if not line.strip():
            continue
        name, sep, value = line.partition(":")
        if not sep or not name.strip():
            raise ValueError(f"“{line.strip()}” is not “name: value”")
        try:
            fields[name.strip()] = yaml.safe_load(value) if value.strip() else None
        except yaml.YAMLError:
            fields[name.strip()] = value.strip()
    return fields


def _authorised(settings: Settings, token: str) -> int | None:
    """None when `token` is the configured API token; else the status to answer (403: none set)."""
    expected = (settings.api_token or "").strip()
    if not expected:
        return 403
    return None if hmac.compare_digest(token.strip().encode(), expected.encode()) else 401


@router.post("/facts/{fact_id}/corrections", response_class=HTMLResponse)
async def correct_from_page(
    request: Request, catalog: CatalogDep, settings: SettingsDep, fact_id: str
) -> Response:
    """The maintainers' form: the token in the form (no cookie is trusted), then the API's correction."""
    body = await request.body()
    values = {k: v[0] for k, v in parse_qs(body[:MAX_FORM_BYTES].decode("utf-8", "replace")).items()}
    form = {k: values.get(k, "") for k in ("action", "reason", "fields", "by")}
    t = translator(request)
    status = _authorised(settings, values.get("token", ""))
    if status is not None:
        form["error"] = t("correction_forbidden" if status == 403 else "correction_bad_token")
        return _page(request, catalog, settings, fact_id, form, status)
    try:
        fields = parse_fields(form["fields"]) if form["action"] == "amend" else {}
        correction = CorrectionIn.model_validate({**form, "fields": fields, "by": form["by"].strip() or None})
        apply_correction(catalog, fact_id, correction)
    except (ValidationError, ValueError) as exc:
        form["error"] = t("correction_invalid", detail=_message(exc))
        return _page(request, catalog, settings, fact_id, form, 422)
    except HTTPException as exc:
        if exc.status_code == 404:
            return not_found(request, fact_id)
        form["error"] = str(exc.detail)
        return _page(request, catalog, settings, fact_id, form, exc.status_code)
    return RedirectResponse(f"/facts/{fact_id}#history", status_code=303)


def _message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(f"{'.'.join(map(str, e['loc'])) or 'form'}: {e['msg']}" for e in exc.errors())
    return str(exc)
