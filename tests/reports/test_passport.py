"""The digital passport as an HTML page: two languages, escaping, the public view.

The passport rendered here is the story of ``tests/registry/test_passport.py`` as the
registry builds it (``passport_story/story*.json``; the registry's test checks that it still
builds exactly that). The pages ``passport_story/*.html`` were written by postmine before the
rendering moved from the registry to :mod:`postmine.reports.passport`: the page must not
change by a byte.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from postmine.reports.passport import passport_html

STORY = Path(__file__).resolve().parent / "passport_story"


def load(name: str) -> dict:
    return json.loads((STORY / f"{name}.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", ["story", "story_public"])
@pytest.mark.parametrize("lang", ["en", "ru"])
def test_page_is_the_stored_one(name, lang):
    expected = (STORY / f"{name}_{lang}.html").read_text(encoding="utf-8")
    assert passport_html(load(name), lang) == expected


def test_html_in_english_and_russian():
    p = load("story")
    en = passport_html(p, "en")
    ru = passport_html(p, "ru")
    assert en.startswith("<!DOCTYPE html>")
    assert '<html lang="en">' in en
    assert '<html lang="ru">' in ru
    for heading in ("Initial state", "Works done", "Financial history", "Full history"):
        assert f"<h2>{heading}</h2>" in en
    for heading in ("Исходное состояние", "Выполненные работы", "Финансовая история"):
        assert f"<h2>{heading}</h2>" in ru
    assert "внешний отвал" in ru
    assert "принято по акту" in ru
    assert "Kuzbass &lt;Coal&gt; &amp; Co" in en  # escaped
    assert "<Coal>" not in en
    assert 'class="not-met"' in en  # the 2023 cover below its criterion
    assert en.count("<tr") - en.count("<tr><th>") >= len(p["history"])
    assert not re.search(r"""(src|href)=["']?https?:""", en)  # self-contained


def test_public_html_has_no_money():
    html = passport_html(load("story_public"), "en")
    assert "Financial history" not in html
    assert "rub" not in html


def test_html_refuses_an_unknown_language():
    with pytest.raises(ValueError, match="lang must be one of 'en', 'ru', got 'de'"):
        passport_html(load("story"), "de")
