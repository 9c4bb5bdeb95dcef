"""Every article's language is read, stored with where it came from, and an article in a language the tracker does not
read ends in a state of its own — never "parsed" with nothing found. Tasks run in-process (the embedded default)."""

import pytest
from django.core.management import call_command

from articles import services
from articles.models import Article
from articles.services import article_reparse, article_submit
from tracker.models import Agreement
from tracker.partial_dates import PartialDate

pytestmark = pytest.mark.django_db(transaction=True)

SPANISH = """Bolivia e Irán firmaron un memorando de entendimiento en materia de defensa

La Paz, 21 jul (ABI).- Los ministros de Defensa de Bolivia e Irán firmaron el pasado jueves en Teherán un memorando
de entendimiento en materia de defensa que prevé la compra de drones para vigilar la frontera, informó el gobierno.

El acuerdo fue criticado por legisladores de la oposición, que pidieron conocer su contenido.
"""

FRENCH = """La France et l'Allemagne ont signé mardi à Paris un traité de coopération en matière de défense, a
annoncé la présidence. Le texte prévoit des exercices communs et un fonds pour l'industrie de l'armement des deux
pays, selon le communiqué publié à l'issue de la rencontre entre les deux chefs d'État.
"""

ENGLISH = """Bolivia and Iran signed a memorandum of understanding on defence cooperation in Tehran on Thursday, the
government in La Paz said, adding that the accord covers training and the purchase of drones for border surveillance.
"""


def _submit(text: str, **fields) -> Article:
    article = article_submit(raw=text.encode(), published=PartialDate.parse("2023-07-21"), **fields).article
    article.refresh_from_db()
    return article


def _html(body: str, lang: str) -> str:
    head = "<head><title>Noticia</title></head>"
    return f'<html lang="{lang}">{head}<body><article><p>{body}</p></article></body></html>'


def test_a_spanish_article_yields_its_agreement_with_spanish_evidence(countries):
    article = _submit(SPANISH)

    assert (article.state, article.language, article.language_source) == ("parsed", "es", "detected")
    agreement = Agreement.objects.get()
    assert agreement.party_key == "BOL IRN"
    # the evidence stays in the article's words; the title is built in English from the fields
    assert "firmaron" in agreement.citations.get().quote
    assert agreement.title.startswith("Bolivia – Iran")


def test_a_french_article_ends_unsupported_with_the_reason_and_its_text_kept(countries, client):
    article = _submit(FRENCH)

    assert (article.state, article.language, article.language_source) == ("unsupported", "fr", "detected")
    assert article.error.startswith("Unsupported language: fr (detected from the text)")
    assert "traité de coopération" in article.text and bytes(article.raw) == FRENCH.encode()
    assert not Agreement.objects.exists() and not article.citations.exists()

    home = client.get("/").content.decode()
    assert '<span class="figure">1</span> in a language not read' in home
    listed = client.get("/articles/?state=unsupported").content.decode()
    assert f'href="/articles/{article.pk}/"' in listed and "Unsupported language: fr" in listed
    assert f'href="/articles/{article.pk}/"' not in client.get("/articles/?state=parsed").content.decode()
    page = client.get(f"/articles/{article.pk}/").content.decode()
    assert "unsupported language" in page and 'lang="fr"' in page


def test_an_unsupported_article_is_read_when_its_language_is_supported_later(countries, monkeypatch):
    # the tracker before Spanish was added
    monkeypatch.setattr(services, "LANGUAGES", ("en",))
    article = _submit(SPANISH)
    assert (article.state, article.error.split(" (")[0]) == ("unsupported", "Unsupported language: es")

    monkeypatch.undo()
    article_reparse(article=article)
    article.refresh_from_db()

    assert (article.state, article.error) == ("parsed", "")
    assert Agreement.objects.get().party_key == "BOL IRN"


def test_a_language_given_at_submission_is_final_and_an_analyst_can_correct_it(countries, analyst_client):
    article = _submit(SPANISH, language="fr")
    assert (article.state, article.language_source) == ("unsupported", "submitted")
    assert article.error.startswith("Unsupported language: fr (given by a person)")

    change = f"/admin/articles/article/{article.pk}/change/"
    form = {"title": article.title, "url": "", "publisher": "", "published_on": "2023-07-21"}
    management = ("TOTAL_FORMS", "INITIAL_FORMS")
    inlines = {f"{name}-{field}": "0" for name in ("mentions", "citations") for field in management}
    response = analyst_client.post(change, {**form, **inlines, "published_precision": "day", "language": "es-BO"})
    assert response.status_code == 302, response.context_data["adminform"].form.errors
    article.refresh_from_db()
    assert (article.language, article.language_source) == ("es", "submitted")
    article_reparse(article=article)

    article.refresh_from_db()
    assert (article.state, article.language) == ("parsed", "es")
    assert Agreement.objects.get().party_key == "BOL IRN"


@pytest.mark.parametrize(
    ("body", "lang", "expected"),
    [
        # the page's declaration agrees with its text
        (SPANISH, "es", ("es", "declared")),
        # a site template that declares the site's language, not the story's: the text wins
        (ENGLISH, "es-ES", ("en", "detected")),
        (SPANISH, "en-US", ("es", "detected")),
    ],
)
def test_a_pages_declared_language_holds_unless_its_text_plainly_says_otherwise(countries, body, lang, expected):
    article = _submit(_html(body, lang), submission="file", filename="page.html", content_type="text/html")

    assert (article.language, article.language_source) == expected
    assert article.state == "parsed"
    assert Agreement.objects.get().party_key == "BOL IRN"


def test_submitting_an_unsupported_document_again_queues_it_again(countries, monkeypatch):
    monkeypatch.setattr(services, "LANGUAGES", ("en",))
    first = _submit(SPANISH)
    monkeypatch.undo()

    again = article_submit(raw=SPANISH.encode(), published=PartialDate.parse("2023-07-21"))

    assert (again.created, again.requeued) == (False, True)
    first.refresh_from_db()
    assert first.state == "parsed"


def test_the_api_takes_an_explicit_language_and_refuses_an_unknown_one(countries, analyst):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(analyst)
    accepted = api.post("/api/v1/articles/", {"text": FRENCH, "language": "FR-ca"}, format="json")
    refused = api.post("/api/v1/articles/", {"text": ENGLISH, "language": "xx"}, format="json")

    assert accepted.status_code == 202, accepted.content
    body = api.get(f"/api/v1/articles/{accepted.json()['id']}/").json()
    assert (body["state"], body["language"], body["language_source"]) == ("unsupported", "fr", "submitted")
    assert refused.status_code == 400
    assert "not an ISO 639-1 language code" in refused.json()["error"]["fields"]["language"][0]
    assert Article.objects.count() == 1


def test_the_add_article_form_detects_by_default_and_offers_every_language(countries, analyst_client):
    form = analyst_client.get("/admin/articles/article/add/").content.decode()
    assert '<option value="" selected>Detect from the text</option>' in form
    assert '<option value="es">Spanish</option>' in form and '<option value="fr">French</option>' in form

    response = analyst_client.post(
        "/admin/articles/article/add/", {"text": SPANISH, "published": "2023-07-21", "language": ""}
    )

    assert response.status_code == 302
    article = Article.objects.get()
    assert (article.state, article.language, article.language_source) == ("parsed", "es", "detected")


def test_ingest_takes_a_language_and_says_what_it_could_not_read(countries, tmp_path, capsys):
    (tmp_path / "a.txt").write_text(SPANISH)
    (tmp_path / "b.txt").write_text(FRENCH)

    call_command("ingest", str(tmp_path), "--published", "2023-07-21", verbosity=0)

    out = capsys.readouterr().out
    assert "2 submitted, 0 already known; 1 parsed, 0 failed, 0 duplicates of known ones, " in out
    assert "1 in a language not read" in out
    assert "unsupported #" in out and "Unsupported language: fr" in out
    assert Article.objects.get(filename="a.txt").published_on.isoformat() == "2023-07-21"
