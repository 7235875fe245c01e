"""`bulletin serve`: a live preview that rebuilds when the data change.

Each rebuild generates the pages (`commands/build.py`'s `generate`; workbooks whose tables did not change are
taken from the last rebuilds, and only pages whose bytes changed are written) and builds them
strictly with `site/build.py`'s `build_site` into a temporary folder whose `site` link the server reads, so
a failed rebuild keeps the last good site. When the data are invalid the findings are handed to
the caller (the CLI prints them) and shown at the top of every page; with no good site yet, a page
of the findings is served. The rebuild never raises, so a request never waits on a failed build.
The server is MkDocs' live-reload server, answering only requests addressed to its own host
names (a page of another site cannot reach it by DNS rebinding).
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import html
import ipaddress
import re
import shutil
import socket
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.livereload import LiveReloadServer

from site_builder.commands.build import generate
from site_builder.core.findings import Finding
from site_builder.files import durable
from site_builder.files.workbook import Remembered, remembering
from site_builder.render.findings import as_text
from site_builder.site import switch
from site_builder.site.build import BuildError, Workspace, build_site

LOOPBACK = frozenset({"localhost", "127.0.0.1", "[::1]"})
_WILDCARD = frozenset({"", "0.0.0.0", "[::]"})


@dataclass(frozen=True)
class Rebuilt:
    """One rebuild: the findings, whether the site now shows the data, and what went wrong otherwise."""

    findings: tuple[Finding, ...] = ()
    ok: bool = False
    problem: str = ""


def parse_addr(addr: str) -> tuple[str, int]:
    """`host:port` (IPv6 in brackets) as (host without brackets, port); raises ValueError."""
    host, sep, port = addr.rpartition(":")
    if not sep or not port.isdigit() or not 0 <= int(port) <= 65535:
        raise ValueError(f"--addr must look like 127.0.0.1:8000, not {addr!r}")
    host = host or "127.0.0.1"
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    return host, int(port)


def _name(host: str) -> str:
    """A host as it appears in a Host header: lower case, IPv6 in brackets."""
    host = host.strip().lower().rstrip(".")
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def host_allowed(header: str, serving: str) -> bool:
    """Whether a request's Host header names this server (serving on `serving`).

    Loopback names and the address served on are allowed; when serving on every interface, any IP
    address and this machine's names too. A domain name that merely resolves here is refused.
    """
    value = header.strip().lower()
    if value.startswith("["):
        end = value.find("]")
        host = value[: end + 1] if end > 0 else ""
    else:
        host = value.rsplit(":", 1)[0] if value.count(":") == 1 else value
    host = host.rstrip(".")
    if not host:
        return False
    if host in LOOPBACK or host == _name(serving):
        return True
    if _name(serving) not in _WILDCARD:
        return False
    with contextlib.suppress(ValueError):
        ipaddress.ip_address(host.strip("[]"))
        return True
    return host in {socket.gethostname().lower(), socket.getfqdn().lower()}


def notice_html(rebuilt: Rebuilt, have_site: bool) -> str:
    """The findings (or the build's error) as HTML, every value escaped."""
    if rebuilt.problem:
        title = "网站没有生成"
        detail = rebuilt.problem
    else:
        title = "数据有误，网站没有更新"
        detail = as_text(list(rebuilt.findings), "zh")
    shown = "下面显示的是上一次数据有效时的网站。" if have_site else "还没有数据有效时生成的网站。"
    return (
        '<aside class="bulletin-preview-findings" role="alert" '
        'style="background:#fff3cd;color:#000;padding:1em;border-bottom:2px solid #c00;font-size:.8rem">'
        f"<p><strong>{html.escape(title)}</strong>：{shown}改正下列问题并保存后，本页自动刷新。</p>"
        f'<pre style="white-space:pre-wrap;margin:0">{html.escape(detail)}</pre></aside>'
    )


PLACEHOLDER = (
    '<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>数据有误</title></head><body></body></html>\n'
)


class PreviewServer(LiveReloadServer):
    """MkDocs' live-reload server that refuses other host names and shows a notice on every page."""

    def __init__(self, builder: Callable[[], None], host: str, port: int, root: str) -> None:
        super().__init__(builder=builder, host=host, port=port, root=root)
        self.serving = host
        self.notice = ""  # HTML put at the top of every page; empty when the data are valid
        self.ready: Callable[[], object] = lambda: None  # called once the socket listens

    def server_activate(self) -> None:
        super().server_activate()
        self.ready()

    def serve_request(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if not host_allowed(str(environ.get("HTTP_HOST", "")), self.serving):
            start_response("421 Misdirected Request", [("Content-Type", "text/plain; charset=utf-8")])
            return [b"421 Misdirected Request: this preview answers only its own address\n"]
        answer: dict[str, Any] = {}

        def keep(status: str, headers: list[tuple[str, str]], exc_info: object = None) -> Callable[[bytes], None]:
            answer.update(status=status, headers=headers)
            return lambda _: None

        body = b"".join(super().serve_request(environ, keep))
        headers = answer["headers"]
        if any(k.lower() == "content-type" and v.startswith("text/html") for k, v in headers):
            body = _allow_reload_script(_after_body_tag(body, self.notice.encode()) if self.notice else body)
            headers = [(k, v) for k, v in headers if k.lower() != "content-length"]
            headers.append(("Content-Length", str(len(body))))
        start_response(answer["status"], headers)
        return [body]


_RELOAD_SCRIPT = re.compile(rb"<script>(\s*var livereload = function.*?)</script>", re.DOTALL)
_POLICY_SCRIPTS = re.compile(rb'(<meta http-equiv="Content-Security-Policy" content="[^"]*?script-src [^";]*)')


def _allow_reload_script(page: bytes) -> bytes:
    """Add the hash of the live-reload script MkDocs put into the page to the page's script-src."""
    script = _RELOAD_SCRIPT.search(page)
    if script is None:
        return page
    digest = base64.b64encode(hashlib.sha256(script.group(1)).digest())
    return _POLICY_SCRIPTS.sub(lambda m: m.group(1) + b" 'sha256-" + digest + b"'", page, count=1)


def _after_body_tag(page: bytes, insert: bytes) -> bytes:
    start = page.find(b"<body")
    end = page.find(b">", start) if start >= 0 else -1
    return page[: end + 1] + insert + page[end + 1 :] if end >= 0 else insert + page


class Preview:
    """The preview of one data folder: rebuild on changes, serve the last good site."""

    def __init__(self, data_dir: Path, workspace: Workspace, addr: str, on_rebuild: Callable[[Rebuilt], None]) -> None:
        host, port = parse_addr(addr)
        self.data_dir = data_dir.resolve()
        self.workspace = workspace
        self.on_rebuild = on_rebuild
        self.folder = Path(tempfile.mkdtemp(prefix="bulletin-serve-"))
        self.site = self.folder / "site"
        self.placeholder = False  # the site is only the page the findings are shown on
        self.workbooks = Remembered()  # the XLSX downloads of the last rebuilds: a saved file remakes only its own
        self.server = PreviewServer(self.rebuild, host, port, str(self.site))

    @property
    def url(self) -> str:
        return str(self.server.url)

    def rebuild(self) -> None:
        """Generate and build; on invalid data keep the last good site and show the findings. Never raises.

        Runs under the work folder's lock, state included, so the last rebuild to run decides what is shown.
        """
        try:
            with self.workspace.locked():
                rebuilt = self._generate_and_build()
                self._show(rebuilt)
        except Exception as error:  # a preview keeps serving; the message names the bug
            rebuilt = Rebuilt(problem=f"{type(error).__name__}: {error}")
            self.server.notice = notice_html(rebuilt, self.site.exists() and not self.placeholder)
        self.on_rebuild(rebuilt)

    def _generate_and_build(self) -> Rebuilt:
        with remembering(self.workbooks):
            built = generate(self.data_dir, self.workspace)
        findings = tuple(built.computed.validated.findings)
        first = not self.site.exists() or self.placeholder
        if built.ok or (first and self.workspace.config.is_file()):  # or the last good pages of a past session
            try:
                build_site(self.workspace, self.site)
            except BuildError as error:
                return Rebuilt(findings, problem=str(error))
            self.placeholder = False
        return Rebuilt(findings, ok=built.ok)

    def _show(self, rebuilt: Rebuilt) -> None:
        """The notice on every page; with no site yet, an empty page to show it on."""
        notice = "" if rebuilt.ok else notice_html(rebuilt, self.site.exists() and not self.placeholder)
        if not self.site.exists():
            staging = Path(tempfile.mkdtemp(prefix=switch.staging_prefix(self.site), dir=self.folder))
            durable.write_atomic(staging / "index.html", PLACEHOLDER.encode())
            switch.switch_site(staging, self.site)
            self.placeholder = True
        self.server.notice = notice

    def serve(self, ready: Callable[[], object] = lambda: None) -> None:
        """Build, then serve (calling `ready` once listening) until `shutdown` or Ctrl-C; rebuild on data changes."""
        self.server.ready = ready
        try:
            self.rebuild()
            self.server.watch(str(self.data_dir))
            self.server.serve()  # type: ignore[no-untyped-call]
        finally:
            self.server.shutdown()
            shutil.rmtree(self.folder, ignore_errors=True)

    def shutdown(self) -> None:
        self.server.shutdown()
