"""Refuse requests no view can answer, before any view (or the database) sees them."""

from __future__ import annotations

from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.defaults import bad_request, page_not_found

_NUL = "\x00"


def _fields_with_nul(request: HttpRequest) -> list[str]:
    return [name for name, values in request.GET.lists() if _NUL in name or any(_NUL in v for v in values)]


def _drop_cookies_with_nul(request: HttpRequest) -> None:
    # A cookie can carry NUL as an octal escape ("\000"), which Django decodes: a forged session cookie was a 500
    # on every page. Such a cookie cannot be ours, so the request goes on as if it had not been sent.
    for name in [name for name, value in request.COOKIES.items() if _NUL in name or _NUL in value]:
        del request.COOKIES[name]


def _api_refusal(*, in_path: bool, fields: list[str]) -> JsonResponse:
    if in_path:
        return JsonResponse({"error": {"code": "not_found", "message": "No such API endpoint."}}, status=404)
    error = {
        "code": "invalid_filter",
        "message": "The query string is not valid: see `fields`.",
        "fields": {name.replace(_NUL, "\\x00"): ["NUL characters are not allowed."] for name in fields},
    }
    return JsonResponse({"error": error}, status=400)


def _page_refusal(request: HttpRequest, *, in_path: bool) -> HttpResponse:
    if in_path:
        return page_not_found(request, Http404("No such page."))
    return bad_request(request, ValueError("A NUL character in the query string."))


def refuse_nul_characters(get_response: Callable[[HttpRequest], HttpResponse]) -> Callable[[HttpRequest], HttpResponse]:
    """A NUL character in the path is a 404, in the query string a 400: never a 500.

    PostgreSQL refuses NUL in any text value, so a view that looked up `/countries/IR%00N/` or searched for
    `?q=a%00b` failed with a server error. No code, name or word contains NUL, so such a request is refused here,
    for every page, the admin and the API alike (the API in its own error format). Bodies need no such check: every
    form and serializer CharField already refuses NUL. Cookies with NUL are dropped; tokens are checked by
    tracker.api.authentication.
    """

    def middleware(request: HttpRequest) -> HttpResponse:
        _drop_cookies_with_nul(request)
        in_path, fields = _NUL in request.path, _fields_with_nul(request)
        if not in_path and not fields:
            return get_response(request)
        if request.path.startswith("/api/"):
            return _api_refusal(in_path=in_path, fields=fields)
        return _page_refusal(request, in_path=in_path)

    return middleware
