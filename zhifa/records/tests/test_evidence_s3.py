"""Evidence on S3-compatible storage, for real: moto's S3 server over HTTP on a local port,
django-storages' S3Storage against it; tus upload → Blob → streamed download."""

import hashlib
import os
import socket

import boto3
import pytest
from django.urls import reverse
from moto.server import ThreadedMotoServer

from zhifa.records import evidence
from zhifa.records.models import Blob, Evidence

from .samples import mp4

pytestmark = pytest.mark.django_db

BUCKET = "zhifa-evidence-test"
KEYS = {"access_key": "testing", "secret_key": "testing", "region_name": "us-east-1"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def s3_endpoint():
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id=KEYS["access_key"],
        aws_secret_access_key=KEYS["secret_key"],
        region_name=KEYS["region_name"],
    ).create_bucket(Bucket=BUCKET)
    yield endpoint
    server.stop()


@pytest.fixture
def s3_storage(settings, s3_endpoint):
    settings.STORAGES = {
        **settings.STORAGES,
        "evidence": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": s3_endpoint,
                "default_acl": None,
                "file_overwrite": False,
                **KEYS,
            },
        },
    }
    settings.ZHIFA_EVIDENCE_STORAGE = "evidence"
    return evidence.evidence_storage()


def test_tus_upload_to_s3_dedupes_and_downloads(tus_client, s3_storage, world, client_for):
    assert type(s3_storage).__name__ == "S3Storage"
    data = mp4(os.urandom(9 * 1024 * 1024 + 17))  # above boto3's multipart threshold
    _, response = tus_client.upload(data, chunk=4 * 1024 * 1024, filename="录像.mp4")
    item = Evidence.objects.get(pk=response["Zhifa-Evidence-Id"])
    digest = hashlib.sha256(data).hexdigest()
    assert item.blob.storage_name == f"blobs/sha256/{digest[:2]}/{digest[2:4]}/{digest}"
    stored = s3_storage.bucket.Object(item.blob.storage_name)
    assert stored.content_length == len(data)

    tus_client.upload(data, filename="同一录像.mp4")  # the same bytes again
    assert Evidence.objects.count() == 2 and Blob.objects.count() == 1
    assert len(list(s3_storage.bucket.objects.all())) == 1

    client = client_for(world.users["market_head"])
    download = client.post(reverse("records:evidence_download", args=[item.pk]), {"reason": "案卷归档"})
    hasher, size = hashlib.sha256(), 0
    for chunk in download.streaming_content:
        assert len(chunk) < len(data)
        hasher.update(chunk)
        size += len(chunk)
    assert (hasher.hexdigest(), size) == (digest, len(data))
    assert download["Content-Length"] == str(len(data))

    # A phone seeking in the video: an S3 body cannot seek, so the range is fetched as a range.
    preview = client.get(item.get_absolute_url()).context["preview_url"]
    seek = client.get(preview, HTTP_RANGE="bytes=1000-1999")
    assert seek.status_code == 206 and seek["Content-Range"] == f"bytes 1000-1999/{len(data)}"
    assert b"".join(seek.streaming_content) == data[1000:2000]
