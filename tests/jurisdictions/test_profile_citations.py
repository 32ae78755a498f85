"""Every citation in a rule profile names an article that exists in that jurisdiction's own text.

The texts are kept in fixtures/regulations/ under the profile's ``regulation.seed_file``. Four number
their articles 第X条 with items （一）…; Binjiang numbers chapters 一、… and paragraphs （一）…, cited
as 四（四）. A citation that names an article or item the text does not have was invented.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from jurisdictions.profile_schema import OFFICE_SETTING

ROOT = Path(__file__).resolve().parents[2]
PROFILES = sorted((ROOT / "fixtures" / "rule_profiles").glob("*/*.json"))
TEXTS = ROOT / "fixtures" / "regulations"

DIGITS = {"零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
NUM = "一二三四五六七八九十零"


def numeral(text: str) -> int:
    """一 … 九十九, as articles and items are numbered."""
    if "十" not in text:
        return DIGITS[text]
    tens, _, units = text.partition("十")
    return (DIGITS[tens] if tens else 1) * 10 + (DIGITS[units] if units else 0)


def _normalise(text: str) -> str:
    # Lucheng writes "( 一 )", Binjiang "(五)"; Zhuji and Lucheng carry "[bookmark: …]" export debris.
    text = re.sub(r"\[bookmark:[^\]]*\]", "", text)
    text = re.sub(r"\(\s*([" + NUM + r"]+)\s*\)", r"（\1）", text)
    return text


def articles(text: str) -> dict[int, str]:
    """第X条 headings at the start of a line, each with its body up to the next heading."""
    text = _normalise(text)
    heads = list(re.finditer(r"^\s*第([" + NUM + r"]+)条", text, re.M))
    return {
        numeral(m.group(1)): text[m.end() : heads[i + 1].start() if i + 1 < len(heads) else len(text)]
        for i, m in enumerate(heads)
    }


def chapters(text: str) -> dict[int, str]:
    """Binjiang's 一、总则 … 八、附则 chapters, each with its body."""
    text = _normalise(text)
    heads = list(re.finditer(r"^\s*([" + NUM + r"]+)、", text, re.M))
    return {
        numeral(m.group(1)): text[m.end() : heads[i + 1].start() if i + 1 < len(heads) else len(text)]
        for i, m in enumerate(heads)
    }


def cites(node, path: str = "") -> list[tuple[str, str]]:
    found = []
    if isinstance(node, dict):
        if isinstance(node.get("cite"), str):
            found.append((path, node["cite"]))
        for key, child in node.items():
            found += cites(child, f"{path}.{key}" if path else key)
    elif isinstance(node, list):
        for i, child in enumerate(node):
            found += cites(child, f"{path}[{i}]")
    return found


def missing_from_text(cite: str, text: str) -> str | None:
    """Why ``cite`` names nothing in ``text``, or None when it does."""
    article = re.fullmatch(r"第([" + NUM + r"]+)(?:[、～~至]第?([" + NUM + r"]+))?条(?:（([" + NUM + r"]+)）)?", cite)
    if article:
        body = articles(text)
        numbers = [numeral(n) for n in article.groups()[:2] if n]
        for n in numbers:
            if n not in body:
                return f"the text has no article {n}"
        item = article.group(3)
        if item and f"（{item}）" not in body[numbers[0]]:
            return f"article {numbers[0]} has no item （{item}）"
        return None
    paragraph = re.fullmatch(r"([" + NUM + r"]+)（([" + NUM + r"]+)）", cite)
    if paragraph:
        body = chapters(text)
        chapter = numeral(paragraph.group(1))
        if chapter not in body:
            return f"the text has no chapter {chapter}"
        if f"（{paragraph.group(2)}）" not in body[chapter]:
            return f"chapter {chapter} has no paragraph （{paragraph.group(2)}）"
        return None
    return "not an article, a chapter paragraph or an office setting"


def _profile(path: Path) -> tuple[dict, str]:
    doc = json.loads(path.read_text(encoding="utf-8"))
    return doc, (TEXTS / doc["regulation"]["seed_file"]).read_text(encoding="utf-8")


@pytest.mark.parametrize("path", PROFILES, ids=lambda p: p.parent.name)
def test_the_text_parses_into_consecutive_articles_or_chapters(path):
    doc, text = _profile(path)
    numbered = chapters(text) if doc["jurisdiction"] == "binjiang" else articles(text)
    # A gap would mean a heading the parser missed, and the citation test below would wrongly fail or pass.
    assert sorted(numbered) == list(range(1, max(numbered) + 1))


@pytest.mark.parametrize("path", PROFILES, ids=lambda p: p.parent.name)
def test_every_cite_names_an_article_of_that_jurisdictions_own_text(path):
    doc, text = _profile(path)
    wrong = []
    for where, cite in cites(doc):
        if cite == OFFICE_SETTING:
            continue
        why = missing_from_text(cite, text)
        if why:
            wrong.append(f"{where}: {cite} ({why})")
    assert wrong == []


def test_the_guard_refuses_invented_articles_and_items():
    _, zhuji = _profile(ROOT / "fixtures/rule_profiles/zhuji/2025-01-01.json")
    _, binjiang = _profile(ROOT / "fixtures/rule_profiles/binjiang/2020-08-10.json")
    assert missing_from_text("第十三条（七）", zhuji) is None
    assert missing_from_text("第二十二条", zhuji) == "the text has no article 22"
    assert missing_from_text("第十四条（三）", zhuji) == "article 14 has no item （三）"
    assert missing_from_text("四（四）", binjiang) is None
    assert missing_from_text("四（九）", binjiang) == "chapter 4 has no paragraph （九）"
    assert missing_from_text("第五条", binjiang) == "the text has no article 5"
    assert missing_from_text("见附件", zhuji) == "not an article, a chapter paragraph or an office setting"
