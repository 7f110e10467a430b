"""Sessions: one `Client` reuses its session across calls, keeps its heartbeat open, and many clients work at once."""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from gradio_client import Client

from compat_helpers import WAIT_S, wait_until
from conftest import serve
from network_guard import GUARD

# The client reads its heartbeat stream with a 20 s timeout unless its `httpx_kwargs` set another (reference part
# C1). The heartbeat test sets 3 s and runs its own server with a 1 s heartbeat interval (the defaults are 20 s and
# 15 s: the same margin, for a test that waits seconds instead of half a minute). Staying idle longer than the read
# timeout shows that the server keeps the stream alive by itself.
HEARTBEAT_READ_TIMEOUT_S = 3
IDLE_S = HEARTBEAT_READ_TIMEOUT_S + 2


@pytest.fixture(scope="module")
def quick_heartbeat_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A showcase server that sends a heartbeat every second."""
    yield from serve(
        tmp_path_factory.mktemp("quick-heartbeat") / "server.log", app_env={"GRADIO_HEARTBEAT_INTERVAL": "1"}
    )


def test_second_predict_reuses_the_session(client: Client) -> None:
    """Calls made one after another on one client share its session, each after the previous stream closed."""
    session = client.session_hash
    assert client.predict("first", api_name="/hello") == "Hello, first!"
    assert client.predict(4, 5, api_name="/multiply") == 20
    assert list(client.submit("abc", api_name="/spell")) == ["a", "ab", "abc"]
    assert client.predict({"again": True}, api_name="/echo_json") == {"again": True}
    assert client.predict("last", api_name="/hello") == "Hello, last!"
    assert client.session_hash == session


def test_heartbeat_stays_open_without_reconnecting(make_client, quick_heartbeat_url: str) -> None:
    """The heartbeat route holds the client's heartbeat stream open past its read timeout, on one connection.

    The showcase publishes `connect_heartbeat: false` (as Gradio's Server mode does), so the pinned client does not
    start its heartbeat thread by itself; older clients always did (reference part C1). The test starts the stock
    client's own heartbeat thread to drive the route the way those clients do.
    """
    client: Client = make_client(quick_heartbeat_url, httpx_kwargs={"timeout": HEARTBEAT_READ_TIMEOUT_S})
    assert client.config["connect_heartbeat"] is False
    assert not client.heartbeat.is_alive()

    mark = GUARD.connection_count()
    client.heartbeat.start()
    wait_until(lambda: GUARD.connections_from_thread(client.heartbeat.ident, since=mark), "the heartbeat connects")
    idle_mark = GUARD.connection_count()

    time.sleep(IDLE_S)  # idle on purpose: the stream must outlive the client's read timeout

    assert client.heartbeat.is_alive(), "the heartbeat thread ended (stream refused, closed or timed out)"
    reconnects = GUARD.connections[idle_mark:]
    assert reconnects == [], f"{len(reconnects)} connection(s) while idle for {IDLE_S} s: {reconnects}"
    assert client.predict(20, 22, api_name="/add") == 42


def test_idle_client_sends_no_requests(client: Client) -> None:
    """After a call, an idle client opens no connections (no polling, no reconnect loop)."""
    assert client.predict("idle", api_name="/hello") == "Hello, idle!"
    mark = GUARD.connection_count()
    time.sleep(3)
    assert GUARD.connections[mark:] == []


def test_concurrent_predicts_from_several_clients(make_client) -> None:
    """Eight clients calling at the same time from threads each get their own correct answers."""
    clients = [make_client() for _ in range(8)]
    assert len({c.session_hash for c in clients}) == len(clients)

    def work(index: int) -> tuple:
        client = clients[index]
        return (
            client.predict(index, 100, api_name="/add"),
            client.predict(f"client {index}", api_name="/hello"),
            list(client.submit(index + 1, api_name="/count")),
            client.predict({"client": index, "ü": [index] * 3}, api_name="/echo_json"),
        )

    with ThreadPoolExecutor(max_workers=len(clients)) as pool:
        results = list(pool.map(work, range(len(clients)), timeout=WAIT_S))
    assert results == [
        (i + 100, f"Hello, client {i}!", list(range(1, i + 2)), {"client": i, "ü": [i] * 3}) for i in range(len(clients))
    ]


def test_concurrent_predicts_on_one_client(client: Client) -> None:
    """Many calls in flight on one client share its single data stream and each gets its own result."""
    jobs = [client.submit(i, i + 1, api_name="/multiply") for i in range(20)]
    jobs += [client.submit(f"text {i}", api_name="/hello") for i in range(10)]
    results = [job.result(timeout=WAIT_S) for job in jobs]
    assert results == [i * (i + 1) for i in range(20)] + [f"Hello, text {i}!" for i in range(10)]
