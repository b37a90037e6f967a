"""Static assets: served from the site itself (no CDN, no web fonts), and cache-busted and
compressed by the production storage (WhiteNoise)."""

from __future__ import annotations

import re
from pathlib import Path

from django.core.files.storage import FileSystemStorage
from django.test import Client
from whitenoise.storage import CompressedManifestStaticFilesStorage

from tests.frontend.conftest import Demo

STATIC = Path(__file__).resolve().parents[2] / "frontend" / "static"
TEMPLATES = Path(__file__).resolve().parents[2] / "frontend" / "templates"


def test_pages_load_nothing_from_other_sites(kepala: Client, demo: Demo) -> None:
    for url in ("/", "/dashboard/", "/me/competencies/"):
        html = kepala.get(url).content.decode()
        assets = re.findall(r'<(?:link|script|img)\b[^>]*\b(?:href|src)="([^"]+)"', html)
        assert assets
        assert all(asset.startswith("/") and not asset.startswith("//") for asset in assets)
    css = (STATIC / "frontend" / "css" / "site.css").read_text()
    assert "@import" not in css and "url(http" not in css and "@font-face" not in css
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text()
        assert not re.search(r'<(?:link|script)[^>]+(?:href|src)="https?://', text), template


def test_the_production_storage_hashes_and_compresses_our_assets(tmp_path: Path) -> None:
    source = FileSystemStorage(location=STATIC)
    storage = CompressedManifestStaticFilesStorage(location=tmp_path, base_url="/static/")
    names = ["frontend/css/site.css", "frontend/js/site.js"]
    for name in names:
        with source.open(name) as handle:
            storage.save(name, handle)
    processed = list(storage.post_process({name: (source, name) for name in names}))
    assert not [error for *_rest, error in processed if isinstance(error, Exception)]
    for name in names:
        hashed = storage.stored_name(name)
        assert re.search(r"\.[0-9a-f]{12}\.(css|js)$", hashed), hashed
        assert (tmp_path / hashed).exists()
        assert (tmp_path / f"{hashed}.gz").exists()
