"""The Dutch no-break rules and the hyphenation of long words (kamerbrief.compose.textrules)."""

from __future__ import annotations

import pytest

from kamerbrief.compose.textrules import (NBSP, SOFT_HYPHEN, WORD_JOINER, hyphenate,
                                          keep_together, readable)

J = WORD_JOINER


@pytest.mark.parametrize("text, expected", [
    ("dossier 29 754 en", f"dossier 29{NBSP}754 en"),
    ("Kamerstukken II, 36 200 VI", f"Kamerstukken II, 36{NBSP}200 VI"),
    ("zie nr. 12 en art. 5", f"zie nr.{NBSP}12 en art.{NBSP}5"),
    ("artikel 3 lid 2", f"artikel{NBSP}3 lid{NBSP}2"),
    ("€ 10 mln extra", f"€{NBSP}10{NBSP}mln extra"),
    ("€ 3,5 miljard", f"€{NBSP}3,5{NBSP}miljard"),
    ("op 9 december 2019 is", f"op 9{NBSP}december{NBSP}2019 is"),
    ("D. Yeşilgöz-Zegerius", f"D.{NBSP}Yeşilgöz-Zegerius"),
    ("F.B.J. Grapperhaus", f"F.B.J.{NBSP}Grapperhaus"),
    ("de jaren 2021–2022", f"de jaren 2021–{J}2022"),
    ("vragen 1 t/m 5", f"vragen 1{NBSP}t/{J}m{NBSP}5"),
])
def test_each_case_is_kept_together(text, expected):
    assert keep_together(text) == expected
    assert readable(keep_together(text)) == text  # a reader copies the text as written


@pytest.mark.parametrize("text", [
    "in 2019 en 2020",                 # years are not a grouped number
    "Zie www.nctv.nl voor meer.",
    "het EU. Daarom",                  # an abbreviation at a sentence end is no initial
    "twee – drie woorden",             # a dash between words is no range
])
def test_text_without_a_case_is_unchanged(text):
    assert keep_together(text) == text


def test_the_rules_can_be_applied_twice():
    text = "nr. 12, 29 754, 2021–2022, 1 t/m 5, € 10 mln, 9 december 2019, A.B. Naam"
    once = keep_together(text)
    assert keep_together(once) == once


def test_long_words_get_soft_hyphens_short_words_urls_and_codes_not():
    text = ("De arbeidsongeschiktheidsverzekering op www.rijksoverheid.nl/arbeidsongeschiktheid "
            "met code ABCDEFGHIJKLMNOP en een kort woord.")
    out = hyphenate(text, 12)
    word = out.split()[1]
    assert SOFT_HYPHEN in word and word.replace(SOFT_HYPHEN, "") == "arbeidsongeschiktheidsverzekering"
    assert "www.rijksoverheid.nl/arbeidsongeschiktheid" in out  # an address is left alone
    assert "ABCDEFGHIJKLMNOP" in out and "kort woord." in out
    assert readable(out) == text
    assert hyphenate("ondermijning", 13) == "ondermijning"  # shorter than the threshold
