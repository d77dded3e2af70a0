from django.urls import path

from . import views

app_name = "ledger"
urlpatterns = [
    path("", views.StatusView.as_view(), name="status"),
    path("checkpoint/", views.SignCheckpointView.as_view(), name="sign_checkpoint"),
    path("leaves/<int:index>/", views.LeafView.as_view(), name="leaf"),
]
