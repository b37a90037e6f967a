"""The partner registry read through the API: providers with their MoU and the competencies
they cover, and their offerings with competencies and levels, JP, path, form and cost. Cursor
lists in (updated_at, id) order, so an HR system can sync with ``updated_since``."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema_field
from rest_framework import generics, serializers

from core.api.lists import ChoiceFilter, IdFilter, UpdatedCursorPagination, UpdatedSinceFilterSet
from providers.models import (
    DevelopmentForm,
    DevelopmentPath,
    Offering,
    OfferingCompetency,
    Provider,
    ProviderKind,
)


class ProviderOut(serializers.ModelSerializer):
    competencies = serializers.SerializerMethodField()

    class Meta:
        model = Provider
        fields = [
            "id",
            "name",
            "kind",
            "mou_number",
            "mou_start_date",
            "mou_end_date",
            "contact_name",
            "contact_email",
            "contact_phone",
            "website",
            "is_active",
            "competencies",
            "updated_at",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_competencies(self, provider: Provider) -> list[str]:
        """The codes of the competencies the partner covers."""
        return [competency.code for competency in provider.competencies.all()]


class ProviderFilter(UpdatedSinceFilterSet):
    kind = ChoiceFilter(choices=ProviderKind.choices)

    class Meta:
        model = Provider
        fields = ["kind"]


class ProviderListApi(generics.ListAPIView):
    """Partner providers (universities, agencies, communities, vendors) with their MoU."""

    serializer_class = ProviderOut
    required_scopes = {"GET": "learning:read"}
    pagination_class = UpdatedCursorPagination
    filterset_class = ProviderFilter

    def get_queryset(self) -> Any:
        return Provider.objects.prefetch_related("competencies")


class OfferingCompetencyOut(serializers.Serializer):
    competency = serializers.CharField(source="competency.code")
    level = serializers.IntegerField()


class OfferingOut(serializers.ModelSerializer):
    provider = serializers.IntegerField(source="provider_id")
    provider_name = serializers.CharField(source="provider.name")
    jp_hours = serializers.DecimalField(max_digits=6, decimal_places=2)
    cost = serializers.DecimalField(max_digits=14, decimal_places=2)
    competencies = OfferingCompetencyOut(many=True)

    class Meta:
        model = Offering
        fields = [
            "id",
            "provider",
            "provider_name",
            "title",
            "description",
            "jp_hours",
            "path",
            "form",
            "cost",
            "start_date",
            "end_date",
            "link",
            "is_active",
            "competencies",
            "updated_at",
        ]


class OfferingFilter(UpdatedSinceFilterSet):
    provider = IdFilter(field_name="provider_id")
    path = ChoiceFilter(choices=DevelopmentPath.choices)
    form = ChoiceFilter(choices=DevelopmentForm.choices)

    class Meta:
        model = Offering
        fields = ["provider", "path", "form"]


class OfferingListApi(generics.ListAPIView):
    """Partner offerings with the competencies and levels they build, JP, path, form and
    cost per participant (IDR)."""

    serializer_class = OfferingOut
    required_scopes = {"GET": "learning:read"}
    pagination_class = UpdatedCursorPagination
    filterset_class = OfferingFilter

    def get_queryset(self) -> Any:
        return Offering.objects.select_related("provider").prefetch_related(
            Prefetch(
                "competencies",
                queryset=OfferingCompetency.objects.select_related("competency").order_by(
                    "sort_order", "id"
                ),
            )
        )
