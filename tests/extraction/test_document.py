"""The document stage: logical lines, boilerplate, dateline, sentences.

Plain functions on short sentences written for the purpose: no database, no Django.
"""

from __future__ import annotations

import datetime as dt
import itertools

from articles.extraction import extract
from articles.extraction.document import MAX_SENTENCE, read_document
from tests.extraction.support import FRI, one


def test_dateline_city_is_not_a_party() -> None:
    result = extract(
        "LA PAZ — Peru and Chile signed a trade agreement on Monday in the Bolivian capital.", published=FRI
    )
    assert result.agreements[0].parties == ("CHL", "PER")


def test_page_boilerplate_is_ignored() -> None:
    text = (
        "We use cookies to improve your experience. By continuing you accept our use of cookies.\n\n"
        "Peru and Chile signed a trade agreement on Monday.\n\n"
        "Photo: Brazil and Argentina signed an accord in 2010. (AP Photo)\n\n"
        "Advertisement\n\n"
        "Related: Mexico and Canada sign a gas deal | More news\n\n"
        "Subscribe now for unlimited access. Already a subscriber? Log in"
    )
    result = extract(text, published=FRI)
    assert [a.parties for a in result.agreements] == [("CHL", "PER")]


def test_hard_wrapped_paragraphs_read_as_one_sentence() -> None:
    text = (
        "Bolivia's defence minister defended on Monday the memorandum of understanding on defence\n"
        "cooperation that he signed with his Iranian counterpart in Tehran on 20 July, telling legislators\n"
        "that the accord covers training.\n"
    )
    agreement = one(text, published=dt.date(2023, 8, 14))
    assert (agreement.parties, agreement.status, agreement.date) == (("BOL", "IRN"), "signed", "2023-07-20")


def test_a_headline_line_is_not_glued_to_the_story() -> None:
    text = "Peru and Chile Sign Trade Pact in Lima\nPeru and Chile signed a trade agreement on Monday."
    agreement = one(text)
    assert agreement.evidence.text == "Peru and Chile signed a trade agreement on Monday."


def test_a_run_on_sentence_is_cut_at_clause_breaks_into_bounded_pieces() -> None:
    text = ", ".join(["France signed an agreement with Peru"] * 400) + "."
    sentences = read_document(text).sentences
    assert all(s.end - s.start <= MAX_SENTENCE for s in sentences)
    assert sentences[0].start == 0 and sentences[-1].end == len(text)
    assert all(a.end == b.start for a, b in itertools.pairwise(sentences))  # nothing lost between pieces
    assert all(text[s.end - 2 : s.end] == ", " for s in sentences[:-1])  # cut after a comma, not mid-word


def test_a_run_on_sentence_without_commas_is_cut_between_words() -> None:
    text = " ".join(["treaty"] * 1000)
    sentences = read_document(text).sentences
    assert len(sentences) > 1 and all(s.end - s.start <= MAX_SENTENCE for s in sentences)
    assert all(text[s.end - 1] == " " for s in sentences[:-1])
