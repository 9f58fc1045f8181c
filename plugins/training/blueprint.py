"""URL rules of the training plugin, and nothing else.

Members' pages under ``/w/<workspace>/training/``, public pages (certificate verification)
under ``/s/<workspace>/training/``, the API under ``/api/v1/workspaces/<workspace>/training/``.
"""

from __future__ import annotations

from ent_plugins.training import api, calendar, public
from ent_plugins.training.views import (
    assessments,
    catalogue,
    certificates,
    cohorts,
    courses,
    lessons,
    records,
    work,
)

from ent_core import sdk

GP = ["GET", "POST"]
P = ["POST"]

members = sdk.WorkspaceBlueprint("training", __name__, template_folder="templates")
rule = members.add_url_rule
rule("/", view_func=catalogue.index)
rule("/programmes/new", view_func=catalogue.programme_new, methods=GP)
rule("/programmes/<int:programme_id>", view_func=catalogue.programme)
rule("/programmes/<int:programme_id>/edit", view_func=catalogue.programme_edit, methods=GP)
rule("/programmes/<int:programme_id>/delete", view_func=catalogue.programme_delete, methods=P)
rule("/courses/new", view_func=courses.course_new, methods=GP)
rule("/courses/<int:course_id>", view_func=courses.course)
rule("/courses/<int:course_id>/edit", view_func=courses.course_edit, methods=GP)
rule("/courses/<int:course_id>/trainers", view_func=courses.trainer_add, methods=P)
rule(
    "/courses/<int:course_id>/trainers/<int:user_id>/remove",
    view_func=courses.trainer_remove,
    methods=P,
)
rule("/courses/<int:course_id>/prerequisites", view_func=courses.prerequisite_add, methods=P)
rule("/courses/<int:course_id>/modules/new", view_func=lessons.module_new, methods=GP)
rule("/courses/<int:course_id>/assessments/new", view_func=assessments.assessment_new, methods=GP)
rule("/courses/<int:course_id>/cohorts/new", view_func=cohorts.cohort_new, methods=GP)
rule("/modules/<int:module_id>/lessons/new", view_func=lessons.lesson_new, methods=GP)
rule("/lessons/<int:lesson_id>", view_func=lessons.lesson)
rule("/lessons/<int:lesson_id>/edit", view_func=lessons.lesson_edit, methods=GP)
rule("/lessons/<int:lesson_id>/delete", view_func=lessons.lesson_delete, methods=P)
rule("/modules/<int:module_id>/delete", view_func=lessons.module_delete, methods=P)
rule("/questions/<int:question_id>/edit", view_func=assessments.question_edit, methods=GP)
rule("/questions/<int:question_id>/delete", view_func=assessments.question_delete, methods=P)
rule("/cohorts/<int:cohort_id>/edit", view_func=cohorts.cohort_edit, methods=GP)
rule("/lessons/<int:lesson_id>/complete", view_func=lessons.lesson_complete, methods=P)
rule("/lessons/<int:lesson_id>/attachment", view_func=lessons.lesson_attachment)
rule("/assessments/<int:assessment_id>", view_func=assessments.assessment)
rule("/assessments/<int:assessment_id>/edit", view_func=assessments.assessment_edit, methods=GP)
rule(
    "/assessments/<int:assessment_id>/questions/new", view_func=assessments.question_new, methods=GP
)
rule("/assessments/<int:assessment_id>/attempts", view_func=work.attempt_start, methods=P)
rule("/assessments/<int:assessment_id>/submission", view_func=work.submission_new, methods=GP)
rule("/attempts/<int:attempt_id>", view_func=work.attempt, methods=GP)
rule("/submissions/<int:submission_id>/file", view_func=work.submission_file)
rule("/submissions/<int:submission_id>/grade", view_func=work.grade, methods=GP)
rule("/cohorts/<int:cohort_id>", view_func=cohorts.cohort)
rule("/cohorts/<int:cohort_id>/enrol", view_func=cohorts.cohort_enrol, methods=P)
rule("/cohorts/<int:cohort_id>/learners", view_func=cohorts.cohort_add_learner, methods=P)
rule("/cohorts/<int:cohort_id>/sessions/new", view_func=records.session_new, methods=GP)
rule("/cohorts/<int:cohort_id>/gradebook", view_func=records.gradebook)
rule("/cohorts/<int:cohort_id>/gradebook.csv", view_func=records.gradebook_csv)
rule("/cohorts/<int:cohort_id>/mail", view_func=cohorts.cohort_mail, methods=GP)
rule("/cohorts/<int:cohort_id>/certificates/issue", view_func=certificates.cohort_issue, methods=P)
rule(
    "/cohorts/<int:cohort_id>/certificates/revoke", view_func=certificates.cohort_revoke, methods=P
)
rule("/enrolments/<int:enrolment_id>/withdraw", view_func=cohorts.enrolment_withdraw, methods=P)
rule("/sessions/<int:session_id>/attendance", view_func=records.attendance, methods=GP)
rule("/certificates/", view_func=certificates.certificate_list)
rule("/certificates/<int:certificate_id>", view_func=certificates.certificate)
rule(
    "/certificates/<int:certificate_id>/revoke",
    view_func=certificates.certificate_revoke,
    methods=P,
)
rule("/certificates/<int:certificate_id>/pdf", view_func=certificates.certificate_pdf)
rule("/badges", view_func=certificates.badges, methods=GP)

public_bp = sdk.PublicBlueprint("training_public", __name__, template_folder="templates")
public_bp.add_url_rule("/", view_func=public.index, endpoint="index")
public_bp.add_url_rule("/courses/<int:course_id>", view_func=public.course, endpoint="course")
public_bp.add_url_rule(
    "/courses/<int:course_id>/sessions.ics",
    view_func=calendar.course_sessions,
    endpoint="course_calendar",
)
public_bp.add_url_rule("/certificates/<number>", view_func=public.verify, endpoint="verify")
public_bp.add_url_rule(
    "/certificates/<number>/credential.json", view_func=public.credential, endpoint="credential"
)
public_bp.add_url_rule(
    "/certificates/<number>/credential.jwt",
    view_func=public.credential_jwt,
    endpoint="credential_jwt",
)
public_bp.add_url_rule(
    "/status-lists/<key_id>", view_func=public.status_list, endpoint="status_list"
)

api_bp = sdk.ApiBlueprint("training_api", __name__)
route = api_bp.add_url_rule
route("/courses", view_func=api.list_courses, methods=["GET"])
route("/courses", view_func=api.create_course, methods=P)
route("/courses/<int:course_id>", view_func=api.get_course, methods=["GET"])
route("/cohorts", view_func=api.list_cohorts, methods=["GET"])
route("/cohorts", view_func=api.create_cohort, methods=P)
route("/cohorts/<int:cohort_id>", view_func=api.get_cohort, methods=["GET"])
route("/cohorts/<int:cohort_id>/enrolments", view_func=api.list_enrolments, methods=["GET"])
route("/cohorts/<int:cohort_id>/enrolments", view_func=api.create_enrolment, methods=P)
route("/cohorts/<int:cohort_id>/certificates", view_func=api.issue_cohort, methods=P)
route("/enrolments/<int:enrolment_id>", view_func=api.delete_enrolment, methods=["DELETE"])
route("/lessons/<int:lesson_id>/completion", view_func=api.complete_lesson, methods=P)
route("/quizzes/<int:quiz_id>/attempts", view_func=api.start_attempt, methods=P)
route("/attempts/<int:attempt_id>", view_func=api.get_attempt, methods=["GET"])
route("/attempts/<int:attempt_id>/submission", view_func=api.submit_attempt, methods=P)
route("/certificates", view_func=api.list_certificates, methods=["GET"])
route("/certificates/<int:certificate_id>", view_func=api.get_certificate, methods=["GET"])
route(
    "/certificates/<int:certificate_id>/transitions",
    view_func=api.certificate_transition,
    methods=P,
)
