"""`kamerbrief preview`: a real server process, read by plain HTTP and by headless Chromium.

The browser is Debian's Chromium (/usr/bin/chromium), driven by Playwright's Python API; no
browser is downloaded. Each test starts the preview on a free port and stops it.
"""

from __future__ import annotations

import asyncio
import http.client
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import MINIMAL, ROOT

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]
PARAGRAPH = ("Deze alinea vult de brief tot twee pagina's, zodat de voorvertoning meer dan "
             "een pagina laat zien. Zij zegt niets bijzonders, maar zij is lang genoeg om een "
             "paar regels te beslaan en het papier te vullen zoals een echte brief dat doet.")
TWO_PAGES = MINIMAL.replace("      Een alinea.\n",
                            "".join(f"      {PARAGRAPH}\n\n" for _ in range(14)))
STARTUP = 90  # s: a first render includes starting the worker on a busy machine


def _get(url: str, path: str, host: str | None = None,
         headers: dict | None = None) -> tuple[int, str]:
    port = int(url.rsplit(":", 1)[1].strip("/"))
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {**({"Host": host} if host else {}), **(headers or {})}
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    body = response.read().decode("utf-8", "replace") if response.status != 200 or \
        "png" not in (response.getheader("Content-Type") or "") else "<png>"
    connection.close()
    return response.status, body


class Preview:
    """A running `kamerbrief preview` process for one letter file."""

    def __init__(self, letter: Path, env: dict | None = None):
        self.letter = letter
        self.log = letter.parent / "preview.log"
        with self.log.open("w") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "kamerbrief", "preview", str(letter), "--port", "0"],
                cwd=letter.parent, stdout=log, stderr=subprocess.STDOUT, env=env)
        self.url = self._wait_for_url()

    def _wait_for_url(self) -> str:
        deadline = time.monotonic() + STARTUP
        while time.monotonic() < deadline:
            found = re.search(r"http://127\.0\.0\.1:\d+/", self.log.read_text())
            if found:
                return found.group(0)
            if self.process.poll() is not None:
                break
            time.sleep(0.05)
        self.stop()
        raise AssertionError(f"the preview did not start:\n{self.log.read_text()}")

    def get(self, path: str = "/", host: str | None = None,
            headers: dict | None = None) -> tuple[int, str]:
        return _get(self.url, path, host, headers)

    def wait_for(self, text: str, path: str = "/") -> str:
        """The page once it contains `text` (a plain GET, as a script without a browser)."""
        deadline = time.monotonic() + STARTUP
        while time.monotonic() < deadline:
            status, body = self.get(path)
            if status == 200 and text in body:
                return body
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never appeared in {path}:\n{body}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@pytest.fixture
def preview(tmp_path):
    letter = tmp_path / "brief.yaml"
    letter.write_text(TWO_PAGES, encoding="utf-8")
    running = Preview(letter)
    yield running
    running.stop()
    assert "Traceback" not in running.log.read_text()
    assert running.process.returncode == 0  # stopped by SIGTERM, it ends as after Ctrl+C


@pytest.fixture
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (scripts/setup.sh test installs it)")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


def _save(letter: Path, text: str) -> None:
    """Save as an editor does: a new file renamed into place."""
    temporary = letter.with_name(letter.name + ".new")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, letter)


PAGE_IMAGES = "section.pages img"


def test_browser_follows_edits_and_keeps_last_good_pages(preview, browser):
    from playwright.sync_api import expect

    # (waits use Playwright's locator assertions: the page's Content-Security-Policy forbids
    # the string evaluation that wait_for_function needs)
    page = browser.new_page()
    page.goto(preview.url)
    page.wait_for_selector(PAGE_IMAGES, timeout=STARTUP * 1000)
    images = page.locator(PAGE_IMAGES)
    assert images.count() == 2
    assert images.nth(0).get_attribute("alt") == "Proefbrief – page 1 of 2"
    assert images.nth(1).get_attribute("alt") == "Proefbrief – page 2 of 2"
    assert page.evaluate("Array.from(document.querySelectorAll('section.pages img'))"
                         ".every(img => img.complete && img.naturalWidth > 500)")
    assert "Betreft Proefbrief" in images.nth(0).get_attribute("data-text")
    page.evaluate("window.notReloaded = true")

    edited = TWO_PAGES.replace("subject: Proefbrief", "subject: Gewijzigd onderwerp")
    _save(preview.letter, edited)
    first = page.locator(PAGE_IMAGES).nth(0)
    expect(first).to_have_attribute("alt", "Gewijzigd onderwerp – page 1 of 2", timeout=3000)
    assert "Betreft Gewijzigd onderwerp" in first.get_attribute("data-text")

    _save(preview.letter, edited.replace("date: 2024-03-01", "date: 2024-02-30"))
    page.wait_for_selector(".problem-list .problem", timeout=3000)
    problem = page.locator(".problem-list .problem").first
    assert problem.locator(".where").inner_text() == "brief.yaml:4"
    assert problem.locator(".field").inner_text() == "date"
    assert "not a date that exists" in problem.inner_text()
    assert "stale" in page.locator("section.pages").get_attribute("class")
    images = page.locator(PAGE_IMAGES)
    assert images.count() == 2  # the last good pages stay, greyed
    assert images.nth(0).get_attribute("alt").startswith("Gewijzigd onderwerp")
    assert page.evaluate("getComputedStyle(document.querySelector('section.pages img'))"
                         ".filter").startswith("grayscale")

    _save(preview.letter, edited)
    expect(page.locator("section.pages")).to_have_class("pages", timeout=3000)
    assert page.locator(".problem-list").count() == 0
    assert page.locator(PAGE_IMAGES).count() == 2
    assert page.evaluate("window.notReloaded") is True

    # A stopped preview: the open page says so (and keeps its pages).
    assert page.locator("#offline").is_hidden()
    preview.stop()
    expect(page.locator("#offline")).to_be_visible(timeout=10000)
    assert page.locator(PAGE_IMAGES).count() == 2


def test_layout_overlay_draws_the_house_style_boxes(preview, browser):
    from kamerbrief.layout import load_layout

    layout = load_layout()
    page = browser.new_page()
    page.goto(preview.url)
    page.wait_for_selector(PAGE_IMAGES, timeout=STARTUP * 1000)
    assert page.locator("svg.guides").count() == 0
    page.check("input[name=overlay]")
    page.wait_for_selector("svg.guides", timeout=10000)
    assert page.url.endswith("?overlay=1")
    first = page.locator("figure.page").nth(0)
    window = first.locator("rect.window")
    assert float(window.get_attribute("x")) == layout.return_address.x_mm
    assert float(first.locator("rect.colofon").get_attribute("x")) == layout.colofon.x_mm
    body = first.locator("rect.body")
    assert float(body.get_attribute("width")) == layout.body.width_mm
    assert float(body.get_attribute("y")) == layout.datum.top_mm
    second = page.locator("figure.page").nth(1)
    assert second.locator("rect.window").count() == 0
    assert float(second.locator("rect.body").get_attribute("y")) == layout.body.follow_top_mm
    # The overlay sits exactly on the page image.
    box = first.locator("svg.guides").bounding_box()
    image = first.locator("img").bounding_box()
    assert abs(box["width"] - image["width"]) < 1 and abs(box["height"] - image["height"]) < 1


def test_footnote_area_is_found_on_the_page_with_notes(tmp_path):
    from kamerbrief.layout import load_layout
    from kamerbrief.preview.render import render_letter

    letter = tmp_path / "noot.yaml"
    letter.write_text(MINIMAL.replace("Een alinea.", "Een alinea met een noot.[^n]")
                      + "footnotes:\n  n: Kamerstukken II 2024, 1, nr. 1.\n", encoding="utf-8")
    (page,) = render_letter(str(letter)).rendering.pages
    notes = [g for g in page.guides if g.kind == "notes"]
    assert len(notes) == 1
    layout = load_layout()
    assert notes[0].top + notes[0].height == pytest.approx(
        layout.page.height_mm - layout.body.bottom_mm)
    assert 150 < notes[0].top < layout.page.height_mm - layout.body.bottom_mm
    plain_letter = tmp_path / "plain.yaml"
    plain_letter.write_text(MINIMAL, encoding="utf-8")
    (plain,) = render_letter(str(plain_letter)).rendering.pages
    assert [g.kind for g in plain.guides] == ["window", "colofon", "body"]


ANTWOORDEN = ROOT / "letters" / "2026-02-10-antwoorden-kamervragen-algoritmes-gemeenten.yaml"


def test_every_paper_of_a_letter_file_is_rendered_with_the_letters_guides_on_its_pages(tmp_path):
    from kamerbrief.compose import compose_papers
    from kamerbrief.preview.render import render_letter

    letter, answers = compose_papers(ANTWOORDEN)
    rendering = render_letter(str(ANTWOORDEN)).rendering
    assert [p.paper for p in rendering.papers] == ["letter", "answers"]
    assert [p.file for p in rendering.papers] == [f"{letter.stem}.pdf", f"{answers.stem}.pdf"]
    assert rendering.papers[1].file.endswith("-antwoorden.pdf")
    assert rendering.papers[0].title == letter.title
    assert rendering.papers[1].title == answers.answers.title.replace("\u00a0", " ")
    on_letter, on_answers = rendering.papers[0].pages, rendering.papers[1].pages
    assert len(on_answers) >= 2 and rendering.pages == on_letter + on_answers
    assert "Vraag 1" in on_answers[0].text and "Vraag 1" not in on_letter[0].text
    assert [g.kind for g in on_letter[0].guides][:2] == ["window", "colofon"]
    assert all(page.guides == () for page in on_answers)


def test_plain_get_shows_the_pages_and_problems_without_javascript(preview):
    body = preview.wait_for("Proefbrief – page 2 of 2")
    images = re.findall(r'<img src="(/pages/\d+/\d+\.png)"', body)
    assert images == [images[0], images[1]] and images[0].endswith("/1.png")
    assert 'data-text="Datum 1 maart 2024' in body
    status, png = preview.get(images[1])
    assert status == 200 and png == "<png>"
    assert "No problems" in body
    assert 'class="paper-title"' not in body and "Up to date · 2 pages" in body  # one paper

    _save(preview.letter, TWO_PAGES.replace("ministry: jenv", "ministry: jenw"))
    body = preview.wait_for('class="problem error"')
    assert '<span class="where">brief.yaml:2</span><code class="field">sender.ministry</code>' \
        in body
    assert "&#39;jenw&#39; is not in the registry" in body
    assert "Proefbrief – page 1 of 2" in body and 'class="pages stale"' in body


def test_server_serves_only_its_own_routes_on_localhost(preview):
    preview.wait_for("page 1 of 2")
    for path in ("/etc/passwd", "/pages/1/../../../etc/passwd", "/static/../server.py",
                 "/static/preview.css/../../render.py", "/pages/99/1.png", "/pages/1/3.png",
                 "/pages/1/0.png", "/word/1/1.png", "/pages/x/1.png", "/brief.yaml",
                 "/%2e%2e/brief.yaml", "/static/%2e%2e/render.py"):
        status, _ = preview.get(path)
        assert status == 404, path
    # A page asked for under another host name (DNS rebinding) is refused.
    assert preview.get("/", host="attacker.example")[0] == 400
    assert preview.get("/", host="localhost")[0] == 200
    # What a browser marks as asked for by another site (an <img>, a link, a fetch) is refused.
    for site in ("cross-site", "same-site"):
        assert preview.get("/pages/1/1.png", headers={"Sec-Fetch-Site": site})[0] == 403
        assert preview.get("/?word=1", headers={"Sec-Fetch-Site": site})[0] == 403
    assert preview.get("/pages/1/1.png", headers={"Sec-Fetch-Site": "same-origin"})[0] == 200
    assert preview.get("/", headers={"Sec-Fetch-Site": "none"})[0] == 200
    # It listens on 127.0.0.1 only, never on all addresses.
    port = int(preview.url.rsplit(":", 1)[1].strip("/"))
    listening = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for row in Path(table).read_text().splitlines()[1:]:
            local, state = row.split()[1], row.split()[3]
            if state == "0A" and int(local.rsplit(":", 1)[1], 16) == port:
                listening.append(local.rsplit(":", 1)[0])
    assert listening == ["0100007F"]


def test_page_loads_nothing_from_outside(preview):
    body = preview.wait_for("page 1 of 2")
    for found in re.findall(r'(?:src|href|action)="([^"]*)"', body):
        assert found.startswith("/") and not found.startswith("//"), found
    conn_status, css = preview.get("/static/preview.css")
    assert conn_status == 200 and "url(" not in css and "@import" not in css


def test_word_version_side_by_side(preview, browser):
    page = browser.new_page()
    page.goto(preview.url + "?word=1")
    if not (shutil.which("soffice") or shutil.which("libreoffice")):
        page.wait_for_selector("text=LibreOffice is not installed", timeout=STARTUP * 1000)
        return
    page.wait_for_selector("section.word-pages img", timeout=240_000)
    word = page.locator("section.word-pages img")
    assert word.count() >= 1
    assert "Proefbrief" in word.nth(0).get_attribute("data-text")
    assert page.locator(PAGE_IMAGES).count() == 2


def test_word_version_without_libreoffice_says_so(tmp_path):
    letter = tmp_path / "brief.yaml"
    letter.write_text(MINIMAL, encoding="utf-8")
    bare = tmp_path / "bin"
    bare.mkdir()
    running = Preview(letter, env={**os.environ, "PATH": str(bare)})
    try:
        body = running.wait_for("LibreOffice is not installed", "/?word=1")
        assert "Word (through LibreOffice)" in body
    finally:
        running.stop()


def test_a_crashed_render_never_stops_the_preview():
    from kamerbrief.preview import render
    from kamerbrief.preview.worker import BrokenProcessPool, RenderWorker

    async def crash_then_render():
        worker = RenderWorker()
        try:
            with pytest.raises(BrokenProcessPool):
                await worker.run(os._exit, 3)
            return await worker.run(render.render_letter, str(ROOT / "letters" /
                                                              "2019-12-09-aanbieding-dtn-51.yaml"))
        finally:
            worker.stop(kill=True)

    outcome = asyncio.run(crash_then_render())
    assert outcome.rendering is not None and len(outcome.rendering.pages) == 1
    assert outcome.rendering.subject.startswith("Aanbieding Dreigingsbeeld")


def test_preview_of_a_missing_file_says_so():
    run = subprocess.run([sys.executable, "-m", "kamerbrief", "preview", "nergens.yaml",
                          "--port", "0"], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert run.returncode == 1 and "nergens.yaml: no such letter file" in run.stderr
    assert "Traceback" not in run.stderr


def test_a_changed_layout_file_is_followed(tmp_path):
    """KAMERBRIEF_LAYOUT is watched: a new page-number format shows in the next rendering
    (the worker is replaced, so no cached layout survives)."""
    layout = tmp_path / "layout.toml"
    layout.write_text((ROOT / "templates" / "layout.toml").read_text(encoding="utf-8"),
                      encoding="utf-8")
    letter = tmp_path / "brief.yaml"
    letter.write_text(TWO_PAGES, encoding="utf-8")
    running = Preview(letter, env={**os.environ, "KAMERBRIEF_LAYOUT": str(layout)})
    try:
        body = running.wait_for("Pagina 2 van 2")
        assert "Blad 2 van 2" not in body
        _save(layout, layout.read_text(encoding="utf-8").replace(
            'format = "Pagina {page} van {pages}"', 'format = "Blad {page} van {pages}"'))
        body = running.wait_for("Blad 2 van 2")
        assert "Pagina 2 van 2" not in body and "No problems" in body
    finally:
        running.stop()
    assert "Traceback" not in running.log.read_text()


def test_browser_shows_every_paper_under_its_name(tmp_path, browser):
    """kind antwoorden: the covering letter and the answers document, each under its title,
    with its own page numbers; the letterhead's guides only on the letter's pages."""
    from kamerbrief.compose import compose_papers

    letter_file = tmp_path / "antwoorden.yaml"
    letter_file.write_text(ANTWOORDEN.read_text(encoding="utf-8"), encoding="utf-8")
    letter, answers = compose_papers(letter_file)
    running = Preview(letter_file)
    try:
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        page.goto(running.url + "?overlay=1")
        page.wait_for_selector(PAGE_IMAGES, timeout=STARTUP * 1000)
        papers = page.locator("section.pages section.paper")
        assert papers.count() == 2
        titles = page.locator("section.pages h2.paper-title")
        assert titles.count() == 2
        assert letter.title in titles.nth(0).inner_text()
        assert f"{letter.stem}.pdf" in titles.nth(0).inner_text()
        answers_title = answers.answers.title.replace("\u00a0", " ")
        assert answers_title in titles.nth(1).inner_text()
        assert f"{answers.stem}.pdf" in titles.nth(1).inner_text()

        first, second = papers.nth(0), papers.nth(1)
        assert first.get_attribute("data-paper") == "letter"
        assert second.get_attribute("data-paper") == "answers"
        letter_pages, answer_pages = first.locator("img"), second.locator("img")
        assert letter_pages.count() == 1
        count = answer_pages.count()
        assert count >= 2
        assert letter_pages.nth(0).get_attribute("alt") == f"{letter.title} – page 1 of 1"
        assert answer_pages.nth(0).get_attribute("alt") == f"{answers_title} – page 1 of {count}"
        assert second.locator("figcaption").nth(count - 1).inner_text() == \
            f"Page {count} of {count}"
        assert "Vraag 1" in answer_pages.nth(0).get_attribute("data-text")
        assert "Vraag 1" not in letter_pages.nth(0).get_attribute("data-text")
        assert page.evaluate("Array.from(document.querySelectorAll('section.pages img'))"
                             ".every(img => img.complete && img.naturalWidth > 500)")
        assert "2 papers, " in page.locator(".status").inner_text()

        # The letterhead's guides on the letter's page, none on the answers' pages.
        assert first.locator("svg.guides rect.window").count() == 1
        assert first.locator("svg.guides rect.colofon").count() == 1
        assert second.locator("svg.guides").count() == 0
        assert second.locator("rect").count() == 0
    finally:
        running.stop()
    assert "Traceback" not in running.log.read_text()
