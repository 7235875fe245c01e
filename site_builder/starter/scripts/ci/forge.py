"""Talk to the forge a workflow runs on (GitHub, Gitea or Forgejo): comment on a pull request, set a
commit status, open a pull request. The standard library only, so it runs before anything is installed.

The three forges answer these calls at the same paths under their API root ($GITHUB_API_URL: GitHub's
https://api.github.com, Gitea's and Forgejo's <instance>/api/v1), with the same JSON fields.

    python3 scripts/ci/forge.py comment --pr N --key KEY --body-file FILE
    python3 scripts/ci/forge.py status --sha SHA --state success --context NAME --description TEXT [--url URL]
    python3 scripts/ci/forge.py pull-request --head BRANCH --base main --title TITLE --body-file FILE

Environment: GITHUB_API_URL, GITHUB_SERVER_URL and GITHUB_REPOSITORY (set by every forge's runner) and
FORGE_TOKEN, the job's token, which the workflow gives only to the step that runs this script.

`comment` keeps one comment per KEY on the pull request: the first run adds it, later runs replace its
text, so a pull request pushed ten times has one import comment and one change summary, not twenty.
`pull-request` prints the new pull request's address; when the forge refuses (GitHub refuses the
workflow token unless "Allow GitHub Actions to create and approve pull requests" is on), it prints the
address of the page where a person opens it with one click, and exits 0: the branch is pushed already.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

MAX_BODY = 60_000  # GitHub refuses comment and pull-request bodies over 65,536 characters
MAX_DESCRIPTION = 140  # GitHub's limit for a commit status's description
CUT = "\n\n……（以下内容过长，已省略；完整内容见本次运行的日志。）\n"
STATES = ("pending", "success", "failure", "error")
PAGE = 50
MAX_PAGES = 40


class ForgeError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(f"HTTP {status}: {message}")
        self.status = status


class Forge:
    def __init__(self, api: str, server: str, repository: str, token: str) -> None:
        self.api = api.rstrip("/")
        self.server = server.rstrip("/")
        self.repository = repository
        self.token = token

    def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        data = None if body is None else json.dumps(body, ensure_ascii=False).encode("utf-8")
        request = urllib.request.Request(f"{self.api}/repos/{self.repository}{path}", data=data, method=method)
        request.add_header("Authorization", f"token {self.token}")
        request.add_header("Accept", "application/json")
        request.add_header("User-Agent", "bulletin-ci")
        if data is not None:
            request.add_header("Content-Type", "application/json; charset=utf-8")
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                text = response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            detail = error.read().decode("utf-8", "replace")[:300]
            raise ForgeError(error.code, detail) from None
        return json.loads(text) if text.strip() else None

    def comments(self, number: int) -> list[dict[str, Any]]:
        """The pull request's comments, page by page (Gitea answers with all of them at once)."""
        found: dict[int, dict[str, Any]] = {}
        for page in range(1, MAX_PAGES + 1):
            batch = self.call("GET", f"/issues/{number}/comments?per_page={PAGE}&limit={PAGE}&page={page}")
            new = [c for c in batch or [] if c["id"] not in found]
            found.update((c["id"], c) for c in new)
            if len(batch or []) < PAGE or not new:
                break
        return list(found.values())

    def comment(self, number: int, key: str, body: str) -> str:
        marker = f"<!-- bulletin:{key} -->"
        text = f"{marker}\n{shorten(body, MAX_BODY)}"
        for existing in self.comments(number):
            if str(existing.get("body", "")).startswith(marker):
                try:
                    self.call("PATCH", f"/issues/comments/{existing['id']}", {"body": text})
                except ForgeError:
                    break  # someone else's comment, or gone: add a new one
                return "updated"
        self.call("POST", f"/issues/{number}/comments", {"body": text})
        return "added"

    def status(self, sha: str, state: str, context: str, description: str, url: str | None) -> None:
        body = {"state": state, "context": context, "description": shorten(description, MAX_DESCRIPTION, "…")}
        if url:
            body["target_url"] = url
        self.call("POST", f"/statuses/{sha}", body)

    def pull_request(self, head: str, base: str, title: str, body: str) -> str:
        payload = {"head": head, "base": base, "title": title, "body": shorten(body, MAX_BODY)}
        try:
            created = self.call("POST", "/pulls", payload)
        except ForgeError as error:
            print(f"the forge did not open the pull request ({error}); open it from the link", file=sys.stderr)
            return self.compare_url(base, head)
        return str(created.get("html_url") or self.compare_url(base, head))

    def run_url(self) -> str | None:
        """This run's page: GitHub numbers it by run id, Gitea and Forgejo by the run's number."""
        key = "GITHUB_RUN_ID" if self.server == "https://github.com" else "GITHUB_RUN_NUMBER"
        run = os.environ.get(key)
        return f"{self.server}/{self.repository}/actions/runs/{run}" if run else None

    def compare_url(self, base: str, head: str) -> str:
        quoted = "...".join(urllib.parse.quote(ref, safe="/") for ref in (base, head))
        return f"{self.server}/{self.repository}/compare/{quoted}"


def shorten(text: str, limit: int, tail: str = CUT) -> str:
    return text if len(text) <= limit else text[: limit - len(tail)] + tail


def _forge() -> Forge:
    missing = [name for name in ("GITHUB_API_URL", "GITHUB_REPOSITORY", "FORGE_TOKEN") if not os.environ.get(name)]
    if missing:
        raise SystemExit(f"forge.py: {', '.join(missing)} not set")
    server = os.environ.get("GITHUB_SERVER_URL", "")
    return Forge(os.environ["GITHUB_API_URL"], server, os.environ["GITHUB_REPOSITORY"], os.environ["FORGE_TOKEN"])


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Comment, set a commit status or open a pull request.")
    commands = parser.add_subparsers(dest="command", required=True)
    comment = commands.add_parser("comment", help="add or replace this key's comment on a pull request")
    comment.add_argument("--pr", type=int, required=True)
    comment.add_argument("--key", required=True)
    comment.add_argument("--body-file", type=Path, required=True)
    status = commands.add_parser("status", help="set a commit status")
    status.add_argument("--sha", required=True)
    status.add_argument("--state", choices=STATES, required=True)
    status.add_argument("--context", required=True)
    status.add_argument("--description", required=True)
    status.add_argument("--url", default=None, help="the status's link (default: this run's page)")
    pull = commands.add_parser("pull-request", help="open a pull request from a pushed branch")
    pull.add_argument("--head", required=True)
    pull.add_argument("--base", required=True)
    pull.add_argument("--title", required=True)
    pull.add_argument("--body-file", type=Path, required=True)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    forge = _forge()
    try:
        if args.command == "comment":
            body = args.body_file.read_text(encoding="utf-8")
            print(f"comment {forge.comment(args.pr, args.key, body)}")
        elif args.command == "status":
            forge.status(args.sha, args.state, args.context, args.description, args.url or forge.run_url())
            print(f"status {args.state} set on {args.sha}")
        else:
            body = args.body_file.read_text(encoding="utf-8")
            print(forge.pull_request(args.head, args.base, args.title, body))
    except (ForgeError, OSError) as error:
        print(f"forge.py {args.command}: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
