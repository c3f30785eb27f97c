from django.urls import path

from . import views

urlpatterns = [
    path("", views.index),
    path("search", views.search),
    path("healthz", views.healthz),
    path("cases/<str:no>", views.case),
    path("cases/<str:no>/exhibits", views.upload),
    path("cases/<str:no>/exhibits/<str:name>/thumb.png", views.thumb),
]
