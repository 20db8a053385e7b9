"""kamerbrief: Kamerbrieven from one letter file to Word and PDF/A + PDF/UA."""

__version__ = "0.1.0"
