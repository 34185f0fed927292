"""The FHIR R4 Bundle of a release package (confide/disclosures/fhir.py), checked against fhir.resources' R4B models.

No database: the packages come from tests/disclosures/samples.py.
"""

from __future__ import annotations

import ast
import base64
import hashlib
import json
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle

from confide.disclosures import fhir
from confide.disclosures.content import Package
from confide.disclosures.fhir import bundle, bundle_bytes
from tests.disclosures import samples

Json = dict[str, Any]

CONF = "http://terminology.hl7.org/CodeSystem/v3-Confidentiality"
ACT = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
LOINC = "http://loinc.org"
CPT = "http://www.ama-assn.org/go/cpt"
PPT = "http://terminology.hl7.org/CodeSystem/provenance-participant-type"
RECORD = [(CONF, "R"), (ACT, "PSY")]
PRIVATE = [(CONF, "V"), (ACT, "PSYTHPN")]
PART2 = [(ACT, "ETH"), (ACT, "42CFRPart2")]
UNLABELED = {"Organization", "Practitioner", "Device"}


# --- helpers -------------------------------------------------------------------------------------------------------


def validate(b: Json) -> None:
    """The whole Bundle, then every entry with its own resource class."""
    Bundle.model_validate(b)
    for entry in b["entry"]:
        resource = entry["resource"]
        get_fhir_model_class(resource["resourceType"]).model_validate(resource)


def resources(b: Json, rtype: str | None = None) -> list[Json]:
    return [e["resource"] for e in b["entry"] if rtype is None or e["resource"]["resourceType"] == rtype]


def by_url(b: Json) -> dict[str, Json]:
    return {e["fullUrl"]: e["resource"] for e in b["entry"]}


def url_of(b: Json, resource: Json) -> str:
    return str(next(e["fullUrl"] for e in b["entry"] if e["resource"] is resource))


def labels(resource: Json) -> list[tuple[str, str]]:
    return [(c["system"], c["code"]) for c in resource.get("meta", {}).get("security", [])]


def codes(concept: Json) -> list[tuple[str, str]]:
    return [(c["system"], c["code"]) for c in concept.get("coding", [])]


def docs(b: Json, loinc: str) -> list[Json]:
    return [r for r in resources(b, "DocumentReference") if (LOINC, loinc) in codes(r["type"])]


def text_of(doc: Json) -> str:
    return base64.b64decode(doc["content"][0]["attachment"]["data"]).decode("utf-8")


def references(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "reference" and isinstance(value, str):
                yield value
            else:
                yield from references(value)
    elif isinstance(node, list):
        for item in node:
            yield from references(item)


def resolve(b: Json, ref: Json) -> Json:
    return by_url(b)[ref["reference"]]


def provenance_for(b: Json, target: Json) -> Json:
    url = url_of(b, target)
    (prov,) = [p for p in resources(b, "Provenance") if [t["reference"] for t in p["target"]] == [url]]
    return prov


def agents(b: Json, prov: Json) -> list[tuple[str, Json]]:
    return [(codes(a["type"])[0][1], resolve(b, a["who"])) for a in prov["agent"]]


def full() -> Package:
    """Everything at once: psychotherapy notes under their own authorization, Part 2, a no-show and a cancellation."""
    pack = samples.package(8, private_notes=2, part2=True)
    sessions = list(pack.sessions)
    sessions[5] = replace(sessions[5], status="No-show", cpt_codes=())
    sessions[6] = replace(sessions[6], status="Cancelled", cpt_codes=())
    auth = replace(samples.authorization("psychotherapy_notes"), document_sha256="ef" * 32)
    return replace(pack, sessions=tuple(sessions), authorization=auth)


@pytest.fixture(scope="module")
def default() -> Json:
    return bundle(samples.package())


@pytest.fixture(scope="module")
def everything() -> Json:
    return bundle(full())


# --- validity ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "pack",
    [
        samples.package(),
        samples.package(basis="right_of_access"),
        samples.package(private_notes=2),
        samples.package(part2=True),
        samples.package(0, plan=None, diagnoses=(), measures=(), summaries=(), withheld=()),
        replace(samples.package(), authorization=samples.authorization()),
        full(),
    ],
    ids=["default", "own-copy", "psychotherapy", "part2", "bare", "authorization", "full"],
)
def test_the_bundle_and_every_entry_validate(pack: Package) -> None:
    b = bundle(pack)
    validate(b)
    assert b["type"] == "document"
    assert b["entry"][0]["resource"]["resourceType"] == "Composition"
    assert b["identifier"] == {"system": "urn:confide:disclosure", "value": "42"}
    assert b["timestamp"] == "2026-06-01T14:00:00+00:00"


def test_a_large_package_validates() -> None:
    validate(bundle(samples.package(300)))


def test_the_validator_would_catch_a_bad_entry(default: Json) -> None:
    """fhir.resources really checks: an unknown element or a bad code fails, so the validations above mean something."""
    doc = docs(default, "11506-3")[0]
    model = get_fhir_model_class("DocumentReference")
    with pytest.raises(ValueError):
        model.model_validate({**doc, "note": "no such element in R4"})
    with pytest.raises(ValueError):
        model.model_validate({**doc, "id": "not an id"})


def test_every_reference_resolves_inside_the_bundle(everything: Json) -> None:
    urls = [e["fullUrl"] for e in everything["entry"]]
    assert len(urls) == len(set(urls))
    assert all(u.startswith("urn:uuid:") for u in urls)
    refs = set(references(everything))
    assert refs
    assert refs <= set(urls)
    # Nothing is loose: the Composition reaches every entry, directly or through another resource.
    reached = {urls[0]}
    frontier = [everything["entry"][0]["resource"]]
    while frontier:
        for ref in references(frontier.pop()):
            if ref not in reached:
                reached.add(ref)
                frontier.append(by_url(everything)[ref])
    assert reached == set(urls)


def test_ids_come_from_the_record(default: Json) -> None:
    ids = {r["id"] for r in resources(default)}
    assert {"progress-note-1000", "session-100", "patient-7", "diagnosis-5", "treatment-plan-9", "summary-1"} <= ids
    assert {"measure-1", "practitioner-1", "practitioner-2", "practitioner-3", "practice"} <= ids


# --- counts --------------------------------------------------------------------------------------------------------


def test_counts_match_the_package() -> None:
    pack = full()
    b = bundle(pack)
    count = Counter(r["resourceType"] for r in resources(b))
    amendments = sum(len(n.amendments) for n in pack.progress_notes)
    people = {pack.prepared_by.id, *(s.clinician.id for s in pack.sessions)}
    for n in pack.progress_notes:
        people |= {n.author.id, *(s.by.id for s in n.signatures), *(a.author.id for a in n.addenda)}
    people |= {p.author.id for p in pack.psychotherapy_notes} | {s.author.id for s in pack.summaries}
    assert count["Composition"] == 1
    assert count["Patient"] == 1
    assert count["Organization"] == 1
    assert count["Practitioner"] == len(people) == 3
    assert count["Encounter"] == len(pack.sessions)
    assert count["Appointment"] == 1  # the no-show
    assert count["DocumentReference"] == (
        len(pack.progress_notes) + amendments + len(pack.psychotherapy_notes) + len(pack.summaries)
    )
    assert len(docs(b, "11506-3")) == len(pack.progress_notes)
    assert len(docs(b, "11510-5")) == len(pack.psychotherapy_notes) == 2
    assert len(docs(b, "34133-9")) == len(pack.summaries)
    assert len(docs(b, "55107-7")) == amendments == 1
    assert count["Observation"] == len(pack.measures)
    assert count["Condition"] == len(pack.diagnoses)
    assert count["CarePlan"] == 1
    assert count["Consent"] == 1
    assert count["Provenance"] == len(pack.progress_notes) + len(pack.psychotherapy_notes) + len(pack.summaries)
    assert count["Device"] == 1  # one drafting engine, however many notes it helped with


def test_no_psychotherapy_note_kind_without_psychotherapy_notes(default: Json) -> None:
    assert docs(default, "11510-5") == []
    assert "11510-5" not in json.dumps(default)
    assert all(c != "PSYTHPN" for r in resources(default) for _, c in labels(r))
    assert labels(default)[0] == (CONF, "R")


# --- what each resource says ---------------------------------------------------------------------------------------


def test_progress_notes(default: Json) -> None:
    pack = samples.package()
    notes = docs(default, "11506-3")
    assert [n["id"] for n in notes] == [f"progress-note-{n.id}" for n in pack.progress_notes]
    for doc, note in zip(notes, pack.progress_notes, strict=True):
        assert doc["status"] == "current"
        assert doc["docStatus"] == "final"
        assert doc["type"]["coding"][0] == {"system": LOINC, "code": "11506-3", "display": "Progress note"}
        assert doc["date"] == note.signatures[0].at.isoformat()
        assert resolve(default, doc["author"][0])["id"] == f"practitioner-{note.author.id}"
        expected = note.signatures[-1].by  # the co-signer when there is one
        assert resolve(default, doc["authenticator"])["id"] == f"practitioner-{expected.id}"
        encounter = resolve(default, doc["context"]["encounter"][0])
        assert encounter["id"] == f"session-{note.session_id}"
        attachment = doc["content"][0]["attachment"]
        assert attachment["contentType"] == "text/plain; charset=utf-8"
        raw = base64.b64decode(attachment["data"])
        assert attachment["size"] == len(raw)
        assert base64.b64decode(attachment["hash"]) == hashlib.sha1(raw, usedforsecurity=False).digest()
        text = raw.decode("utf-8")
        for title, body in note.sections:
            assert f"== {title} ==\n{body}" in text
        assert "Suicidal ideation: low; no plan, no intent, no means" in text
        assert "Mood: \u201cflat\u201d" in text
        assert "- Behavioral activation" in text
        assert f"Signed by {note.author.signature_name}" in text
        assert note.content_hash in text
    assert resolve(default, notes[2]["authenticator"])["name"][0]["text"] == "Ngozi Okafor"
    assert "Co-signed by Ngozi Okafor, PsyD" in text_of(notes[2])
    assert "Client called to add: slept better." in text_of(notes[1])
    assert "Drafted with assistance (confide-offline 1.0)" in text_of(notes[0])


def test_psychotherapy_notes(everything: Json) -> None:
    pack = full()
    private = docs(everything, "11510-5")
    assert [d["identifier"][0]["value"] for d in private] == [p.id for p in pack.psychotherapy_notes]
    for doc, p in zip(private, pack.psychotherapy_notes, strict=True):
        assert doc["type"]["coding"][0]["display"] == "Psychology progress note"
        assert doc["date"] == p.written_at.isoformat()
        assert p.text in text_of(doc)
        assert resolve(everything, doc["context"]["encounter"][0])["id"] == f"session-{p.session_id}"


def test_summaries(default: Json) -> None:
    (doc,) = docs(default, "34133-9")
    assert doc["context"]["period"] == {"start": "2026-01-01", "end": "2026-03-31"}
    assert doc["date"] == "2026-04-02T12:00:00+00:00"
    assert "== Attendance ==\n11 of 12 sessions kept." in text_of(doc)
    prov = provenance_for(default, doc)
    assert [(kind, who["id"]) for kind, who in agents(default, prov)] == [("author", "practitioner-1")]


def test_encounters(everything: Json) -> None:
    pack = full()
    encounters = resources(everything, "Encounter")
    assert [e["id"] for e in encounters] == [f"session-{s.id}" for s in pack.sessions]
    for enc, s in zip(encounters, pack.sessions, strict=True):
        assert [(c["system"], c["code"]) for t in enc.get("type", []) for c in t["coding"]] == [
            (CPT, code) for code in s.cpt_codes
        ]
        assert enc["class"]["code"] == ("AMB" if s.setting == "In person" else "VR")
        assert enc["period"] == {"start": s.starts_at.isoformat(), "end": s.ends_at.isoformat()}
        assert enc["serviceType"]["text"] == "Individual psychotherapy"
        (participant,) = enc["participant"]
        assert resolve(everything, participant["individual"])["id"] == f"practitioner-{s.clinician.id}"
        assert resolve(everything, enc["subject"])["resourceType"] == "Patient"
    assert [e["status"] for e in encounters] == ["finished"] * 5 + ["cancelled", "cancelled", "finished"]
    assert {e["class"]["code"] for e in encounters} == {"AMB", "VR"}
    assert encounters[0]["type"][0]["coding"] == [{"system": CPT, "code": "90837"}]
    no_show = resolve(everything, encounters[5]["appointment"][0])
    assert no_show["resourceType"] == "Appointment"
    assert no_show["status"] == "noshow"
    assert "appointment" not in encounters[6]  # a plain cancellation needs nothing more


def test_measures(default: Json) -> None:
    observations = resources(default, "Observation")
    got = [(codes(o["code"])[0], o["valueInteger"], o["effectiveDateTime"]) for o in observations]
    assert got == [
        ((LOINC, "44261-6"), 18, "2026-01-05"),
        ((LOINC, "44261-6"), 14, "2026-03-02"),
        ((LOINC, "70274-6"), 9, "2026-03-02"),
    ]
    for o in observations:
        assert o["status"] == "final"
        assert codes(o["category"][0]) == [("http://terminology.hl7.org/CodeSystem/observation-category", "survey")]
        assert resolve(default, o["subject"])["resourceType"] == "Patient"
    assert [o["interpretation"][0]["text"] for o in observations] == ["moderately severe", "moderate", "mild"]


def test_diagnoses_and_plan(default: Json) -> None:
    (condition,) = resources(default, "Condition")
    assert codes(condition["code"]) == [("http://hl7.org/fhir/sid/icd-10-cm", "F33.1")]
    assert condition["clinicalStatus"]["coding"][0]["code"] == "active"
    assert condition["onsetDateTime"] == "2026-01-05"
    resolved = bundle(
        replace(
            samples.package(),
            diagnoses=(replace(samples.package().diagnoses[0], resolved_on=samples.START.date() + timedelta(days=90)),),
        )
    )
    (done,) = resources(resolved, "Condition")
    assert done["clinicalStatus"]["coding"][0]["code"] == "resolved"
    assert done["abatementDateTime"] == "2026-04-05"
    (plan,) = resources(default, "CarePlan")
    assert (plan["status"], plan["intent"]) == ("active", "plan")
    for words in ("Depressed mood limits work", "Mood improves", "PHQ-9 below 10", "Three valued activities a week"):
        assert words in plan["description"]
    assert resolve(default, plan["addresses"][0]) is condition


def test_patient_and_people(default: Json) -> None:
    (patient,) = resources(default, "Patient")
    assert patient["birthDate"] == "1990-04-02"
    assert patient["name"][0]["family"] == "Morgan"
    assert patient["address"] == [{"text": "12 Elm St, Springfield"}]
    (org,) = resources(default, "Organization")
    assert org["name"] == "Elm Street Counseling"
    composition = default["entry"][0]["resource"]
    assert resolve(default, composition["author"][0])["id"] == "practitioner-1"  # the preparer
    assert {s["title"] for s in composition["section"]} >= {"Release", "Notices", "Withheld", "Progress notes"}


# --- amendments ----------------------------------------------------------------------------------------------------


def test_the_amendment_travels_with_the_note(default: Json) -> None:
    amended = samples.package().progress_notes[0].amendments[0]
    note = next(d for d in docs(default, "11506-3") if d["id"] == "progress-note-1000")
    (amendment,) = docs(default, "55107-7")
    assert amendment["relatesTo"] == [{"code": "appends", "target": {"reference": url_of(default, note)}}]
    for text in (text_of(note), text_of(amendment)):
        assert amended.requested_change in text
        assert "Decision: denied on 2026-03-20" in text
        assert amended.denial_basis in text
        assert f"The client's statement of disagreement: {amended.disagreement}" in text
        assert f"The practice's rebuttal: {amended.rebuttal}" in text
    assert {resolve(default, a)["resourceType"] for a in amendment["author"]} == {"Patient", "Organization"}
    assert labels(amendment) == RECORD


def test_an_accepted_amendment_marks_the_note_amended() -> None:
    pack = samples.package()
    first = pack.progress_notes[0]
    accepted = replace(first.amendments[0], status="accepted", amendment_text="Was on approved leave.")
    pack = replace(pack, progress_notes=(replace(first, amendments=(accepted,)), *pack.progress_notes[1:]))
    b = bundle(pack)
    validate(b)
    note = docs(b, "11506-3")[0]
    assert note["docStatus"] == "amended"
    assert "Amendment: Was on approved leave." in text_of(note)


# --- provenance ----------------------------------------------------------------------------------------------------


def test_provenance_agents(default: Json) -> None:
    pack = samples.package()
    notes = {d["id"]: d for d in docs(default, "11506-3")}
    for note in pack.progress_notes:
        doc = notes[f"progress-note-{note.id}"]
        prov = provenance_for(default, doc)
        assert prov["recorded"] == note.signatures[0].at.isoformat()
        got = [(kind, who["resourceType"], who["id"]) for kind, who in agents(default, prov)]
        expected = [("author", "Practitioner", f"practitioner-{note.author.id}")]
        expected += [("attester", "Practitioner", f"practitioner-{s.by.id}") for s in note.signatures[1:]]
        if note.drafted_with:
            (device,) = [who for kind, who in agents(default, prov) if kind == "assembler"]
            expected.append(("assembler", "Device", device["id"]))
            assert note.drafted_with in json.dumps(device, ensure_ascii=False)
        assert got == expected
        assert labels(prov) == labels(doc)
    assert pack.progress_notes[0].drafted_with and not pack.progress_notes[1].drafted_with
    cosigned = provenance_for(default, notes["progress-note-1002"])
    assert [k for k, _ in agents(default, cosigned)] == ["author", "attester"]
    assert [s["when"] for s in cosigned["signature"]] == [s.at.isoformat() for s in pack.progress_notes[2].signatures]


def test_no_device_when_nothing_was_drafted_with_help() -> None:
    pack = samples.package()
    pack = replace(pack, progress_notes=tuple(replace(n, drafted_with="") for n in pack.progress_notes))
    b = bundle(pack)
    assert resources(b, "Device") == []
    assert all(codes(a["type"])[0][1] != "assembler" for p in resources(b, "Provenance") for a in p["agent"])


# --- security labels -----------------------------------------------------------------------------------------------


def test_labels_of_the_record(default: Json) -> None:
    for r in resources(default):
        if r["resourceType"] in UNLABELED:
            assert labels(r) == []
        else:
            assert labels(r) == RECORD, r["id"]
    note = docs(default, "11506-3")[0]
    assert [codes(c)[0] for c in note["securityLabel"]] == RECORD
    assert labels(default) == RECORD


def test_labels_of_psychotherapy_notes() -> None:
    b = bundle(samples.package(private_notes=2))
    for doc in docs(b, "11510-5"):
        assert labels(doc) == PRIVATE
        assert labels(provenance_for(b, doc)) == PRIVATE
    for doc in docs(b, "11506-3"):
        assert labels(doc) == RECORD
    assert labels(b) == [(CONF, "V"), (ACT, "PSY"), (ACT, "PSYTHPN")]
    composition = b["entry"][0]["resource"]
    assert composition["confidentiality"] == "V"
    assert labels(composition) == labels(b)


def test_labels_under_part2(everything: Json) -> None:
    private = {url_of(everything, d) for d in docs(everything, "11510-5")}
    private |= {
        url_of(everything, p) for p in resources(everything, "Provenance") if p["target"][0]["reference"] in private
    }
    assert len(private) == 4
    for entry in everything["entry"]:
        r = entry["resource"]
        if r["resourceType"] in UNLABELED:
            assert labels(r) == []
        elif entry["fullUrl"] in private:
            assert labels(r) == PRIVATE + PART2, r["id"]
        elif r["resourceType"] != "Composition":
            assert labels(r) == RECORD + PART2, r["id"]
    assert labels(everything) == [(CONF, "V"), (ACT, "PSY"), (ACT, "PSYTHPN"), *PART2]
    part2_only = bundle(samples.package(part2=True))
    assert labels(part2_only) == RECORD + PART2
    assert "42 CFR part 2 prohibits" in json.dumps(part2_only["entry"][0]["resource"]["section"])


# --- consent -------------------------------------------------------------------------------------------------------


def test_consent_with_an_authorization(everything: Json) -> None:
    (consent,) = resources(everything, "Consent")
    assert consent["status"] == "active"
    assert codes(consent["scope"]) == [("http://terminology.hl7.org/CodeSystem/consentscope", "patient-privacy")]
    assert codes(consent["category"][0]) == [(LOINC, "64292-6")]
    assert consent["dateTime"] == "2026-05-01"
    assert resolve(everything, consent["patient"])["resourceType"] == "Patient"
    provision = consent["provision"]
    assert provision["period"] == {"start": "2026-05-01", "end": "2027-05-01"}
    assert provision["actor"][0]["reference"] == {"display": "Dr. Priya Shah, Springfield Family Medicine"}
    assert codes(provision["code"][0]) == [(LOINC, "11510-5")]
    assert {"system": "urn:confide:sha256", "value": "ef" * 32} in consent["identifier"]
    assert "Coordination of care" in consent["text"]["div"]


def test_no_consent_without_an_authorization(default: Json) -> None:
    assert resources(default, "Consent") == []


# --- bytes ---------------------------------------------------------------------------------------------------------


def test_bundle_bytes_are_canonical_and_deterministic() -> None:
    first = bundle_bytes(full())
    assert bundle_bytes(full()) == first  # a package built again from the same data
    assert first == json.dumps(json.loads(first), sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    named = bundle_bytes(replace(samples.package(), recipient_name="Zo\u00eb Ren\u00e9e \u2014 \u6cd5\u9662"))
    assert "Zo\u00eb Ren\u00e9e \u2014 \u6cd5\u9662".encode() in named  # UTF-8, not \u escapes
    assert b"\\u00eb" not in named
    assert bundle_bytes(samples.package(4)) != bundle_bytes(samples.package(3))


HOSTILE = (
    'He said "stop" & left; it\'s <script>alert(1)</script> </div><p>x</p> \u202etxet\u202c '
    "\U0001f62d\U0001f3f3\ufe0f\u200d\U0001f308 \x00\x07 tab\t cr\r\n" + "long " * 40_000
)


def test_hostile_text_survives() -> None:
    pack = samples.package(2)
    first = pack.progress_notes[0]
    note = replace(first, sections=(("Subjective <b>", HOSTILE),), interventions=(HOSTILE[:80],))
    withheld = replace(pack.withheld[0], reason=HOSTILE[:120])
    pack = replace(
        pack,
        progress_notes=(note, *pack.progress_notes[1:]),
        recipient_name="<script>alert('x')</script> \U0001f62d",
        withheld=(withheld,),
        psychotherapy_notes=(replace(samples.private_note(0), text=HOSTILE),),
    )
    b = bundle(pack)
    validate(b)
    assert HOSTILE in text_of(docs(b, "11506-3")[0])
    assert text_of(docs(b, "11510-5")[0]).endswith(HOSTILE + "\n")
    for section in b["entry"][0]["resource"]["section"]:
        div = section.get("text", {}).get("div", "")
        assert "<script>" not in div and "\x00" not in div
    data = bundle_bytes(pack)
    assert json.loads(data) == b


# --- speed and dependencies ----------------------------------------------------------------------------------------


def test_three_hundred_notes_take_well_under_a_second() -> None:
    pack = samples.package(300)
    best = min(_timed(pack) for _ in range(3))
    assert best < 0.5, f"{best:.3f} s"


def _timed(pack: Package) -> float:
    start = time.perf_counter()
    bundle_bytes(pack)
    return time.perf_counter() - start


def test_the_renderer_does_not_need_fhir_resources() -> None:
    tree = ast.parse(Path(fhir.__file__).read_text())
    imported = [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    imported += [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    assert not [m for m in imported if m.split(".")[0] == "fhir"]
