"""Markdown to blocks: paragraphs, emphasis, links, lists, quotes, headings, breaks."""

from __future__ import annotations

from kamerbrief.document import (FootnoteCall, Heading, LineBreak, ListBlock, Paragraph, Quote,
                                 Run)
from kamerbrief.compose.markdown import Numbering, parse_blocks


def parse(text, labels=(), base=0):
    issues = []
    blocks = parse_blocks(text, set(labels), Numbering(), base, issues)
    return blocks, issues


def test_paragraphs_and_emphasis():
    blocks, issues = parse("Een *schuin* en **vet** en ***beide***\nzelfde alinea.\n\nTweede.")
    assert issues == []
    assert blocks == (
        Paragraph((Run("Een "), Run("schuin", italic=True), Run(" en "), Run("vet", bold=True),
                   Run(" en "), Run("beide", bold=True, italic=True),
                   Run(" zelfde alinea."))),
        Paragraph((Run("Tweede."),)),
    )


def test_links_keep_their_address_as_data():
    (paragraph,), _ = parse("Zie [de site](https://www.nctv.nl/dtn) en <https://x.nl>.")
    assert Run("de site", href="https://www.nctv.nl/dtn") in paragraph.inlines
    assert Run("https://x.nl", href="https://x.nl") in paragraph.inlines


def test_bullet_and_numbered_lists():
    blocks, _ = parse("- een\n- twee *schuin*\n  - genest\n\n3. drie\n4. vier\n")
    bullets, numbers = blocks
    assert bullets.ordered is False and len(bullets.items) == 2
    assert bullets.items[0] == (Paragraph((Run("een"),)),)
    assert bullets.items[1][0] == Paragraph((Run("twee "), Run("schuin", italic=True)))
    assert isinstance(bullets.items[1][1], ListBlock)
    assert numbers == ListBlock(True, 3, ((Paragraph((Run("drie"),)),),
                                          (Paragraph((Run("vier"),)),)))


def test_quote_and_hard_break():
    blocks, _ = parse("> Geciteerd\n> verder\n\nRegel een  \nregel twee")
    assert blocks[0] == Quote((Paragraph((Run("Geciteerd verder"),)),))
    assert blocks[1] == Paragraph((Run("Regel een"), LineBreak(), Run("regel twee")))


def test_markdown_headings_sit_below_the_section_heading():
    blocks, _ = parse("# Kop\n\ntekst", base=1)
    assert blocks[0] == Heading(2, (Run("Kop"),))


def test_raw_html_and_template_syntax_stay_text():
    (paragraph,), _ = parse("<b>niet vet</b> {{ 7*7 }} &amp; & <script>x</script>")
    assert paragraph.inlines == (Run("<b>niet vet</b> {{ 7*7 }} & & <script>x</script>"),)


def test_footnote_calls_are_numbered_and_unknown_calls_reported():
    numbering = Numbering()
    issues = []
    (paragraph,) = parse_blocks("a[^x] b[^y] c[^x]", {"x"}, numbering, 0, issues)
    assert [i for i in paragraph.inlines if isinstance(i, FootnoteCall)] == [
        FootnoteCall(1), FootnoteCall(1, first=False)]
    assert numbering.by_label == {"x": 1}
    assert [i.message for i in issues] == [
        "the footnote call [^y] has no footnote; add 'y: ...' under 'footnotes:'"]


def test_images_code_and_rules_are_reported_with_their_line():
    _, issues = parse("Tekst.\n\n![foto](https://x.nl/a.png)\n\n---\n\n    code\n")
    assert [(i.line, i.message.split(";")[0]) for i in issues] == [
        (2, "images cannot go in a letter"),
        (4, "a line of '---', '***' or '___' is a horizontal rule, which a letter does not have"),
        (6, "this text is indented by four or more spaces (or fenced with ```), which Markdown "
            "reads as computer code"),
    ]
