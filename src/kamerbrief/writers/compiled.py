"""Jinja templates compiled once per machine, not once per process: a Jinja bytecode cache in
kamerbrief's cache folder (kamerbrief.cache). Compiling the PDF templates and the parts of the
Word template takes ~100 ms of every cold start; loading the compiled code a few.

An entry is keyed by the template's source, the environment's compile-time settings (delimiters,
whitespace options, extensions, autoescape for that template, filters and tests, finalize), and
the Jinja and Python versions; it carries a hash of the code it holds, so a corrupt file is
ignored (and rewritten), never executed. No pickle: the file is a header and `marshal` data.
"""

from __future__ import annotations

import hashlib
import importlib.util
import marshal
import sys
from pathlib import Path
from types import CodeType

import jinja2
from jinja2.bccache import Bucket, BytecodeCache

from .. import cache

MAGIC = b"kamerbrief jinja 1\n"


def _settings(env: jinja2.Environment, name: str | None) -> str:
    """What of the environment decides the code Jinja compiles for template `name`."""
    autoescape = env.autoescape(name) if callable(env.autoescape) else env.autoescape
    finalize = getattr(env.finalize, "__qualname__", repr(env.finalize))
    return repr((
        type(env).__module__, type(env).__qualname__, env.block_start_string,
        env.block_end_string, env.variable_start_string, env.variable_end_string,
        env.comment_start_string, env.comment_end_string, env.line_statement_prefix,
        env.line_comment_prefix, env.trim_blocks, env.lstrip_blocks, env.newline_sequence,
        env.keep_trailing_newline, sorted(env.extensions), env.optimized, bool(autoescape),
        env.is_async, sorted(env.filters), sorted(env.tests), finalize,
    ))


class TemplateCache(BytecodeCache):
    """Jinja's bytecode cache, stored in `folder`."""

    def __init__(self, folder: Path):
        self.folder = folder

    def get_bucket(self, environment, name, filename, source) -> Bucket:
        # a named template has one entry (rewritten when it changes); a string one per source
        key = (self.get_cache_key(name, filename) if name
               else hashlib.sha256(source.encode()).hexdigest())
        checksum = cache.content_key(source, _settings(environment, name), jinja2.__version__,
                                     importlib.util.MAGIC_NUMBER, sys.version)
        bucket = Bucket(environment, key, checksum)
        self.load_bytecode(bucket)
        return bucket

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        return hashlib.sha256(f"{name}|{filename or ''}".encode()).hexdigest()

    def _path(self, bucket: Bucket) -> Path:
        return self.folder / f"jinja-{bucket.key[:32]}.bin"

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            data = self._path(bucket).read_bytes()
        except OSError:
            return
        head = MAGIC + bucket.checksum.encode() + b"\n"
        if not data.startswith(head) or len(data) < len(head) + 65:
            return  # not ours, or compiled from another source or setting
        digest, payload = data[len(head):len(head) + 64], data[len(head) + 65:]
        if hashlib.sha256(payload).hexdigest().encode() != digest:
            return  # corrupt: compiled again, and rewritten
        try:
            code = marshal.loads(payload)
        except (EOFError, ValueError, TypeError):
            return
        if isinstance(code, CodeType):
            bucket.code = code

    def dump_bytecode(self, bucket: Bucket) -> None:
        payload = marshal.dumps(bucket.code)
        data = (MAGIC + bucket.checksum.encode() + b"\n"
                + hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload)
        cache.write_quietly(self._path(bucket), data)  # if it cannot: compiled again next time


def template_cache() -> TemplateCache | None:
    """The bytecode cache for a Jinja environment (`bytecode_cache=`); None when the cache is
    off."""
    where = cache.folder()
    return TemplateCache(where) if where else None


def from_string(env: jinja2.Environment, source: str) -> jinja2.Template:
    """What Jinja's `Environment.from_string(source)` makes, its compiled code from the cache
    when it is there (for an environment whose own from_string calls this)."""
    bcc = env.bytecode_cache
    bucket = bcc.get_bucket(env, None, None, source) if bcc is not None else None
    code = bucket.code if bucket is not None else None
    if code is None:
        code = env.compile(source)
        if bucket is not None:
            bucket.code = code
            bcc.set_bucket(bucket)
    return env.template_class.from_code(env, code, env.make_globals(None), None)
