"""The organisation registry (templates/registry.yaml): senders and recipients by key."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field

from .letter.model import AddressSpec, OrganisationFields
from .paths import templates_dir


class Unit(OrganisationFields):
    """A unit with a wordmark line and colofon of its own (e.g. NCTV)."""

    name: str


class Ministry(OrganisationFields):
    name: str
    wordmark: list[str]
    units: dict[str, Unit] = Field(default_factory=dict)


class Defaults(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    subject_label: str
    colofon_note: str


class Registry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    defaults: Defaults
    ministries: dict[str, Ministry]
    recipients: dict[str, AddressSpec]


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML has it: 10x faster


def registry_path() -> Path:
    return templates_dir() / "registry.yaml"


@lru_cache(maxsize=2)
def _load(path: Path) -> Registry:
    with path.open(encoding="utf-8") as handle:
        return Registry.model_validate(yaml.load(handle, Loader=_LOADER))


def load_registry() -> Registry:
    """The validated registry (cached)."""
    return _load(registry_path())
