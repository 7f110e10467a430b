"""The nest-gradio showcase endpoints (the README's showcase table), served by the real Python Gradio in Server mode.

Used to capture Gradio's exact wire behaviour and by the parity test (test/parity/parity.e2e-spec.ts), which
compares this server's /config and /gradio_api/info with the showcase's field by field. So it must stay a faithful
mirror of src/: the same endpoints in the same order (SHOWCASE_PROVIDERS order, then method order), names,
descriptions, parameter types, defaults and return types, and the same launch options. Three probes follow the
showcase's endpoints: `boom` (a plain exception -> hidden-error payload), `undoc` (api_visibility="undocumented")
and `priv` (api_visibility="private"); the parity test mounts their TypeScript twins after the showcase.
MCP-only methods of src/ (src/assistant.service.ts) have no Gradio equivalent (a Gradio MCP tool is always an API
endpoint too) and appear in neither /config nor /gradio_api/info, so they are not mirrored.

Run (after `bash scripts/setup-python.sh test/parity/requirements.txt`):
    .venv/bin/python test/parity/showcase_server.py          # PORT (default 7861), host 127.0.0.1

Needs no network: analytics, update checks and Hugging Face Hub access are switched off below.
"""

# No `from __future__ import annotations`: Gradio reads the return annotation with inspect.signature()
# (unresolved), so string annotations would turn every output type into {} / "Any".
import os

# Must be set before gradio is imported.
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
os.environ.setdefault("GRADIO_SSR_MODE", "False")

import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import gradio as gr  # noqa: E402
from gradio import FileData  # noqa: E402

SLOW_ECHO_STEPS = 10

app = gr.Server()


@app.api(name="hello", description="Say hello to someone.")
def hello(name: str) -> str:
    return f"Hello, {name}!"


@app.api(name="add", description="Add two numbers together.")
def add(a: int, b: int) -> int:
    return a + b


@app.api(name="multiply", description="Multiply two numbers together.")
def multiply(a: int, b: int) -> int:
    return a * b


@app.api(name="add_and_slice", description="Add and slice.")
def add_and_slice(a: int, b: int, c: list[str]) -> tuple[int, list[str]]:
    return a + b, c[a:b]


@app.api(name="echo_json", description="Return the JSON value unchanged.")
def echo_json(value: Any) -> Any:
    return value


# Gradio takes a generator's output type literally from the return annotation: `-> int` gives one
# output typed {"type":"integer"} (like the TS showcase's `returns: Int`); `-> Iterator[int]` would give `{}`/Any.
@app.api(name="count", description="Count from 1 to n, one message per number.", concurrency_limit=None)
def count(n: int) -> int:  # type: ignore[misc]  # generator: yields 1..n
    for i in range(1, n + 1):
        yield i


@app.api(name="spell", description="Spell a text out, one more letter per message.", concurrency_limit=None)
def spell(text: str) -> str:  # type: ignore[misc]  # generator: yields the growing prefixes
    for i in range(1, len(text) + 1):
        yield text[:i]


@app.api(name="slow_echo", description="Echo the text after a pause, reporting progress.")
def slow_echo(text: str, seconds: float = 1) -> str:
    # A gr.Progress() default parameter would become an API parameter in Server mode, so the tracker is
    # created inside the body: it finds the running event through Gradio's context variables.
    progress = gr.Progress()
    gr.Info(f'Echoing "{text}" in {seconds} s')
    for step in range(1, SLOW_ECHO_STEPS + 1):
        time.sleep(seconds / SLOW_ECHO_STEPS)
        progress((step, SLOW_ECHO_STEPS), desc="Echoing", unit="steps")
    return text


@app.api(name="fail", description="Always fail with the given message.")
def fail(message: str) -> str:
    raise gr.Error(message)


# src/files.service.ts. Server mode hands a FileData parameter over as a plain dict (preprocess=False); a returned
# FileData in a temp folder is copied into Gradio's cache and given a URL.
@app.api(name="reverse_file", description="Reverse the bytes of a file.")
def reverse_file(file: FileData) -> FileData:
    source = Path(file["path"])
    name = file.get("orig_name") or source.name
    target = Path(tempfile.mkdtemp()) / name
    target.write_bytes(source.read_bytes()[::-1])
    return FileData(path=str(target), orig_name=name)


@app.api(name="file_size", description="Count the bytes of a file.")
def file_size(file: FileData) -> int:
    return Path(file["path"]).stat().st_size


# ---- Parity probes: not in src/, mirrored by test/parity/parity-probes.service.ts, which the parity test mounts
# after the showcase's providers. Endpoints added to src/ go ABOVE this line, in src/'s order.


@app.api(name="boom", description="Raise a plain exception (hidden from clients unless show_error).")
def boom() -> str:
    raise ValueError("secret")


@app.api(name="undoc", description="An undocumented endpoint.", api_visibility="undocumented")
def undoc(text: str) -> str:
    return text


@app.api(name="priv", description="A private endpoint.", api_visibility="private")
def priv(text: str) -> str:
    return text


if __name__ == "__main__":
    app.launch(
        server_name=os.environ.get("HOST", "127.0.0.1"),
        server_port=int(os.environ.get("PORT", "7861")),
        # src/app.module.ts serves MCP (`mcpServer: true`); needs gradio[mcp].
        mcp_server=True,
        # What nest-gradio serves of Gradio's frontend: the API page only (no "built with Gradio" or settings
        # links), and no run-history page at /gradio_api/runs.
        footer_links=["api"],
        run_history=False,
    )
