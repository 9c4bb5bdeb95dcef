import pytest
from django.core.management import call_command

from tracker.models import Country


def test_every_iso_country_is_loaded_with_codes_names_and_region(countries):
    current = Country.objects.current()
    assert current.count() == 249
    bolivia = Country.objects.get(code="BOL")
    assert (bolivia.alpha2, bolivia.numeric, bolivia.name) == ("BO", "068", "Bolivia")
    assert bolivia.official_name == "Plurinational State of Bolivia"
    assert (bolivia.region, bolivia.subregion) == ("Americas", "Latin America and the Caribbean")
    assert "Bolivian" in bolivia.demonyms
    assert "La Paz" in bolivia.capitals


@pytest.mark.parametrize(
    ("code", "field", "variant"),
    [
        ("USA", "names", "U.S."),
        ("USA", "names", "America"),
        ("GBR", "names", "Britain"),
        ("TUR", "names", "Türkiye"),
        ("CIV", "names", "Ivory Coast"),
        ("MMR", "names", "Burma"),
        ("PRK", "names", "DPRK"),
        ("KOR", "names", "South Korea"),
        ("ARE", "names", "Emirates"),
        ("ARE", "demonyms", "Emirati"),
        ("RUS", "seats", "Kremlin"),
        ("GBR", "seats", "Whitehall"),
        ("IRN", "capitals", "Tehran"),
    ],
)
def test_curated_variants_that_news_uses(countries, code, field, variant):
    values = [*getattr(Country.objects.get(code=code), field), Country.objects.get(code=code).name]
    assert variant.casefold() in {value.casefold() for value in values}


def test_former_states_have_their_years(countries):
    soviet_union = Country.objects.get(code="SUN")
    assert soviet_union.is_former
    assert (soviet_union.valid_from, soviet_union.valid_to) == (1922, 1991)
    assert not Country.objects.current().filter(code="SUN").exists()


def test_loading_twice_changes_nothing_and_keeps_an_analysts_additions(countries):
    bolivia = Country.objects.get(code="BOL")
    bolivia.names = [*bolivia.names, "the Plurinational State"]
    bolivia.save()
    before = {c.code: (c.name, c.names, c.updated_at) for c in Country.objects.all()}

    call_command("load_countries", verbosity=0)

    after = {c.code: (c.name, c.names, c.updated_at) for c in Country.objects.all()}
    assert after == before
    assert "the Plurinational State" in Country.objects.get(code="BOL").names
