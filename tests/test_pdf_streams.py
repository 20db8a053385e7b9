"""PDF/A clean-up of streams whose compressed data ends in a CR byte (once an endless loop)."""

from __future__ import annotations

import random
import zlib

import pikepdf

from kamerbrief.pdf import _end_streams_without_cr


def data_compressing_to_cr(seed: int = 1) -> bytes:
    rng = random.Random(seed)
    while True:
        data = bytes(rng.randrange(256) for _ in range(64))
        if zlib.compress(data).endswith(b"\r"):
            return data


def test_font_like_stream_ending_in_cr_is_stored_without_final_cr():
    data = data_compressing_to_cr()
    pdf = pikepdf.new()
    font = pikepdf.Stream(pdf, zlib.compress(data))
    font.Filter = pikepdf.Name.FlateDecode
    font.Length1 = len(data)
    font = pdf.make_indirect(font)
    _end_streams_without_cr(pdf)  # returns (it used to pad with zeros forever)
    assert not font.read_raw_bytes().endswith(b"\r")
    assert font.read_bytes() == data


def test_page_content_ending_in_cr_gets_a_harmless_newline():
    data = data_compressing_to_cr(2)
    pdf = pikepdf.new()
    pdf.add_blank_page()
    content = pikepdf.Stream(pdf, zlib.compress(data))
    content.Filter = pikepdf.Name.FlateDecode
    pdf.pages[0].obj.Contents = pdf.make_indirect(content)
    _end_streams_without_cr(pdf)
    stream = pdf.pages[0].obj.Contents
    assert not stream.read_raw_bytes().endswith(b"\r")
    assert stream.read_bytes().rstrip(b"\n") == data.rstrip(b"\n")
