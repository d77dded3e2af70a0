"""A minimal tus 1.0 client over Django's test client, for protocol tests."""

from __future__ import annotations

import base64
import hashlib
from datetime import timedelta

from django.middleware.csrf import get_token
from django.test import RequestFactory
from django.utils import timezone

from zhifa.records.evidence_rules import encode_metadata

ENDPOINT = "/api/records/uploads/"


class TusClient:
    def __init__(self, client, case):
        self.client, self.case = client, case
        self.csrf = self._csrf_token()

    def _csrf_token(self) -> str:
        request = RequestFactory().get("/")
        token = get_token(request)
        self.client.cookies["csrftoken"] = request.META["CSRF_COOKIE"]
        return token

    def headers(self, **extra) -> dict:
        return {"HTTP_TUS_RESUMABLE": "1.0.0", "HTTP_X_CSRFTOKEN": self.csrf, **extra}

    def metadata(self, **overrides) -> dict:
        values = {
            "case": str(self.case.pk),
            "kind": "audiovisual",
            "captured_at": (timezone.now() - timedelta(hours=1)).isoformat(),
            "filename": "现场录像.mp4",
            "filetype": "video/mp4",
            "device": "执法记录仪 DSJ-01",
            "location": "人民路1号",
            "description": "货架价签",
        }
        values.update(overrides)
        return {k: v for k, v in values.items() if v is not None}

    def create(self, length: int, **metadata):
        return self.client.post(
            ENDPOINT,
            **self.headers(
                HTTP_UPLOAD_LENGTH=str(length),
                HTTP_UPLOAD_METADATA=encode_metadata(self.metadata(**metadata)),
            ),
        )

    def url(self, response) -> str:
        assert response.status_code == 201, response.content.decode()
        return response["Location"].replace("http://testserver", "")

    def head(self, url):
        return self.client.head(url, **self.headers())

    def patch(self, url, data: bytes, offset: int, checksum: str | None = None):
        extra = {"HTTP_UPLOAD_OFFSET": str(offset)}
        if checksum:
            extra["HTTP_UPLOAD_CHECKSUM"] = checksum
        return self.client.generic(
            "PATCH", url, data, content_type="application/offset+octet-stream", **self.headers(**extra)
        )

    def delete(self, url):
        return self.client.delete(url, **self.headers())

    def upload(self, data: bytes, chunk: int = 1 << 20, **metadata):
        url = self.url(self.create(len(data), **metadata))
        offset, response = 0, None
        while offset < len(data):
            response = self.patch(url, data[offset : offset + chunk], offset)
            assert response.status_code == 204, response.content.decode()
            offset = int(response["Upload-Offset"])
        return url, response


def sha1_header(data: bytes) -> str:
    return "sha1 " + base64.b64encode(hashlib.sha1(data).digest()).decode()
