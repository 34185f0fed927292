"""The release-of-information objects both route matrices ask about: an authorization, a release made under a
court order (diagnoses only, so its package holds no narrative), and an open records request."""

from __future__ import annotations

from datetime import date

from confide.clients.models import Client
from confide.disclosures import services as disclosures
from confide.people.models import User


def release_objects(rivera: User, client: Client) -> dict[str, int]:
    authorization = disclosures.record_authorization(
        actor=rivera,
        client=client,
        data=disclosures.AuthorizationInput(
            kind="general",
            recipient="Dr. Priya Shah",
            purpose="Coordination of care",
            information=["progress_notes"],
            signed_on=date(2026, 11, 1),
            expires_on=date(2999, 1, 1),
        ),
    )
    released = disclosures.disclose(
        actor=rivera,
        credential=None,
        client=client,
        data=disclosures.ReleaseInput(recipient_name="County Court", basis="court_order", include={"diagnoses": True}),
    )
    access_request = disclosures.record_access_request(actor=rivera, client=client, received_on=date.today())
    return {"authorization_id": authorization.pk, "disclosure_id": released.pk, "request_id": access_request.pk}
