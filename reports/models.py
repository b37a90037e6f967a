"""The settings table of the retirement forecast: the retirement age (*batas usia pensiun*,
BUP) of each kind of position.

PP 11/2017 on PNS management, Pasal 239(2) as amended by PP 17/2020 (following UU 5/2014
Pasal 90 and kept by UU 20/2023), sets the BUP:

- 58 years for administrative posts (administrator, pengawas, pelaksana) and for functional
  posts Ahli Pertama, Ahli Muda and the skilled track (keterampilan: Terampil, Mahir,
  Penyelia);
- 60 years for senior leadership (JPT) and functional posts Ahli Madya;
- 65 years for functional posts Ahli Utama.

Other laws set other ages for some functional posts (lecturers, researchers); HR adds a row
for them in the Wagtail admin. A row with a blank functional level is the age of every post of
that kind; a row naming a level (``Ahli Madya``) applies to posts whose functional level
contains that name, and the longest such name wins. The rows above are seeded by a data
migration (``0002_retirement_ages``).
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from competencies.models import PositionKind


class RetirementAge(models.Model):
    """The retirement age (BUP) of the posts of one kind, or of one functional level of it."""

    position_kind = models.CharField(
        _("position kind"), max_length=20, choices=PositionKind.choices
    )
    functional_level = models.CharField(
        _("functional level"),
        max_length=40,
        blank=True,
        help_text=_(
            "Blank for every post of this kind; otherwise the posts whose functional level "
            "contains this text (for example Ahli Madya)."
        ),
    )
    age = models.PositiveSmallIntegerField(
        _("retirement age (years)"), validators=[MinValueValidator(50), MaxValueValidator(70)]
    )
    regulation = models.CharField(_("regulation"), max_length=200, blank=True)

    class Meta:
        ordering = ["position_kind", "functional_level"]
        constraints = [
            models.UniqueConstraint(
                fields=["position_kind", "functional_level"], name="retirement_age_unique"
            ),
            models.CheckConstraint(
                condition=Q(age__gte=50, age__lte=70), name="retirement_age_range"
            ),
        ]
        verbose_name = _("retirement age")
        verbose_name_plural = _("retirement ages")

    def __str__(self) -> str:
        kind = self.get_position_kind_display()
        label = f"{kind} {self.functional_level}".strip()
        return f"{label}: {self.age}"
