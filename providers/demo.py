"""Demo partners for ``manage.py seed_demo``: agencies (BSSN, Komdigi's Digital Talent
Scholarship), universities, communities and a vendor with their MoUs, offerings tied to the IT
competencies of the demo city, and a few requests of the demo civil servant — one approved,
one waiting, one completed and recorded in the JP ledger — made through the same services as
real ones. Idempotent: a second run creates nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from competencies.models import Competency, Employee
from providers import services
from providers.models import (
    DevelopmentForm,
    DevelopmentPath,
    Offering,
    OfferingCompetency,
    OfferingRequest,
    Provider,
    ProviderKind,
)

PROVIDERS: list[dict[str, Any]] = [
    {
        "name": "Badan Siber dan Sandi Negara (BSSN)",
        "kind": ProviderKind.GOVERNMENT,
        "mou_number": "PKS.045/BSSN/D3/HK.03.02/03/2025",
        "mou_start_date": dt.date(2025, 3, 10),
        "mou_years": 3,
        "contact_name": "Pusat Pengembangan SDM BSSN",
        "contact_email": "pusbang@bssn.go.id",
        "contact_phone": "021-7805814",
        "website": "https://www.bssn.go.id",
        "competencies": ["TIK-13", "TIK-22", "TIK-14"],
    },
    {
        "name": "Kementerian Komunikasi dan Digital — Digital Talent Scholarship",
        "kind": ProviderKind.GOVERNMENT,
        "mou_number": "",
        "mou_start_date": None,
        "mou_years": None,
        "contact_name": "Sekretariat Digital Talent Scholarship",
        "contact_email": "digitalent@komdigi.go.id",
        "contact_phone": "",
        "website": "https://digitalent.komdigi.go.id",
        "competencies": ["TIK-21", "TIK-03", "TIK-24"],
    },
    {
        "name": "Institut Teknologi Sepuluh Nopember (ITS)",
        "kind": ProviderKind.UNIVERSITY,
        "mou_number": "1875/IT2/KS.00.01/2025",
        "mou_start_date": dt.date(2025, 6, 2),
        "mou_years": 5,
        "contact_name": "Direktorat Kerja Sama ITS",
        "contact_email": "kerjasama@its.ac.id",
        "contact_phone": "031-5994251",
        "website": "https://www.its.ac.id",
        "competencies": ["TIK-05", "TIK-15"],
    },
    {
        "name": "Universitas Brawijaya",
        "kind": ProviderKind.UNIVERSITY,
        "mou_number": "0312/UN10/KS/2026",
        "mou_start_date": dt.date(2026, 1, 15),
        "mou_years": 3,
        "contact_name": "Fakultas Ilmu Komputer UB",
        "contact_email": "filkom@ub.ac.id",
        "contact_phone": "0341-577911",
        "website": "https://filkom.ub.ac.id",
        "competencies": ["TIK-03", "TIK-17"],
    },
    {
        "name": "Komunitas Python Indonesia",
        "kind": ProviderKind.COMMUNITY,
        "mou_number": "",
        "mou_start_date": None,
        "mou_years": None,
        "contact_name": "Pengurus Python Indonesia",
        "contact_email": "",
        "contact_phone": "",
        "website": "https://python.or.id",
        "competencies": ["TIK-21", "TIK-08"],
    },
    {
        "name": "OWASP Indonesia Chapter",
        "kind": ProviderKind.COMMUNITY,
        "mou_number": "",
        "mou_start_date": None,
        "mou_years": None,
        "contact_name": "Chapter Leader OWASP Indonesia",
        "contact_email": "",
        "contact_phone": "",
        "website": "https://owasp.org/www-chapter-indonesia/",
        "competencies": ["TIK-08", "TIK-13"],
    },
    {
        "name": "PT Cakrawala Solusi Informatika",
        "kind": ProviderKind.VENDOR,
        "mou_number": "027/PKS/BKPSDM/IV/2026",
        "mou_start_date": dt.date(2026, 4, 1),
        "mou_years": 2,
        "contact_name": "Rina Marlina (Manajer Pelatihan)",
        "contact_email": "pelatihan@cakrawala-solusi.co.id",
        "contact_phone": "0812-3456-7801",
        "website": "https://cakrawala-solusi.co.id",
        "competencies": ["TIK-17", "TIK-19"],
    },
]

#: (provider, title, description, JP, path, form, cost, [(competency, level)], days from today
#: to the start and length in days, or None for a self-paced offering with a link)
OFFERINGS: list[tuple[str, str, str, str, str, str, str, list[tuple[str, int]], Any]] = [
    (
        "Badan Siber dan Sandi Negara (BSSN)",
        "Pelatihan Penanganan Insiden Siber (CSIRT) Pemerintah Daerah",
        "Membentuk dan menjalankan tim tanggap insiden siber (CSIRT) di pemerintah daerah: "
        "triase, penanganan, koordinasi dengan Gov-CSIRT, dan pelaporan insiden.",
        "40",
        DevelopmentPath.CLASSICAL,
        DevelopmentForm.TRAINING,
        "0",
        [("TIK-13", 3)],
        (45, 5),
    ),
    (
        "Badan Siber dan Sandi Negara (BSSN)",
        "Bimbingan Teknis Sertifikat Elektronik dan Tanda Tangan Elektronik",
        "Penerapan sertifikat elektronik BSrE untuk naskah dinas dan layanan publik.",
        "16",
        DevelopmentPath.CLASSICAL,
        DevelopmentForm.SEMINAR,
        "0",
        [("TIK-22", 2)],
        (20, 2),
    ),
    (
        "Kementerian Komunikasi dan Digital — Digital Talent Scholarship",
        "Government Transformation Academy: Data Science untuk ASN",
        "Kelas daring Digital Talent Scholarship: analisis data, visualisasi, dan dasar "
        "pembelajaran mesin untuk kebijakan berbasis data.",
        "48",
        DevelopmentPath.NON_CLASSICAL,
        DevelopmentForm.E_LEARNING,
        "0",
        [("TIK-21", 2), ("TIK-15", 2)],
        None,
    ),
    (
        "Kementerian Komunikasi dan Digital — Digital Talent Scholarship",
        "Government Transformation Academy: Komputasi Awan",
        "Dasar komputasi awan untuk pusat data pemerintah dan migrasi layanan ke PDN.",
        "40",
        DevelopmentPath.NON_CLASSICAL,
        DevelopmentForm.E_LEARNING,
        "0",
        [("TIK-03", 2)],
        None,
    ),
    (
        "Institut Teknologi Sepuluh Nopember (ITS)",
        "Kursus Singkat Administrasi Basis Data PostgreSQL",
        "Instalasi, pencadangan dan pemulihan, replikasi, dan penyetelan kinerja PostgreSQL "
        "untuk aplikasi pemerintahan.",
        "32",
        DevelopmentPath.CLASSICAL,
        DevelopmentForm.TRAINING,
        "4500000",
        [("TIK-05", 3)],
        (30, 4),
    ),
    (
        "Universitas Brawijaya",
        "Magang Pengelolaan Pusat Data di Universitas Brawijaya",
        "Dua minggu di pusat data UB: operasi harian, pemantauan, dan rencana pemulihan.",
        "80",
        DevelopmentPath.NON_CLASSICAL,
        DevelopmentForm.SECONDMENT,
        "2500000",
        [("TIK-03", 3), ("TIK-04", 2)],
        (60, 14),
    ),
    (
        "Komunitas Python Indonesia",
        "Lokakarya Python untuk Analisis Data Pemerintahan",
        "Lokakarya sehari: pandas dan Jupyter untuk mengolah data pegawai dan layanan.",
        "8",
        DevelopmentPath.CLASSICAL,
        DevelopmentForm.SEMINAR,
        "0",
        [("TIK-21", 1)],
        (14, 1),
    ),
    (
        "OWASP Indonesia Chapter",
        "Lokakarya OWASP Top 10 untuk Pengembang Aplikasi Pemerintah",
        "Celah keamanan aplikasi web yang paling sering ditemukan dan cara menutupnya.",
        "8",
        DevelopmentPath.CLASSICAL,
        DevelopmentForm.SEMINAR,
        "0",
        [("TIK-08", 2), ("TIK-13", 2)],
        (21, 1),
    ),
    (
        "PT Cakrawala Solusi Informatika",
        "Pelatihan dan Sertifikasi ITIL 4 Foundation",
        "Praktik manajemen layanan TI ITIL 4, dengan ujian sertifikasi.",
        "24",
        DevelopmentPath.CLASSICAL,
        DevelopmentForm.TRAINING,
        "7500000",
        [("TIK-17", 2)],
        (40, 3),
    ),
]


def _years_later(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years) - dt.timedelta(days=1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@transaction.atomic
def seed_providers(*, today: dt.date) -> int:
    """The demo partners and their offerings; returns how many offerings were created."""
    competencies = {c.code: c for c in Competency.objects.filter(code__startswith="TIK-")}
    providers: dict[str, Provider] = {}
    for spec in PROVIDERS:
        start, years = spec["mou_start_date"], spec["mou_years"]
        provider, _created = Provider.objects.get_or_create(
            name=spec["name"],
            defaults={
                "kind": spec["kind"],
                "mou_number": spec["mou_number"],
                "mou_start_date": start,
                "mou_end_date": _years_later(start, years) if start else None,
                "contact_name": spec["contact_name"],
                "contact_email": spec["contact_email"],
                "contact_phone": spec["contact_phone"],
                "website": spec["website"],
            },
        )
        provider.competencies.add(*[competencies[c] for c in spec["competencies"]])
        providers[spec["name"]] = provider
    created = 0
    for provider, title, text, jp, path, form, cost, builds, schedule in OFFERINGS:
        fields: dict[str, Any] = {
            "description": text,
            "jp_hours": Decimal(jp),
            "path": path,
            "form": form,
            "cost": Decimal(cost),
        }
        if schedule is None:
            fields["link"] = providers[provider].website
        else:
            start = today + dt.timedelta(days=schedule[0])
            fields["start_date"] = start
            fields["end_date"] = start + dt.timedelta(days=schedule[1] - 1)
        offering, made = Offering.objects.get_or_create(
            provider=providers[provider], title=title, defaults=fields
        )
        if made:
            created += 1
            for order, (code, level) in enumerate(builds):
                OfferingCompetency.objects.create(
                    offering=offering, competency=competencies[code], level=level, sort_order=order
                )
    return created


def seed_requests(*, today: dt.date) -> int:
    """The demo civil servant's requests: one completed (its JP in the ledger), one approved,
    one waiting for HR; a colleague's waiting too. Only when there are none yet."""
    User = get_user_model()
    hr = User.objects.filter(username="demo.hr").first()
    pegawai = Employee.objects.filter(user__username="demo.pegawai").select_related("user").first()
    if hr is None or pegawai is None or OfferingRequest.objects.exists():
        return 0
    offerings = {o.title: o for o in Offering.objects.all()}

    def ask(employee: Employee, title: str, comment: str) -> OfferingRequest:
        return services.offering_request_create(
            user=employee.user, offering_id=offerings[title].pk, comment=comment
        )

    done = ask(
        pegawai,
        "Government Transformation Academy: Komputasi Awan",
        "Persiapan migrasi aplikasi dinas ke Pusat Data Nasional.",
    )
    services.offering_request_decide(user=hr, request_id=done.pk, approve=True)
    services.offering_request_complete(
        user=hr,
        request_id=done.pk,
        start_date=today - dt.timedelta(days=40),
        completed_date=today - dt.timedelta(days=12),
        jp_hours=Decimal(40),
    )
    approved = ask(
        pegawai,
        "Kursus Singkat Administrasi Basis Data PostgreSQL",
        "Basis data SIMPEG kota akan dipindahkan ke PostgreSQL tahun ini.",
    )
    services.offering_request_decide(
        user=hr,
        request_id=approved.pk,
        approve=True,
        comment="Disetujui; biaya dari DPA BKPSDM subkegiatan pengembangan kompetensi.",
    )
    ask(
        pegawai,
        "Lokakarya OWASP Top 10 untuk Pengembang Aplikasi Pemerintah",
        "Untuk pengembangan aplikasi layanan perizinan.",
    )
    colleague = (
        Employee.objects.filter(user__isnull=False, status="active")
        .exclude(pk=pegawai.pk)
        .exclude(user=hr)
        .order_by("id")
        .first()
    )
    if colleague is not None:
        ask(colleague, "Pelatihan Penanganan Insiden Siber (CSIRT) Pemerintah Daerah", "")
    return OfferingRequest.objects.count()
