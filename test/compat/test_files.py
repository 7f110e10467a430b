"""Files through the stock Python client: `handle_file(path)` is uploaded, the handler's output file is downloaded.

Expected values follow from the README's showcase table (`reverse_file`: the bytes in reverse order under the same name;
`file_size`: the size in bytes) and the client's file handling (reference part C2: uploads with
`POST /gradio_api/upload`, downloads every output dict with a `path` from `GET /gradio_api/file=<path>`).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from gradio_client import Client, handle_file
from gradio_client.exceptions import AppError


def test_reverse_file_round_trip(client: Client, tmp_path: Path) -> None:
    """The downloaded output has the input's bytes reversed and the input's name."""
    data = os.urandom(100_000) + "ünïcödé".encode()
    source = tmp_path / "input.bin"
    source.write_bytes(data)
    result = client.predict(handle_file(str(source)), api_name="/reverse_file")
    downloaded = Path(result)
    assert downloaded.is_file()
    assert downloaded.name == "input.bin"
    assert downloaded.read_bytes() == data[::-1]


def test_reverse_file_keyword_and_unicode_name(client: Client, tmp_path: Path) -> None:
    source = tmp_path / "naïve name (1).txt"
    source.write_text("hello world", encoding="utf-8")
    result = client.predict(file=handle_file(str(source)), api_name="/reverse_file")
    assert Path(result).name == "naïve name (1).txt"
    assert Path(result).read_text(encoding="utf-8") == "dlrow olleh"


@pytest.mark.parametrize("size", [0, 1, 65_536, 1_000_003])
def test_file_size(client: Client, tmp_path: Path, size: int) -> None:
    source = tmp_path / f"{size}.bin"
    source.write_bytes(os.urandom(size))
    assert client.predict(handle_file(str(source)), api_name="/file_size") == size


def test_url_to_a_private_address_is_refused(client: Client) -> None:
    """`handle_file(url)` is not uploaded; the server refuses to fetch loopback URLs (SSRF) with a clear error."""
    with pytest.raises(AppError, match="cannot be fetched"):
        client.predict(handle_file("http://127.0.0.1:9/secret.txt"), api_name="/file_size")
