"""The Kamerstuk writer (`--format kamerstuk`): see writer.py."""
