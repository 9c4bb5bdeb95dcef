"""The engine's output: frozen dataclasses, safe to hash, cache and compare."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

TYPES: tuple[str, ...] = ("defense", "security", "economic", "energy", "nuclear", "diplomatic", "technology", "other")
STATUSES: tuple[str, ...] = ("proposed", "signed", "in_force", "terminated")
ROLES: tuple[str, ...] = ("party", "host_or_mediator", "third_party", "mentioned")


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class CountryMention:
    code: str
    span: Span
    kind: str
    role: str


def _empty_mapping() -> Mapping[str, Span]:
    return MappingProxyType({})


@dataclass(frozen=True)
class CandidateAgreement:
    parties: tuple[str, ...]
    types: tuple[str, ...]
    status: str
    date: str | None
    date_precision: str | None
    confidence: float
    evidence: Span
    name: str | None = None
    field_evidence: Mapping[str, Span] = field(default_factory=_empty_mapping, compare=False, hash=False)


@dataclass(frozen=True)
class Extraction:
    agreements: tuple[CandidateAgreement, ...]
    mentions: tuple[CountryMention, ...]
