"""Machine-readable endpoints of the issuer that verifiers fetch: the did:web document and
the signed revocation status lists. Public, and cacheable for a short time."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from certificates import keys, links, selectors, services, siasn
from certificates.models import Certificate, CertificateStatus, StatusList
from competencies.access import acting_user, actor_for
from competencies.api._common import DigitsField, IsoDateField, query_params
from core.api.created import CreatedLocationMixin
from core.api.fields import IdField, RoundedDecimalField, StrictCharField, StrictDateField
from core.api.idempotency import idempotent
from core.api.lists import ChoiceFilter, IdFilter, UpdatedCursorPagination, UpdatedSinceFilterSet
from core.api.throttles import VerifyRateThrottle
from core.exceptions import NotFoundError
from courses.api import (
    JP_HOURS,
    JP_HOURS_MAX,
    LEARNING_YEARS,
    LearningAlignmentIn,
    external_training,
)


@require_GET
@cache_control(public=True, max_age=300)
def did_document(request: HttpRequest) -> JsonResponse:
    response = JsonResponse(keys.did_document())
    response["Content-Type"] = "application/did+json"
    return response


@require_GET
@cache_control(public=True, max_age=60)
def status_list(request: HttpRequest, list_id: int) -> JsonResponse:
    """Short caching: a revocation must reach verifiers within a minute."""
    status = StatusList.objects.filter(pk=list_id).first()
    if status is None or not status.credential:
        raise Http404
    response = JsonResponse(status.credential)
    response["Content-Type"] = "application/vc+ld+json"
    return response


# --- The HR API -----------------------------------------------------------------------------


class CertificateOut(serializers.ModelSerializer):
    employee = serializers.IntegerField(source="employee_id")
    short_code = serializers.CharField()
    status = serializers.CharField(source="display_status")
    verification_url = serializers.SerializerMethodField()
    credential_ready = serializers.SerializerMethodField()

    class Meta:
        model = Certificate
        fields = [
            "id",
            "code",
            "short_code",
            "employee",
            "holder_name",
            "title",
            "provider",
            "jp_hours",
            "alignments",
            "issued_on",
            "expires_on",
            "status",
            "revoked_at",
            "revocation_reason",
            "verification_url",
            "credential_ready",
            "updated_at",
        ]

    def get_verification_url(self, certificate: Certificate) -> str:
        return links.verification_url(certificate)

    def get_credential_ready(self, certificate: Certificate) -> bool:
        return certificate.signed_at is not None


class CertificateFilter(UpdatedSinceFilterSet):
    employee = IdFilter(field_name="employee_id")
    status = ChoiceFilter(choices=CertificateStatus.choices)

    class Meta:
        model = Certificate
        fields = ["employee", "status"]


class CertificateAlignmentIn(LearningAlignmentIn):
    """A competency level the certified training attests (as for a learning record)."""


class ExternalCertificateIn(serializers.Serializer):
    employee = IdField()
    title = StrictCharField(max_length=300)
    provider = StrictCharField(max_length=200)
    jp_hours = RoundedDecimalField(
        **JP_HOURS, max_value=JP_HOURS_MAX, help_text="Hours (JP), kept to the hundredth"
    )
    start_date = StrictDateField(
        required=False, allow_null=True, help_text="The first day, on or before completed_date"
    )
    completed_date = StrictDateField()
    expires_on = StrictDateField(required=False, allow_null=True)
    reference = StrictCharField(max_length=200, required=False, allow_blank=True, default="")
    competencies = CertificateAlignmentIn(many=True, required=False)


class CertificateListCreate(CreatedLocationMixin, generics.ListCreateAPIView):
    """Certificates. POST issues one for external training (recorded in the JP ledger too)."""

    created_location = "/api/v1/certificates/{id}/"
    serializer_class = CertificateOut
    required_scopes = {"GET": "certificates:read", "POST": "certificates:write"}
    pagination_class = UpdatedCursorPagination
    filterset_class = CertificateFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the OpenAPI generator has no caller
            return Certificate.objects.none()
        return Certificate.objects.filter(employee__in=actor_for(self.request).employees())

    @extend_schema(
        request=ExternalCertificateIn,
        responses={201: CertificateOut},
        operation_id="certificates_issue",
    )
    @idempotent
    def post(self, request: Request) -> Response:
        data = ExternalCertificateIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        certificate = services.certificate_issue_for_external_training(
            **external_training(request, values), expires_on=values.get("expires_on")
        )
        return Response(CertificateOut(certificate).data, status=201)


class CertificateDetail(generics.RetrieveAPIView):
    serializer_class = CertificateOut
    required_scopes = {"GET": "certificates:read"}

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the OpenAPI generator has no caller
            return Certificate.objects.none()
        return Certificate.objects.filter(employee__in=actor_for(self.request).employees())


class RevokeIn(serializers.Serializer):
    reason = StrictCharField(help_text="Why; shown to anyone who verifies the certificate.")


class CertificateRevoke(APIView):
    """Revoke with a reason; verifiers see it within a minute (status list caching)."""

    required_scopes = {"POST": "certificates:write"}

    @extend_schema(
        request=RevokeIn,
        responses={
            200: CertificateOut,
            409: OpenApiResponse(description="The certificate is already revoked"),
        },
        operation_id="certificates_revoke",
    )
    def post(self, request: Request, pk: str) -> Response:
        certificate = get_object_or_404(Certificate, pk=pk)
        data = RevokeIn(data=request.data)
        data.is_valid(raise_exception=True)
        revoked = services.certificate_revoke(
            certificate=certificate,
            reason=data.validated_data["reason"],
            user=acting_user(request),
        )
        return Response(CertificateOut(revoked).data)


class CheckOut(serializers.Serializer):
    ok = serializers.BooleanField(allow_null=True)
    detail = serializers.CharField()
    code = serializers.CharField()


class VerificationOut(serializers.Serializer):
    state = serializers.CharField()
    verified = serializers.BooleanField()
    holder_name = serializers.CharField()
    title = serializers.CharField()
    jp_hours = serializers.DecimalField(max_digits=6, decimal_places=2)
    alignments = serializers.ListField(child=serializers.DictField())
    issued_on = serializers.DateField()
    expires_on = serializers.DateField(allow_null=True)
    revoked_at = serializers.DateTimeField(allow_null=True)
    revocation_reason = serializers.CharField()
    signature = CheckOut()
    status = CheckOut()
    validity = CheckOut()
    credential = serializers.DictField(allow_null=True)


class CertificateVerify(APIView):
    """Public: verify a certificate by its code (signature, status list, dates). Rate limited.
    Names the holder, never their NIP; ``credential`` is null while it is being signed and for
    a certificate whose credential is no longer published (issued before issue 12's fix)."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [VerifyRateThrottle]

    @extend_schema(responses={200: VerificationOut}, operation_id="certificates_verify", auth=[])
    def get(self, request: Request, code: str) -> Response:
        certificate = selectors.certificate_by_code(code)
        if certificate is None:
            raise NotFoundError(_("There is no certificate with this code."))
        report = selectors.verify_certificate(certificate)

        def check(item: Any) -> dict[str, Any]:
            return {"ok": item.ok, "detail": item.detail, "code": item.code}

        return Response(
            {
                "state": report.state,
                "verified": report.verified,
                "holder_name": certificate.holder_name,
                "title": certificate.title,
                "jp_hours": certificate.jp_hours,
                "alignments": certificate.alignments,
                "issued_on": certificate.issued_on,
                "expires_on": certificate.expires_on,
                "revoked_at": certificate.revoked_at,
                "revocation_reason": certificate.revocation_reason,
                "signature": check(report.signature),
                "status": check(report.status),
                "validity": check(report.validity),
                "credential": selectors.certificate_public_files(certificate).credential,
            }
        )


# --- The ledger for SIASN -------------------------------------------------------------------


class SiasnExportQuery(serializers.Serializer):
    format = serializers.ChoiceField(
        choices=siasn.FORMATS,
        required=False,
        error_messages={"invalid_choice": gettext_lazy("Use csv or json.")},
    )
    year = DigitsField(
        required=False,
        min_value=LEARNING_YEARS[0],
        max_value=LEARNING_YEARS[1],
        help_text="Only the records of this year (tahunKursus)",
    )
    completed_from = IsoDateField(
        required=False, help_text="Only records completed on or after this day"
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # Defaults here rather than on the fields, which would print them into the schema.
        return {"format": "csv", "year": None, "completed_from": None, **attrs}


class LearningRecordSiasnExport(APIView):
    """The learning ledger as SIASN's *riwayat kursus*: one row per completed learning record
    (a Tangkas course or external training) of the people the caller may see, with its
    certificate number, streamed as CSV or one JSON array. Dates are ``DD-MM-YYYY`` as SIASN
    takes them; the mapping is in docs/API.md ("SIASN")."""

    required_scopes = {"GET": "learning:read"}

    @extend_schema(
        parameters=[
            SiasnExportQuery,
            OpenApiParameter("format", str, enum=list(siasn.FORMATS)),
        ],
        responses={
            (200, "text/csv"): OpenApiTypes.STR,
            (200, "application/json"): inline_serializer(
                "SiasnKursusRow",
                {
                    "nipBaru": serializers.CharField(),
                    "pnsOrangId": serializers.CharField(),
                    "instansiId": serializers.CharField(),
                    "jenisDiklatId": serializers.CharField(),
                    "jenisKursus": serializers.CharField(),
                    "namaKursus": serializers.CharField(),
                    "institusiPenyelenggara": serializers.CharField(),
                    "tanggalKursus": serializers.CharField(help_text="DD-MM-YYYY"),
                    "tanggalSelesaiKursus": serializers.CharField(help_text="DD-MM-YYYY"),
                    "tahunKursus": serializers.IntegerField(),
                    "jumlahJam": serializers.IntegerField(),
                    "nomorSertipikat": serializers.CharField(),
                    "tangkasRecordId": serializers.IntegerField(),
                    "sumber": serializers.ChoiceField(
                        choices=["course_completion", "external_training"]
                    ),
                    "jp": serializers.FloatField(),
                },
                many=True,
            ),
        },
        operation_id="learning_records_siasn_export",
    )
    def get(self, request: Request) -> StreamingHttpResponse:
        query = query_params(SiasnExportQuery, request)
        fmt = query["format"]
        stream = siasn.riwayat_kursus_stream(
            fmt=fmt,
            people=actor_for(request).employees(),
            year=query["year"],
            completed_from=query["completed_from"],
        )
        content_type = "application/json" if fmt == "json" else "text/csv; charset=utf-8"
        response = StreamingHttpResponse(stream, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="riwayat-kursus.{fmt}"'
        return response
