"""The site stage's corrections of Material's search index (site/search.py); the browser tests search."""

from __future__ import annotations

import json

from site_builder.site.search import SEPARATOR, cells_apart, whole_words

Z = "\u200b"  # how the search plugin joins the words jieba cut


def _index(*texts: str) -> bytes:
    docs = [{"location": f"p{i}/", "title": text, "text": text} for i, text in enumerate(texts)]
    config = {"lang": ["en"], "separator": SEPARATOR, "pipeline": ["stemmer"], "fields": {}}
    return json.dumps({"config": config, "docs": docs}, separators=(",", ":")).encode("utf-8")


def _texts(index: bytes) -> list[str]:
    return [doc["text"] for doc in json.loads(index)["docs"]]


def test_a_lone_character_joins_the_word_before_it_else_the_word_after_it() -> None:
    index = whole_words(
        _index(
            f"通报目录（{Z}新{Z}的{Z}在{Z}前{Z}）",
            f"完成率{Z}与{Z}序时进度",
            f"新{Z}巴尔虎{Z}左旗",
            f"2011{Z}年{Z}9{Z}月{Z}概况",
        )
    )
    assert _texts(index) == [
        f"通报目录（新的在前{Z}）",
        f"完成率与{Z}序时进度",
        f"新巴尔虎{Z}左旗",
        f"2011年{Z}9月{Z}概况",
    ]
    assert json.loads(index)["docs"][0]["title"] == f"通报目录（新的在前{Z}）"


def test_a_lone_character_between_separators_or_tags_stays() -> None:
    texts = [f"第{Z} 1 {Z}名", f"<span>{Z}绿{Z}</span>", f"{Z}灯"]
    assert _texts(whole_words(_index(*texts))) == ["第\u200b 1 \u200b名", texts[1], texts[2]]


def test_the_index_is_written_as_the_plugin_writes_it_but_in_utf_8() -> None:
    index = _index(f"新农合{Z}参合率", "满洲里")
    written = whole_words(index)
    assert json.loads(written) == json.loads(index)  # the same index
    assert written == json.dumps(json.loads(index), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    assert len(written) < len(index)  # 3 bytes a Chinese character, not a 6-byte escape


def test_a_lone_surrogate_keeps_its_escape() -> None:
    index = json.dumps({"docs": [{"location": "", "title": "满洲里", "text": "a\ud800b"}]}).encode()
    assert json.loads(whole_words(index))["docs"][0]["text"] == "a\ud800b"


def test_table_cells_and_rows_are_set_apart_and_nothing_else() -> None:
    page = (
        '<table><tr><th scope="row"><a href="x/">满洲里市</a></th><td>1</td><td>3</td></tr><tr><td>2</td></tr></table>'
    )
    assert cells_apart(page) == (
        '<table>\n<tr>\n<th scope="row"><a href="x/">满洲里市</a></th>\n<td>1</td>\n<td>3</td></tr>\n'
        "<tr>\n<td>2</td></tr></table>"
    )
    chips = '<td><span class="light-chip">绿</span><span class="light-chip">黄</span></td>'
    assert cells_apart(chips) == chips  # inline elements would show the space
