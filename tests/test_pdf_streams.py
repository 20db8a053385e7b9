"""PDF/A clean-up: streams are compressed so that none ends in a CR byte (and never endlessly)."""

from __future__ import annotations

import random
import zlib

import pikepdf

from kamerbrief.writers.pdf.writer import _compress_streams


def data_compressing_to_cr(seed: int = 1) -> bytes:
    rng = random.Random(seed)
    while True:
        data = bytes(rng.randrange(256) for _ in range(64))
        if zlib.compress(data).endswith(b"\r") and not data.endswith(b"\r"):
            return data


def test_font_like_stream_whose_zlib_form_ends_in_cr_stays_unfiltered():
    data = data_compressing_to_cr()
    pdf = pikepdf.new()
    font = pdf.make_indirect(pikepdf.Stream(pdf, data))
    font.Length1 = len(data)
    _compress_streams(pdf)  # returns (padding with zeros used to loop forever)
    assert not font.read_raw_bytes().endswith(b"\r")
    assert font.read_bytes() == data


def test_page_content_ending_in_cr_gets_a_harmless_newline():
    data = data_compressing_to_cr(2)
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.pages[0].obj.Contents = pdf.make_indirect(pikepdf.Stream(pdf, data))
    _compress_streams(pdf)
    stream = pdf.pages[0].obj.Contents
    assert stream.Filter == pikepdf.Name.FlateDecode
    assert not stream.read_raw_bytes().endswith(b"\r")
    assert stream.read_bytes().rstrip(b"\n") == data.rstrip(b"\n")


def test_other_streams_are_compressed_and_metadata_is_not():
    pdf = pikepdf.new()
    plain = pdf.make_indirect(pikepdf.Stream(pdf, b"q 1 0 0 1 0 0 cm Q " * 50))
    metadata = pdf.make_indirect(pikepdf.Stream(pdf, b"<x:xmpmeta/>"))
    metadata.Type = pikepdf.Name.Metadata
    _compress_streams(pdf)
    assert plain.Filter == pikepdf.Name.FlateDecode and len(plain.read_raw_bytes()) < 100
    assert "/Filter" not in metadata
