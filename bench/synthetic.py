"""Synthetic letters for the benchmark and the long-letter tests: deterministic, plausible Dutch."""

from __future__ import annotations

import random
from pathlib import Path

import yaml

WORDS = ("de het een van en in op voor met dat bij naar door aan over als ook niet wordt "
         "kabinet Kamer maatregelen dreiging veiligheid aanpak gemeenten partners beleid "
         "onderzoek uitvoering samenwerking ontwikkelingen informatie toezicht wetgeving "
         "regio inzet middelen rapport voortgang resultaten evaluatie signalen burgers").split()


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(9, 20))]
    return " ".join(words).capitalize() + "."


def paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(sentence(rng) for _ in range(sentences))


def letter(seed: int, pages: int) -> dict:
    """A letter of roughly `pages` pages with a footnote every other section."""
    rng = random.Random(seed)
    sections, footnotes = [], {}
    for number in range(max(1, pages * 2 - 1)):
        text = "\n\n".join(paragraph(rng, 4) for _ in range(2))
        if number % 2 == 0:
            label = f"n{number}"
            text += f" Zie de brief.[^{label}]"
            footnotes[label] = f"Kamerstukken II 2025–2026, 29 754, nr. {100 + number}."
        if number % 5 == 3:
            text += "\n\n- " + sentence(rng) + "\n- " + sentence(rng)
        section = {"text": text}
        if number:
            section["heading"] = sentence(rng)[:60].rstrip(" .")
        sections.append(section)
    return {
        "sender": {"ministry": "jenv"},
        "recipient": "tweede-kamer",
        "date": "2026-01-15",
        "kenmerk": f"2026-{seed:010d}",
        "subject": f"Voortgangsbrief {seed}",
        "sections": sections,
        "footnotes": footnotes,
        "minister": {"title": "De Minister van Justitie en Veiligheid", "name": "A. Proef"},
    }


def write_letters(folder: Path, count: int, pages: int, first_seed: int = 1) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for seed in range(first_seed, first_seed + count):
        path = folder / f"brief-{pages}p-{seed:03d}.yaml"
        path.write_text(yaml.safe_dump(letter(seed, pages), allow_unicode=True, sort_keys=False),
                        encoding="utf-8")
        paths.append(path)
    return paths
