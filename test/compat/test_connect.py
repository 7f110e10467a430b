"""Connecting: `Client(url)` talks to the showcase only, over loopback, and sees a modern sse_v3 Gradio app."""

from __future__ import annotations

import socket
import threading
import urllib.parse

import httpx
import huggingface_hub.constants
import pytest
from gradio_client import Client
from huggingface_hub.utils import _telemetry as hub_telemetry
from packaging.version import Version

from compat_helpers import wait_until
from network_guard import GUARD


def wait_for_background_telemetry(client: Client) -> None:
    """Wait until the client's telemetry thread has run and anything it queued has been sent (or refused)."""
    wait_until(
        lambda: not any(
            getattr(getattr(t, "_target", None), "__self__", None) is client
            and getattr(t, "_target").__name__ == "_telemetry_thread"
            for t in threading.enumerate()
        ),
        "the client's telemetry thread has finished",
    )
    hub_telemetry._TELEMETRY_QUEUE.join()


def test_connect_and_predict_contact_no_outside_host(showcase_url: str) -> None:
    """A stock `Client(url)` plus a predict only ever connects to the loopback server."""
    GUARD.take_outside_attempts()
    mark = GUARD.connection_count()

    client = Client(showcase_url)  # the stock defaults: analytics on, verbose
    try:
        assert client.predict("offline", api_name="/hello") == "Hello, offline!"
        wait_for_background_telemetry(client)
    finally:
        client.close()

    assert GUARD.take_outside_attempts() == []
    port = urllib.parse.urlsplit(showcase_url).port
    seen = {(c.host, c.port) for c in GUARD.connections[mark:]}
    assert ("127.0.0.1", port) in seen, f"the guard did not observe the client's connections: {seen}"


def test_guard_refuses_and_records_outside_hosts() -> None:
    """The guard is effective: lookups of, and connections to, outside hosts fail and are recorded."""
    with pytest.raises(OSError):
        socket.create_connection(("example.com", 80), timeout=5)
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as raw, pytest.raises(ConnectionRefusedError):
        raw.connect(("192.0.2.1", 80))  # an outside IP address: no name lookup involved
    with pytest.raises(httpx.ConnectError):
        httpx.get("https://huggingface.co/api/whoami-v2", timeout=5)
    assert GUARD.take_outside_attempts() == ["example.com", "192.0.2.1", "huggingface.co"]


def test_guard_catches_client_telemetry_when_it_is_not_switched_off(
    showcase_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without conftest's switches the stock client would phone home, and the connect test would see it."""
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_DISABLE_TELEMETRY", False)
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", False)
    telemetry_host = urllib.parse.urlsplit(huggingface_hub.constants.ENDPOINT).hostname
    GUARD.take_outside_attempts()

    client = Client(showcase_url, verbose=False)
    try:
        wait_for_background_telemetry(client)
    finally:
        client.close()

    assert telemetry_host in GUARD.take_outside_attempts()


def test_client_sees_an_sse_v3_app_new_enough_for_server_side_cancel(client: Client) -> None:
    """The config announces the sse_v3 queue protocol and a version above 4.29.0 (else cancel stays client-side)."""
    assert client.protocol == "sse_v3"
    assert client.app_version > Version("4.29.0")
    assert client.src_prefixed == client.src + "gradio_api/"


def test_url_with_trailing_slash(make_client, showcase_url: str) -> None:
    """`Client("http://host:port/")` works like the URL without the slash."""
    client = make_client(showcase_url + "/")
    assert client.src == showcase_url + "/"
    assert client.predict(3, 5, api_name="/add") == 8
