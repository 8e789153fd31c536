"""Schemathesis against the OpenAPI document: whatever the JSON API is sent, it never answers with a 500."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

schemathesis = pytest.importorskip("schemathesis")

from fastapi.testclient import TestClient  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402

from givefirst.config import Settings  # noqa: E402
from givefirst.services.context import App  # noqa: E402
from givefirst.web import create_app  # noqa: E402
from tests.conftest import NOW  # noqa: E402
from tests.web.conftest import csrf, seed  # noqa: E402

STATE: dict[str, Any] = {}
EXAMPLES = 12  # per operation: enough to find a crash on bad input, few enough for `make test`


@pytest.fixture
def api_schema(app: App) -> Iterator[Any]:
    seed(app)
    # Schemathesis calls the app as "testserver": the loopback Host check is tested elsewhere.
    web = create_app(Settings(database=app.settings.database, today=NOW.date()), host="0.0.0.0", now=NOW)
    with TestClient(web) as client:
        token = csrf(client)  # a real session, so that requests that change things get past CSRF and do work
        cookie = client.cookies.get("givefirst_session")
        STATE["headers"] = {"X-CSRF-Token": token, "Cookie": f"givefirst_session={cookie}"}
        yield schemathesis.openapi.from_asgi("/openapi.json", web)


def test_the_json_api_never_fails_with_a_server_error(api_schema: Any) -> None:
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 15
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def call(case: Any) -> None:
            response = case.call(headers=STATE["headers"])
            assert response.status_code < 500, (case.method, case.formatted_path, response.text[:500])
            case.validate_response(response, checks=[not_a_server_error])

        call()
