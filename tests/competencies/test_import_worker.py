"""A large import really travels: the upload sends the task through Redis to a real Celery
worker (another process, sharing the database and a Redis cache with this one), and the
status page follows the job to its end."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from competencies.demo import hr_group
from competencies.models import Employee
from tests.competencies.factories import UserFactory, make_nip
from tests.conftest import wait_until

pytestmark = pytest.mark.integration
IMPORT = "/admin/competency-import/"


@pytest.fixture
def shared_cache(settings) -> Iterator[list[str]]:
    """The cache in Redis for this process too, under the worker's key prefix."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": settings.CELERY_BROKER_URL,
            "KEY_PREFIX": settings.CELERY_TASK_DEFAULT_QUEUE,
        }
    }
    keys: list[str] = []
    yield keys
    cache.delete_many(keys)  # never cache.clear(): the broker's queues share this database


def test_a_worker_imports_a_large_file_and_the_status_page_follows_it(
    workers, settings, shared_cache, client: Client
) -> None:
    settings.IMPORT_SYNC_MAX_ROWS = 2
    workers.start(
        DJANGO_SETTINGS_MODULE="tests.competencies.worker_settings",
        TANGKAS_TEST_CACHE_URL=settings.CELERY_BROKER_URL,
    )
    user = UserFactory(username="hr-worker-import")
    user.groups.add(hr_group())
    client.force_login(user)
    nips = [make_nip() for _ in range(5)]
    body = "nip,name\n" + "".join(f"{nip},Pegawai {n}\n" for n, nip in enumerate(nips))
    response = client.post(
        IMPORT,
        {"kind": "people", "file": SimpleUploadedFile("pegawai.csv", body.encode(), "text/csv")},
    )
    assert response.status_code == 302
    status_url = response["Location"]
    job_id = status_url.rstrip("/").rsplit("/", 1)[1]
    shared_cache.extend(f"competencies:import-job:{job_id}{part}" for part in ("", ":taken"))

    def finished() -> bool:
        return "Impor selesai: 5 ditambahkan" in client.get(status_url).content.decode()

    wait_until(finished, what="the worker to import the file")
    assert set(Employee.objects.values_list("nip", flat=True)) == set(nips)
