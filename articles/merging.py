"""Merging what an article says into what is already known.

A candidate from the extraction engine joins an existing agreement when the parties are the same and the type and
dates are compatible; otherwise it becomes a new, unreviewed agreement. Fields are refined only by stronger
evidence, and a field an analyst confirmed or edited (`Agreement.locked_fields`) is never changed.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection
from django.db.transaction import TransactionManagementError

from articles.extraction import CandidateAgreement
from articles.models import Article, Citation
from tracker import services as tracker_services
from tracker.models import STATUS_ORDER, Agreement, AgreementType, Country, Origin, StatusChange, party_key
from tracker.partial_dates import PartialDate


@dataclass(frozen=True)
class MergeOutcome:
    agreement: Agreement
    citation: Citation
    created: bool


def _lock_id(parties: Iterable[str]) -> int:
    """A signed 64-bit number for a set of parties, as pg_advisory_xact_lock takes it. A collision only makes two
    unrelated merges wait for each other."""
    digest = hashlib.blake2b(f"agreement-parties:{party_key(parties)}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def party_sets_lock(party_sets: Iterable[Iterable[str]]) -> None:
    """Hold, until the transaction ends, the right to merge into agreements between exactly these sets of parties.

    Two workers merging two reports of one agreement at the same moment each found no agreement and each created
    one. With the lock, the second waits until the first has committed, then finds the agreement and joins it. The
    locks are taken in one order (sorted), so two articles naming the same pairs cannot deadlock.

    PostgreSQL only. On SQLite every transaction takes the database's write lock when it begins (transaction_mode
    IMMEDIATE, tracker/settings.py), so merges are serialised already.
    """
    if connection.vendor != "postgresql":
        return
    if not connection.in_atomic_block:
        raise TransactionManagementError("Merging must run in a transaction: the party-set lock lasts until it ends.")
    with connection.cursor() as cursor:
        for lock_id in sorted({_lock_id(parties) for parties in party_sets}):
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [lock_id])


def candidate_date(candidate: CandidateAgreement) -> PartialDate | None:
    return PartialDate.parse(candidate.date) if candidate.date else None


def _names_conflict(agreement: Agreement, candidate: CandidateAgreement) -> bool:
    return bool(agreement.name and candidate.name and agreement.name.casefold() != candidate.name.casefold())


def _dates_conflict(changes: Iterable[StatusChange], candidate: CandidateAgreement) -> bool:
    """Dates that one instrument cannot have mean a different instrument: the same stage on days that cannot be the
    same, or stages out of order (signed after it was terminated, in force before it was signed)."""
    date = candidate_date(candidate)
    if date is None:
        return False
    rank = STATUS_ORDER[candidate.status]
    for change in changes:
        known = change.partial_date
        if known is None:
            continue
        if change.status == candidate.status and not known.overlaps(date):
            return True
        if STATUS_ORDER[change.status] > rank and known.surely_before(date):
            return True
        if STATUS_ORDER[change.status] < rank and date.surely_before(known):
            return True
    return False


def _claim(candidate: CandidateAgreement) -> tuple:
    """What a candidate says, and the sentence it says it in (spacing and letter case aside)."""
    return (
        tuple(sorted(candidate.parties)),
        candidate.types,
        candidate.status,
        candidate.date,
        candidate.date_precision,
        (candidate.name or "").casefold(),
        " ".join(candidate.evidence.text.split()).casefold(),
    )


def distinct_candidates(candidates: Iterable[CandidateAgreement]) -> list[CandidateAgreement]:
    """The candidates of one article, each repeated sentence counted once (the first occurrence's evidence is kept).

    A sentence pasted 2,000 times made 2,000 agreements, because two candidates of one article never merge into each
    other. Same parties, types, status and date alone do not make a repetition: an article often reports several
    instruments signed the same day ("a trade agreement ..., an MoU on transit ..."), each in its own sentence, and
    one sentence may name several ("signed two protocols"), each a candidate with the same evidence. So a candidate
    is dropped only when an earlier candidate says the same in the same words at another place in the text.
    """
    first_place: dict[tuple, int] = {}
    kept = []
    for candidate in candidates:
        if first_place.setdefault(_claim(candidate), candidate.evidence.start) == candidate.evidence.start:
            kept.append(candidate)
    return kept


def is_compatible(agreement: Agreement, candidate: CandidateAgreement) -> bool:
    if not set(agreement.types) & set(candidate.types):
        return False
    if _names_conflict(agreement, candidate):
        return False
    return not _dates_conflict(agreement.status_changes.all(), candidate)


def find_match(candidate: CandidateAgreement, *, exclude_ids: set[int]) -> Agreement | None:
    """The known agreement this candidate describes, if any; the best-corroborated one when several fit."""
    known = (
        Agreement.objects.with_party_set(candidate.parties)
        .filter(merged_into__isnull=True)
        .exclude(id__in=exclude_ids)
        .prefetch_related("status_changes")
    )
    date = candidate_date(candidate)

    def fit(agreement: Agreement) -> tuple[bool, bool, bool]:
        same_stage_same_date = any(
            change.status == candidate.status and date and change.partial_date and change.partial_date.overlaps(date)
            for change in agreement.status_changes.all()
        )
        same_name = bool(agreement.name and candidate.name)
        return same_stage_same_date, same_name, agreement.type == candidate.types[0]

    compatible = [agreement for agreement in known if is_compatible(agreement, candidate)]
    return max(compatible, key=fit) if compatible else None


# The kind of instrument, as news names it; longest first so "memorandum of understanding" wins over "memorandum".
_INSTRUMENT = re.compile(
    r"\b(memorandums? of understanding|framework agreements?|free[- ]trade agreements?|joint declarations?|"
    r"action plans?|road ?maps?|agreements?|accords?|treat(?:y|ies)|pacts?|protocols?|conventions?|deals?|"
    r"memorandums?|memoranda|declarations?|arrangements?|packages?|leases?|charters?|MoUs?)\b",
    re.IGNORECASE,
)
_HEADS = (
    "agreement",
    "accord",
    "pact",
    "protocol",
    "convention",
    "deal",
    "memorandum",
    "declaration",
    "arrangement",
    "package",
    "lease",
    "charter",
    "plan",
    "map",
    "roadmap",
)
_SINGULAR = {f"{head}s": head for head in _HEADS} | {"treaties": "treaty", "memoranda": "memorandum"}


def _instrument(candidate: CandidateAgreement) -> str:
    """The kind of instrument the evidence names, in the singular; "agreement" when it names none."""
    span = candidate.field_evidence.get("type")
    match = _INSTRUMENT.search(span.text) if span else None
    if not match:
        return "agreement"
    noun = match.group(1).lower()
    if noun in ("mou", "mous"):
        return "memorandum of understanding"
    return " ".join(_SINGULAR.get(word, word) for word in noun.split())


def _title(candidate: CandidateAgreement, countries: dict[str, Country]) -> str:
    """ "Bolivia – Iran defence memorandum of understanding": the parties, the domain, the kind of instrument."""
    if candidate.name:
        return candidate.name
    names = " – ".join(sorted(countries[code].name for code in candidate.parties))
    domain = candidate.types[0]
    label = "" if domain == AgreementType.OTHER else f"{AgreementType(domain).label.lower()} "
    return f"{names} {label}{_instrument(candidate)}"[:300]


def _combined_confidence(current: float, new: float) -> float:
    """Independent reports corroborate each other; never certainty from extraction alone."""
    return round(min(0.99, 1 - (1 - current) * (1 - new)), 3)


def _citation(article: Article, agreement: Agreement, candidate: CandidateAgreement, version: str) -> Citation:
    evidence = candidate.evidence
    return Citation.objects.create(
        article=article,
        agreement=agreement,
        quote=evidence.text,
        start=evidence.start,
        end=evidence.end,
        fields=sorted(candidate.field_evidence),
        field_spans={name: [span.start, span.end] for name, span in candidate.field_evidence.items()},
        confidence=candidate.confidence,
        extractor_version=version,
    )


def _refine(agreement: Agreement, candidate: CandidateAgreement, citation: Citation) -> None:
    locked = set(agreement.locked_fields)
    changed: list[str] = []
    if "type" not in locked:
        extra = [t for t in candidate.types if t not in agreement.types]
        if extra:
            agreement.secondary_types = [*agreement.secondary_types, *extra]
            changed.append("secondary_types")
    if "name" not in locked and not agreement.name and candidate.name:
        agreement.name = candidate.name
        changed.append("name")
    confidence = _combined_confidence(agreement.confidence, candidate.confidence)
    if agreement.origin == Origin.EXTRACTED and confidence != agreement.confidence:
        agreement.confidence = confidence
        changed.append("confidence")
    if changed:
        agreement.save(update_fields=[*changed, "updated_at"])

    if "status" in locked:
        return
    date = candidate_date(candidate)
    for change in agreement.status_changes.all():
        if change.status != candidate.status:
            continue
        if date and change.partial_date and not change.partial_date.overlaps(date):
            continue
        more_precise = date and (
            change.partial_date is None or date.precision_rank > change.partial_date.precision_rank
        )
        if more_precise and "date" not in locked:
            change.date, change.date_precision = date.value, date.precision
            change.citation = citation
            change.save(update_fields=["date", "date_precision", "citation"])
        elif change.citation_id is None:
            change.citation = citation
            change.save(update_fields=["citation"])
        break
    else:
        StatusChange.objects.create(
            agreement=agreement,
            status=candidate.status,
            date=date.value if date else None,
            date_precision=date.precision if date else "",
            citation=citation,
        )
    tracker_services.agreement_sync_status(agreement=agreement)


def agreement_merge(
    *,
    article: Article,
    candidate: CandidateAgreement,
    version: str,
    exclude_ids: set[int],
    countries: dict[str, Country],
) -> MergeOutcome:
    """Record one candidate: join the agreement it describes, or create a new unreviewed one. Call in a transaction
    (which holds the candidate's party-set lock from here to its end; an article takes all of its locks first)."""
    party_sets_lock([candidate.parties])
    match = find_match(candidate, exclude_ids=exclude_ids)
    if match is not None:
        citation = _citation(article, match, candidate, version)
        _refine(match, candidate, citation)
        return MergeOutcome(agreement=match, citation=citation, created=False)

    agreement = tracker_services.agreement_create(
        title=_title(candidate, countries),
        name=candidate.name or "",
        party_codes=candidate.parties,
        type=candidate.types[0],
        secondary_types=candidate.types[1:],
        status=candidate.status,
        date=candidate_date(candidate),
        confidence=candidate.confidence,
        origin=Origin.EXTRACTED,
    )
    citation = _citation(article, agreement, candidate, version)
    agreement.status_changes.update(citation=citation)
    return MergeOutcome(agreement=agreement, citation=citation, created=True)
