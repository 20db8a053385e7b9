"""`kamerbrief release` (`make release`): build every letter, then a zip under dist/ with SHA256SUMS and manifest.json.

Reproducible: the same commit and letters give byte-identical PDFs and .docx files (the writers
take their timestamps from the letter's date or SOURCE_DATE_EPOCH), and the zip has fixed entry
times and order, so SHA256SUMS is identical from run to run.
"""

from __future__ import annotations

import json
import sys
import zipfile
from pathlib import Path

from .. import __version__
from .build import build, sha256, write_atomically
from ..problems import display_path, print_problems
from .files import letter_files

ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def release(paths: list[str], build_dir: Path, dist_dir: Path, jobs: int = 0) -> int:
    """Build, check and package; returns the exit status."""
    files, missing = letter_files(paths)
    print_problems(missing)
    if not files or missing:
        print("release: no letters to release", file=sys.stderr)
        return 1
    results = build(files, build_dir, ("pdf", "docx"), jobs)
    failed = [r for r in results if r.status == "failed"]
    for result in results:
        print_problems(result.problems)
    if failed:
        print(f"release: {len(failed)} letter(s) failed; nothing released", file=sys.stderr)
        return 1
    entries, payload = [], {}
    for result in sorted(results, key=lambda r: r.stem):
        outputs = {}
        for filename in sorted(result.outputs):
            data = (build_dir / filename).read_bytes()
            payload[filename] = data
            outputs[filename] = {"sha256": sha256(data)}
        entries.append({"letter": result.source, **result.info, "outputs": outputs})
    manifest = {"kamerbrief": __version__, "letters": entries}
    payload["manifest.json"] = (json.dumps(manifest, indent=2, ensure_ascii=False,
                                           sort_keys=True) + "\n").encode()
    sums = "".join(f"{sha256(data)}  {name}\n" for name, data in sorted(payload.items()))
    payload["SHA256SUMS"] = sums.encode()

    dist_dir.mkdir(parents=True, exist_ok=True)
    archive = dist_dir / f"kamerbrief-letters-{__version__}.zip"
    write_atomically(archive, _zip(payload))
    write_atomically(dist_dir / "SHA256SUMS", payload["SHA256SUMS"])
    write_atomically(dist_dir / "manifest.json", payload["manifest.json"])
    print(f"release: {len(entries)} letters -> {display_path(archive)}", file=sys.stderr)
    return 0


def _zip(payload: dict[str, bytes]) -> bytes:
    """A zip with fixed times, permissions and order: the same files give the same bytes."""
    import io

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(payload):
            info = zipfile.ZipInfo(name, ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, payload[name])
    return buffer.getvalue()
