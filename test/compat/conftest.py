"""Shared set-up for the compatibility suite: the stock Python `gradio_client` against the real showcase server.

Keeping the client on this machine
----------------------------------
`gradio_client.Client(url)` (the pinned version; see `client.py` / `utils.py` in the venv) can reach two outside
services on its own:

* **Telemetry.** `Client.__init__` always starts `_telemetry_thread`, which calls `huggingface_hub.utils.send_telemetry`
  (an HTTP HEAD to `https://huggingface.co/api/telemetry/py_client/initiated`). `GRADIO_ANALYTICS_ENABLED=False` does
  NOT stop it: the constructor computes `analytics_enabled or os.getenv("GRADIO_ANALYTICS_ENABLED", "True") == "True"`
  and `analytics_enabled` defaults to True. What does stop it is huggingface_hub's own switch: `send_telemetry` returns
  at once when `HF_HUB_DISABLE_TELEMETRY` (or `DO_NOT_TRACK`) is true, or in offline mode (`HF_HUB_OFFLINE`).
* **Hugging Face Hub lookups** (`space_info`, `get_space_runtime`, the `…/sleeptime` call) only run for Space ids,
  not for URLs; `HF_HUB_OFFLINE=1` makes any such call fail locally instead of going out.

huggingface_hub reads these variables once, when `huggingface_hub.constants` is first imported, so they are set
here, before anything imports `gradio_client`, and checked right after. Proxy variables are removed so the client
connects to the loopback server directly. On top of that the socket-level guard (`network_guard.py`) is installed
for the whole session: any attempt to reach an outside host is refused and recorded, and the autouse fixture
`no_outside_contact` fails the test during which it happened. `test_connect.py` shows the guard is not vacuous:
with huggingface_hub's switches turned back on, the stock client's telemetry is caught.
"""

from __future__ import annotations

import os

os.environ["HF_HUB_DISABLE_TELEMETRY"] = "1"
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["DO_NOT_TRACK"] = "1"
os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"  # ignored by Client() (see above); honoured by other Gradio code
for _proxy in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
    os.environ.pop(_proxy, None)

from network_guard import GUARD  # noqa: E402

GUARD.install()

from collections.abc import Callable, Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

import huggingface_hub.constants  # noqa: E402
import pytest  # noqa: E402
from gradio_client import Client  # noqa: E402

from showcase_server import start_showcase  # noqa: E402

assert huggingface_hub.constants.HF_HUB_DISABLE_TELEMETRY and huggingface_hub.constants.HF_HUB_OFFLINE, (
    "huggingface_hub was imported before conftest.py could switch its telemetry and Hub access off"
)


def serve(log_path: Path, app: str | None = None, app_env: dict[str, str] | None = None) -> Iterator[str]:
    """Start the showcase (or an app under apps/), yield its URL, stop it; report a server that died meanwhile."""
    server = start_showcase(log_path, app, app_env)
    try:
        yield server.url
    finally:
        crashed = server.process.poll() is not None
        server.stop()
    if crashed:
        pytest.fail(f"The showcase server exited during the tests (code {server.process.returncode}):\n{server.log()}")


@pytest.fixture(scope="session")
def showcase_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The base URL (no trailing slash) of the showcase app, started once for the whole session."""
    yield from serve(tmp_path_factory.mktemp("showcase") / "server.log")


@pytest.fixture(scope="module")
def own_showcase_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A showcase server for one test module only, for tests whose failure could leave a server busy (cancel)."""
    yield from serve(tmp_path_factory.mktemp("own-showcase") / "server.log")


@pytest.fixture
def make_client(showcase_url: str) -> Iterator[Callable[..., Client]]:
    """A factory of stock `Client`s for the showcase (or another URL); every client is closed after the test."""
    clients: list[Client] = []

    def make(url: str | None = None, **kwargs) -> Client:
        client = Client(url or showcase_url, verbose=False, **kwargs)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def client(make_client: Callable[..., Client]) -> Client:
    """One stock `Client(showcase_url)`."""
    return make_client()


@pytest.fixture(autouse=True)
def no_outside_contact() -> Iterator[None]:
    """Fails any test during which something in this process tried to reach a host outside this machine."""
    GUARD.take_outside_attempts()
    yield
    attempts = GUARD.take_outside_attempts()
    assert not attempts, f"something tried to reach outside hosts: {sorted(set(attempts))}"
