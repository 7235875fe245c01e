"""Print a page of the built site to PDF with headless Chromium, over a local HTTP server.

`bulletin pdf`: it reads the built site and writes one file. Charts are drawn by the
page's own script before printing (Chromium waits for the page to settle); CJK text needs the
system's Noto CJK fonts (Debian's fonts-noto-cjk).

Chromium runs with its sandbox unless we are root (where it refuses to start with one), and with
no network but the loopback server it prints from: every request goes to a proxy that is a bound,
never-listening port (so it is refused), only the server's exact host:port bypasses it, and every
host name resolves to nothing. Whatever a page's script tries, it reaches no other host or port.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import socket
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "chrome")
# Chromium in a closed network: no GPU, and none of its own background connections (which would be
# refused, or reach out of an intranet). The sandbox is dropped only for root (`sandbox_flags`).
CHROMIUM_QUIET = (
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--force-webrtc-ip-handling-policy=disable_non_proxied_udp",
)
CHROMIUM_FLAGS = (
    "--headless",
    *CHROMIUM_QUIET,
    "--no-pdf-header-footer",
    "--run-all-compositor-stages-before-draw",
    "--virtual-time-budget=15000",
)


class PrintError(Exception):
    """The PDF could not be made."""


def chromium() -> str:
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    raise PrintError("no Chromium found; install Debian's chromium package (make setup does)")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        return


@contextmanager
def serving(site_dir: Path) -> Iterator[str]:
    """Serve `site_dir` on a free loopback port for the duration of the block; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def sandbox_flags() -> list[str]:
    """Chromium keeps its sandbox, except as root, where it will not start with one."""
    return ["--no-sandbox"] if os.geteuid() == 0 else []


@contextmanager
def closed_network(base: str) -> Iterator[list[str]]:
    """Chromium flags that allow only `base` (http://127.0.0.1:<port>/): other hosts, other loopback
    ports and every name go through a proxy on a port that is bound but never listens (refused)."""
    server = base.removeprefix("http://").rstrip("/")
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as closed:
        closed.bind(("127.0.0.1", 0))
        yield [
            f"--proxy-server=http://127.0.0.1:{closed.getsockname()[1]}",
            # Chromium never proxies loopback unless told so (<-loopback>); then only the server bypasses
            f"--proxy-bypass-list=<-loopback>;{server}",
            f"--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE {server.rsplit(':', 1)[0]}",
        ]


def print_pdf(site_dir: Path, page: str, out: Path) -> None:
    """Print `page` (a URL path inside the site, e.g. bulletins/2011-09/) to the PDF file `out`."""
    browser = chromium()
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    with serving(site_dir) as base, closed_network(base) as network, tempfile.TemporaryDirectory() as profile:
        command = [
            browser,
            *CHROMIUM_FLAGS,
            *sandbox_flags(),
            *network,
            f"--user-data-dir={profile}",
            f"--print-to-pdf={out}",
            base + page,
        ]
        try:
            result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
        except subprocess.TimeoutExpired as error:
            raise PrintError("Chromium did not finish printing within 120 s") from error
    if result.returncode != 0 or not out.exists() or out.stat().st_size == 0:
        hint = ""
        if "sandbox" in result.stderr.lower():
            hint = " (Chromium's sandbox needs unprivileged user namespaces: sysctl kernel.unprivileged_userns_clone=1)"
        raise PrintError(f"Chromium could not print {page}{hint}: {result.stderr.strip()[-500:]}")
