"""Batches: build every letter (pool, manifest, atomic outputs), checks after rendering, release."""
