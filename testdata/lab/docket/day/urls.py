from django.urls import path

from . import views, views_day

urlpatterns = [
    path("", views.index),
    path("search", views.search),
    path("healthz", views.healthz),
    path("causelist", views_day.causelist),
    path("causelist/publish", views_day.publish),
    path("cases/<str:no>", views.case),
    path("cases/<str:no>/bundle.zip", views_day.bundle),
    path("cases/<str:no>/cover.pdf", views_day.cover),
    path("cases/<str:no>/exhibits", views.upload),
    path("cases/<str:no>/exhibits/<str:name>/thumb.png", views.thumb),
    path("cases/<str:no>/exhibits/<str:name>/preview.png", views_day.preview),
]
