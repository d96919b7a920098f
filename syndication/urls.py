from django.urls import path

from syndication import views

app_name = "syndication"
urlpatterns = [
    path("", views.feed_index, name="index"),
    path("news.rss", views.news_feed, {"fmt": "rss"}, name="news_rss"),
    path("news.atom", views.news_feed, {"fmt": "atom"}, name="news_atom"),
    path("news.json", views.news_feed, {"fmt": "json"}, name="news_json"),
    path("events.ics", views.news_feed, {"fmt": "ics"}, name="events_ics"),
]
