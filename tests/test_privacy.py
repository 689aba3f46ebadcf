"""The personal-data guard: check digits, what counts, exemptions, and that nothing leaks."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from sendplan.checks import run_checks
from sendplan.cli import app
from sendplan.load import load_plan
from sendplan.privacy import nhs_number_valid, redact, scan, upn_check_letter
from sendplan.sources import FolderSource
from tests.conftest import TODAY


def _nhs_reference(digits: str) -> bool:
    """NHS Digital's algorithm, written out independently of sendplan's."""
    total = sum(int(digits[i]) * (10 - i) for i in range(9))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def _upn_reference(upn: str) -> bool:
    letters = "ABCDEFGHJKLMNPQRTUVWXYZ"
    total = sum(int(upn[i - 1]) * i for i in range(2, 14))
    return upn[0] == letters[total % 23]


def kinds(text: str) -> list[tuple[int, int, str]]:
    """(line, column, what) with `what` the message up to its colon."""
    return [(line, column, message.split(":")[0]) for line, column, message in scan(text)]


NHS = "possible NHS number (10 digits passing the NHS check digit)"
UPN = "possible Unique Pupil Number (a letter and 12 digits passing the UPN check letter)"
WEBMAIL = "possible personal email address (at a webmail provider)"
NAMED = "possible personal email address (shaped like firstname.lastname@)"
DOB = "possible date of birth"


# --- check digits ---------------------------------------------------------------------------


@pytest.mark.parametrize("digits", ["9434765919", "9434765870", "4010232137", "4076087410"])
def test_valid_nhs_numbers_pass_the_check_digit(digits: str) -> None:
    assert nhs_number_valid(digits)
    assert _nhs_reference(digits)


@pytest.mark.parametrize(
    "digits",
    [
        "9434765918",  # check digit off by one
        "9434765871",
        "1234567890",
        "0677604360",  # the check comes to 10: no valid NHS number starts 067760436
        "0677604369",
        "943476591",  # nine digits
        "94347659190",
        "943476591x",
    ],
)
def test_invalid_nhs_numbers_fail_the_check_digit(digits: str) -> None:
    assert not nhs_number_valid(digits)


@pytest.mark.slow
@given(st.text(alphabet="0123456789", min_size=10, max_size=10))
@settings(max_examples=300)
def test_nhs_check_agrees_with_an_independent_implementation(digits: str) -> None:
    assert nhs_number_valid(digits) == _nhs_reference(digits)


@pytest.mark.parametrize(
    ("upn", "letter"),
    [
        ("B801200005001", "B"),
        ("D201200020001", "D"),
        ("E873123424567", "E"),
        ("B931400012001", "B"),  # 9*2+3*3+1*4+4*5+1*9+2*10+1*13 = 93; 93 mod 23 = 1 -> B
        ("F999999999999", "F"),  # 9*90 = 810; 810 mod 23 = 5 -> F
        ("A000000000000", "A"),
    ],
)
def test_upn_check_letter(upn: str, letter: str) -> None:
    assert upn_check_letter(upn[1:]) == letter
    assert _upn_reference(upn)


@pytest.mark.slow
@given(st.text(alphabet="0123456789", min_size=12, max_size=12))
@settings(max_examples=300)
def test_upn_check_agrees_with_an_independent_implementation(digits: str) -> None:
    assert _upn_reference(upn_check_letter(digits) + digits)


# --- what scan reports ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "note: seen 943 476 5919 today\n",
        "note: seen 943-476-5919 today\n",
        "note: seen 943\u00a0476\u00a05919 today\n",
        "note: seen 943 4765919 today\n",
        "note: NHS number 9434765919\n",
        "note: nhs no:9434765919.\n",
        "note: (NHS) 4010232137\n",
    ],
)
def test_nhs_numbers_are_reported_at_their_first_digit(text: str) -> None:
    first_digit = next(i for i, c in enumerate(text) if c.isdigit())
    assert kinds(text) == [(1, first_digit + 1, NHS)]


@pytest.mark.parametrize(
    "text",
    [
        "note: seen 943 476 5918 today\n",  # fails the check digit
        "note: 123 456 7890\n",
        "note: ref 9434765919 from the finance system\n",  # bare run, no NHS label
        "link: https://www.england.nhs.uk/papers/9434765919/\n",  # in a web address
        "note: see https://example.org/?id=9434765919 (NHS)\n",
        "note: NHS England funds 19434765919 things\n",  # 11 digits
        "note: phone 01865 792422 or 0300 123 4567\n",
        "date: 2024-06-15\ndue: 2024-04\nvalue: 58.5\n",
        "note: contact the team at nhs.net 9434765919\n",  # nhs.net is not an NHS label
    ],
)
def test_things_that_are_not_nhs_numbers_are_not_reported(text: str) -> None:
    assert kinds(text) == []


def test_nhs_label_on_the_line_before_counts() -> None:
    text = "note: >\n  Child's NHS number\n  9434765919 was seen.\n"
    assert kinds(text) == [(3, 3, NHS)]


def test_nhs_label_two_lines_before_does_not_count() -> None:
    assert kinds("NHS\n\n9434765919\n") == []


@pytest.mark.parametrize(
    ("text", "column"),
    [("UPN B801200005001\n", 5), ("upn:D201200020001.\n", 5), ("E873123424567", 1)],
)
def test_upns_with_their_check_letter_are_reported(text: str, column: int) -> None:
    assert kinds(text) == [(1, column, UPN)]


@pytest.mark.parametrize(
    "text",
    [
        "UPN C801200005001\n",  # wrong check letter
        "UPN b801200005001\n",  # check letters are capitals
        "UPN XB801200005001\n",  # part of a longer code
        "UPN B8012000050012\n",  # 13 digits
        "UPN 801200005001\n",  # no letter
    ],
)
def test_upn_shaped_strings_failing_the_check_are_not_reported(text: str) -> None:
    assert kinds(text) == []


@pytest.mark.parametrize(
    ("text", "what"),
    [
        ("owner: jane.smith@oxfordshire.gov.uk\n", NAMED),
        ("owner: j.smith@oxfordshire.gov.uk\n", NAMED),
        ("owner: sarah.jones-brown@nhs.net\n", NAMED),
        ("owner: sarah_o'brien@council.gov.uk\n", NAMED),
        ("owner: jane.m.smith2@school.sch.uk\n", NAMED),
        ("owner: <mailto:jane.smith@example.org>\n", NAMED),
        ("owner: mumof3@gmail.com\n", WEBMAIL),
        ("owner: info@gmail.com\n", WEBMAIL),
        ("owner: someone@hotmail.co.uk\n", WEBMAIL),
        ("owner: x@outlook.com\n", WEBMAIL),
        ("owner: x@yahoo.co.uk\n", WEBMAIL),
        ("owner: x@icloud.com\n", WEBMAIL),
        ("owner: x@btinternet.com\n", WEBMAIL),
        ("owner: X@GMAIL.COM\n", WEBMAIL),
    ],
)
def test_personal_email_addresses_are_reported_at_their_start(text: str, what: str) -> None:
    column = 16 if "mailto" in text else 8
    assert kinds(text) == [(1, column, what)]


@pytest.mark.parametrize(
    "text",
    [
        "owner: send@oxfordshire.gov.uk\n",
        "owner: info@council.gov.uk\n",
        "owner: enquiries@council.gov.uk\n",
        "owner: senco@school.sch.uk\n",
        "owner: send.team@oxfordshire.gov.uk\n",
        "owner: ehcp.enquiries@oxfordshire.gov.uk\n",
        "owner: local.offer@council.gov.uk\n",
        "owner: SEND.Improvement@oxfordshire.gov.uk\n",
        "owner: jsmith@council.gov.uk\n",  # one part: not recognisable as a name (a limit)
        "note: 3@4 is not an address; nor is a@b\n",
        "note: @handle on social media\n",
    ],
)
def test_role_and_team_mailboxes_are_not_reported(text: str) -> None:
    assert kinds(text) == []


@pytest.mark.parametrize(
    ("text", "column"),
    [
        ("note: DOB: 01/02/2015\n", 12),
        ("note: D.O.B. 1.2.15\n", 14),
        ("note: dob 2015-02-01\n", 11),
        ("note: date of birth 3rd March 2016\n", 21),
        ("note: date of birth is 3 of March\n", 24),
        ("note: birth date March 3, 2016\n", 18),
        ("note: born on 3 March 2016\n", 15),
        ("note: born 12/03/16 in Oxford\n", 12),
        ("note: 01/02/2015 (DOB)\n", 7),
    ],
)
def test_dates_of_birth_are_reported_at_the_date(text: str, column: int) -> None:
    assert kinds(text) == [(1, column, DOB)]


@pytest.mark.parametrize(
    "text",
    [
        "note: children born after 31 August 2015\n",
        "note: born between 1 September 2019 and 31 August 2020\n",
        "note: born on or after 1 September 2015\n",
        "note: born in 2015\n",
        "note: born in May 2015\n",
        "note: rating of 2024-06-15 by the board\n",
        "note: Adobe 2024-06-15\n",
        "note: stubborn 1 March 2016\n",
        "note: DOB\n  01/02/2015\n",  # the date must be on the same line
    ],
)
def test_other_dates_are_not_dates_of_birth(text: str) -> None:
    assert kinds(text) == []


@pytest.mark.parametrize(
    "line",
    [
        "note: NHS 943 476 5919  # sendplan: allow personal-data",
        "note: NHS 943 476 5919 #sendplan: allow personal-data   ",
        "note: NHS 943 476 5919 # sendplan: allow personal-data\r",
        "Body with 943 476 5919 <!-- sendplan: allow personal-data -->",
        "Body with 943 476 5919<!--sendplan:allow personal-data-->",
    ],
)
def test_a_trailing_allow_comment_exempts_its_line_only(line: str) -> None:
    assert kinds(line + "\n") == []
    assert kinds(line + "\nnote: 943 476 5919\n") == [(2, 7, NHS)]


@pytest.mark.parametrize(
    "line",
    [
        "note: <!-- sendplan: allow personal-data --> 943 476 5919",  # not at the end
        "note: 943 476 5919 # sendplan: allow personal data",
        "note: 943 476 5919 # sendplan: allow",
    ],
)
def test_an_allow_comment_elsewhere_or_misspelt_does_not_exempt(line: str) -> None:
    assert [k[2] for k in kinds(line)] == [NHS]


def test_one_finding_per_kind_per_line_and_each_line_counted() -> None:
    text = (
        "a: 943 476 5919 and 401 023 2137\r\n"
        "b: jane.smith@x.gov.uk DOB 01/02/2015\n"
        "\n"
        "c: B801200005001\n"
    )
    assert kinds(text) == [(1, 4, NHS), (2, 4, NAMED), (2, 28, DOB), (4, 4, UPN)]


def test_messages_never_contain_the_value() -> None:
    values = ["943 476 5919", "B801200005001", "jane.smith@gmail.com", "01/02/2015"]
    for line, _, message in scan("x: NHS " + " ".join(values) + " DOB 01/02/2015\n"):
        assert line == 1
        for value in values:
            assert value not in message
            assert value.split("@")[-1] not in message


@pytest.mark.parametrize(
    ("message", "redacted"),
    [
        ("due: '943 476 5919' is not a date", "due: '[redacted]' is not a date"),
        ("due: '9434765919' is not a date", "due: '[redacted]' is not a date"),  # no label needed
        ("unknown key 'DOB 01/02/2015'", "unknown key 'DOB [redacted]'"),
        # a written-out date of birth goes with its year
        ("unknown key 'DOB: 3 March 2015'", "unknown key 'DOB: [redacted]'"),
        ("note: born 3rd Mar. 2015, Y2", "note: born [redacted], Y2"),
        ("note: d.o.b. March 3, 2015.", "note: d.o.b. [redacted]."),
        ("note: 3 March 2015 (dob)", "note: [redacted] (dob)"),
        ("note: born 3 March, reviewed 2015", "note: born [redacted], reviewed 2015"),
        ("unknown key 'x B801200005001 y'", "unknown key 'x [redacted] y'"),
        ("owner jane.smith@council.gov.uk, x", "owner [redacted], x"),
        ("owner bob@gmail.com", "owner [redacted]"),
        # kept: what is not personal data by the same rules
        ("A1a:1 cites E999, which is not in evidence/", None),
        ("due: '9434765918' is not a date", None),
        ("E2024061501 cites C801200005001", None),
        ("write to send@council.gov.uk", None),
        ("rating dated 2024-06-15 is in the future", None),
    ],
)
def test_redact_blanks_personal_data_quoted_in_other_messages(
    message: str, redacted: str | None
) -> None:
    assert redact(message) == (redacted or message)


@pytest.mark.slow
@given(st.text(max_size=300))
@settings(max_examples=300)
def test_scan_and_redact_take_any_text(text: str) -> None:
    for line, column, message in scan(text):
        assert 1 <= line <= text.count("\n") + 1
        assert column >= 1
        assert message
    redact(text)


# --- through the loader and the CLI ---------------------------------------------------------

OBJECTIVE = "plan/A1/A1a-1.yaml"
ACCEPTANCE = """\
id: A1a:1
theme: A1a
title: Map assessment timelines
owner: Head of SEND
due: 2024-04
evidence: [E1, E2]
kpis: [k20]
supports: [I1]
ratings:
  - date: 2024-03-31
    brag: amber
    note: Reviewed the case of the child with NHS number 943 476 5919 at panel.
  - date: 2024-04-30
    brag: amber
    note: Parent (mum.jones@hotmail.co.uk) asked for an update.
  - date: 2024-05-31
    brag: amber
    note: Child's DOB is 14/02/2016, so the plan transfers at phase change.
  - date: 2024-06-10
    brag: amber
    note: Invoice 943 476 5918 paid to the provider.
  - date: 2024-06-15
    brag: amber
    note: Helpline 401 023 2137 now staffed.  # sendplan: allow personal-data
"""
LEAKS = ["943 476 5919", "9434765919", "mum.jones", "hotmail", "14/02/2016"]


def test_acceptance_each_kind_in_a_rating_note_is_caught_and_nothing_else(
    plan_copy: Callable[[str], Path],
) -> None:
    root = plan_copy("minimal")
    (root / OBJECTIVE).write_text(ACCEPTANCE, encoding="utf-8")
    findings = run_checks(load_plan(FolderSource(root)), TODAY)
    assert [(f.code, f.path, f.line, f.column, str(f.severity)) for f in findings] == [
        ("personal-data", OBJECTIVE, 12, 58, "error"),
        ("personal-data", OBJECTIVE, 15, 19, "error"),
        ("personal-data", OBJECTIVE, 18, 26, "error"),
    ]
    assert [f.message.split(":")[0] for f in findings] == [NHS, WEBMAIL, DOB]


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["text", "json", "github"])
def test_the_matched_values_are_absent_from_every_output_format(
    plan_copy: Callable[[str], Path], fmt: str
) -> None:
    root = plan_copy("minimal")
    (root / OBJECTIVE).write_text(
        ACCEPTANCE.replace("owner: Head of SEND", "owner: jane.smith@gmail.com").replace(
            "due: 2024-04", "due: 943 476 5919"
        )  # a schema error quoting the value
        + "DOB 01/02/2015: 1\n",  # an unknown key quoting it
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        app, ["validate", "--plan", str(root), "--format", fmt], catch_exceptions=False
    )
    assert result.exit_code == 1
    assert "personal-data" in result.output
    assert "[redacted]" in result.output
    for value in [*LEAKS, "jane.smith", "gmail", "01/02/2015"]:
        assert value not in result.output, value
    if fmt == "json":
        codes = [f["code"] for f in json.loads(result.output)["findings"]]
        assert codes.count("personal-data") == 6


def test_evidence_bodies_are_scanned_with_file_lines_and_html_comment_exemption(
    plan_copy: Callable[[str], Path],
) -> None:
    root = plan_copy("minimal")
    (root / "evidence/E1.md").write_bytes(
        b"\xef\xbb\xbf---\r\nid: E1\r\ntitle: Map\r\n---\r\n"
        b"Case notes:\r\n\r\n- UPN B801200005001\r\n"
        b"- helpline 401 023 2137 <!-- sendplan: allow personal-data -->\r\n"
        b"- born on 2 May 2016\r\n"
    )
    findings = run_checks(load_plan(FolderSource(root)), TODAY)
    assert [(f.code, f.path, f.line, f.column) for f in findings] == [
        ("personal-data", "evidence/E1.md", 7, 7),
        ("personal-data", "evidence/E1.md", 9, 11),
    ]


def test_personal_data_in_yaml_comments_and_keys_is_found_too(
    plan_copy: Callable[[str], Path],
) -> None:
    root = plan_copy("minimal")
    path = root / "kpis/k20.yaml"
    path.write_text(
        path.read_text(encoding="utf-8") + "# chased jane.smith@gmail.com for this\n",
        encoding="utf-8",
    )
    findings = run_checks(load_plan(FolderSource(root)), TODAY)
    assert [(f.code, f.path, f.line) for f in findings] == [("personal-data", "kpis/k20.yaml", 9)]


def test_a_file_that_is_not_utf8_is_still_scanned(plan_copy: Callable[[str], Path]) -> None:
    root = plan_copy("minimal")
    path = root / "kpis/k20.yaml"
    path.write_bytes(path.read_bytes() + "# caf\u00e9 NHS 943 476 5919\n".encode("latin-1"))
    findings = run_checks(load_plan(FolderSource(root)), TODAY)
    assert [(f.code, f.path, f.line) for f in findings] == [
        ("encoding", "kpis/k20.yaml", 9),
        ("personal-data", "kpis/k20.yaml", 9),
    ]


@pytest.mark.slow
def test_an_id_that_is_personal_data_is_redacted_in_messages_and_the_id_field(
    plan_copy: Callable[[str], Path],
) -> None:
    root = plan_copy("minimal")
    path = root / OBJECTIVE
    path.write_text(
        path.read_text(encoding="utf-8").replace("id: A1a:1", "id: 943-476-5919"), "utf-8"
    )
    result = CliRunner().invoke(
        app, ["validate", "--plan", str(root), "--format", "json"], catch_exceptions=False
    )
    assert "943-476-5919" not in result.output
    findings = json.loads(result.output)["findings"]
    # The value itself is redacted as the file is read (for every output), so the ID the
    # schema sees is `[redacted]`, which is no valid ID.
    assert [(f["code"], f["line"], f["id"]) for f in findings] == [
        ("schema", 1, "[redacted]"),
        ("personal-data", 1, None),
    ]


def test_a_domain_with_no_name_before_it_is_no_email_address() -> None:
    assert scan("Contact @nhs.net for help") == []
    assert redact("Contact @nhs.net for help") == "Contact @nhs.net for help"


def test_overlapping_matches_are_redacted_once() -> None:
    # A label before and one after: both patterns match the same date, one [redacted].
    assert redact("dob 01/02/2015 dob") == "dob [redacted] dob"
    assert redact("DOB 01/02/2015 date of birth") == "DOB [redacted] date of birth"


def test_a_digit_of_another_script_is_every_decimal_digit_but_0_to_9() -> None:
    from sendplan.privacy import _OTHER_DIGIT

    every = "".join(chr(n) for n in range(0x110000) if not 0xD800 <= n <= 0xDFFF)
    expected = [c for c in every if c.isdecimal() and c not in "0123456789"]
    assert _OTHER_DIGIT.findall(every) == expected
    assert "\u0663" in expected  # Arabic-Indic 3
    assert "\uff17" in expected  # fullwidth 7
