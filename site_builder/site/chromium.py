"""Chromium, headless, printing pages of a built site to PDF over a local HTTP server in a closed network;
and the PDF's document information made from the data instead of the clock and the browser's version.

Chromium runs with its sandbox unless we are root (where it refuses to start with one), and with
no network but the loopback server it prints from: every request goes to a proxy that is a bound,
never-listening port (so it is refused), only the server's exact host:port bypasses it, and every
host name resolves to nothing. Whatever a page's script tries, it reaches no other host or port.

Chromium's PDF differs from one run to the next only in its document information dictionary (creation
and modification dates from the clock, the browser's version as creator and producer): `settled` writes
that dictionary again, dated from the document, in the same number of bytes, so that the cross-reference
table stays right and two builds give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import os
import re
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


def available() -> bool:
    """Whether a Chromium to print with is installed."""
    try:
        chromium()
    except PrintError:
        return False
    return True


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


def print_pdf(site_dir: Path, page: str, out: Path, issued_on: dt.date | None = None) -> None:
    """Print `page` (a URL path inside the site, e.g. bulletins/2011-09/) to the PDF file `out`; with
    `issued_on`, the PDF's document information is dated that day and names no browser (`settled`)."""
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
    if issued_on is not None:
        out.write_bytes(settled(out.read_bytes(), issued_on))


_NODE_ID = re.compile(rb"\(node([0-9]{8})\)")
_INFO_REF = re.compile(rb"/Info (\d+) 0 R")
_TITLE = re.compile(rb"/Title (\((?:[^()\\]|\\.)*\)|<[0-9A-Fa-f]*>)", re.DOTALL)


def settled(pdf: bytes, issued_on: dt.date) -> bytes:
    """The PDF with its document information dictionary rewritten in place: its title kept, dated
    `issued_on`, no creator or producer (the browser's version); the same length, so every offset holds."""
    references = _INFO_REF.findall(pdf[pdf.rfind(b"trailer") :])
    if not references:
        return pdf
    start = pdf.find(b"\n" + references[-1] + b" 0 obj\n<<")
    if start < 0:
        return pdf
    start = pdf.index(b"<<", start)
    end = pdf.index(b">>\nendobj", start) + 2
    title = _TITLE.search(pdf, start, end)
    day = issued_on.strftime("D:%Y%m%d000000Z").encode()
    info = b"<<" + (b"/Title " + title.group(1) + b"\n" if title else b"")
    info += b"/CreationDate (" + day + b")\n/ModDate (" + day + b")>>"
    if len(info) > end - start:
        return _numbered(pdf)
    return _numbered(pdf[:start] + info + b" " * (end - start - len(info)) + pdf[end:])


def _numbered(pdf: bytes) -> bytes:
    """The tagged PDF's structure elements are named by the renderer's DOM node ids ((node00000024), in
    /ID and in table cells' /Headers), which depend on what else the renderer made before: each becomes
    its rank among them, in as many digits, so their order (an ID tree's keys are sorted) and every
    offset stay."""
    ranks = {old: f"{n:08d}".encode() for n, old in enumerate(sorted(set(_NODE_ID.findall(pdf))), start=1)}
    return _NODE_ID.sub(lambda m: b"(node" + ranks[m.group(1)] + b")", pdf)


_ISSUED = re.compile(rb'<meta name="dcterms.issued" content="([0-9]{4}-[0-9]{2}-[0-9]{2})">')
PRINT_SUFFIX = ".print.html"


def print_document(site_dir: Path, document: str, out: Path) -> None:
    """Print a print document of a built site (`document`, a path inside it, e.g.
    downloads/bulletin-2011-09.print.html) to the PDF file `out`, dated from the document."""
    found = _ISSUED.search((site_dir / document).read_bytes())
    issued_on = dt.date.fromisoformat(found.group(1).decode()) if found else dt.date(1980, 1, 1)
    print_pdf(site_dir, document, out, issued_on)


def print_documents(site_dir: Path) -> list[str]:
    """Every print document of the built site (downloads/*.print.html) printed beside it as .pdf;
    returns the PDFs' paths inside the site. Raises `PrintError` when one cannot be printed."""
    made = []
    for path in sorted((site_dir / "downloads").glob(f"*{PRINT_SUFFIX}")):
        rel = path.relative_to(site_dir).as_posix()
        pdf = rel.removesuffix(PRINT_SUFFIX) + ".pdf"
        print_document(site_dir, rel, site_dir / pdf)
        made.append(pdf)
    return made
