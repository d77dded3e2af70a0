from django.conf import settings

from .navigation import staff_menu


def site(request):
    context = {"site_name": getattr(settings, "ZHIFA_SITE_NAME", "执法")}
    if request.path.startswith("/staff/") and request.user.is_authenticated:
        context["staff_nav"] = staff_menu(request)
    return context
