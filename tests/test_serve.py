"""`bulletin serve`: on invalid data it answers at once with the findings and keeps the last good site;
it answers only its own host names."""

from __future__ import annotations

import base64
import hashlib
import http.client
import re
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from site_builder.commands.serve import Preview, Rebuilt, host_allowed, parse_addr
from site_builder.files.durable import write_atomic
from site_builder.site.build import Workspace
from tests.conftest import VALID, build_fixture


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(port: int, path: str = "/", host: str | None = None) -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", path, headers={"Host": host or f"127.0.0.1:{port}"})
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", errors="replace")
    finally:
        connection.close()


def _wait_until_listening(port: int) -> None:
    for _ in range(600):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            threading.Event().wait(0.1)
    raise AssertionError("the preview never listened")


@pytest.fixture
def preview(tmp_path: Path) -> Iterator[tuple[Preview, int, Path, list[Rebuilt]]]:
    data = tmp_path / "data"
    build_fixture("cell-percent", data)
    port = _free_port()
    seen: list[Rebuilt] = []
    preview = Preview(data, Workspace(tmp_path / "work"), f"127.0.0.1:{port}", seen.append)
    thread = threading.Thread(target=preview.serve, daemon=True)
    thread.start()
    _wait_until_listening(port)
    yield preview, port, data, seen
    preview.shutdown()
    thread.join(timeout=60)


def test_serve_on_invalid_data_answers_with_the_findings_then_the_site_once_they_are_fixed(
    preview: tuple[Preview, int, Path, list[Rebuilt]],
) -> None:
    server, port, data, seen = preview
    status, page = _get(port)
    assert status == 200
    assert "数据有误" in page
    assert "benchmarks.csv" in page  # the finding's file and its message, as in the terminal
    assert seen[0].findings
    assert not seen[0].ok  # handed to the CLI, which prints them
    server.rebuild()  # still invalid: the findings shown once, not once per rebuild
    assert _get(port)[1].count("数据有误，网站没有更新") == 1
    broken = (data / "benchmarks.csv").read_bytes()
    write_atomic(data / "benchmarks.csv", (VALID / "benchmarks.csv").read_bytes())
    server.rebuild()
    status, page = _get(port)
    assert status == 200
    assert "测试市测试项目" in page
    assert "数据有误" not in page
    reload_script = re.search(r"<script>(\s*var livereload = function.*?)</script>", page, re.DOTALL)
    assert reload_script is not None  # allowed by the page's Content-Security-Policy, so the page reloads
    digest = base64.b64encode(hashlib.sha256(reload_script.group(1).encode()).digest()).decode()
    policy = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)"', page)
    assert policy is not None
    assert f"'sha256-{digest}'" in policy.group(1).split("script-src", 1)[1].split(";")[0]
    write_atomic(data / "benchmarks.csv", broken)
    server.rebuild()  # invalid again: the last good site, with the findings on top
    status, page = _get(port)
    assert "测试市测试项目" in page
    assert "数据有误" in page


def test_serve_refuses_requests_for_other_host_names(preview: tuple[Preview, int, Path, list[Rebuilt]]) -> None:
    port = preview[1]
    assert _get(port, host="evil.example")[0] == 421
    assert _get(port, host=f"evil.example:{port}")[0] == 421
    assert _get(port, host=f"localhost:{port}")[0] == 200


@pytest.mark.parametrize(
    ("header", "serving", "allowed"),
    [
        ("127.0.0.1:8000", "127.0.0.1", True),
        ("localhost:8000", "127.0.0.1", True),
        ("[::1]:8000", "::1", True),
        ("LOCALHOST.", "127.0.0.1", True),
        ("rebind.example:8000", "127.0.0.1", False),
        ("127.0.0.1.rebind.example", "127.0.0.1", False),
        ("", "127.0.0.1", False),
        ("192.168.1.5:8000", "192.168.1.5", True),
        ("192.168.1.5:8000", "127.0.0.1", False),
        ("10.0.0.7:8000", "0.0.0.0", True),
        ("intranet.example", "0.0.0.0", False),
    ],
)
def test_the_host_names_serve_answers(header: str, serving: str, allowed: bool) -> None:
    assert host_allowed(header, serving) is allowed


def test_addresses_are_parsed_with_ipv6_in_brackets() -> None:
    assert parse_addr("127.0.0.1:8000") == ("127.0.0.1", 8000)
    assert parse_addr("[::1]:8001") == ("::1", 8001)
    with pytest.raises(ValueError, match="--addr"):
        parse_addr("localhost")
