"""The WSGI entry point: web workers load the 公示 segmenter at start, upload-pool workers do not."""

import importlib
import threading

import pytest


@pytest.mark.parametrize("warm_up", [True, False])
def test_the_segmenter_is_loaded_at_start_only_where_configured(settings, monkeypatch, warm_up):
    settings.ZHIFA_WARM_UP_SEGMENTER = warm_up
    started = []
    monkeypatch.setattr(threading.Thread, "start", lambda thread: started.append(thread.name))
    import zhifa.wsgi  # the first import in this process starts it as a worker would

    started.clear()
    importlib.reload(zhifa.wsgi)
    assert started == (["zhifa-warm-up"] if warm_up else [])
