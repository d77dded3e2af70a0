from django.urls import path

from . import views

app_name = "inspections"
urlpatterns = [
    path("", views.TaskListView.as_view(), name="task_list"),
    path("new/", views.TaskCreateView.as_view(), name="task_create"),
    path("<int:pk>/", views.TaskDetailView.as_view(), name="task_detail"),
    path("<int:pk>/draw/", views.TaskDrawView.as_view(), name="task_draw"),
    path("<int:pk>/confirm/", views.TaskConfirmView.as_view(), name="task_confirm"),
    path("<int:pk>/targets/<int:assignment>/recusal/", views.RecusalView.as_view(), name="recusal"),
    path("targets/", views.TargetListView.as_view(), name="target_list"),
    path("targets/new/", views.TargetCreateView.as_view(), name="target_create"),
    path("targets/<int:pk>/", views.TargetUpdateView.as_view(), name="target_update"),
]
