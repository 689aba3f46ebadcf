"""`sendplan withdraw`: one line inserted, every other byte kept; refusals write nothing."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from sendplan.errors import Refusal
from sendplan.withdraw import WithdrawRequest, withdraw
from sendplan.yamledit import add_key
from tests.conftest import TODAY

OBJECTIVE = "plan/B1/B1-2.yaml"
LINE = "withdrawn: {on: 2024-06-30, reason: Merged into B1:1}"


def request(reason: str = "Merged into B1:1", day: date = date(2024, 6, 30)) -> WithdrawRequest:
    return WithdrawRequest("B1:2", reason, day)


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("id: X\ntitle: T\n", f"id: X\ntitle: T\n{LINE}\n"),
        ("id: X\r\ntitle: T\r\n", f"id: X\r\ntitle: T\r\n{LINE}\r\n"),
        ("id: X\ntitle: T", f"id: X\ntitle: T\n{LINE}"),  # no final line break: none added
        ("id: X\ntitle: T\n# end\n", f"id: X\ntitle: T\n{LINE}\n# end\n"),
        ("id: X\nnote: |\n  two\n  lines\n\n", f"id: X\nnote: |\n  two\n  lines\n\n{LINE}\n"),
        ("{id: X, title: T}\n", f"{{id: X, title: T, {LINE}}}\n"),
    ],
    ids=["lf", "crlf", "no-final-break", "trailing-comment", "block-scalar", "flow"],
)
def test_add_key_inserts_one_line_after_the_mapping(before: str, after: str) -> None:
    entry = [("on", "2024-06-30"), ("reason", "Merged into B1:1")]
    assert add_key(before, "withdrawn", entry) == after


def test_add_key_refuses_a_key_already_there() -> None:
    with pytest.raises(ValueError, match="already has withdrawn:"):
        add_key("id: X\nwithdrawn: {on: 2024-01-01, reason: x}\n", "withdrawn", [("on", "x")])


def test_withdraw_keeps_every_byte_and_quotes_what_needs_it(
    plan_copy: Callable[[str], Path],
) -> None:
    root = plan_copy("signoff")
    original = (root / OBJECTIVE).read_bytes()
    done = withdraw(root, request('Merged: see "B1:1"'), TODAY)
    assert (done.path, done.ratings) == (OBJECTIVE, 2)
    assert (root / OBJECTIVE).read_bytes() == original + (
        b'withdrawn: {on: 2024-06-30, reason: "Merged: see \\"B1:1\\""}\n'
    )


@pytest.mark.parametrize(
    ("the_request", "message"),
    [
        (request(day=date(2024, 7, 2)), "2024-07-02 is in the future (today is 2024-07-01)"),
        (request(reason="  "), "a withdrawal needs a reason"),
        (
            request(day=date(2024, 6, 1)),
            "B1:2 has a rating dated 2024-06-12, after 2024-06-01; withdraw it on or after "
            "its last rating (--on DATE)",
        ),
        (WithdrawRequest("B1:4", "Again", TODAY), "B1:4 was already withdrawn on 2024-06-15"),
        (WithdrawRequest("B1:9", "Gone", TODAY), "no objective B1:9 in this plan"),
    ],
    ids=["future", "blank-reason", "before-last-rating", "already-withdrawn", "unknown"],
)
def test_each_refusal_writes_nothing(
    plan_copy: Callable[[str], Path], the_request: WithdrawRequest, message: str
) -> None:
    root = plan_copy("signoff")
    before = snapshot(root)
    with pytest.raises(Refusal, match="^" + re.escape(message)):
        withdraw(root, the_request, TODAY)
    assert snapshot(root) == before


def test_withdraw_refuses_a_file_with_errors(plan_copy: Callable[[str], Path]) -> None:
    root = plan_copy("signoff")
    path = root / OBJECTIVE
    path.write_text(path.read_text().replace("kpis: [waits]", "kpis: [waits, nope]"))
    before = snapshot(root)
    with pytest.raises(Refusal, match=re.escape("plan/B1/B1-2.yaml has 1 error; fix it before")):
        withdraw(root, request(), TODAY)
    assert snapshot(root) == before


def test_an_empty_withdrawn_key_is_refused_not_doubled(plan_copy: Callable[[str], Path]) -> None:
    """`withdrawn:` with no value reads as not withdrawn, but a second key would be a
    duplicate: the file is left for its author to finish or remove the line."""
    root = plan_copy("signoff")
    path = root / OBJECTIVE
    path.write_text(path.read_text(encoding="utf-8") + "withdrawn:\n", encoding="utf-8")
    before = snapshot(root)
    with pytest.raises(Refusal) as raised:
        withdraw(root, request(), TODAY)
    assert str(raised.value) == (
        "cannot add the withdrawal to this file: the file already has withdrawn:"
    )
    assert snapshot(root) == before


@pytest.mark.parametrize(
    ("text", "after"),
    [
        ("id: X\nratings: []  # none yet\n", "id: X\nratings:  # none yet\n"),
        ("id: X\nratings:\t[ ]\n", "id: X\nratings:\n"),
        ("id: X\nratings: [\n  # none yet\n]\n", None),  # a comment inside: left alone
        ("id: X\nratings: [a]\n", None),  # not empty
        ("id: X\nratings:\n  - a\n", None),  # a block list already
        ("{id: X, ratings: []}\n", None),  # a flow mapping
        ("- a\n- b\n", None),  # not a mapping at all
    ],
)
def test_only_an_empty_flow_list_loses_its_brackets(text: str, after: str | None) -> None:
    from sendplan.yamledit import unflow_empty_list

    assert unflow_empty_list(text, "ratings") == (text if after is None else after)


@pytest.mark.parametrize("text", ["- a\n", "{}\n", "just text\n"])
def test_add_key_refuses_what_is_not_a_mapping_of_keys(text: str) -> None:
    with pytest.raises(ValueError, match=r"^the file is not a mapping of keys$"):
        add_key(text, "withdrawn", [("on", "2024-06-30")])


def test_add_key_goes_after_an_empty_value_and_before_a_closing_comment() -> None:
    entry = [("on", "2024-06-30"), ("reason", "r")]
    assert add_key("id: X\nby:\n# end\n", "withdrawn", entry) == (
        "id: X\nby:\nwithdrawn: {on: 2024-06-30, reason: r}\n# end\n"
    )
    assert add_key("id: X\nlist: [a, b]  # c\n", "withdrawn", entry) == (
        "id: X\nlist: [a, b]  # c\nwithdrawn: {on: 2024-06-30, reason: r}\n"
    )
