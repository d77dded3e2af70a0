from django.urls import path

from . import views

app_name = "workdays"
urlpatterns = [
    path("", views.calendar_view, name="calendar"),
    path("compute/", views.compute_view, name="compute"),
    path("day/", views.day_edit_view, name="day_edit"),
    path("day/<str:day>/clear/", views.day_clear_view, name="day_clear"),
    path("year/<int:year>/", views.year_view, name="year"),
]
