"""The Python twin of test/parity/type-probes.service.ts: the same endpoints with the equivalent Python type hints.

The plugin-types parity test (test/parity/plugin-types.e2e-spec.ts) serves both and compares, endpoint by endpoint,
what /gradio_api/info publishes for each parameter and output (`python_type.type` and the JSON Schema's `type`),
so that the compiler plugin renders each TypeScript type as Gradio renders the Python hint a user would write.

Run: .venv/bin/python test/parity/type_probes_server.py   # PORT (default 7862), host 127.0.0.1
"""

# No `from __future__ import annotations`: Gradio reads annotations with inspect.signature() (unresolved).
import os

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
os.environ.setdefault("GRADIO_SSR_MODE", "False")

from enum import Enum  # noqa: E402
from typing import Any, Literal, Optional, TypedDict  # noqa: E402

import gradio as gr  # noqa: E402
from gradio import FileData  # noqa: E402


class Color(str, Enum):
    RED = "red"
    GREEN = "green"


class Point(TypedDict):
    x: float
    y: int


app = gr.Server()


@app.api(name="scalars")
def scalars(s: str, i: int, f: float, b: bool, anything: Any) -> bool:
    return True


@app.api(name="collections")
def collections(strings: list[str], ints: list[int], pair: tuple[int, str], counts: dict[str, int], grid: list[list[float]]) -> int:
    return 0


@app.api(name="choices")
def choices(mode: Literal["fast", "slow"], level: Literal[1, 2, 3], color: Color, maybe: Optional[str], either: int | str) -> str:
    return ""


@app.api(name="defaults")
def defaults(text: str, count: int = 3, ratio: float = 0.5, flag: bool = False, label: str = "x", note: Optional[str] = None, tags: list[str] = ["a"]) -> str:  # noqa: B006
    return ""


@app.api(name="objects")
def objects(point: Point, points: list[Point]) -> Point:
    return point


@app.api(name="files")
def files(file: FileData, many: list[FileData]) -> FileData:
    return file


@app.api(name="outputs")
def outputs(n: int) -> tuple[int, list[str], Optional[str]]:
    return n, [], None


@app.api(name="stream")
def stream(n: int) -> int:  # type: ignore[misc]  # a generator: yields 1..n
    yield from range(1, n + 1)


if __name__ == "__main__":
    app.launch(server_name=os.environ.get("HOST", "127.0.0.1"), server_port=int(os.environ.get("PORT", "7862")))
