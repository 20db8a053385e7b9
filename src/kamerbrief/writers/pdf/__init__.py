"""The PDF writer: a Document to PDF/A-2a + PDF/UA-1 (writer.py)."""
