"""The HTML report of seeds/ in a real browser: Debian's headless chromium, offline, with a screenshot.

Skipped with the reason when /usr/bin/chromium is absent (.ci/run installs it where it can:
`apt-get install -y chromium`).
"""

from __future__ import annotations

import json
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from ccus_records.schema.fields import record_fields
from tests.helpers import TODAY

CHROMIUM = Path("/usr/bin/chromium")
SEEDS = Path(__file__).resolve().parent.parent / "seeds"

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="/usr/bin/chromium is absent (Debian: apt-get install -y chromium)"
)


def chromium(profile: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    command = [
        str(CHROMIUM),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        *arguments,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture
def seeds_page(cli, workdir: Path) -> Path:  # type: ignore[no-untyped-def]
    result = cli("report", str(SEEDS), "--isolated", "--today", TODAY, "--format", "html", "--output", "seeds.html")
    assert result.exit_code == 0, result.stderr
    return workdir / "seeds.html"


def png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and the unfiltered rows of an 8-bit RGB or RGBA PNG (what chromium writes)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    offset, idat, header = 8, b"", b""
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        kind = data[offset + 4 : offset + 8]
        body = data[offset + 8 : offset + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            idat += body
        offset += 12 + length
    width, height, depth, colour = struct.unpack(">IIBB", header[:10])
    assert depth == 8 and colour in (2, 6)
    step = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * step
    rows: list[bytes] = []
    previous = bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for x in range(stride):
            left = line[x - step] if x >= step else 0
            up = previous[x]
            corner = previous[x - step] if x >= step else 0
            if kind == 1:
                line[x] = (line[x] + left) & 0xFF
            elif kind == 2:
                line[x] = (line[x] + up) & 0xFF
            elif kind == 3:
                line[x] = (line[x] + (left + up) // 2) & 0xFF
            elif kind == 4:
                estimate = left + up - corner
                pa, pb, pc = abs(estimate - left), abs(estimate - up), abs(estimate - corner)
                line[x] = (line[x] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 0xFF
        rows.append(bytes(b for i, b in enumerate(line) if i % step < 3))  # RGB only
        previous = line
    return width, height, rows


def test_the_page_has_its_charts_after_its_script_ran(seeds_page: Path, tmp_path: Path) -> None:
    result = chromium(tmp_path / "profile", "--dump-dom", seeds_page.as_uri())
    assert result.returncode == 0, result.stderr[-2000:]
    dom = result.stdout
    assert 'data-ready="true"' in dom  # the script ran to its end without an error
    assert 'class="data sortable records sortable-ready"' in dom
    assert dom.count('<g class="bar ') == len(record_fields())  # a bar per record field
    assert 'id="chart-audit"' in dom and dom.count('class="segment ') >= 17  # all records plus 16 countries
    assert 'id="heatmap-country"' in dom and 'id="heatmap-category"' in dom
    assert dom.count('<tr id="rec-') == len(list(SEEDS.glob("*.md")))


def test_clicking_a_gap_lists_its_records_and_headings_sort(seeds_page: Path, tmp_path: Path) -> None:
    # The test drives the page with a script of its own, run after the report's.
    page = seeds_page.read_text(encoding="utf-8")
    driver = (
        "<script>document.querySelector('#heatmap-country a[data-field]').click();"
        "var th=document.querySelector('#records-table th');th.click();th.click();"
        "document.body.setAttribute('data-first', document.querySelector('#records-table tbody tr').id);</script>"
    )
    (tmp_path / "driven.html").write_text(page.replace("</body>", driver + "</body>"), encoding="utf-8")
    dom = chromium(tmp_path / "profile", "--dump-dom", (tmp_path / "driven.html").as_uri()).stdout
    listed = dom.split('<ul id="gaps-list">')[1].split("</ul>")[0]
    assert listed.count("<li>") >= 1 and 'href="#rec-' in listed
    assert "is empty in" in dom.split('id="gaps-title">')[1].split("<")[0]
    assert 'aria-sort="descending"' in dom
    # Sorted by id, descending: the last seed id comes first.
    last_id = max(json.loads(path.read_text(encoding="utf-8").split("---\n")[1])["id"] for path in SEEDS.glob("*.md"))
    first = dom.split('data-first="')[1].split('"')[0]
    assert first.startswith("rec-")
    assert f'<tr id="{first}"' in dom and last_id in dom.split(f'<tr id="{first}"')[1][:600]


def test_screenshot_is_not_blank(seeds_page: Path, tmp_path: Path) -> None:
    shot = tmp_path / "report.png"
    result = chromium(tmp_path / "profile", f"--screenshot={shot}", "--window-size=1200,1600", seeds_page.as_uri())
    assert shot.exists(), result.stderr[-2000:]
    width, height, rows = png_pixels(shot.read_bytes())
    assert (width, height) == (1200, 1600)
    pixels = [row[i : i + 3] for row in rows[::8] for i in range(0, len(row), 24)]
    colours = set(pixels)
    white = sum(1 for pixel in pixels if pixel == b"\xff\xff\xff")
    assert len(colours) > 50  # text, cards, bars and heat-map cells, not one flat colour
    assert white < 0.9 * len(pixels)
    # The header bar is dark, the page under it light: the styles applied.
    assert sum(rows[10][:30]) < 3 * 30 * 80


@pytest.fixture
def history_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, list[str]]:
    """`report --history --format html` of a repository of four commits, one with a subject that is markup."""
    from tests.helpers import clean_record, isolate_git, write_record
    from tests.test_history import Repo, run

    folder = tmp_path / "repo"
    folder.mkdir()
    isolate_git(monkeypatch, tmp_path / "home")
    monkeypatch.chdir(folder)
    repo = Repo(folder)
    repo.git("init", "-q", "-b", "main")
    records = folder / "records"
    write_record(records, clean_record("us-one-2020", reviewStatus="pending"))
    repo.commit("Add a record", day="2026-09-01")
    write_record(records, clean_record("us-two-2020", country="<b>Atlantis</b>", title=""))
    repo.commit("<img src=x onerror=alert(1)> & more", day="2026-09-02")
    write_record(records, clean_record("us-one-2020"))
    repo.commit("Verify the first record", day="2026-09-03")
    (records / "us-two-2020.md").unlink()
    repo.commit("Drop the second record", day="2026-09-04")
    result = run("report", "--history", "HEAD", "--by", "country", "--format", "html", "--output", "history.html")
    assert result.exit_code == 0, result.output
    return folder / "history.html", repo.commits


def test_the_history_page_draws_a_point_a_commit_with_no_console_message(
    history_page: tuple[Path, list[str]], tmp_path: Path
) -> None:
    page, commits = history_page
    result = chromium(tmp_path / "profile", "--enable-logging=stderr", "--v=0", "--dump-dom", page.as_uri())
    assert result.returncode == 0, result.stderr[-2000:]
    # Nothing the page holds was refused, failed or logged (a blocked script or fetch would say so here).
    assert [line for line in result.stderr.splitlines() if ":CONSOLE" in line] == []
    dom = result.stdout
    coverage = dom.split('id="chart-coverage"')[1].split("</svg>")[0]
    assert coverage.count('<circle class="point coverage"') == len(commits)
    assert coverage.count('<circle class="point verified"') == len(commits)
    assert [part.split('"')[0] for part in coverage.split('data-commit="')[1:]] == commits * 2
    findings = dom.split('id="chart-findings"')[1].split("</svg>")[0]
    assert findings.count('<circle class="point error"') == len(commits)
    for label in ("percent of cells / of records", "commit (committer date), oldest first", "2026-09-01", "100"):
        assert f">{label}</text>" in coverage
    assert ">findings</text>" in findings
    # Commit subjects and record values are text, never markup.
    assert "<img" not in dom and "<b>" not in dom
    assert "&lt;img src=x onerror=alert(1)&gt; &amp; more" in dom
    assert "&lt;b&gt;Atlantis&lt;/b&gt;" in dom
    assert dom.count("<tr><td>") >= len(commits)


def test_the_history_page_is_drawn(history_page: tuple[Path, list[str]], tmp_path: Path) -> None:
    page, _ = history_page
    shot = tmp_path / "history.png"
    result = chromium(tmp_path / "profile", f"--screenshot={shot}", "--window-size=900,700", page.as_uri())
    assert shot.exists(), result.stderr[-2000:]
    width, height, rows = png_pixels(shot.read_bytes())
    assert (width, height) == (900, 700)
    # The coverage line is drawn in its blue somewhere in the chart's rows.
    blue = bytes((0x1F, 0x6F, 0xEB))
    assert any(row[i : i + 3] == blue for row in rows[100:500] for i in range(0, len(row), 3))
