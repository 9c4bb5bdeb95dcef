from django.urls import path

from alerts import feeds, views

app_name = "alerts"

urlpatterns = [
    path("alerts/", views.inbox, name="inbox"),
    path("alerts/read/", views.mark_read, name="mark-read"),
    path("alerts/watchlists/", views.watchlists, name="watchlists"),
    path("alerts/watchlists/<int:pk>/delete/", views.watchlist_delete, name="watchlist-delete"),
    path("alerts/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("feeds/agreements.atom", feeds.AgreementFeed(), name="feed-agreements"),
    path("feeds/status-changes.atom", feeds.StatusChangeFeed(), name="feed-status-changes"),
]
