"""Starting and stopping the showcase app (`node dist/src/main.js`) for the compatibility tests."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
SHOWCASE_MAIN = REPO_ROOT / "dist" / "src" / "main.js"
START_CLUSTER = REPO_ROOT / "scripts" / "start-cluster.mjs"
# COMPAT_CLUSTER=<n>: run the suite against n showcase processes in distributed mode (one redis-server) behind the
# round-robin proxy of `npm run start:cluster`, instead of one process.
CLUSTER_SIZE = os.environ.get("COMPAT_CLUSTER", "")
# GRADIO_TEST_ADAPTER=fastify: serve the showcase on Fastify (GRADIO_HTTP_ADAPTER of `launch()`) instead of Express.
TEST_ADAPTER = os.environ.get("GRADIO_TEST_ADAPTER", "")
URL_LINE = re.compile(r"\* Running on local URL:\s+(http://\S+)")
STARTUP_TIMEOUT_S = 60


@dataclass
class ShowcaseServer:
    url: str
    process: subprocess.Popen
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


if sys.platform.startswith("linux"):
    import ctypes

    _LIBC = ctypes.CDLL(None, use_errno=True)  # loaded here: the child of a fork must not import anything
    _PR_SET_PDEATHSIG = 1

    def _die_with_parent() -> None:
        """Runs in the child before exec: have Linux SIGTERM the server if pytest itself dies abruptly."""
        _LIBC.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)

else:
    _die_with_parent = None


def start_showcase(log_path: Path, app: str | None = None, app_env: dict[str, str] | None = None) -> ShowcaseServer:
    """Start `node dist/src/main.js` on a free loopback port and wait for its `* Running on local URL:` line.

    `app` names an example app under apps/ to start instead (`dist/apps/<app>/main.js`, one process even with
    COMPAT_CLUSTER), with `app_env` added to its environment.
    """
    main = REPO_ROOT / "dist" / "apps" / app / "main.js" if app else SHOWCASE_MAIN
    if not main.is_file():
        pytest.fail(f"{main} is missing: run `npm run build` before the compatibility tests.", pytrace=False)
    node = shutil.which("node")
    if node is None:
        pytest.fail("`node` is not on PATH; it is needed to run the showcase server.", pytrace=False)
    env = {k: v for k, v in os.environ.items() if not k.startswith("GRADIO_")}
    env.update(PORT="0", HOST="127.0.0.1", **(app_env or {}))
    if TEST_ADAPTER:
        env["GRADIO_HTTP_ADAPTER"] = TEST_ADAPTER
    cluster = CLUSTER_SIZE and not app
    command = [node, str(START_CLUSTER), CLUSTER_SIZE, "--no-build"] if cluster else [node, str(main)]
    log_file = log_path.open("wb")
    process = subprocess.Popen(
        command,
        cwd=REPO_ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=log_file,
        stderr=subprocess.STDOUT,
        preexec_fn=_die_with_parent,
    )
    log_file.close()
    server = ShowcaseServer(url="", process=process, log_path=log_path)
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        match = URL_LINE.search(server.log())
        if match:
            server.url = match.group(1)
            return server
        if process.poll() is not None:
            pytest.fail(f"The showcase server exited with code {process.returncode}:\n{server.log()}", pytrace=False)
        time.sleep(0.1)
    server.stop()
    pytest.fail(f"The showcase server printed no URL within {STARTUP_TIMEOUT_S} s:\n{server.log()}", pytrace=False)
