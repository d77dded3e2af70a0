import os
import threading

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")
application = get_wsgi_application()


def _warm_up() -> None:
    # The Chinese segmenter the 公示 redaction uses loads its models in several seconds; load them
    # while the worker is idle rather than inside the first decision's transaction.
    from zhifa.publicity.redaction import warm_up

    warm_up()


if settings.ZHIFA_WARM_UP_SEGMENTER:
    threading.Thread(target=_warm_up, name="zhifa-warm-up", daemon=True).start()
