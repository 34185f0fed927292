"""The forms of the co-signature queue (confide/web/supervision_views.py)."""

from __future__ import annotations

from django import forms

from confide.notes.services import COSIGN_ATTESTATION


class AttestForm(forms.Form):
    """The supervisor's attestation: ticked, it is recorded word for word with each co-signature."""

    attest = forms.BooleanField(
        label=COSIGN_ATTESTATION, error_messages={"required": "Tick the attestation to co-sign."}
    )


class ReturnForm(forms.Form):
    comment = forms.CharField(
        max_length=5000,
        strip=True,
        label="What needs to change",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say what needs to change: the comment is required to return a note."},
    )
