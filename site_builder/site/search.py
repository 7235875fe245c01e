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
"""

from __future__ import annotations

import json
import re

SEPARATOR = r"[\s\u200b\-、，。：；]+"  # where the browser cuts the index's text into words (mkdocs.yml)
_CELL = re.compile(r"(?<=>)(?=<(?:td|th|tr)\b)")
_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]")
_EDGE = re.compile(r"[\s\-、，。：；<>]")  # a separator, or a tag's edge: no word goes on across it


def cells_apart(page: str) -> str:
    """A page's HTML with a line break before each table cell and row that directly follows a tag."""
    return _CELL.sub("\n", page)


def _lone(word: str) -> bool:
    return len(word) == 1 and _HAN.match(word) is not None


def _joined(text: str) -> str:
    """`text` (words jieba cut, joined by U+200B) with each one-character Chinese word joined to the word
    before it, or else to the word after it, when no separator stands between them."""
    words = text.split("\u200b")
    out: list[str] = []
    ahead = ""  # a lone character waiting for the next word
    for index, cut in enumerate(words):
        word, ahead = ahead + cut, ""
        if _lone(word):
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
    return json.dumps(data, separators=(",", ":"), default=str).encode("utf-8")  # as the plugin writes it
