# Verbs to put back into confide/access/policy.py POLICY when the services land.
    # Release of information (confide/disclosures). Billers release for payment only (codes and dates: the rules in
    # confide/disclosures/rules.py hold them to it); a package is fetched by whoever prepared it or the treating team.
    "authorization.list": _read({C: TREATING, F: EVERY}, "confide.authorization.listed", "a client's authorizations"),
    "authorization.record": _change(
        {C: TREATING, F: EVERY}, "record an authorization, attach its signed form, revoke it, print a form to sign"
    ),
    "authorization.document.read": _read(
        {C: TREATING, F: EVERY}, "confide.authorization.document_viewed", "the scanned signed authorization"
    ),
    "disclosure.prepare": _change({C: TREATING, B: EVERY}, "release records: preview and build a package"),
    "disclosure.list": _read({C: TREATING, B: EVERY, F: EVERY}, "confide.disclosure.listed", "a chart's disclosures"),
    "disclosure.package.read": _read(
        {C: TREATING | ME, B: ME}, "confide.disclosure.package_fetched", "a released package (PDF or FHIR)"
    ),
    "disclosure.accounting": _read(
        {C: TREATING, F: EVERY}, "confide.disclosure.accounting_viewed", "the accounting of disclosures (164.528)"
    ),
    "record.export": _read({C: TREATING}, "confide.record.exported", "the client's own copy of the record (164.524)"),
    "access_request.record": _change({C: TREATING, F: EVERY}, "log a records request, extend or fulfil it"),
    # Amendments (164.526): logged by the office or the team, decided by the note's author or the clinician of record.
    "amendment.list": _read({C: CHART, F: EVERY}, "confide.amendment.listed", "a chart's amendment requests"),
    "amendment.request": _change({C: TREATING, F: EVERY}, "log a request to amend a note, or the client's statement"),
    "amendment.decide": _change(
        {C: frozenset({Rel.AUTHOR, Rel.CLINICIAN_OF_RECORD})}, "extend, accept or deny an amendment; rebut"
    ),
