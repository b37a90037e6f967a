"""Building an unsigned ``OpenBadgeCredential``: the holder as a keyed hash (HMAC) of the
NIP, the achievement with its competency alignments and JP, and the revocation status entry."""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any, Final

from certificates.ob3.loader import OB_V3P0, VC_V2
from certificates.ob3.text import clean_text, format_datetime, require_text

_EXTENSIBLE_ENUM_RE: Final = re.compile(r"^ext:[A-Za-z0-9.\-_]+$")
_ALIGNMENT_TARGET_TYPES: Final = frozenset(
    {
        "ceasn:Competency",
        "ceterms:Credential",
        "CFItem",
        "CFRubric",
        "CFRubricCriterion",
        "CFRubricCriterionLevel",
        "CTDL",
    }
)
_ACHIEVEMENT_TYPES: Final = frozenset(
    {
        "Achievement",
        "ApprenticeshipCertificate",
        "Assessment",
        "Assignment",
        "AssociateDegree",
        "Award",
        "Badge",
        "BachelorDegree",
        "Certificate",
        "CertificateOfCompletion",
        "Certification",
        "CommunityService",
        "Competency",
        "Course",
        "CoCurricular",
        "Degree",
        "Diploma",
        "DoctoralDegree",
        "Fieldwork",
        "GeneralEducationDevelopment",
        "JourneymanCertificate",
        "LearningProgram",
        "License",
        "Membership",
        "ProfessionalDoctorate",
        "QualityAssuranceCredential",
        "MasterCertificate",
        "MasterDegree",
        "MicroCredential",
        "ResearchDoctorate",
        "SecondarySchoolDiploma",
    }
)
# A competency in an agency's own dictionary is not a CASE item nor a Credential Engine
# competency, so the OB 3.0 extension form is the honest targetType.
_DEFAULT_ALIGNMENT_TARGET_TYPE: Final = "ext:Competency"


def hash_identity(value: str, salt: str) -> str:
    """An OB 3.0 ``IdentityHash``: ``sha256$`` + hex(SHA-256(UTF-8(value + salt))).

    With the salt published beside it — what credentials issued before ``hmac_identity``
    carry — it hides nothing from a guesser: a NIP is a birth date, an appointment month, a sex
    digit and a sequence, so with the salt published the NIP is a few million guesses away.
    """
    return "sha256$" + hashlib.sha256((value + salt).encode("utf-8")).hexdigest()


def hmac_identity(value: str, key: bytes) -> str:
    """The holder's identity hash: an OB 3.0 ``IdentityHash`` whose salt is never published.

    ``sha256$`` + hex(SHA-256(UTF-8(value + salt))) with salt = hex(HMAC-SHA256(key, value)):
    the form OB 3.0 defines (``sha256``, a hash across the identifier and an appended salt),
    and the credential carries no ``salt``. The salt is derived from the NIP under a key only
    the issuer holds, so nobody can recover the NIP by guessing, while the issuer's HR, holding
    the NIP and the key, can recompute it and match a credential to a person. A verifier without
    the salt cannot check the hash, which is what an unpublished salt means in OB 3.0.
    """
    if not key:
        raise ValueError("the identity key must not be empty")
    salt = hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest()
    return hash_identity(value, salt)


def _alignment(entry: Mapping[str, Any]) -> dict[str, Any]:
    """One competency alignment as an OB 3.0 ``Alignment``.

    The OB 3.0.3 context has no "level" term, so the level goes into ``targetDescription``
    (schema.org's "short description of the alignment target") as ``"Level <level>"``;
    ``targetName`` stays the plain competency name and ``targetCode`` its dictionary code.
    Optional keys: ``target_type`` (default ``ext:Competency``) and ``framework``
    (``targetFramework``, the name of the competency dictionary).
    """
    target_type = entry.get("target_type", _DEFAULT_ALIGNMENT_TARGET_TYPE)
    if target_type not in _ALIGNMENT_TARGET_TYPES and not _EXTENSIBLE_ENUM_RE.match(target_type):
        raise ValueError(f"{target_type!r} is not an OB 3.0 AlignmentTargetType nor 'ext:…'")
    alignment: dict[str, Any] = {
        "type": ["Alignment"],
        "targetName": clean_text(require_text("alignment name", entry.get("name"))),
        "targetUrl": require_text("alignment target_url", entry.get("target_url")),
        "targetType": target_type,
    }
    code = entry.get("code")
    if code:
        alignment["targetCode"] = clean_text(str(code))
    level = entry.get("level")
    if level is not None and str(level).strip():
        alignment["targetDescription"] = clean_text(f"Level {level}")
    framework = entry.get("framework")
    if framework:
        alignment["targetFramework"] = clean_text(str(framework))
    return alignment


def _status_entry(entry: Mapping[str, Any]) -> dict[str, Any]:
    """A ``BitstringStatusListEntry`` for revocation; the index is a decimal string by spec."""
    index = str(entry.get("statusListIndex", ""))
    if not index.isdecimal():
        raise ValueError("statusListIndex must be a non-negative decimal number (as a string)")
    status_list = require_text("statusListCredential", entry.get("statusListCredential"))
    entry_id = require_text("status entry id", entry.get("id"))
    if entry_id == status_list:
        raise ValueError("the status entry id must differ from statusListCredential")
    return {
        "id": entry_id,
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": str(int(index)),
        "statusListCredential": status_list,
    }


def build_achievement_credential(
    *,
    credential_id: str,
    issuer_id: str,
    issuer_name: str,
    issuer_url: str | None,
    valid_from: datetime,
    valid_until: datetime | None,
    subject_nip: str,
    subject_key: bytes,
    achievement_id: str,
    achievement_name: str,
    achievement_description: str,
    criteria_narrative: str,
    achievement_type: str = "Course",
    jp_hours: int | None = None,
    image_url: str | None = None,
    alignments: list[dict[str, Any]],
    status_entry: dict[str, Any] | None,
) -> dict[str, Any]:
    """An unsigned ``OpenBadgeCredential`` for one holder and one achievement.

    Only terms defined by the VC 2.0 and OB 3.0.3 contexts are used (see :func:`check_terms`),
    so strict verifiers accept it and the signature covers every field. The holder is
    identified by :func:`hmac_identity` of the NIP under ``subject_key`` (``IdentityObject``,
    ``nationalIdentityNumber``), never by the NIP nor anything it can be guessed back from.
    JP hours, when given, go into ``achievement.creditsAvailable`` and
    ``credentialSubject.creditsEarned`` (OB 3.0's credit-hour fields; completing the course
    earns all of its JP). Free text is normalised with :func:`clean_text`.
    """
    valid_from_text = format_datetime(valid_from)  # refuses naive datetimes first
    valid_until_text = None if valid_until is None else format_datetime(valid_until)
    if valid_until is not None and valid_until <= valid_from:
        raise ValueError("valid_until must be later than valid_from")
    if achievement_type not in _ACHIEVEMENT_TYPES and not _EXTENSIBLE_ENUM_RE.match(
        achievement_type
    ):
        raise ValueError(f"{achievement_type!r} is not an OB 3.0 AchievementType nor 'ext:…'")
    if jp_hours is not None and (
        isinstance(jp_hours, bool) or not isinstance(jp_hours, int) or jp_hours < 0
    ):
        # JP are whole lesson hours; an int also keeps clear of the float-to-literal rules
        # (xsd:double formatting) where RDF canonicalizers have disagreed
        raise ValueError("jp_hours must be a non-negative int")
    require_text("subject_nip", subject_nip)

    achievement: dict[str, Any] = {
        "id": require_text("achievement_id", achievement_id),
        "type": ["Achievement"],
        "achievementType": achievement_type,
        "name": clean_text(require_text("achievement_name", achievement_name)),
        "description": clean_text(require_text("achievement_description", achievement_description)),
        "criteria": {
            "narrative": clean_text(require_text("criteria_narrative", criteria_narrative))
        },
    }
    if jp_hours is not None:
        achievement["creditsAvailable"] = jp_hours
    if image_url:
        achievement["image"] = {"id": image_url, "type": "Image"}
    if alignments:
        achievement["alignment"] = [_alignment(entry) for entry in alignments]

    subject: dict[str, Any] = {
        "type": ["AchievementSubject"],
        "identifier": [
            {
                "type": "IdentityObject",
                "identityType": "nationalIdentityNumber",
                "hashed": True,
                "identityHash": hmac_identity(subject_nip, subject_key),
            }
        ],
    }
    if jp_hours is not None:
        subject["creditsEarned"] = jp_hours
    subject["achievement"] = achievement

    issuer: dict[str, Any] = {
        "id": require_text("issuer_id", issuer_id),
        "type": ["Profile"],
        "name": clean_text(require_text("issuer_name", issuer_name)),
    }
    if issuer_url:
        issuer["url"] = issuer_url

    credential: dict[str, Any] = {
        "@context": [VC_V2, OB_V3P0],
        "id": require_text("credential_id", credential_id),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": achievement["name"],
        "issuer": issuer,
        "validFrom": valid_from_text,
    }
    if valid_until_text is not None:
        credential["validUntil"] = valid_until_text
    credential["credentialSubject"] = subject
    if status_entry is not None:
        credential["credentialStatus"] = _status_entry(status_entry)
    return credential
