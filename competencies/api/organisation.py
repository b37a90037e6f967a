"""The organisation tree (org units)."""

from __future__ import annotations

from typing import Any

from rest_framework import generics, serializers

from competencies import selectors
from competencies.models import OrgUnit, OrgUnitKind
from core.api.lists import (
    ChoiceFilter,
    CountFilter,
    UpdatedCursorPagination,
    UpdatedSinceFilterSet,
)


class OrgUnitOut(serializers.ModelSerializer):
    parent_id = serializers.IntegerField(allow_null=True)

    class Meta:
        model = OrgUnit
        fields = [
            "id",
            "code",
            "name",
            "short_name",
            "kind",
            "siasn_unor_id",
            "parent_id",
            "depth",
            "path",
            "is_active",
            "updated_at",
        ]


class OrgUnitFilter(UpdatedSinceFilterSet):
    kind = ChoiceFilter(choices=OrgUnitKind.choices)
    depth = CountFilter()

    class Meta:
        model = OrgUnit
        fields = ["kind", "depth"]


class OrgUnitList(generics.ListAPIView):
    """The organisation tree: ``parent_id`` and ``path`` (a materialised path) give its shape."""

    serializer_class = OrgUnitOut
    required_scopes = {"GET": "employees:read"}
    pagination_class = UpdatedCursorPagination
    filterset_class = OrgUnitFilter

    def get_queryset(self) -> Any:
        return selectors.org_unit_list()
