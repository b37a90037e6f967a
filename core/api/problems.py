"""Problem types: every ``code`` a problem document of the API can carry, with what it means
and how to fix it.

A problem's ``type`` is ``<SITE_URL>/problems/<code>/`` (``problem_type_url``), a page of the
web site (``frontend.problems``) that explains the code to the person building an
integration, in the site's languages. The registry lives here, in the bottom layer, as plain
text: it names the codes of every app's ``exceptions.py`` without importing them, and
``tests/api/test_problems.py`` walks the exception classes so that a new code without a page
fails the suite.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _

#: Where the pages are served (``frontend/urls.py`` mounts the view here).
PROBLEMS_PATH = "/problems/"


@dataclass(frozen=True)
class ProblemType:
    code: str
    status: int  # the HTTP status the API answers with
    title: Any
    meaning: Any
    fix: Any


def problem_type_url(code: str) -> str:
    """The absolute ``type`` URI of a problem with ``code``: a page on this site."""
    return f"{settings.SITE_URL.rstrip('/')}{PROBLEMS_PATH}{code}/"


def problem_type_get(*, code: str) -> ProblemType | None:
    return PROBLEM_TYPES.get(code)


def problem_type_list() -> list[ProblemType]:
    return sorted(PROBLEM_TYPES.values(), key=lambda problem: (problem.status, problem.code))


_TYPES = [
    # --- The request itself --------------------------------------------------------------
    ProblemType(
        "invalid",
        400,
        _("The request is not valid"),
        _(
            "One or more fields are missing, malformed or outside their allowed values; each "
            "entry of errors names a field and says what is wrong with it."
        ),
        _(
            "Correct the fields named in errors[].field (rows[12].nip is the nip of the "
            "thirteenth row of a bulk request) and send the request again."
        ),
    ),
    ProblemType(
        "parse_error",
        400,
        _("The body is not valid JSON"),
        _("The request body could not be read as JSON."),
        _("Send a valid JSON document with the header Content-Type: application/json."),
    ),
    ProblemType(
        "application_error",
        400,
        _("The request could not be completed"),
        _("A rule of the service refused the request and no more specific code applies."),
        _("Read detail, which says which rule refused it, and change the request accordingly."),
    ),
    ProblemType(
        "request_too_large",
        413,
        _("The request body is too large"),
        _(
            "The body is larger than the operation takes (API_MAX_BODY_BYTES; "
            "API_BULK_MAX_BODY_BYTES for the bulk upsert)."
        ),
        _("Split the data into several smaller requests; the bulk upsert takes 5,000 rows."),
    ),
    ProblemType(
        "unsupported_media_type",
        415,
        _("Unsupported media type"),
        _("The operation does not read a body of the Content-Type that was sent."),
        _("Send the body as JSON with the header Content-Type: application/json."),
    ),
    ProblemType(
        "not_acceptable",
        406,
        _("Not acceptable"),
        _("The Accept header asks for a format this operation does not produce."),
        _(
            "Ask for application/json (or leave Accept out); the export and AKPK operations "
            "name their other formats with ?format=."
        ),
    ),
    ProblemType(
        "method_not_allowed",
        405,
        _("Method not allowed"),
        _("The path exists but does not take this HTTP method."),
        _("Use one of the methods the OpenAPI document lists for the path."),
    ),
    # --- Who is asking -------------------------------------------------------------------
    ProblemType(
        "not_authenticated",
        401,
        _("No credentials"),
        _("The request carries no access token (and no logged-in session)."),
        _(
            "Get a token from /o/token/ with the client-credentials grant and send it as "
            "Authorization: Bearer <token>."
        ),
    ),
    ProblemType(
        "authentication_failed",
        401,
        _("The credentials are not valid"),
        _(
            "The access token is unknown, expired or revoked, or does not belong to a "
            "registered API client."
        ),
        _("Get a new token from /o/token/; tokens expire after an hour."),
    ),
    ProblemType(
        "insufficient_scope",
        403,
        _("The token lacks a scope"),
        _("The access token does not carry the scope this operation needs; detail names it."),
        _(
            "Ask for a token with that scope. A client only gets the scopes it was created "
            "with: ask the administrator to add it (manage.py create_api_client --scopes)."
        ),
    ),
    ProblemType(
        "forbidden",
        403,
        _("Not allowed for this role or place"),
        _(
            "The person's role does not allow the operation, or it asks about a unit, a "
            "position or a day outside what their place in the organisation opens to them; "
            "errors names each refused field."
        ),
        _("Ask someone whose role allows it, such as HR staff, or ask about your own unit."),
    ),
    ProblemType(
        "permission_denied",
        403,
        _("Not allowed"),
        _("The caller may not do this."),
        _("Check the scopes of the token or the role of the person (docs/API.md)."),
    ),
    ProblemType(
        "throttled",
        429,
        _("Too many requests"),
        _("The client or address made more requests than its rate allows."),
        _("Wait for the number of seconds in the Retry-After header, then try again."),
    ),
    # --- Resources -----------------------------------------------------------------------
    ProblemType(
        "not_found",
        404,
        _("Not found"),
        _(
            "There is no such resource, or the caller may not see it: a resource outside the "
            "caller's reach is never revealed."
        ),
        _("Check the id in the path, and that the caller may see the resource."),
    ),
    ProblemType(
        "conflict",
        409,
        _("Conflicts with the current state"),
        _("The request is valid but contradicts what is already recorded."),
        _("Read the resource again, then decide whether the request still makes sense."),
    ),
    ProblemType(
        "server_error",
        500,
        _("Something went wrong on our side"),
        _("The server failed; the failure was logged."),
        _(
            "Try again later (with the same Idempotency-Key for a POST); if it persists, tell "
            "the city's HR office the time and the path."
        ),
    ),
    ProblemType(
        "error",
        500,
        _("Error"),
        _("An error without a more specific code."),
        _("Read detail; if it persists, tell the city's HR office the time and the path."),
    ),
    # --- Idempotency ---------------------------------------------------------------------
    ProblemType(
        "invalid_idempotency_key",
        400,
        _("The Idempotency-Key is not valid"),
        _("The Idempotency-Key header is longer than 200 characters."),
        _("Use a shorter key, such as a UUID."),
    ),
    ProblemType(
        "idempotency_key_reused",
        422,
        _("The Idempotency-Key was used for another request"),
        _("A request with this key but a different body or path was already made."),
        _("Use a new key for every new request; reuse a key only to retry the same request."),
    ),
    ProblemType(
        "request_in_progress",
        409,
        _("The request is still being processed"),
        _("The first request with this Idempotency-Key has not finished yet."),
        _("Wait a moment and retry with the same key: you will get the first response."),
    ),
    # --- People, organisation and evidence ------------------------------------------------
    ProblemType(
        "invalid_nip",
        400,
        _("The NIP is not valid"),
        _(
            "The NIP does not have 18 digits or its parts (birth date, appointment, sex, "
            "sequence) do not make sense."
        ),
        _(
            "Send the NIP as a string of 18 digits; in a spreadsheet format the NIP column as "
            "text so that it is not rounded."
        ),
    ),
    ProblemType(
        "duplicate_nip",
        409,
        _("The NIP is already used"),
        _("Another employee is recorded with this NIP."),
        _("Update that employee instead (the bulk upsert matches people by NIP)."),
    ),
    ProblemType(
        "duplicate_siasn_id",
        409,
        _("The SIASN id is already used"),
        _(
            "Another record (a person, a unit or a history row) already has this SIASN id; "
            "each belongs to one."
        ),
        _("Check which record SIASN gives this id to, and clear or correct it there first."),
    ),
    ProblemType(
        "duplicate_rank_tmt",
        409,
        _("The golongan history already has this TMT"),
        _("A person's golongan history holds one row per TMT (start date)."),
        _("Read the history (GET …/ranks/) and send only the rows it does not have yet."),
    ),
    ProblemType(
        "nip_in_url",
        400,
        _("A NIP was sent in a URL"),
        _("Proxies and servers log URLs, so a NIP is never accepted in one."),
        _("Look the person up with POST /api/v1/employees/lookup/ and the NIP in the body."),
    ),
    ProblemType(
        "employee_not_found",
        404,
        _("No such employee"),
        _("There is no employee with this id or NIP that the caller may see."),
        _("Check the id or NIP, or create the employee first."),
    ),
    ProblemType(
        "overlapping_assignment",
        409,
        _("The assignment overlaps another"),
        _("A person holds one definitive position at a time; the dates overlap another one."),
        _(
            "End the current assignment first (its end date before the new start), or record "
            "the new one as acting (Plt.)."
        ),
    ),
    ProblemType(
        "unit_head_taken",
        409,
        _("The unit already has a head position"),
        _("A unit has one head position (jabatan kepala), and another position already is it."),
        _("Change the existing head position instead, or make this one not the head."),
    ),
    ProblemType(
        "invalid_date_range",
        400,
        _("The dates are in the wrong order"),
        _("The end date is before the start date."),
        _("Send an end date on or after the start date, or none."),
    ),
    ProblemType(
        "invalid_level",
        400,
        _("The competency level is not valid"),
        _("A competency level is a whole number from 1 to 5."),
        _("Send a level from 1 to 5."),
    ),
    ProblemType(
        "unknown_competency",
        400,
        _("Unknown competency"),
        _("There is no competency with this code in the framework."),
        _("Use a code from GET /api/v1/competencies/."),
    ),
    ProblemType(
        "unit_cycle",
        400,
        _("A unit cannot be its own ancestor"),
        _("The unit would be moved under itself or one of its own sub-units."),
        _("Choose a parent outside the unit's own subtree."),
    ),
    ProblemType(
        "import_rejected",
        400,
        _("Nothing was imported"),
        _("Some rows of the file are not valid, so no row was imported; errors names each."),
        _("Correct every row named in errors and import the whole file again."),
    ),
    ProblemType(
        "evidence_policy",
        400,
        _("The evidence policy refuses this evidence"),
        _(
            "Managerial and socio-cultural levels come from a competency assessment or a "
            "supervisor's or HR's validation, not from a course or a certificate."
        ),
        _("Record the level with the source the policy accepts for it (docs/EVIDENCE.md)."),
    ),
    ProblemType(
        "evidence_already_reviewed",
        409,
        _("The evidence was already reviewed"),
        _("This evidence has already been validated or rejected; a review happens once."),
        _("Read the evidence to see its status; record new evidence if it changed."),
    ),
    ProblemType(
        "own_evidence",
        400,
        _("Nobody reviews their own evidence"),
        _("The reviewer is the person the evidence is about."),
        _("Ask the head of the person's unit or HR to review it."),
    ),
    # --- Courses --------------------------------------------------------------------------
    ProblemType(
        "enrollment_closed",
        409,
        _("Enrollment is closed"),
        _("The course is not open for enrollment."),
        _("Choose another course, or ask the course's owner when it opens."),
    ),
    ProblemType(
        "prerequisites_not_met",
        409,
        _("Prerequisites not met"),
        _("The course requires other courses to be completed first."),
        _("Complete the prerequisite courses, then enroll."),
    ),
    ProblemType(
        "not_enrolled",
        403,
        _("Not enrolled"),
        _("The learner is not enrolled in this course."),
        _("Enroll in the course first."),
    ),
    ProblemType(
        "lesson_not_in_course",
        400,
        _("The lesson is not part of the course"),
        _("The lesson belongs to another course."),
        _("Use a lesson of the course."),
    ),
    ProblemType(
        "lesson_locked",
        409,
        _("The lesson is locked"),
        _("The course is taken in order and earlier lessons are not finished."),
        _("Finish the earlier lessons first."),
    ),
    ProblemType(
        "quiz_not_found",
        404,
        _("No such quiz"),
        _("The lesson has no quiz with this id."),
        _("Use a quiz of the lesson."),
    ),
    ProblemType(
        "invalid_answers",
        400,
        _("The answers do not match the quiz"),
        _("The answers name questions or choices the quiz does not have."),
        _("Answer the questions the quiz asked."),
    ),
    ProblemType(
        "attempts_exhausted",
        409,
        _("No attempts left"),
        _("Every attempt the quiz allows has been used."),
        _("Ask the course's owner; the quiz allows no more attempts."),
    ),
    ProblemType(
        "quiz_not_graded",
        400,
        _("A practice quiz has no attempts"),
        _("This is a practice quiz, answered without starting an attempt."),
        _("Submit the answers directly."),
    ),
    ProblemType(
        "quiz_passed",
        409,
        _("The quiz is already passed"),
        _("The learner has already passed this quiz."),
        _("Go on to the next lesson."),
    ),
    ProblemType(
        "retry_too_soon",
        409,
        _("Too soon for another attempt"),
        _("A graded quiz waits QUIZ_RETRY_WAIT_MINUTES between attempts."),
        _("Wait, then start the next attempt."),
    ),
    ProblemType(
        "attempt_not_started",
        409,
        _("No attempt was started"),
        _("Answers to a graded quiz belong to an attempt, and none was started."),
        _("Start an attempt, then submit its answers."),
    ),
    ProblemType(
        "attempt_not_found",
        404,
        _("No such attempt"),
        _("The learner has no attempt with this id at this quiz."),
        _("Use an attempt the learner started."),
    ),
    ProblemType(
        "attempt_submitted",
        409,
        _("The attempt was already submitted"),
        _("An attempt takes one submission."),
        _("Start a new attempt if the quiz allows one."),
    ),
    ProblemType(
        "attempt_expired",
        409,
        _("The attempt's time ran out"),
        _("The time limit of the attempt passed before the answers arrived."),
        _("Start a new attempt if the quiz allows one."),
    ),
    ProblemType(
        "course_not_finished",
        409,
        _("The course is not finished"),
        _("Some required lessons or the assessment are not completed yet."),
        _("Complete every required lesson and pass the assessment."),
    ),
    # --- Certificates ---------------------------------------------------------------------
    ProblemType(
        "certificate_not_found",
        404,
        _("No such certificate"),
        _("There is no certificate with this id or verification code."),
        _("Check the code as printed on the certificate (letters and digits only)."),
    ),
    ProblemType(
        "revocation_reason_required",
        400,
        _("A revocation needs a reason"),
        _("The reason is shown to anyone who verifies the certificate, so it is required."),
        _("Send a reason with the revocation."),
    ),
    ProblemType(
        "already_revoked",
        409,
        _("The certificate is already revoked"),
        _("A revoked or replaced certificate cannot be revoked or reissued again."),
        _("Read the certificate to see its status; nothing more needs to be done."),
    ),
    ProblemType(
        "certificate_signed",
        409,
        _("The certificate is signed"),
        _("A signed certificate's credential and PDF are fixed and cannot be changed."),
        _("Revoke it and issue a new certificate instead."),
    ),
    # --- Signing in (identity: the sign-on problem page shows these, not the API) ----------
    # --- The AKPK workflow (planning) ------------------------------------------------------
    ProblemType(
        "akpk_invalid_transition",
        409,
        _("The AKPK cannot take that step now"),
        _(
            "An AKPK goes draft → submitted → verified → approved (or back to draft when "
            "returned); the step asked for does not start from the AKPK's current state."
        ),
        _("Read the plan's state again and ask for a step that starts from it."),
    ),
    ProblemType(
        "already_evaluated",
        409,
        _("Already evaluated"),
        _("A training is evaluated once: this reaction survey or behaviour check was answered."),
        _("Nothing to do; the answer given stands. Ask HR if it must be corrected."),
    ),
    ProblemType(
        "not_your_evaluation",
        403,
        _("Not your evaluation to answer"),
        _(
            "A level-3 evaluation is answered by the person's supervisor on the day of the "
            "answer (the head of their unit), or by HR."
        ),
        _("Ask the person's current head, or HR, to answer it."),
    ),
    ProblemType(
        "akpk_frozen",
        409,
        _("The AKPK is not a draft"),
        _("Only a draft AKPK is edited; an approved one is frozen."),
        _("Edit it after it is returned, or open a new revision of the approved AKPK."),
    ),
    ProblemType(
        "akpk_exists",
        409,
        _("An open AKPK exists"),
        _("A perangkat daerah has one AKPK in progress per year."),
        _("Continue the open AKPK, or wait until it is approved and open a new revision."),
    ),
    ProblemType(
        "akpk_action_not_allowed",
        403,
        _("Your role does not allow this step"),
        _(
            "The head of the perangkat daerah on the day submits, BKPSDM verifies or returns, "
            "the PPK's delegate approves; an API client acts for BKPSDM."
        ),
        _("Ask the person whose role takes this step."),
    ),
    ProblemType(
        "sign_on_failed",
        400,
        _("The sign-on could not be completed"),
        _(
            "The answer from the city's sign-on service did not check out (it expired, was "
            "meant for another site, or was not signed by the service)."
        ),
        _("Sign on again from the login page; if it keeps failing, contact BKPSDM."),
    ),
    ProblemType(
        "sign_on_unavailable",
        503,
        _("The sign-on service cannot be reached"),
        _("Tangkas could not read the city's sign-on service's settings just now."),
        _("Try again in a few minutes."),
    ),
    ProblemType(
        "sign_on_no_nip",
        403,
        _("The sign-on account carries no NIP"),
        _("Tangkas links a sign-on to a person by the NIP in the account, and it has none."),
        _("Ask BKPSDM to add your NIP to your sign-on account."),
    ),
    ProblemType(
        "sign_on_unknown_nip",
        403,
        _("The NIP is not registered in Tangkas"),
        _("Nobody with this NIP is among the civil servants Tangkas knows; nothing was created."),
        _("Ask BKPSDM to register you in Tangkas, then sign on again."),
    ),
    ProblemType(
        "sign_on_login_inactive",
        403,
        _("The login is switched off"),
        _("Your Tangkas login exists but has been switched off."),
        _("Ask BKPSDM to switch it on again."),
    ),
    ProblemType(
        "password_login_off",
        403,
        _("Password login is switched off"),
        _("This site signs people on only through the city's single sign-on."),
        _("Use the sign-on button on the login page."),
    ),
]

PROBLEM_TYPES: dict[str, ProblemType] = {problem.code: problem for problem in _TYPES}
