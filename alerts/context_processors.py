from alerts.services import unread_count


def unread_alerts(request) -> dict:
    """The header's unread count: one query, and only for a signed-in user."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_alerts": unread_count(user)}
