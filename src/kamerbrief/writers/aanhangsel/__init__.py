"""The Aanhangsel preview writer (`--format aanhangsel`): see writer.py."""
