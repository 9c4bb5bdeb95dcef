from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from tracker import selectors


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "tracker/home.html", {"overview": selectors.overview()})


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and database reachability, for Docker health checks and load balancers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
