"""The PDF writer: a Document to PDF/A-2a + PDF/UA-1 (writer.py).

Importing this package imports WeasyPrint the quick way (_weasyprint.py), before any module of
it can import WeasyPrint itself."""

from ._weasyprint import weasyprint  # noqa: F401
