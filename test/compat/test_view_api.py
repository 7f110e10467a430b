"""`view_api()`: every public showcase endpoint, with the parameter and return types a Python Gradio app shows.

The expectations are written from the README's showcase table (names, parameters, defaults, outputs) mapped through the
reference's docs/protocol.md#python-types type table (integer -> `int`, number -> `float`, string -> `str`, string[] -> `list[str]`,
any JSON -> `Any`, FileData -> `filepath`) and the client's rendering rules (reference part C3).
"""

from __future__ import annotations

import re

from gradio_client import Client

# api name -> (parameters as `name: type (required | not required, defaults to:   <default>)`, return types)
REQUIRED_ENDPOINTS: dict[str, tuple[list[str], list[str]]] = {
    "/hello": (["name: str (required)"], ["str"]),
    "/add": (["a: int (required)", "b: int (required)"], ["int"]),
    "/multiply": (["a: int (required)", "b: int (required)"], ["int"]),
    "/add_and_slice": (["a: int (required)", "b: int (required)", "c: list[str] (required)"], ["int", "list[str]"]),
    "/count": (["n: int (required)"], ["int"]),
    "/spell": (["text: str (required)"], ["str"]),
    "/slow_echo": (["text: str (required)", "seconds: float (not required, defaults to:   1)"], ["str"]),
    # the README's showcase table gives `fail` no result (it always raises); like the Python reference app it declares `str`.
    "/fail": (["message: str (required)"], ["str"]),
    "/echo_json": (["value: Any (required)"], ["Any"]),
}
# Listed in the README's showcase table "with the files work"; checked whenever the showcase serves them.
FILE_ENDPOINTS: dict[str, tuple[list[str], list[str]]] = {
    "/reverse_file": (["file: filepath (required)"], ["filepath"]),
    "/file_size": (["file: filepath (required)"], ["int"]),
}
ORDINALS = ["1st", "2nd", "3rd"]


def expected_block(api_name: str, parameters: list[str], returns: list[str]) -> list[str]:
    """The lines `view_api()` prints for one endpoint (stripped), following the client's format."""
    names = [p.split(":", 1)[0] for p in parameters]
    labels = ORDINALS[: len(returns)]
    shown_returns = labels[0] if len(labels) == 1 else f"({', '.join(labels)})"
    return [
        f'- predict({"".join(n + ", " for n in names)}api_name="{api_name}") -> {shown_returns}',
        "Parameters:",
        *(f"- [Api] {p}" for p in parameters),
        "Returns:",
        *(f"- [Api] {label}: {type_}" for label, type_ in zip(labels, returns)),
    ]


def printed_blocks(text: str) -> dict[str, list[str]]:
    """Split the printed usage info into stripped lines per endpoint, keyed by api name."""
    blocks: dict[str, list[str]] = {}
    for chunk in re.split(r"\n(?= - predict\()", text)[1:]:
        lines = [line.strip() for line in chunk.strip("\n").splitlines() if line.strip()]
        api_name = re.search(r'api_name="([^"]+)"', lines[0]).group(1)
        blocks[api_name] = lines
    return blocks


def test_view_api_lists_every_public_endpoint(client: Client) -> None:
    """The named endpoints are exactly the showcase's, with no unnamed ones."""
    info = client.view_api(print_info=False, return_format="dict")
    named = set(info["named_endpoints"])
    assert set(REQUIRED_ENDPOINTS) <= named
    assert named <= set(REQUIRED_ENDPOINTS) | set(FILE_ENDPOINTS), f"unexpected endpoints: {named}"
    assert info["unnamed_endpoints"] == {}


def test_view_api_prints_python_types_and_defaults(client: Client) -> None:
    """Each endpoint prints its call signature, `name: type (required)` or its default, and its return types."""
    text = client.view_api(print_info=False, return_format="str")
    blocks = printed_blocks(text)
    assert f"Named API endpoints: {len(blocks)}" in text
    assert "Unnamed API endpoints" not in text
    expected = {**REQUIRED_ENDPOINTS, **{k: v for k, v in FILE_ENDPOINTS.items() if k in blocks}}
    for api_name, (parameters, returns) in expected.items():
        assert blocks.get(api_name) == expected_block(api_name, parameters, returns), api_name


def test_view_api_dict_carries_defaults_the_client_binds_with(client: Client) -> None:
    """The parameter records keyword binding relies on: names, which have defaults, and the default values."""
    endpoints = client.view_api(print_info=False, return_format="dict")["named_endpoints"]
    slow_echo = endpoints["/slow_echo"]["parameters"]
    assert [(p["parameter_name"], p["parameter_has_default"], p["parameter_default"]) for p in slow_echo] == [
        ("text", False, None),
        ("seconds", True, 1),
    ]
    assert [r["label"] for r in endpoints["/add_and_slice"]["returns"]] == ["1st", "2nd"]
    for api_name, (parameters, _) in REQUIRED_ENDPOINTS.items():
        names = [p["parameter_name"] for p in endpoints[api_name]["parameters"]]
        assert names == [p.split(":", 1)[0] for p in parameters], api_name
        assert all(p["component"] == "Api" for p in endpoints[api_name]["parameters"]), api_name
