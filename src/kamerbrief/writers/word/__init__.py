"""The Word writer: a Document to .docx (writer.py; raw OOXML in ooxml.py; the template in template.py)."""
