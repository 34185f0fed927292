"""docs/api.md is the API's contract for a reader of this repository, so it is held to what the server serves.

Three promises: every route the OpenAPI document lists has a heading in docs/api.md and every heading not marked
planned is a route the server serves; the error-code table lists exactly the codes the code can answer, with their
statuses; and no file in the repository sends its reader to a document the repository does not have.

Routes and codes are being added all the time, so each failure names the route or code, where it is missing, and
what to write.
"""

from __future__ import annotations

import ast
import re
import subprocess
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.test import Client as HttpClient

from confide.api.main import api

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "api.md"
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
HEADING = re.compile(r"^#{2,6}\s+`(" + "|".join(METHODS) + r") (/api/v1/[^`\s]*)`(.*)$")
PLANNED = re.compile(r"planned", re.IGNORECASE)


@dataclass(frozen=True)
class Heading:
    route: str  # "GET /api/v1/clients/{client_id}"
    line: int
    planned: bool


def doc_headings() -> list[Heading]:
    headings = []
    for number, line in enumerate(DOC.read_text().splitlines(), start=1):
        match = HEADING.match(line)
        if match:
            method, path, rest = match.groups()
            headings.append(Heading(f"{method} {path}", number, bool(PLANNED.search(rest))))
    return headings


def openapi_routes() -> set[str]:
    routes = set()
    for path, operations in api.get_openapi_schema()["paths"].items():
        for method in operations:
            if method.upper() in METHODS:
                routes.add(f"{method.upper()} {path}")
    return routes


def _shape(route: str) -> str:
    """The route with its parameter names blanked, to say "documented under another parameter name"."""
    return re.sub(r"\{[^}]*\}", "{}", route)


def test_the_doc_has_endpoint_headings() -> None:
    # A guard for the guard: if the heading pattern stopped matching, every other check here would pass vacuously.
    assert len(doc_headings()) >= 30, f"{DOC.name}: expected endpoint headings like '### `GET /api/v1/clients`'"


def test_every_served_route_is_documented() -> None:
    headings = doc_headings()
    served_in_doc = {h.route for h in headings if not h.planned}
    problems = []
    for route in sorted(openapi_routes() - served_in_doc):
        planned = [h for h in headings if h.route == route and h.planned]
        renamed = [h for h in headings if _shape(h.route) == _shape(route) and h.route != route]
        if planned:
            problems.append(
                f"{route} is served now, but docs/api.md line {planned[0].line} still marks it planned: "
                "drop the 'planned — not served yet' mark and describe what it serves"
            )
        elif renamed:
            problems.append(
                f"{route} is served, but docs/api.md line {renamed[0].line} documents it as {renamed[0].route}: "
                "use the OpenAPI document's parameter names"
            )
        else:
            problems.append(
                f"{route} is served (OpenAPI document) but has no heading in docs/api.md: add "
                f"'### `{route}`' with who may call it, the request and response fields and the status codes"
            )
    assert not problems, "\n".join(problems)


def test_every_documented_route_is_served() -> None:
    served = openapi_routes()
    problems = [
        f"docs/api.md line {h.line} documents {h.route} as served, but the OpenAPI document has no such route: "
        "fix the path, mark the heading 'planned — not served yet', or remove it"
        for h in doc_headings()
        if not h.planned and h.route not in served
    ]
    assert not problems, "\n".join(problems)


def test_no_route_has_two_headings() -> None:
    lines: dict[str, list[int]] = defaultdict(list)
    for heading in doc_headings():
        lines[heading.route].append(heading.line)
    twice = {route: found for route, found in lines.items() if len(found) > 1}
    assert not twice, f"docs/api.md documents these routes more than once (lines): {twice}"


VERB_LINE = re.compile(r"^Policy verb: `([a-z_.]+)`")


def documented_verbs() -> dict[str, tuple[int, str | None]]:
    """route -> (heading line, the verb its section names, or None), for each heading not marked planned."""
    lines = DOC.read_text().splitlines()
    found: dict[str, tuple[int, str | None]] = {}
    for heading in (h for h in doc_headings() if not h.planned):
        verb = None
        for line in lines[heading.line :]:
            if line.startswith("#"):
                break
            match = VERB_LINE.match(line)
            if match:
                verb = match.group(1)
                break
        found[heading.route] = (heading.line, verb)
    return found


def test_each_endpoint_names_the_verb_it_declares() -> None:
    from confide.access.routes import api_operations, verb_of

    declared = {f"{method} /api/v1{path}": verb_of(view) for method, path, view in api_operations(api)}
    wrong = []
    for route, (line, verb) in sorted(documented_verbs().items()):
        if route not in declared:
            continue  # test_every_documented_route_is_served says so
        if verb != declared[route]:
            wrong.append(
                f"docs/api.md line {line}: {route} declares @allows({declared[route]!r}); its section should say "
                f"'Policy verb: `{declared[route]}`.'" + (f" (it says {verb!r})" if verb else " (it names none)")
            )
    assert not wrong, "\n".join(wrong)


def test_the_openapi_document_is_served_where_the_doc_says(db: None) -> None:
    response = HttpClient().get("/api/v1/openapi.json")
    assert response.status_code == 200
    served = {f"{m.upper()} {p}" for p, ops in response.json()["paths"].items() for m in ops if m.upper() in METHODS}
    assert served == openapi_routes()


# --- Error codes -----------------------------------------------------------------------------------------------------
# The codes are read from the source rather than from a running server: a code appears in a `raise` long before a
# test happens to reach it. Three shapes produce one: a domain error raised with a code (`RuleViolation("…", "x")` or
# `code="x"`), a domain error class's own `code`, and an error body written out as `{"detail": …, "code": "x"}`.
# The web UI's own pages (confide/web) answer in HTML, not with these codes, so they are not part of the contract.

ERROR_BASE = "ConfideError"
SOURCES = [p for p in (ROOT / "confide").rglob("*.py") if "web" not in p.relative_to(ROOT / "confide").parts[:1]]
SOURCES += sorted((ROOT / "config").rglob("*.py"))


@dataclass
class ErrorClass:
    bases: list[str]
    code: str | None
    status: int | None


def _constant(node: ast.AST | None) -> object:
    return node.value if isinstance(node, ast.Constant) else None


def _error_classes(trees: dict[Path, ast.Module]) -> dict[str, ErrorClass]:
    classes: dict[str, ErrorClass] = {}
    for tree in trees.values():
        for node in ast.walk(tree):
            if not isinstance(node, ast.ClassDef):
                continue
            found = ErrorClass(
                [b.id if isinstance(b, ast.Name) else getattr(b, "attr", "") for b in node.bases], None, None
            )
            for statement in node.body:
                if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
                    target = statement.targets[0]
                    if isinstance(target, ast.Name) and target.id in ("code", "status"):
                        setattr(found, target.id, _constant(statement.value))
            classes[node.name] = found

    def derives(name: str, seen: frozenset[str] = frozenset()) -> bool:
        if name == ERROR_BASE:
            return True
        return any(
            b not in seen and derives(b, seen | {name}) for b in classes.get(name, ErrorClass([], None, None)).bases
        )

    return {name: found for name, found in classes.items() if derives(name)}


def _inherited(classes: dict[str, ErrorClass], name: str, field: str) -> object:
    while name in classes:
        value = getattr(classes[name], field)
        if value is not None:
            return value
        name = next((b for b in classes[name].bases if b in classes), "")
    return None


@dataclass
class Answered:
    where: set[str] = field(default_factory=set)  # "path:line" of each place that produces the code
    statuses: set[int] = field(default_factory=set)
    computed: bool = False  # somewhere the status is only known at run time


def codes_in_code() -> dict[str, Answered]:
    """Every error code the API can answer, with where it is produced and with which statuses."""
    trees = {path: ast.parse(path.read_text(), str(path)) for path in SOURCES}
    classes = _error_classes(trees)
    class_codes = {
        node.name: str(code)
        for tree in trees.values()
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef)
        for statement in node.body
        if isinstance(statement, ast.Assign)
        and [t.id for t in statement.targets if isinstance(t, ast.Name)] == ["code"]
        and isinstance(code := _constant(statement.value), str)
    }
    found: dict[str, Answered] = defaultdict(Answered)

    def add(code: object, status: object, path: Path, line: int) -> None:
        if isinstance(code, str):
            found[code].where.add(f"{path.relative_to(ROOT)}:{line}")
            if isinstance(status, int):
                found[code].statuses.add(status)
            else:
                found[code].computed = True

    for path, tree in trees.items():
        written: set[int] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef) and node.name in classes and classes[node.name].code:
                add(classes[node.name].code, _inherited(classes, node.name, "status"), path, node.lineno)
            if not isinstance(node, ast.Call):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
            if name in classes:
                argument = _code_argument(node)
                if argument is None:
                    add(_inherited(classes, name, "code"), _inherited(classes, name, "status"), path, node.lineno)
                elif isinstance(argument, ast.Constant):
                    add(argument.value, _inherited(classes, name, "status"), path, node.lineno)
                continue  # a computed code: see _passed_on below
            status = next((_constant(k.value) for k in node.keywords if k.arg == "status"), None)
            if status is None and node.args:
                status = _constant(node.args[0])
            for argument in node.args:
                if isinstance(argument, ast.Dict) and _body_code(argument):
                    add(_body_code(argument), status, path, node.lineno)
                    written.add(id(argument))
        for body in (n for n in ast.walk(tree) if isinstance(n, ast.Dict) and id(n) not in written):
            if _body_code(body):  # built before the call that sends it: its status is not known here
                add(_body_code(body), None, path, body.lineno)
        for handler in (node for node in ast.walk(tree) if isinstance(node, ast.ExceptHandler)):
            for code, raised_as in _passed_on(handler, classes, class_codes):
                add(code, _inherited(classes, raised_as, "status"), path, handler.lineno)
    return found


def _body_code(body: ast.Dict) -> str | None:
    """The code of an error body written out as `{"detail": …, "code": "x"}`."""
    keys = [_constant(k) for k in body.keys]
    if "detail" in keys and "code" in keys:
        code = _constant(body.values[keys.index("code")])
        return code if isinstance(code, str) else None
    return None


def _code_argument(call: ast.Call) -> ast.expr | None:
    """The expression given as a domain error's code: its second positional argument or `code=`."""
    given = call.args[1] if len(call.args) > 1 else None
    return next((k.value for k in call.keywords if k.arg == "code"), given)


def _passed_on(
    handler: ast.ExceptHandler, classes: dict[str, ErrorClass], class_codes: dict[str, str]
) -> Iterator[tuple[str, str]]:
    """`except (TranscriptTooLong, DraftTimedOut) as error: raise RuleViolation(str(error), error.code)` answers
    each caught class's own `code`: yields (code, the domain error class that carries it)."""
    if handler.name is None or handler.type is None:
        return
    caught = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    names = [c.id if isinstance(c, ast.Name) else getattr(c, "attr", "") for c in caught]
    for node in (n for statement in handler.body for n in ast.walk(statement)):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
        argument = _code_argument(node)
        if (
            name in classes
            and isinstance(argument, ast.Attribute)
            and argument.attr == "code"
            and isinstance(argument.value, ast.Name)
            and argument.value.id == handler.name
        ):
            yield from ((class_codes[n], name) for n in names if n in class_codes)


def documented_codes() -> dict[str, tuple[int, str]]:
    """code -> (line in docs/api.md, its status cell), from the "Error codes" table."""
    codes: dict[str, tuple[int, str]] = {}
    inside = False
    for number, line in enumerate(DOC.read_text().splitlines(), start=1):
        if line.startswith("#"):
            inside = line.strip("# ").lower() == "error codes"
            continue
        if inside and line.startswith("| `"):
            cells = [cell.strip() for cell in line.strip("|").split("|")]
            codes[cells[0].strip("`")] = (number, cells[1])
    return codes


def _statuses(cell: str) -> set[int] | None:
    """The statuses a table cell names; None for a range such as 4xx."""
    if "xx" in cell:
        return None
    return {int(s) for s in re.findall(r"\d{3}", cell)}


def test_the_error_code_table_is_found() -> None:
    assert len(documented_codes()) >= 20, "docs/api.md: the '### Error codes' table (| `code` | status | when |)"


def test_every_error_code_the_code_answers_is_documented() -> None:
    documented = documented_codes()
    missing = [
        f"error code {code!r} (raised at {', '.join(sorted(found.where)[:3])}) has no row in docs/api.md's "
        f"'Error codes' table: add | `{code}` | {', '.join(str(s) for s in sorted(found.statuses)) or 'STATUS'} "
        "| when it is answered |"
        for code, found in sorted(codes_in_code().items())
        if code not in documented
    ]
    assert not missing, "\n".join(missing)


def test_every_documented_error_code_is_answered() -> None:
    in_code = codes_in_code()
    stale = [
        f"docs/api.md line {line} lists error code {code!r}, which no code outside confide/web raises: remove the row"
        for code, (line, _) in sorted(documented_codes().items())
        if code not in in_code
    ]
    assert not stale, "\n".join(stale)


def test_documented_statuses_match_the_code() -> None:
    in_code = codes_in_code()
    wrong = []
    for code, (line, cell) in sorted(documented_codes().items()):
        if code not in in_code:
            continue
        known = in_code[code].statuses
        if in_code[code].computed or _statuses(cell) is None:
            continue  # computed at run time, or documented as a range: nothing to compare
        if _statuses(cell) != known:
            wrong.append(f"docs/api.md line {line}: {code!r} is documented as {cell}, the code answers {sorted(known)}")
    assert not wrong, "\n".join(wrong)


# --- References ------------------------------------------------------------------------------------------------------
# A comment that says "see the product brief, section 2" sends the reader to a file they do not have. Each rule is
# stated where it applies or in a docs/ page. The names are assembled so that this file does not match itself.

OUTSIDE = [
    "STYLE" + ".md",
    "SPEC" + ".md",
    "SPEC" + " §",
    "API" + ".md",
    "CLINICAL" + ".md",
    ".." + "/shared",
]


def repository_files() -> list[str]:
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT,
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    return sorted({name for name in listed.split("\0") if name and (ROOT / name).is_file()})


@pytest.mark.skipif(not (ROOT / ".git").exists(), reason="needs a git checkout to list the repository's files")
def test_no_file_cites_a_document_outside_the_repository() -> None:
    cited = []
    for name in repository_files():
        try:
            text = (ROOT / name).read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # binary files cite nothing
        for number, line in enumerate(text.splitlines(), start=1):
            hits = [word for word in OUTSIDE if word in line]
            if hits:
                cited.append(f"{name}:{number} cites {', '.join(hits)}: point at a file in docs/ or state the rule")
    assert not cited, "\n".join(cited)
