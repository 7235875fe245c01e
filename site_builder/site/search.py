"""The readers' search: two corrections around Material's search plugin, made by the site stage.

- `cells_apart` (a generated page, before MkDocs): the pages write table cells and rows back to back
  (`</td><td>`), and the plugin joins the text of adjacent elements, so a result read
  "满洲里市113241111额尔古纳市…". A line break before each cell and row keeps their texts apart in the
  index without changing the page.
- `whole_words` (the built index, after MkDocs): the browser cuts a Chinese query greedily at words
  of the index, trying only the query's proper substrings (Material's `segment`); one lone character
  in the index ("新", which jieba cut from "（新的在前）") turns 新农合 into `新*`, which ranks
  新巴尔虎左旗 first. Each one-character Chinese word is joined to the word before it (which is then
  still found by its start), or else to the word after it, so no query is cut at a lone character.

And `search_view` (an HTML block of a page, while MkDocs builds; `site/rawhtml.py`): what the plugin's
HTML parser is given to read instead of the block, its text in one paragraph without the markup (which
the parser would drop anyway, in many times the time), the charts' data tables left out (their numbers
are the chart's, which readers do not search for). A block with a heading keeps its markup (its headings
start sections of the index), less the charts' data tables.

jieba around a build: `fresh_jieba` gives it a clean dictionary, `cuts_remembered` cuts each distinct
text once while the plugin indexes.
"""

from __future__ import annotations

import contextlib
import html
import json
import logging
import re
from collections.abc import Iterator

SEPARATOR = r"[\s\u200b\-、，。：；]+"  # where the browser cuts the index's text into words (mkdocs.yml)
_CELL = re.compile(r"(?<=>)(?=<(?:td|th|tr)\b)")
_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]")
_EDGE = re.compile(r"[\s\-、，。：；<>]")  # a separator, or a tag's edge: no word goes on across it
_HEADING = re.compile(r"<h[1-6][\s>]", re.IGNORECASE)
_LEFT_OUT = re.compile(
    r"<details class=\"chart-data\">.*?</details>|<(script|style|object)\b.*?</\1>", re.IGNORECASE | re.DOTALL
)
_TAG = re.compile(r"<[^>]*>")


def cells_apart(page: str) -> str:
    """A page's HTML with a line break before each table cell and row that directly follows a tag."""
    return _CELL.sub("\n", page)


def search_view(block: str) -> str:
    """The text of an HTML block as the search plugin would index it, in one paragraph: element texts
    run together as the plugin joins them (hence `cells_apart`), white space collapsed, entities kept.
    Left out: the charts' data tables."""
    block = _LEFT_OUT.sub("", block)
    if _HEADING.search(block):
        return block
    text = " ".join(html.unescape(_TAG.sub("", block)).split())
    return f"<p>{html.escape(text, quote=False)}</p>" if text else ""


def _joined(text: str) -> str:
    """`text` (words jieba cut, joined by U+200B) with each one-character Chinese word joined to the word
    before it, or else to the word after it, when no separator stands between them."""
    words = text.split("\u200b")
    out: list[str] = []
    ahead = ""  # a lone character waiting for the next word
    for index, cut in enumerate(words):
        word, ahead = ahead + cut, ""
        if len(word) == 1 and _HAN.match(word):  # a lone Chinese character
            if out and out[-1] and not _EDGE.match(out[-1][-1]):
                out[-1] += word
                continue
            following = words[index + 1] if index + 1 < len(words) else ""
            if following and not _EDGE.match(following[0]):
                ahead = word
                continue
        out.append(word)
    return "\u200b".join(out)


def whole_words(index: bytes) -> bytes:
    """Material's search_index.json with no one-character Chinese word that has a word beside it."""
    data = json.loads(index)
    for doc in data["docs"]:
        for field in ("title", "text"):
            if isinstance(doc.get(field), str):
                doc[field] = _joined(doc[field])
    # as the plugin writes it, but in UTF-8 rather than \u escapes: half the bytes for Chinese text; a lone
    # surrogate (which UTF-8 cannot hold) goes back to its JSON escape
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str).encode("utf-8", "backslashreplace")


def fresh_jieba() -> None:
    """Give jieba a clean dictionary before each build, without its start-up message.

    The search plugin adds the programme's words to jieba's process-wide dictionary; a second
    build in the same process (tests, `bulletin serve`) must not segment with the first one's words.
    """
    try:
        import jieba  # noqa: PLC0415 - only to reset its shared state

        jieba.setLogLevel(logging.WARNING)
        tokenizer = jieba.dt
        tokenizer.initialized = False
        tokenizer.FREQ = {}
        tokenizer.total = 0
        tokenizer.user_word_tag_tab = {}
    except ImportError:  # the search then works without segmentation
        pass


@contextlib.contextmanager
def cuts_remembered() -> Iterator[None]:
    """jieba cuts each distinct text once per build.

    Material's search plugin calls `jieba.cut` for every run of Chinese characters of every page, and most
    runs (the lights, the columns, the districts' and indicators' names) recur on every page; a cut depends
    only on the text and the dictionary, which is fixed for the build once the plugin has loaded it.
    """
    try:
        import jieba  # noqa: PLC0415 - only to wrap its cut for the search plugin
    except ImportError:
        yield
        return
    cut = jieba.cut
    memo: dict[object, list[str]] = {}

    def remembered(sentence: object, *args: object, **kwargs: object) -> Iterator[str]:
        if args or kwargs:
            return iter(cut(sentence, *args, **kwargs))
        if sentence not in memo:
            memo[sentence] = list(cut(sentence))
        return iter(memo[sentence])

    jieba.cut = remembered
    try:
        yield
    finally:
        jieba.cut = cut
