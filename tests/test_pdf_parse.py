"""The PDF writer parses its own HTML with lxml instead of WeasyPrint's HTML5 parser
(writers/pdf/writer.py ParsedHTML): WeasyPrint must make the very same PDF either way."""

from __future__ import annotations

import pytest

from kamerbrief.writers.pdf import writer
from kamerbrief.writers.pdf._weasyprint import weasyprint
from outputs import TEST_LETTERS, composed


def weasyprint_parsed(html: str, base_url, url_fetcher):
    return weasyprint.HTML(string=html, base_url=base_url, url_fetcher=url_fetcher)


@pytest.mark.parametrize("path", TEST_LETTERS, ids=lambda p: p.stem)
def test_lxml_and_weasyprints_parser_give_the_same_pdf(path):
    doc = composed(path)
    form = writer.FORMS[doc.paper]
    k = writer.kit(form)
    html = writer.render_html(doc, form)
    made = [writer._weasyprint(k, html, doc.page_label, parsed).write_pdf(
        pdf_variant=writer.PDF_VARIANT, pdf_identifier=False, uncompressed_pdf=True)
        for parsed in (writer.ParsedHTML, weasyprint_parsed)]
    assert made[0] == made[1]


def test_text_that_looks_like_markup_stays_text():
    """The letter's text is escaped by the template; lxml reads it back as the same text."""
    html = '<!DOCTYPE html><html><body><p>&lt;b&gt;x&lt;/b&gt; &amp; “y” \u00ad z</p></body></html>'
    root = writer.ParsedHTML(html, writer.kit().base_url, writer.kit().fetcher).etree_element
    assert root.find(".//p").text == "<b>x</b> & “y” \u00ad z"
