"""Rate limits: past @nestjs/throttler's limit, the stock client's call raises an error that says so.

apps/secured limits its `limited` endpoint to THROTTLE_LIMIT calls a minute per client with the throttler's guard,
which answers the join past the limit 429. The client raises httpx's `HTTPStatusError`, whose message is built from
the status line, not the body: the server sends the throttler's message as the reason phrase, so it shows there.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from gradio_client import Client

from conftest import serve

LIMIT = 2
THROTTLER_MESSAGE = "ThrottlerException: Too Many Requests"


@pytest.fixture(scope="module")
def secured_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """apps/secured, limited to LIMIT calls a minute, for this module only (its budget is spent by the test)."""
    yield from serve(
        tmp_path_factory.mktemp("secured") / "server.log",
        app="secured",
        app_env={"THROTTLE_LIMIT": str(LIMIT), "JWT_SECRET": "a-test-secret-of-reasonable-length"},
    )


@pytest.fixture
def secured_client(secured_url: str) -> Iterator[Client]:
    client = Client(secured_url, verbose=False)
    yield client
    client.close()


def test_call_past_the_limit_raises_with_the_throttlers_message(secured_client: Client) -> None:
    client = secured_client
    for call in range(LIMIT):
        assert client.predict(f"call {call}", api_name="/limited") == f"call {call}"
    with pytest.raises(httpx.HTTPStatusError) as raised:
        client.predict("one too many", api_name="/limited")
    assert f"429 {THROTTLER_MESSAGE}" in str(raised.value)
    assert raised.value.response.json() == {"detail": THROTTLER_MESSAGE}
    assert int(raised.value.response.headers["retry-after"]) > 0
