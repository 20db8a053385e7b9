"""`kamerbrief release` (`make release`): build every letter, then a zip under dist/ with
SHA256SUMS and manifest.json.

Safe: a release takes only final letters without problems; a draft is refused unless
`allow_drafts` is given (then it is marked in the manifest and in the zip's name), and with
`strict` a letter with warnings is refused too. The zip is named after its content (the date
of the release commit and a short hash of SHA256SUMS), so different letters give a different
name; the manifest records the git commit and whether the tree was clean.

Reproducible: the same commit and letters give byte-identical PDFs and .docx files (the writers
take their timestamps from the letter's date or SOURCE_DATE_EPOCH), and the zip has fixed entry
times and order, so SHA256SUMS is identical from run to run.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import os
import subprocess
import zipfile
from pathlib import Path

from .. import __version__
from ..problems import Problem, display_path
from .build import Result, build, sha256
from .files import letter_files, write_atomically

ZIP_TIME = (1980, 1, 1, 0, 0, 0)

log = logging.getLogger("kamerbrief")


def release(paths: list[str], build_dir: Path, dist_dir: Path, jobs: int = 0,
            allow_drafts: bool = False, strict: bool = False, progress=None,
            show=None) -> int:
    """Build, check and package; returns the exit status. `show(problem)` prints a problem
    (default: the log); `progress(result)` is told of each letter built."""
    show = show or (lambda problem: log.error("%s", problem))
    files, missing = letter_files(paths)
    for problem in missing:
        show(problem)
    if not files or missing:
        log.error("release: %s; nothing released", "some paths cannot be read" if missing
                  else "no letters to release")
        return 1
    results = build(files, build_dir, ("pdf", "docx"), jobs, progress=progress)
    refused = _refusals(results, allow_drafts, strict)
    if not progress:
        for result in results:
            for problem in result.problems:
                show(problem)
    for problem in refused:
        show(problem)
    failed = [r for r in results if r.status == "failed"]
    if failed or refused:
        log.error("release: %d letter(s) failed, %d refused; nothing released", len(failed),
                  len({p.file for p in refused}))
        return 1
    archive = package(results, build_dir, dist_dir, allow_drafts, _git_state(files[0].parent))
    log.info("release: %d letters -> %s", len(results), display_path(archive))
    return 0


def _refusals(results: list[Result], allow_drafts: bool, strict: bool) -> list[Problem]:
    """Letters a release may not take: drafts (unless allowed), and with `strict` letters
    with warnings."""
    refused = []
    for result in results:
        if result.status == "failed":
            continue
        if result.info.get("draft") and not allow_drafts:
            refused.append(Problem(result.source, None, "status", "is a draft; a release takes "
                                   "final letters only: fill in date and kenmerk and set status: "
                                   "final (or release with --allow-drafts)"))
        if strict and result.warnings:
            refused.append(Problem(result.source, None, "", f"has {len(result.warnings)} "
                                   f"warning(s) and --strict is given; fix them or release "
                                   f"without --strict"))
    return refused


def package(results: list[Result], build_dir: Path, dist_dir: Path, allow_drafts: bool,
            git: dict | None) -> Path:
    """Write the zip, SHA256SUMS and manifest.json under dist_dir; returns the zip's path."""
    entries, payload = [], {}
    for result in sorted(results, key=lambda r: r.stem):
        outputs = {}
        for filename in sorted(result.outputs):
            data = (build_dir / filename).read_bytes()
            payload[filename] = data
            outputs[filename] = {"sha256": sha256(data)}
        entries.append({"letter": result.source, **result.info, "outputs": outputs,
                        "warnings": [p.message for p in result.warnings]})
    drafts = [e["letter"] for e in entries if e.get("draft")]
    manifest = {"kamerbrief": __version__, "letters": entries, "git": git,
                "drafts_allowed": allow_drafts, "drafts": drafts}
    payload["manifest.json"] = (json.dumps(manifest, indent=2, ensure_ascii=False,
                                           sort_keys=True) + "\n").encode()
    sums = "".join(f"{sha256(data)}  {name}\n" for name, data in sorted(payload.items()))
    payload["SHA256SUMS"] = sums.encode()

    dist_dir.mkdir(parents=True, exist_ok=True)
    name = f"kamerbrief-letters-{_release_date(git)}-{sha256(payload['SHA256SUMS'])[:12]}"
    archive = dist_dir / f"{name}{'-with-drafts' if drafts else ''}.zip"
    write_atomically(archive, _zip(payload))
    write_atomically(dist_dir / "SHA256SUMS", payload["SHA256SUMS"])
    write_atomically(dist_dir / "manifest.json", payload["manifest.json"])
    return archive


def _release_date(git: dict | None) -> str:
    """SOURCE_DATE_EPOCH's date, else the release commit's, else today's (UTC): YYYYMMDD."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).strftime("%Y%m%d")
    if git and git.get("date"):
        return git["date"].replace("-", "")
    return dt.datetime.now(dt.timezone.utc).strftime("%Y%m%d")


def _git_state(folder: Path) -> dict | None:
    """The git commit of the letters' folder and whether the tree was clean (no changed or
    untracked files), or None outside a git repository."""
    def git(*args: str) -> str:
        return subprocess.run(["git", "-C", str(folder), *args], capture_output=True,
                              text=True, check=True, timeout=30).stdout.strip()

    try:
        commit = git("rev-parse", "HEAD")
        status = git("status", "--porcelain")
        return {"commit": commit, "describe": git("describe", "--always", "--dirty"),
                "date": git("log", "-1", "--format=%cs"), "clean": not status}
    except (OSError, subprocess.SubprocessError):
        return None


def _zip(payload: dict[str, bytes]) -> bytes:
    """A zip with fixed times, permissions and order: the same files give the same bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(payload):
            info = zipfile.ZipInfo(name, ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, payload[name])
    return buffer.getvalue()
