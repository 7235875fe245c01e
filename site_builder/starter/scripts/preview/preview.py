"""Show a built site in the browser from this computer, with nothing to install but Python.

A pull request's preview (the workflow's `site-preview` download) holds `site/` and this script; a
reviewer unzips it and double-clicks preview.cmd (Windows) or runs `python3 preview.py`. The site's
pages link to folders (`bulletins/2011-10/`), which a browser opening files from the disk cannot follow;
a web server on this computer can. The server answers only this computer (127.0.0.1) and only reads.

    python3 preview.py [--site DIR] [--port N] [--no-browser]

--port 0 takes any free port. The address is printed as the first line of output.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import sys
import threading
import webbrowser
from pathlib import Path

HERE = Path(__file__).resolve().parent
# explicit types: a Windows registry may map .js to text/plain, which browsers refuse for scripts
TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".xml": "application/xml",
    ".csv": "text/csv; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".woff2": "font/woff2",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **TYPES}  # noqa: RUF012

    def log_message(self, format: str, *args: object) -> None:
        pass  # quiet: the window shows the address, not every request


def serve(site: Path, port: int) -> http.server.ThreadingHTTPServer:
    handler = functools.partial(Handler, directory=str(site))
    return http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Serve a built site on this computer and open it.")
    parser.add_argument("--site", type=Path, default=HERE / "site", help="the built site (default: site/ here)")
    parser.add_argument("--port", type=int, default=8000, help="the port (default 8000; 0: any free port)")
    parser.add_argument("--no-browser", action="store_true", help="do not open the browser")
    args = parser.parse_args(argv)
    if not (args.site / "index.html").is_file():
        print(f"没有找到网站：{args.site / 'index.html'} 不存在。请先解压整个预览文件。", file=sys.stderr)
        return 1
    try:
        server = serve(args.site, args.port)
    except OSError:
        server = serve(args.site, 0)  # the port is taken (another preview?): any free one
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    print(url, flush=True)
    print("预览已打开；看完关闭本窗口即可（或按 Ctrl+C）。", flush=True)
    if not args.no_browser:
        threading.Timer(0.5, webbrowser.open, (url,)).start()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
