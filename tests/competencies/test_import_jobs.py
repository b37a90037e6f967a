"""A file with more than ``IMPORT_SYNC_MAX_ROWS`` rows is imported by a worker: the upload
leads to a status page that reloads itself while the import runs and ends with the counts or
every bad row; only the uploader sees it.

These tests run the task in-process (``CELERY_TASK_ALWAYS_EAGER``, the test settings'
default), except the last, which sends it through Redis to a real worker
(``test_import_worker.py``)."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from competencies import import_jobs
from competencies.demo import hr_group
from competencies.models import Employee
from tests.competencies.factories import UserFactory, make_nip

pytestmark = pytest.mark.django_db
IMPORT = "/admin/competency-import/"
REFRESH = re.compile(r'<meta http-equiv="refresh" content="(\d+)">')


@pytest.fixture(autouse=True)
def worker_threshold(settings) -> None:
    settings.IMPORT_SYNC_MAX_ROWS = 2


@pytest.fixture
def hr_client(client: Client) -> Client:
    user = UserFactory(username="hr-import")
    user.groups.add(hr_group())
    client.force_login(user)
    return client


def people_file(*rows: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("pegawai.csv", ("nip,name\n" + "".join(rows)).encode(), "text/csv")


@pytest.fixture
def upload(django_capture_on_commit_callbacks):
    """Post a people file; the task is sent once the request's work commits (and, eager, runs
    there and then). Returns the status page's URL."""

    def post(client: Client, *rows: str) -> str:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(IMPORT, {"kind": "people", "file": people_file(*rows)})
        assert response.status_code == 302
        assert response["Location"].startswith(IMPORT) and response["Location"] != IMPORT
        return response["Location"]

    return post


def test_a_large_file_is_imported_by_the_task_and_the_status_page_shows_the_counts(
    hr_client: Client, upload
) -> None:
    nips = [make_nip() for _ in range(3)]
    status_url = upload(hr_client, *(f"{nip},Pegawai {n}\n" for n, nip in enumerate(nips)))
    page = hr_client.get(status_url).content.decode()
    assert "Impor selesai: 3 ditambahkan, 0 diperbarui, 0 tidak berubah." in page
    assert not REFRESH.search(page)  # finished: no more reloading
    assert set(Employee.objects.values_list("nip", flat=True)) == set(nips)


def test_a_small_file_is_still_imported_at_once(hr_client: Client) -> None:
    response = hr_client.post(IMPORT, {"kind": "people", "file": people_file(f"{make_nip()},A\n")})
    assert response.status_code == 302 and response["Location"] == IMPORT
    assert Employee.objects.count() == 1


def test_every_bad_row_is_on_the_status_page_and_nothing_is_imported(
    hr_client: Client, upload
) -> None:
    status_url = upload(
        hr_client, f"{make_nip()},Dewi Lestari\n", "123,Salah\n", f"{make_nip()},\n"
    )
    page = hr_client.get(status_url).content.decode()
    assert "Tidak ada data yang diimpor: 2 baris tidak valid." in page
    assert "baris 3: nip" in page and "baris 4: name" in page
    assert not Employee.objects.exists()


def test_the_worker_reports_progress_that_the_status_page_shows_while_it_runs(
    hr_client: Client, upload, monkeypatch
) -> None:
    """Every record the worker writes is kept; the page is then shown as it was mid-way."""
    monkeypatch.setattr(import_jobs, "PROGRESS_INTERVAL_SECONDS", 0)
    written: list[dict] = []
    real_set = import_jobs.cache.set

    def recording_set(key: str, value: object, timeout: int) -> None:
        if not key.endswith(":rows"):
            written.append(dict(value))  # type: ignore[arg-type]
        real_set(key, value, timeout)

    monkeypatch.setattr(import_jobs.cache, "set", recording_set)
    status_url = upload(hr_client, *(f"{make_nip()},Pegawai {n}\n" for n in range(4)))
    monkeypatch.undo()
    assert [(r["status"], r["done"]) for r in written] == [
        ("queued", 0),
        ("running", 0),
        ("running", 1),
        ("running", 2),
        ("running", 3),
        ("running", 4),
        ("done", 4),
    ]
    job_id = status_url.rstrip("/").rsplit("/", 1)[1]
    import_jobs.cache.set(f"competencies:import-job:{job_id}", written[3], 60)
    page = hr_client.get(status_url).content.decode()
    assert "Mengimpor: 2 dari 4 baris diperiksa." in page
    assert '<progress max="4" value="2"' in page
    assert REFRESH.search(page).group(1) == "2"  # type: ignore[union-attr]
    assert f'href="{status_url}"' in page  # a reload link for when the refresh is ignored


def test_a_job_waiting_for_a_worker_says_so_and_reloads(
    hr_client: Client, django_capture_on_commit_callbacks
) -> None:
    user = hr_client.get(IMPORT).wsgi_request.user
    rows = [(n + 2, {"nip": make_nip(), "name": f"P {n}"}) for n in range(3)]
    with django_capture_on_commit_callbacks(execute=False):  # the task is never sent
        job = import_jobs.import_job_start(kind="people", rows=rows, user=user)
    page = hr_client.get(f"{IMPORT}{job.id}/").content.decode()
    assert "3 baris menunggu diproses." in page
    assert REFRESH.search(page)


def test_only_the_uploader_sees_the_job(hr_client: Client, upload) -> None:
    status_url = upload(hr_client, *(f"{make_nip()},Pegawai {n}\n" for n in range(3)))
    other = UserFactory(username="hr-lain")
    other.groups.add(hr_group())
    stranger = Client()
    stranger.force_login(other)
    assert stranger.get(status_url).status_code == 404
    assert hr_client.get(f"{IMPORT}not-a-job/").status_code == 404
    outsider = Client()
    outsider.force_login(UserFactory(username="bukan-hr", is_staff=True))
    assert outsider.get(status_url).status_code in (302, 403)


def test_running_the_task_twice_imports_once(hr_client: Client, upload) -> None:
    status_url = upload(hr_client, *(f"{make_nip()},Pegawai {n}\n" for n in range(3)))
    job_id = status_url.rstrip("/").rsplit("/", 1)[1]
    assert import_jobs.import_job_run(job_id=job_id) is None
    assert Employee.objects.count() == 3
