"""Every action code the source passes to `record()` is declared in confide/audit/actions.py, and `record()` refuses
a code, an identifier or a detail key its declaration does not allow.

The walk reads the source, not a running app, so a code path no test reaches is still checked. Codes passed through
a variable are followed to the literals that reach it; a call the walk cannot follow fails the test, so a new kind of
indirection is decided here rather than slipping past.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from confide.access.policy import POLICY
from confide.audit import actions
from confide.audit.actions import UnregisteredAction
from confide.audit.services import record
from confide.people.models import User

SOURCE = Path(__file__).resolve().parents[2] / "confide"


@dataclass(frozen=True)
class Call:
    where: str
    codes: tuple[str, ...]  # the codes that can reach it; empty: the walk could not follow it


def _is_record(node: ast.AST) -> bool:
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    return (isinstance(func, ast.Name) and func.id == "record") or (
        isinstance(func, ast.Attribute) and func.attr == "record"
    )


def _parents(tree: ast.AST) -> dict[ast.AST, ast.AST]:
    return {child: parent for parent in ast.walk(tree) for child in ast.iter_child_nodes(parent)}


def _enclosing_function(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> ast.FunctionDef | None:
    while node in parents:
        node = parents[node]
        if isinstance(node, ast.FunctionDef):
            return node
    return None


def _literals(node: ast.AST) -> list[str] | None:
    """The strings an expression can be: a literal, or either side of `a if c else b`."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        body, orelse = _literals(node.body), _literals(node.orelse)
        return None if body is None or orelse is None else body + orelse
    return None


def _arguments_reaching(tree: ast.AST, function: ast.FunctionDef, name: str) -> list[ast.AST]:
    """Every argument given for parameter `name` in the module's calls of `function`."""
    position = [arg.arg for arg in function.args.args].index(name)
    found: list[ast.AST] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == function.name:
            if position < len(node.args):
                found.append(node.args[position])
            found.extend(keyword.value for keyword in node.keywords if keyword.arg == name)
    return found


def _codes(tree: ast.AST, parents: dict[ast.AST, ast.AST], node: ast.AST) -> list[str] | None:
    literal = _literals(node)
    if literal is not None:
        return literal
    if isinstance(node, ast.Attribute) and node.attr == "audit":
        # The policy's require() audits a read with its rule's code: every code the policy table names.
        return sorted({rule.audit for rule in POLICY.values() if rule.audit is not None})
    function = _enclosing_function(node, parents)
    if isinstance(node, ast.JoinedStr) and function is not None:
        # f"confide.progress_note.{action}" with `action` a parameter: each literal the callers pass.
        parts = node.values
        if len(parts) == 2 and isinstance(parts[0], ast.Constant) and isinstance(parts[1], ast.FormattedValue):
            prefix, inner = str(parts[0].value), parts[1].value
            if isinstance(inner, ast.Name):
                suffixes = _codes_of_name(tree, parents, function, inner.id)
                return None if suffixes is None else [prefix + suffix for suffix in suffixes]
        return None
    if isinstance(node, ast.Name) and function is not None:
        return _codes_of_name(tree, parents, function, node.id)
    return None


def _codes_of_name(
    tree: ast.AST, parents: dict[ast.AST, ast.AST], function: ast.FunctionDef, name: str
) -> list[str] | None:
    if name in [arg.arg for arg in function.args.args]:
        reaching = _arguments_reaching(tree, function, name)
        if not reaching:
            return None
        codes: list[str] = []
        for argument in reaching:
            found = _codes(tree, parents, argument)
            if found is None:
                return None
            codes.extend(found)
        return codes
    # A local assigned in the function, else a module constant (ANCHORED = "confide.audit.anchored").
    scope = function if _assigned(function, name) else tree
    assigned = _assigned(scope, name)
    if not assigned:
        return None
    codes = []
    for value in assigned:
        found = _literals(value)
        if found is None:
            return None
        codes.extend(found)
    return codes


def _assigned(scope: ast.AST, name: str) -> list[ast.AST]:
    return [
        node.value
        for node in ast.walk(scope)
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets)
    ]


def calls_of_record() -> Iterator[Call]:
    for path in sorted(SOURCE.rglob("*.py")):
        tree = ast.parse(path.read_text(), filename=str(path))
        parents = _parents(tree)
        for node in ast.walk(tree):
            if _is_record(node):
                assert isinstance(node, ast.Call)
                first = node.args[0] if node.args else next(k.value for k in node.keywords if k.arg == "action")
                codes = _codes(tree, parents, first)
                yield Call(f"{path.relative_to(SOURCE.parent)}:{node.lineno}", tuple(codes or ()))


def test_the_walk_finds_the_calls_it_should() -> None:
    # Guards the walk itself: if it silently found nothing, every other assertion here would pass.
    calls = list(calls_of_record())
    assert len(calls) > 50
    found = {code for call in calls for code in call.codes}
    assert {"confide.progress_note.signed", "confide.user.deactivated", "confide.psychotherapy_note.grant"} <= found


def test_every_code_passed_to_record_is_registered() -> None:
    unfollowed = [call.where for call in calls_of_record() if not call.codes]
    assert unfollowed == [], "record() calls whose codes the walk cannot follow: pass a literal code"
    unregistered = sorted(
        f"{call.where}: {code}" for call in calls_of_record() for code in call.codes if code not in actions.ACTIONS
    )
    assert unregistered == [], "declare these in confide/audit/actions.py"


def test_every_code_the_policy_audits_a_read_with_is_a_registered_read() -> None:
    for verb, rule in POLICY.items():
        if rule.audit is not None:
            assert actions.action(rule.audit).kind in (actions.Kind.READ, actions.Kind.EXPORT), verb


def test_record_refuses_an_unregistered_code(clinician: User) -> None:
    with pytest.raises(UnregisteredAction, match=r"confide\.chart\.peeked"):
        record("confide.chart.peeked", actor=clinician, client_id=1)


def test_record_refuses_an_identifier_the_code_does_not_carry(clinician: User) -> None:
    with pytest.raises(UnregisteredAction, match="client id"):
        record("confide.user.password_changed", actor=clinician, client_id=1)
    with pytest.raises(UnregisteredAction, match="'progress_note' object"):
        record("confide.diagnosis.added", actor=clinician, client_id=1, object_type="progress_note", object_id=4)


def test_record_refuses_a_detail_key_the_code_does_not_carry(clinician: User) -> None:
    # The door through which note text would leak into the log: a key nobody declared.
    with pytest.raises(UnregisteredAction, match="subjective"):
        record("confide.progress_note.signed", actor=clinician, client_id=1, detail={"subjective": "the client said"})


def test_every_code_has_a_kind_and_says_what_it_is_about() -> None:
    for code, declared in actions.ACTIONS.items():
        assert code == declared.code
        assert declared.kind in actions.Kind
        assert declared.about in actions.About
        assert not (declared.detail & declared.clinical), code
