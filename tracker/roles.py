"""The team's roles: Django groups with model permissions, created by `manage.py create_roles`.

reader   reads everything, including what a deployment with API_REQUIRE_LOGIN hides from the public
analyst  a reader who submits and re-parses articles and works the review queue (confirm, reject, correct, merge)
curator  an analyst who also enters, edits and deletes agreements, parties, status steps, links, countries and
         citations by hand; what a curator enters is reference data, so it skips the review queue
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, Group, Permission
from django.db.models import Q

READER, ANALYST, CURATOR = "reader", "analyst", "curator"

_CURATED_MODELS = ("agreement", "agreementparty", "statuschange", "agreementlink", "country")
_EVIDENCE_MODELS = ("article", "citation", "countrymention")

# (app label, codename) pairs; "view" of every model of both apps goes to every role.
ROLE_PERMISSIONS: dict[str, set[tuple[str, str]]] = {
    READER: set(),
    ANALYST: {("articles", "add_article"), ("articles", "change_article"), ("tracker", "change_agreement")},
    CURATOR: {
        *(("tracker", f"{action}_{model}") for model in _CURATED_MODELS for action in ("add", "change", "delete")),
        *(("articles", f"{action}_{model}") for model in _EVIDENCE_MODELS for action in ("add", "change", "delete")),
    },
}
ROLE_PERMISSIONS[CURATOR] |= ROLE_PERMISSIONS[ANALYST]


def _permissions(pairs: set[tuple[str, str]]) -> list[Permission]:
    views = Q(content_type__app_label__in=("tracker", "articles"), codename__startswith="view_")
    chosen = Q(pk__in=[])
    for app_label, codename in pairs:
        chosen |= Q(content_type__app_label=app_label, codename=codename)
    return list(Permission.objects.filter(views | chosen))


def roles_create() -> dict[str, int]:
    """Create or bring up to date the three groups; idempotent. Returns each group's permission count."""
    counts = {}
    for name, pairs in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        permissions = _permissions(pairs)
        group.permissions.set(permissions)
        counts[name] = len(permissions)
    return counts


def is_curator(user: AbstractBaseUser | None) -> bool:
    """Whether what the user enters by hand is curated already (no review needed)."""
    if user is None or not user.is_authenticated:
        return False
    return user.is_superuser or user.groups.filter(name=CURATOR).exists()
