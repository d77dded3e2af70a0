"""The staff home page is made of panels that apps contribute through their services.

Each provider is ``f(user) -> dict | None`` returning ``{"title", "items": [{"text", "url",
"level"}], "empty"}`` computed within the user's scope.
"""

from django.utils.module_loading import import_string

PANEL_PROVIDERS = [
    "zhifa.organizations.services.dashboard_panel",
    "zhifa.personnel.services.dashboard_panel",
    "zhifa.workdays.services.dashboard_panel",
    "zhifa.cases.dashboard.dashboard_panel",
    "zhifa.review.dashboard.dashboard_panel",
    "zhifa.publicity.dashboard.dashboard_panel",
    "zhifa.publicity.annual_services.dashboard_panel",
]


def dashboard_panels(user) -> list[dict]:
    panels = []
    for path in PANEL_PROVIDERS:
        panel = import_string(path)(user)
        if panel:
            panels.append(panel)
    return panels
