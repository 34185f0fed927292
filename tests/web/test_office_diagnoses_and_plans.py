"""Diagnoses (ICD-10-CM from the maintained package) and new treatment-plan versions, for the client's clinicians."""

from __future__ import annotations

from typing import Any

from confide.clients.models import Client
from confide.people.models import User
from confide.plans.models import Diagnosis, PlanStatus, TreatmentPlan


def test_clinician_adds_an_icd10_diagnosis(web_as: Any, clinician: User, client_of_record: Client) -> None:
    response = web_as(clinician).post(
        f"/clients/{client_of_record.pk}/diagnoses/new/",
        {"code": "f411", "diagnosed_on": "2026-11-20", "is_primary": "on"},
    )
    assert response["Location"] == f"/clients/{client_of_record.pk}/"
    diagnosis = Diagnosis.objects.get(client=client_of_record)
    assert (diagnosis.code, diagnosis.is_primary) == ("F41.1", True)
    assert "Generalized anxiety disorder" in diagnosis.description


def test_diagnosis_rejects_a_non_icd_code_with_a_message(
    web_as: Any, clinician: User, client_of_record: Client
) -> None:
    http = web_as(clinician)
    for code in ("Z99.999", "sad", "F41"):  # unknown, words, and a category that is not billable
        response = http.post(
            f"/clients/{client_of_record.pk}/diagnoses/new/", {"code": code, "diagnosed_on": "2026-11-20"}
        )
        assert response.status_code == 422, code
        assert "is not a billable ICD-10-CM code" in response.content.decode(), code
    assert not Diagnosis.objects.exists()


def test_the_diagnosis_search_suggests_f_chapter_codes(web_as: Any, clinician: User) -> None:
    response = web_as(clinician).get("/diagnoses/search/?code=generalized anx", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200 and '<option value="F41.1">' in html and "<html" not in html
    assert web_as(clinician).get("/diagnoses/search/?code=" + "x" * 5000).status_code == 200


def test_clinician_writes_a_new_plan_version_prefilled_from_the_current(
    web_as: Any, clinician: User, client_of_record: Client, treatment_plan: TreatmentPlan
) -> None:
    http = web_as(clinician)
    form = http.get(f"/clients/{client_of_record.pk}/plan/revise/").content.decode()
    assert "Depressed mood limiting work and sleep" in form and "Use a thought record twice a week" in form
    response = http.post(
        f"/clients/{client_of_record.pk}/plan/revise/",
        {
            "problem": "Depressed mood limiting work and sleep",
            "goal": "Reduce depressive symptoms",
            "measure": "PHQ-9 below 5",
            "objective_1": "Schedule three valued activities a week",
            "target_1": "2027-01-15",
            "status_1": "met",
            "objective_2": "Walk twenty minutes daily",
            "target_2": "2027-03-01",
            "status_2": "not_started",
            "objective_3": "",
            "target_3": "",
            "status_3": "not_started",
            "review_on": "2027-06-01",
            "client_signed_on": "",
        },
    )
    assert response["Location"] == f"/clients/{client_of_record.pk}/"
    plans = list(client_of_record.treatment_plans.order_by("version"))
    assert [(p.version, p.status) for p in plans] == [(1, PlanStatus.SUPERSEDED), (2, PlanStatus.CURRENT)]
    goal = plans[1].problems.get().goals.get()
    assert goal.measure == "PHQ-9 below 5"
    assert [(o.description, o.status) for o in goal.objectives.order_by("pk")] == [
        ("Schedule three valued activities a week", "met"),
        ("Walk twenty minutes daily", "not_started"),
    ]


def test_an_objective_without_a_target_date_is_a_form_error(
    web_as: Any, clinician: User, client_of_record: Client
) -> None:
    response = web_as(clinician).post(
        f"/clients/{client_of_record.pk}/plan/revise/",
        {"problem": "P", "goal": "G", "objective_1": "O", "target_1": "", "status_1": "x", "review_on": "soon"},
    )
    assert response.status_code == 422 and not TreatmentPlan.objects.exists()


def test_supervisor_diagnoses_a_supervisees_client(web_as: Any, supervisor: User, supervisee_client: Client) -> None:
    response = web_as(supervisor).post(
        f"/clients/{supervisee_client.pk}/diagnoses/new/", {"code": "F43.10", "diagnosed_on": "2026-11-20"}
    )
    assert response.status_code == 302 and Diagnosis.objects.get().code == "F43.10"
