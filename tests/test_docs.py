"""The README and the manual: the generated rule reference is current, links resolve, the pages build.

The examples in the pages are run by tests/test_docs_examples.py.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from ccus_records.render.rule_reference import (
    RuleDoc,
    builtin_reference,
    escape_text,
    render_rule_reference,
    rule_docs,
    split_explanation,
)
from ccus_records.rules import BUILTIN_RULES

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
README = ROOT / "README.md"
COMMANDS = ("lint", "rules", "rule", "schema", "report", "list", "show", "diff", "edit", "review", "fmt")
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def test_the_committed_rule_reference_is_what_the_generator_writes() -> None:
    assert (DOCS / "rules.md").read_text(encoding="utf-8") == builtin_reference(), (
        "docs/rules.md is out of date: python -m ccus_records.render.rule_reference > docs/rules.md"
    )


def test_the_generator_script_prints_the_reference() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "ccus_records.render.rule_reference"], capture_output=True, cwd=ROOT, check=True
    )
    assert completed.stdout.decode("utf-8") == builtin_reference()


def test_every_rule_has_an_anchor_of_its_lowercase_code() -> None:
    page = (DOCS / "rules.md").read_text(encoding="utf-8")
    for rule in BUILTIN_RULES:
        assert page.count(f'<a id="{rule.code.lower()}"></a>') == 1, rule.code
        assert f"[{rule.code}](#{rule.code.lower()})" in page
        assert f"### {rule.code} {rule.name}" in page


def test_the_reference_says_what_rule_code_says() -> None:
    """Every paragraph of every explanation is on the page (joined into lines), none lost."""
    page = (DOCS / "rules.md").read_text(encoding="utf-8")
    for doc in rule_docs(BUILTIN_RULES):
        summary, sections = split_explanation(doc.explanation)
        assert escape_text(summary) in page
        assert [section.title for section in sections] == [
            "What it checks",
            "Why an auditor cares",
            "Example",
            "How to fix",
        ]
        for section in sections:
            for paragraph in section.paragraphs:
                assert escape_text(paragraph) in page, (doc.code, paragraph)


def test_the_generator_imports_neither_typer_nor_rich() -> None:
    code = (
        "import sys; import ccus_records.render.rule_reference as reference; reference.builtin_reference(); "
        "print(sorted(name for name in ('typer', 'rich', 'click') if name in sys.modules))"
    )
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert completed.stdout.strip() == "[]"


HOSTILE = RuleDoc(
    code="X900",
    name="hostile_name",
    severity="warning",
    fix="safe",
    explanation=(
        "A *summary* with <script>alert(1)</script> & a [link](http://example.invalid) and `code <b>`.\n"
        "\n"
        "What it checks\n"
        "    Text with _underscores_, a | pipe, {braces} and # a hash,\n"
        "    wrapped over two lines.\n"
        "\n"
        "    A second paragraph.\n"
        "\n"
        "Example\n"
        "    - not a list item\n"
        "\n"
        "How to fix\n"
        "    1. not a numbered list\n"
    ),
)


def test_docstring_text_is_escaped_and_code_spans_are_kept() -> None:
    page = render_rule_reference([HOSTILE])
    assert '<a id="x900"></a>' in page
    assert "### X900 hostile\\_name" in page
    assert "Default severity: **warning (fixable)**." in page
    assert (
        "A \\*summary\\* with &lt;script&gt;alert(1)&lt;/script&gt; &amp; a \\[link\\](http://example.invalid)" in page
    )
    assert "`code <b>`" in page
    checks = "Text with \\_underscores\\_, a | pipe, \\{braces\\} and \\# a hash, wrapped over two lines."
    assert f"**What it checks.** {checks}" in page
    assert "\nA second paragraph.\n" in page
    assert "**Example.** \\- not a list item" in page
    assert "**How to fix.** 1\\. not a numbered list" in page
    # In the index table a pipe would end the cell.
    assert "| [X900](#x900) | hostile\\_name | warning (fixable) |" in page


def test_a_pipe_inside_a_code_span_does_not_split_a_table_cell() -> None:
    assert escape_text("use `a|b` or c|d", table_cell=True) == "use <code>a&#124;b</code> or c\\|d"
    assert escape_text("use `a|b`") == "use `a|b`"


def test_the_escaped_reference_renders_as_text() -> None:
    markdown = pytest.importorskip("markdown")
    html = markdown.markdown(render_rule_reference([HOSTILE]), extensions=["tables", "fenced_code", "toc"])
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<em>" not in html and "<a href" in html  # the only links are the index's own anchors
    assert 'href="http://example.invalid"' not in html
    assert "<li>" not in html and "<ol>" not in html
    assert "<code>code &lt;b&gt;</code>" in html
    assert 'id="x900"' in html


def test_security_md_and_the_security_page_are_the_same() -> None:
    assert (ROOT / "SECURITY.md").read_text(encoding="utf-8") == (DOCS / "security.md").read_text(encoding="utf-8")


def test_the_readme_is_a_front_door() -> None:
    text = README.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 300
    assert "python3 -m venv .venv && . .venv/bin/activate && pip install ." in text
    assert "PEP 668" in text
    assert "ccus-records lint seeds" in text
    assert 'pip install -e ".[test]" && python -m pytest' in text
    for command in COMMANDS:
        assert re.search(rf"^\| \[`{command}`\]\(docs/[a-z]+\.md\) \| .+ \| `ccus-records {command}\b", text, re.M), (
            command
        )
    assert "id: ccus-records-lint" in text  # the pre-commit snippet
    assert "[tool.ccus-records]" in text


def _anchors(page: Path) -> set[str]:
    """The anchors a page has: explicit `<a id>` and the ids Python-Markdown's toc gives its headings."""
    text = page.read_text(encoding="utf-8")
    anchors = set(re.findall(r'<a id="([^"]+)"', text))
    try:
        from markdown.extensions.toc import slugify
    except ImportError:  # pragma: no cover - markdown comes with mkdocs, in the test extra
        return anchors | {"*"}
    in_fence = False
    for line in text.splitlines():
        if line.lstrip().startswith("```"):
            in_fence = not in_fence
        elif not in_fence and (heading := re.match(r"^#{1,6} (.+)$", line)):
            anchors.add(slugify(re.sub(r"[`*]", "", heading.group(1)), "-"))
    return anchors


@pytest.mark.parametrize(
    "page",
    [README, ROOT / "benchmarks" / "README.md", *sorted(DOCS.glob("*.md"))],
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_relative_links_resolve(page: Path) -> None:
    for target in LINK.findall(page.read_text(encoding="utf-8")):
        if re.match(r"^[a-z]+:", target):
            continue
        path, _, anchor = target.partition("#")
        linked = (page.parent / path).resolve() if path else page
        assert linked.exists(), f"{page.name}: {target}"
        if anchor and linked.suffix == ".md":
            anchors = _anchors(linked)
            assert anchor in anchors or "*" in anchors, f"{page.name}: {target}"


def test_the_manual_builds_strictly(tmp_path: Path) -> None:
    pytest.importorskip("mkdocs")
    completed = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    page = (tmp_path / "site" / "rules" / "index.html").read_text(encoding="utf-8")
    assert all(f'id="{rule.code.lower()}"' in page for rule in BUILTIN_RULES)


WORK_TALK = re.compile(r"\b(issues?|work items?|sessions?)\b", re.IGNORECASE)


@pytest.mark.parametrize(
    "page", [README, ROOT / "SECURITY.md", ROOT / "benchmarks" / "README.md", *sorted(DOCS.glob("*.md"))], ids=str
)
def test_the_pages_speak_of_the_product(page: Path) -> None:
    found = WORK_TALK.findall(page.read_text(encoding="utf-8"))
    assert not found, f"{page.name}: {found}"
