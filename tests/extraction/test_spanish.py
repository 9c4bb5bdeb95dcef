"""Spanish: the language is detected, and the learned stage reads Spanish news with Spanish names, dates and word
groups (no Spanish rules yet). Sentences written for the purpose; no database, no Django."""

from __future__ import annotations

import datetime as dt

import pytest

from articles.extraction import extract, lexicon
from articles.extraction.classify import keyword_scores
from articles.extraction.countries import find_mentions, gazetteer
from articles.extraction.dates import find_dates
from articles.extraction.explain import explain
from articles.extraction.language import LanguageReading, detect_language, read_language
from articles.extraction.records import extract_record
from articles.extraction.results import TYPES
from articles.extraction.signals import signals_in, words

FRIDAY = dt.date(2024, 3, 15)
ES_DATES = lexicon.load("dates", "es")

# --- language ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("The foreign ministers of Chile and Peru signed a fisheries accord in Lima on Monday.", "en"),
        ("Los cancilleres de Chile y Perú firmaron el lunes en Lima un convenio de pesca.", "es"),
        ("Les ministres du Chili et du Pérou ont signé lundi à Lima un accord sur la pêche.", "fr"),
        ("Argentina and Brazil signed Mercosur in 1991.", "en"),  # a guess between languages goes to one we read
    ],
)
def test_language_is_detected(text: str, language: str) -> None:
    assert detect_language(text) == language


def test_plainly_english_and_spanish_openings() -> None:
    english = (
        "The ministers of the two states said on Monday that the accord, which was drafted with the help of their "
        "envoys, has been signed and that it will run for five years from the date of its ratification."
    )
    spanish = (
        "Según informó The Washington Post, los cancilleres de ambos países firmaron el lunes un acuerdo que "
        "regirá durante cinco años a partir de su ratificación por los respectivos congresos."
    )
    assert (detect_language(english), detect_language(spanish)) == ("en", "es")


SPANISH_LEAD = "Los cancilleres de Chile y Perú firmaron el lunes en Lima un convenio de pesca, informó la cancillería."


@pytest.mark.parametrize(
    ("given", "declared", "expected"),
    [
        ("es-AR", None, LanguageReading("es", "submitted")),  # a person's word is final, region dropped
        ("fr", "es", LanguageReading("fr", "submitted")),
        (None, "es_ES", LanguageReading("es", "declared")),  # the page agrees with its text
        (None, "en-US", LanguageReading("es", "detected")),  # a site template's lang, not the story's
        (None, None, LanguageReading("es", "detected")),
    ],
)
def test_where_an_articles_language_comes_from(given, declared, expected) -> None:
    assert read_language(SPANISH_LEAD, given=given, declared=declared) == expected


def test_an_empty_text_keeps_what_the_page_declares() -> None:
    assert read_language("  ", declared="pt-BR") == LanguageReading("pt", "declared")


def test_a_french_article_yields_nothing() -> None:
    text = "La France et l'Allemagne ont signé mardi à Paris un traité de coopération en matière de défense."
    assert extract(text, published=FRIDAY).agreements == ()


def test_a_declared_language_is_trusted() -> None:
    record = {"id": "x", "text": "Chile y Perú firmaron un convenio de pesca el lunes.", "published": "2024-03-15"}
    assert extract_record({**record, "lang": "fr"})["agreements"] == []


# --- one Spanish sentence, end to end ----------------------------------------------------------------------------


def test_spanish_sentence_yields_its_agreement_with_spanish_evidence() -> None:
    text = "Bolivia e Irán firmaron un memorando de entendimiento en materia de defensa el pasado jueves."
    (agreement,) = extract(text, published=FRIDAY).agreements
    assert agreement.parties == ("BOL", "IRN")
    assert agreement.status == "signed"
    assert agreement.date == "2024-03-14"
    assert agreement.field_evidence["date"].text == "el pasado jueves"
    assert agreement.evidence.text == text


def test_spanish_article_mentions_are_party_or_mentioned() -> None:
    text = "Bolivia e Irán firmaron un memorando de entendimiento en materia de defensa el pasado jueves."
    roles = {m.code: m.role for m in extract(text, published=FRIDAY).mentions}
    assert roles == {"BOL": "party", "IRN": "party"}


# --- dates ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phrase", "value", "precision"),
    [
        ("el tratado se firmó el 15 de marzo de 2023", "2023-03-15", "day"),
        ("la firma tuvo lugar en marzo de 2023", "2023-03", "month"),
        ("lo rubricaron el 2 de marzo", "2024-03-02", "day"),
        ("lo rubricaron el 20 de diciembre", "2023-12-20", "day"),
        ("lo sellaron el pasado viernes", "2024-03-08", "day"),
        ("lo sellaron el miércoles pasado", "2024-03-13", "day"),
        ("lo suscribieron este martes", "2024-03-12", "day"),
        ("lo firmaron ayer", "2024-03-14", "day"),
        ("entra en vigor hoy", "2024-03-15", "day"),
        ("lo ratificaron la semana pasada", "2024-03", "month"),
        ("lo aprobaron el mes pasado", "2024-02", "month"),
        ("lo denunciaron el año pasado", "2023", "year"),
        ("lo firmaron en noviembre del año pasado", "2023-11", "month"),
        ("lo firmarán el próximo lunes", "2024-03-18", "day"),
        ("se firmó en 1967", "1967", "year"),
    ],
)
def test_spanish_dates_resolve_against_publication(phrase: str, value: str, precision: str) -> None:
    dates = find_dates(phrase, FRIDAY, language="es")
    assert [(d.value, d.precision) for d in dates] == [(value, precision)]


@pytest.mark.parametrize("phrase", sorted(ES_DATES["relative"]))
def test_spanish_relative_date_example_resolves_as_stated(phrase: str) -> None:
    row = ES_DATES["relative"][phrase]
    found = [(d.text.lower(), d.value, d.future) for d in find_dates(row["example"], FRIDAY, language="es")]
    assert (phrase, row["expect"], row.get("future", False)) in found, found


@pytest.mark.parametrize("month", sorted(ES_DATES["months"]["full"]))
def test_every_spanish_month_is_read(month: str) -> None:
    (found,) = find_dates(f"firmado el 5 de {month} de 2011", FRIDAY, language="es")
    assert found.value == f"2011-{ES_DATES['months']['full'][month]:02d}-05"


@pytest.mark.parametrize("weekday", sorted(ES_DATES["weekdays"]))
def test_every_spanish_weekday_resolves_to_the_past_week(weekday: str) -> None:
    (found,) = find_dates(f"firmado el {weekday}", FRIDAY, language="es")
    value = dt.date.fromisoformat(found.value)
    assert value.weekday() == ES_DATES["weekdays"][weekday]
    assert dt.timedelta(0) <= FRIDAY - value < dt.timedelta(days=7)


def test_english_dates_ignore_spanish_words() -> None:
    assert find_dates("firmado el 5 de marzo", FRIDAY) == []


# --- gazetteer -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("surface", "code", "kind"),
    [
        ("EE.UU.", "USA", "name"),
        ("EEUU", "USA", "name"),
        ("Estados Unidos", "USA", "name"),
        ("Reino Unido", "GBR", "name"),
        ("Rusia", "RUS", "name"),
        ("Irán", "IRN", "name"),
        ("Federación Rusa", "RUS", "name"),  # pycountry's Spanish ISO 3166 name
        ("Países Bajos", "NLD", "name"),
        ("estadounidense", "USA", "demonym"),
        ("rusa", "RUS", "demonym"),
        ("boliviano", "BOL", "demonym"),
        ("brasileña", "BRA", "demonym"),
        ("la Casa Rosada", "ARG", "seat"),
        ("el Palacio de Planalto", "BRA", "seat"),
        ("Itamaraty", "BRA", "seat"),
        ("el Kremlin", "RUS", "seat"),
        ("Moscú", "RUS", "capital"),
        ("EFE", "ESP", "agency"),
        ("Prensa Latina", "CUB", "agency"),
        ("Télam", "ARG", "agency"),
    ],
)
def test_spanish_gazetteer_names(surface: str, code: str, kind: str) -> None:
    (mention,) = find_mentions(f"Según fuentes oficiales, {surface} confirmó la noticia.", language="es")
    assert (mention.code, mention.kind, mention.text) == (code, kind, surface)


def test_spanish_names_stay_out_of_the_english_gazetteer() -> None:
    assert "Irán" not in gazetteer().surfaces and "estadounidense" not in gazetteer().surfaces
    assert find_mentions("the Bolivian and Iranian envoys", language="es")  # English names stay readable in Spanish


def test_spanish_region_names_are_no_country() -> None:
    assert find_mentions("los países de América Latina", language="es") == []


# --- word groups ---------------------------------------------------------------------------------------------------


def test_spanish_word_groups_have_the_english_names() -> None:
    assert set(words("es")) == set(words("en"))


def test_spanish_word_groups_are_found() -> None:
    found = signals_in("Ambos países suscribieron un convenio que entró en vigor tras ser ratificado.", "es")
    assert {"both", "signed", "instrument", "in_force"} <= found


# --- types ---------------------------------------------------------------------------------------------------------

ES_TYPES = lexicon.load("types", "es")


@pytest.mark.parametrize("type_", TYPES)
def test_every_spanish_type_keyword_alone_scores_its_type(type_: str) -> None:
    for phrase, weight in ES_TYPES[type_].items():
        assert keyword_scores(phrase, 1.0, "es") == {type_: weight}, phrase


def test_a_spanish_proposal_is_typed_from_spanish_words() -> None:
    text = "Argentina y Chile suscribieron ayer un convenio de extradición y de lucha contra el narcotráfico."
    (agreement,) = extract(text, published=FRIDAY).agreements
    assert agreement.types[0] == "security"


def test_a_spanish_article_is_explained_by_the_learned_stage() -> None:
    text = "Bolivia e Irán firmaron un memorando de entendimiento en materia de defensa el pasado jueves."
    lines = explain(text, published=FRIDAY)
    assert lines[0] == "language es: no rules, the proposals alone"
    assert lines[2].startswith("  proposal BOL+IRN: kept") and '"el pasado jueves"' in lines[2]


# --- roles of the countries that sign nothing ---------------------------------------------------------------------

ES_ROLES = lexicon.load("roles", "es")
ROLE_OF_BRAZIL = {"hosts": "host_or_mediator", "occasions": "host_or_mediator", "reactions": "third_party"}


@pytest.mark.parametrize("table", sorted(ES_ROLES))
def test_every_spanish_role_form_in_its_example_gives_brazil_its_role(table: str) -> None:
    for form in ES_ROLES[table]["forms"]:
        result = extract(ES_ROLES[table]["example"].format(form), published=FRIDAY, language="es")
        assert [a.parties for a in result.agreements] == [("CHL", "PER")], form
        roles = {m.code: m.role for m in result.mentions}
        assert roles["BRA"] == ROLE_OF_BRAZIL[table], form


def test_spanish_third_countries_get_their_roles_from_the_whole_story() -> None:
    text = (
        "Perú y Chile firmaron el lunes un convenio de pesca en Lima, informó la cancillería.\n\n"
        "Las negociaciones fueron auspiciadas por Ecuador. Bolivia celebró el acuerdo, mientras Argentina expresó "
        "preocupación por el pacto. Colombia jugó contra Brasil el domingo."
    )
    roles = {m.code: m.role for m in extract(text, published=FRIDAY).mentions}
    assert roles == {
        "PER": "party",
        "CHL": "party",
        "ECU": "host_or_mediator",
        "BOL": "third_party",
        "ARG": "third_party",
        "COL": "mentioned",
        "BRA": "mentioned",
    }
