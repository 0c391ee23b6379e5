"""Property-based run of the OpenAPI schema over real HTTP on both backends: no server errors, responses
as the schema declares them (status code, content type, headers and body: full response conformance),
the writing endpoints called with the configured token."""

from __future__ import annotations

from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

# Examples per operation: 27–31 s for both on 2 busy cores (SQLite ≈ 17 s, noida-db ≈ 9 s), under a minute.
EXAMPLES = {"sqlite": 150, "elasticsearch": 60}
# Each accepted crawl request starts a `thidua crawl` process: a few are enough.
FEW = {"POST /api/v1/admin/crawl": 10}
RUN = settings(deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


def check(operation: Any, examples: int, token: str) -> None:
    """Call the operation with generated examples; a token-protected one with the valid token."""
    protected = any(p.name.lower() == "authorization" for p in operation.headers)

    @settings(RUN, max_examples=FEW.get(operation.label, examples))
    @given(case=operation.as_strategy())
    def run(case: Any) -> None:
        if protected:
            case.headers = {**(case.headers or {}), "authorization": f"Bearer {token}"}
        response = case.call(timeout=30)
        case.validate_response(response, checks=CHECKS)

    run()


def test_no_operation_answers_with_a_server_error(api: Any) -> None:
    client, _, config = api
    schema = schemathesis.openapi.from_url(f"{client.base_url}/openapi.json")
    results = list(schema.get_all_operations())
    assert all(isinstance(result, Ok) for result in results), results
    operations = [result.ok() for result in results if isinstance(result, Ok)]
    assert len(operations) >= 12
    assert sum(any(p.name.lower() == "authorization" for p in op.headers) for op in operations) >= 3
    for operation in operations:
        check(operation, EXAMPLES["elasticsearch" if config.es_url else "sqlite"], config.api_token)
