"""Print a page of the built site to PDF with headless Chromium, over a local HTTP server.

Part of the publish stage: it reads the built site and writes one file. Charts are drawn by the
page's own script before printing (Chromium waits for the page to settle); CJK text needs the
system's Noto CJK fonts (Debian's fonts-noto-cjk).
"""

from __future__ import annotations

import functools
import http.server
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "chrome")
# Chromium as root in a sandboxed, closed network: no sandbox, no GPU, and none of its own
# background connections (which would be refused, or reach out of an intranet).
CHROMIUM_QUIET = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
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


def print_pdf(site_dir: Path, page: str, out: Path) -> None:
    """Print `page` (a URL path inside the site, e.g. bulletins/2011-09/) to the PDF file `out`."""
    browser = chromium()
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    with serving(site_dir) as base, tempfile.TemporaryDirectory() as profile:
        command = [browser, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--print-to-pdf={out}", base + page]
        try:
            result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
        except subprocess.TimeoutExpired as error:
            raise PrintError("Chromium did not finish printing within 120 s") from error
    if result.returncode != 0 or not out.exists() or out.stat().st_size == 0:
        raise PrintError(f"Chromium could not print {page}: {result.stderr.strip()[-500:]}")
