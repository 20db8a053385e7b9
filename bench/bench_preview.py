"""How fast the live preview follows an edit. Prints figures; asserts nothing.

Starts the real `kamerbrief preview` on a synthetic two-page letter, changes its subject ten
times, and prints for each save:
- render: the warm worker's time for the letter (compose, PDF, page images, checks), as the
  page reports it, and the worker's CPU time for it (less dependent on a busy machine);
- on screen: from the save to the new state being served (file watch, render, the event, the
  state fragment a browser fetches). The goal is under 400 ms for the render.
`bench/bench.py` (`make bench`) runs it and quotes its last line.
"""

from __future__ import annotations

import http.client
import queue
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from synthetic import write_letters  # noqa: E402

ROUNDS = 10


def get(port: int, path: str) -> str:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("GET", path)
    body = connection.getresponse().read().decode()
    connection.close()
    return body


def listen(port: int, versions: queue.Queue) -> None:
    """Put every state number the server announces (server-sent events) in `versions`."""
    connection = http.client.HTTPConnection("127.0.0.1", port)
    connection.request("GET", "/events")
    response = connection.getresponse()
    while line := response.fp.readline():
        if line.startswith(b"data: "):
            versions.put(int(line[6:]))


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="kb-bench-preview-"))
    (letter,) = write_letters(work, 1, 2)
    text = letter.read_text(encoding="utf-8")
    subject = re.search(r"^subject: (.*)$", text, re.M).group(1)
    log = work / "preview.log"
    with log.open("w") as out:
        server = subprocess.Popen([sys.executable, "-m", "kamerbrief", "preview", str(letter),
                                   "--port", "0"], stdout=out, stderr=subprocess.STDOUT)
    try:
        while not (found := re.search(r"127\.0\.0\.1:(\d+)/", log.read_text())):
            time.sleep(0.05)
        port = int(found.group(1))
        while "rendered in" not in (page := get(port, "/state")):
            time.sleep(0.1)
        pages = len(re.findall(r"<img ", page))
        versions: queue.Queue = queue.Queue()
        threading.Thread(target=listen, args=(port, versions), daemon=True).start()
        time.sleep(0.5)
        renders, cpus, screens = [], [], []
        for number in range(ROUNDS):
            new = f"Onderwerp versie {number}"
            started = time.perf_counter()
            letter.write_text(text.replace(subject, new), encoding="utf-8")
            while True:
                versions.get(timeout=60)
                state = get(port, "/state")
                if f"{new} – page 1" in state and "rendered in" in state:
                    screens.append(time.perf_counter() - started)
                    renders.append(int(re.search(r'data-render-ms="(\d+)"', state).group(1)))
                    cpus.append(int(re.search(r'data-cpu-ms="(\d+)"', state).group(1)))
                    break
            time.sleep(0.3)
    finally:
        server.terminate()
        server.wait(15)
        shutil.rmtree(work, ignore_errors=True)
    ms = [s * 1000 for s in screens]
    print(f"{ROUNDS} saves of a changed {pages}-page letter on a warm worker:")
    print(f"  render (compose, PDF, page images): min {min(renders)} ms, max {max(renders)} ms; "
          f"the worker's CPU time: median {statistics.median(cpus):.0f} ms")
    print(f"  from save to new state served: min {min(ms):.0f} ms, max {max(ms):.0f} ms")
    # the last line is the one `bench/bench.py` quotes
    print(f"re-render of a changed {pages}-page letter: median {statistics.median(renders):.0f} ms "
          f"(goal < 400 ms; CPU {statistics.median(cpus):.0f} ms); from save to new state "
          f"served: median {statistics.median(ms):.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
