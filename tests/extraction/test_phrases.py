"""Instrument phrases: names, known instruments, elliptic and pronoun phrases.

Plain functions on short sentences written for the purpose: no database, no Django.
"""

from __future__ import annotations

from articles.extraction import extract
from tests.extraction.support import FRI, one


def test_named_agreement() -> None:
    text = "The New START treaty between Washington and Moscow entered into force on Saturday."
    agreement = one(text)
    assert (agreement.name, agreement.types[0], agreement.status) == ("New START", "nuclear", "in_force")


def test_the_one_it_signed_is_an_instrument() -> None:
    text = "It is China's second trade pact with a rich economy, after the one it signed with New Zealand in April."
    a = one(text)
    assert a.parties == ("CHN", "NZL") and a.date == "2023-04"


def test_the_previous_one_is_an_earlier_instrument() -> None:
    text = (
        "Chad and Sudan signed a peace agreement on Friday. The previous one, signed in Dakar in March 2008, "
        "did little to stop the fighting."
    )
    assert sorted(a.date for a in extract(text, published=FRI).agreements) == ["2008-03", "2024-03-15"]
