"""C: the fields an audit needs are filled in, and the description is not a cut-off copy."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import ClassVar

from ccus_records.rules.base import FixKind, RecordContext, Rule, Severity, Violation
from ccus_records.schema.vocabulary import REGULATORY_FIELDS

REQUIRED_TEXT_FIELDS: tuple[str, ...] = (
    "title",
    "description",
    "country",
    "category",
    "legalWeight",
    "source",
)
# A sentence end: closing punctuation, optionally followed by closing quotes or brackets.
_SENTENCE_END = re.compile(r"[.!?…。！？][\"'”’»)\]）」』]*$")


def is_blank(context: RecordContext, dotted: str) -> bool:
    """True for a string field that holds only white space (a missing or mistyped one is S003's)."""
    value = context.value(dotted)
    return isinstance(value, str) and not value.strip()


class EmptyField(Rule):
    """`title`, `description`, `country`, `category`, `legalWeight` or `source` is empty.

    What it checks
        Each of these six fields holds something other than white space. One finding per empty field.

    Why an auditor cares
        These identify the instrument: without a title, source or jurisdiction a record cannot be traced
        to anything, let alone checked.

    Example
        `"source": ""`.

    How to fix
        Fill in the field from the instrument itself.
    """

    code = "C001"
    name = "empty-field"
    severity: ClassVar[Severity] = "error"

    def check(self, context: RecordContext) -> Iterator[Violation]:
        for dotted in REQUIRED_TEXT_FIELDS:
            if is_blank(context, dotted):
                yield Violation(f"`{dotted}` is empty", dotted)


class MissingEvidence(Rule):
    """An analysis dimension's `evidence` is empty.

    What it checks
        Each of the five analysis dimensions (incentive, market, mrv, statutory, strategic) says what in
        the instrument its label and score rest on.

    Why an auditor cares
        A score without evidence is an opinion nobody can check.

    Example
        `"mrv": {"evidence": "", "label": "Standard", "score": 60, ...}`.

    How to fix
        Quote or paraphrase the provision the score is based on.
    """

    code = "C002"
    name = "missing-evidence"
    severity: ClassVar[Severity] = "warning"

    def check(self, context: RecordContext) -> Iterator[Violation]:
        for name, _ in context.dimensions():
            if is_blank(context, f"analysis.{name}.evidence"):
                yield Violation(f"analysis dimension `{name}` has no evidence", f"analysis.{name}.evidence")


class MissingCitation(Rule):
    """An analysis dimension's `citation` is empty (one finding per dimension).

    What it checks
        Each of the five analysis dimensions cites where in the instrument its evidence is found.

    Why an auditor cares
        Evidence without a citation cannot be looked up; the reviewer has to redo the research.

    Example
        `"statutory": {"citation": "", "evidence": "Pore space rights not explicitly defined.", ...}`.

    How to fix
        Cite the instrument itself: its official title, number and article or section.
    """

    code = "C003"
    name = "missing-citation"
    severity: ClassVar[Severity] = "warning"

    def check(self, context: RecordContext) -> Iterator[Violation]:
        for name, _ in context.dimensions():
            if is_blank(context, f"analysis.{name}.citation"):
                yield Violation(f"analysis dimension `{name}` has no citation", f"analysis.{name}.citation")


class RegulatoryGaps(Rule):
    """One or more `regulatory` fields are empty (one finding per record, naming them).

    What it checks
        The seven regulatory fields: co2_definition, cross_border_rules, financial_assurance,
        liability_period, liability_transfer, permitting_lead_time, pore_space_rights.

    Why an auditor cares
        These are what storage projects are financed on; a gap is worth knowing, though many instruments
        genuinely say nothing on some of them — hence info, not warning.

    Example
        A tax credit whose record leaves every regulatory field "".

    How to fix
        Fill in what the instrument says; leave a field empty where it says nothing.
    """

    code = "C004"
    name = "regulatory-gaps"
    severity: ClassVar[Severity] = "info"

    def check(self, context: RecordContext) -> Iterator[Violation]:
        empty = [name for name in REGULATORY_FIELDS if is_blank(context, f"regulatory.{name}")]
        if empty:
            yield Violation(f"{len(empty)} regulatory field(s) empty: {', '.join(empty)}", "regulatory")


def normalise_whitespace(text: str) -> str:
    """Runs of white space as one space, none at the ends (str.split does it in C)."""
    return " ".join(text.split())


def is_truncated_copy(description: str, body: str) -> bool:
    """The description is a strict prefix of the body that was cut inside a word or a sentence."""
    short = normalise_whitespace(description)
    if not short:
        return False
    # Normalising only shortens text, so a raw prefix somewhat longer than the description usually
    # suffices; the whole body is normalised only when it does not.
    full = normalise_whitespace(body[: 2 * len(description) + 64])
    if len(full) <= len(short):
        full = normalise_whitespace(body)
    if len(short) >= len(full) or not full.startswith(short):
        return False
    inside_word = short[-1].isalnum() and full[len(short)].isalnum()
    return inside_word or not _SENTENCE_END.search(short)


class TruncatedDescription(Rule):
    """The description is a copy of the body's opening that was cut off mid-word or mid-sentence.

    What it checks
        Whether the description, white space normalised, is a strict prefix of the body that stops
        inside a word or without closing punctuation (`.`, `!`, `?`, `…`, `。`, `！`, `？`, optionally
        followed by a closing quote or bracket).

    Why an auditor cares
        A description cut at a fixed length by a machine reads as a complete statement in every list and
        report, while it stops mid-thought ("... for achieving net-zer").

    Example
        Description "... designating CCUS as a critical technology for achieving net-zer" where the body
        goes on "net-zero physical status."

    How to fix
        End the description at a sentence end. `lint --fix --unsafe-fixes` replaces it with the body's
        opening up to its last complete sentence.
    """

    code = "C005"
    name = "truncated-description"
    severity: ClassVar[Severity] = "warning"
    fix: ClassVar[FixKind] = "unsafe"

    def check(self, context: RecordContext) -> Iterator[Violation]:
        description = context.text("description")
        if is_truncated_copy(description, context.file.body):
            tail = normalise_whitespace(description)[-24:]
            yield Violation(f"the description is a copy of the body cut off at “…{tail}”", "description")


class EmptyBody(Rule):
    """Nothing after the front matter.

    What it checks
        The Markdown body after the closing `---` holds some text.

    Why an auditor cares
        The body is the readable account of the instrument; a record that is all fields gives a reviewer
        nothing to check the fields against.

    Example
        A file that ends with the closing `---`.

    How to fix
        Write two or three paragraphs on what the instrument is and does.
    """

    code = "C007"
    name = "empty-body"
    severity: ClassVar[Severity] = "warning"

    def check(self, context: RecordContext) -> Iterator[Violation]:
        if not context.file.body:
            text = context.file.text or ""
            yield Violation("the record has no body after its front matter", None, text.count("\n") or 1, 1)


RULES: tuple[type[Rule], ...] = (
    EmptyField,
    MissingEvidence,
    MissingCitation,
    RegulatoryGaps,
    TruncatedDescription,
    EmptyBody,
)
