"""The competency framework: competencies with their five levels."""

from __future__ import annotations

from typing import Any

import django_filters
from rest_framework import generics, serializers

from competencies.api._common import READ_REFERENCE
from competencies.models import Competency, CompetencyKind, CompetencyLevel
from core.api.lists import ChoiceFilter, IdCursorPagination


class LevelOut(serializers.ModelSerializer):
    indicators = serializers.ListField(source="indicator_list", child=serializers.CharField())

    class Meta:
        model = CompetencyLevel
        fields = ["level", "description_id", "description_en", "indicators"]


class CompetencyOut(serializers.ModelSerializer):
    levels = LevelOut(many=True)

    class Meta:
        model = Competency
        fields = [
            "id",
            "code",
            "name_id",
            "name_en",
            "kind",
            "group",
            "description_id",
            "description_en",
            "levels",
        ]


class CompetencyFilter(django_filters.FilterSet):
    kind = ChoiceFilter(choices=CompetencyKind.choices)
    code = django_filters.CharFilter()

    class Meta:
        model = Competency
        fields = ["kind", "code"]


class CompetencyList(generics.ListAPIView):
    """The competency framework with the five levels of each competency."""

    serializer_class = CompetencyOut
    required_scopes = READ_REFERENCE
    pagination_class = IdCursorPagination
    filterset_class = CompetencyFilter

    def get_queryset(self) -> Any:
        return Competency.objects.filter(is_active=True).prefetch_related("levels")
