"""`report --history` as Markdown (a compact table) and as one self-contained HTML page with trend charts.

The charts are inline SVG written here: no script, no external file, nothing fetched (the page's content
security policy forbids it). Commit subjects, dates, group values and the range are text from the
repository and its records: every one goes through `encode.html` or `encode.markdown`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING

from ccus_records.render.encode import html as esc
from ccus_records.render.registry import RenderOptions
from ccus_records.render.report_common import GROUP_TITLES, Section, Table, pct, plural

if TYPE_CHECKING:
    from ccus_records.features.report_history import HistoryPoint, HistorySeries

SEVERITIES = ("error", "warning", "info")
_PLURALS = {"error": "errors", "warning": "warnings", "info": "info"}
_HEADERS = ("commit", "date", "records", "coverage", "verified", "errors", "warnings", "info", "subject")


def series_table(series: HistorySeries) -> Table:
    """One row a commit, oldest first: the headline figures."""
    rows = [
        (
            point.commit[:8],
            point.date[:10],
            f"{point.records:,}",
            pct(point.coverage),
            pct(point.human_verified),
            *(f"{point.findings[name]:,}" for name in SEVERITIES),
            point.subject,
        )
        for point in series.points
    ]
    return Table(_HEADERS, rows, frozenset(range(2, 8)), "Headline figures per commit")


def group_tables(series: HistorySeries) -> list[Table]:
    """`--by`: for each grouping, one row a commit and one column a value (coverage of its records)."""
    tables = []
    for grouping in series.by:
        values = sorted({value for point in series.points for value in point.groups.get(grouping, {})})
        rows = [
            (
                point.commit[:8],
                point.date[:10],
                *(pct(point.groups[grouping].get(value)) for value in values),
            )
            for point in series.points
        ]
        numeric = frozenset(range(2, 2 + len(values)))
        tables.append(Table(("commit", "date", *values), rows, numeric, f"Coverage by {GROUP_TITLES[grouping]}"))
    return tables


def summary_lines(series: HistorySeries) -> list[str]:
    first, last = series.points[0], series.points[-1]
    errors = last.findings["error"] - first.findings["error"]
    judged = f"each judged on {series.today.isoformat()}" if series.today else "each judged on its own date"
    return [
        f"{plural(len(series.points), 'commit')} of {series.range}, oldest first; {judged}.",
        f"From {first.commit[:8]} ({first.date[:10]}) to {last.commit[:8]} ({last.date[:10]}): records "
        f"{first.records:,} → {last.records:,}; coverage {pct(first.coverage)} → {pct(last.coverage)}; "
        f"human-verified {pct(first.human_verified)} → {pct(last.human_verified)}; errors "
        f"{first.findings['error']:,} → {last.findings['error']:,} ({errors:+,}).",
    ]


def render_markdown(series: HistorySeries, options: RenderOptions) -> Iterator[str]:
    from ccus_records.render.report_markdown import render_sections

    sections = [Section("Headline figures", summary_lines(series), [series_table(series)])]
    if series.by:
        sections.append(Section("Coverage by group", [], group_tables(series)))
    yield render_sections(sections, f"CCUS records history, {series.range}")


# ---------------------------------------------------------------------------------------------- HTML

_WIDTH, _HEIGHT = 760, 280
_LEFT, _RIGHT, _TOP, _BOTTOM = 64, 40, 16, 58
_COLOURS = {
    "coverage": "#1f6feb",
    "verified": "#2e7d32",
    "error": "#c62828",
    "warning": "#f9a825",
    "info": "#5b6472",
}


class _Line:
    """One line of a chart: its name, its class (and colour), and a value a commit."""

    def __init__(self, name: str, kind: str, values: Sequence[float | None], shown: Callable[[float], str]) -> None:
        self.name = name
        self.kind = kind
        self.values = values
        self.shown = shown


def _ticks(top: float) -> list[float]:
    """Four or five round values from 0 to at least `top`."""
    if top <= 0:
        return [0, 1]
    step = 1.0
    while top / step > 5:
        for factor in (2, 2.5, 2):
            step *= factor
            if top / step <= 5:
                break
    count = int(-(-top // step))
    return [step * number for number in range(count + 1)]


def _line_chart(
    chart_id: str, title: str, axis: str, points: Sequence[HistoryPoint], lines: Sequence[_Line], top: float
) -> str:
    """A line chart: one point a commit for each line, commits left to right (oldest first)."""
    ticks = _ticks(top)
    high = ticks[-1] or 1
    plot_width = _WIDTH - _LEFT - _RIGHT
    plot_height = _HEIGHT - _TOP - _BOTTOM
    count = len(points)

    def x(number: int) -> float:
        return _LEFT + (plot_width / 2 if count == 1 else plot_width * number / (count - 1))

    def y(value: float) -> float:
        return _TOP + plot_height * (1 - value / high)

    parts = [
        f'<svg class="chart line-chart" id="{esc(chart_id)}" xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 0 {_WIDTH} {_HEIGHT}" width="{_WIDTH}" height="{_HEIGHT}" role="img" aria-label="{esc(title)}">',
        f"<title>{esc(title)}</title>",
        '<g class="axis y-axis">',
    ]
    for tick in ticks:
        parts.append(
            f'<line class="grid" x1="{_LEFT}" x2="{_WIDTH - _RIGHT}" y1="{y(tick):.1f}" y2="{y(tick):.1f}"/>'
            f'<text class="tick" x="{_LEFT - 6}" y="{y(tick) + 4:.1f}" text-anchor="end">{tick:,.0f}</text>'
        )
    middle = _TOP + plot_height / 2
    parts.append(
        f'<text class="axis-label" x="14" y="{middle:.1f}" text-anchor="middle" '
        f'transform="rotate(-90 14 {middle:.1f})">{esc(axis)}</text></g><g class="axis x-axis">'
        f'<line x1="{_LEFT}" x2="{_WIDTH - _RIGHT}" y1="{y(0):.1f}" y2="{y(0):.1f}"/>'
    )
    # A date under the first and the last commit and a few between, never crowded.
    labelled = sorted({round(step * (count - 1) / 5) for step in range(6)}) if count > 1 else [0]
    for number in labelled:
        parts.append(
            f'<text class="tick" x="{x(number):.1f}" y="{y(0) + 16:.1f}" text-anchor="middle">'
            f"{esc(points[number].date[:10])}</text>"
        )
    parts.append(
        f'<text class="axis-label" x="{_LEFT + plot_width / 2:.1f}" y="{_HEIGHT - 22}" text-anchor="middle">'
        f"commit (committer date), oldest first</text></g>"
    )
    for line in lines:
        colour = _COLOURS[line.kind]
        runs: list[list[str]] = [[]]
        for number, value in enumerate(line.values):
            if value is None:
                runs.append([])
            else:
                runs[-1].append(f"{x(number):.1f},{y(value):.1f}")
        parts.append(f'<g class="series {esc(line.kind)}">')
        parts.extend(
            f'<polyline points="{" ".join(run)}" fill="none" stroke="{colour}" stroke-width="2"/>'
            for run in runs
            if run
        )
        for number, value in enumerate(line.values):
            if value is None:
                continue
            point = points[number]
            label = f"{point.commit[:8]} {point.date[:10]} {point.subject}: {line.name} {line.shown(value)}"
            parts.append(
                f'<circle class="point {esc(line.kind)}" cx="{x(number):.1f}" cy="{y(value):.1f}" r="3" '
                f'fill="{colour}" data-commit="{esc(point.commit)}"><title>{esc(label)}</title></circle>'
            )
        parts.append("</g>")
    legend_x = _LEFT
    parts.append('<g class="legend">')
    for line in lines:
        parts.append(
            f'<rect x="{legend_x}" y="{_HEIGHT - 12}" width="12" height="12" fill="{_COLOURS[line.kind]}"/>'
            f'<text x="{legend_x + 16}" y="{_HEIGHT - 2}">{esc(line.name)}</text>'
        )
        legend_x += 30 + 7 * len(line.name)
    parts.append("</g></svg>")
    return "".join(parts)


def _percent(value: float) -> str:
    return f"{value:.1f}%"


def _count(value: float) -> str:
    return f"{value:,.0f}"


_NUM = ' class="num"'


def _table(table: Table, table_id: str) -> str:
    out = [f'<div class="scroll"><table class="data" id="{esc(table_id)}"><caption>{esc(table.title)}</caption>']
    out.append("<thead><tr>")
    out.extend(
        f'<th scope="col"{_NUM if number in table.numeric else ""}>{esc(header)}</th>'
        for number, header in enumerate(table.headers)
    )
    out.append("</tr></thead><tbody>")
    for row in table.rows:
        cells = "".join(
            f"<td{_NUM if number in table.numeric else ''}>{esc(cell)}</td>" for number, cell in enumerate(row)
        )
        out.append(f"<tr>{cells}</tr>")
    out.append("</tbody></table></div>")
    return "".join(out)


def render_html(series: HistorySeries) -> str:
    points = series.points
    title = f"CCUS records history, {series.range}"
    shares = _line_chart(
        "chart-coverage",
        "Overall coverage and human-verified share per commit",
        "percent of cells / of records",
        points,
        [
            _Line("overall coverage", "coverage", [point.coverage.percent for point in points], _percent),
            _Line("human-verified", "verified", [point.human_verified.percent for point in points], _percent),
        ],
        100,
    )
    most = max((point.findings[name] for point in points for name in SEVERITIES), default=0)
    findings = _line_chart(
        "chart-findings",
        "Lint findings per severity per commit",
        "findings",
        points,
        [_Line(_PLURALS[name], name, [point.findings[name] for point in points], _count) for name in SEVERITIES],
        most,
    )
    body = [
        '<section id="trend"><h2>Trend</h2>',
        "".join(f"<p>{esc(line)}</p>" for line in summary_lines(series)),
        shares,
        findings,
        "</section>",
        '<section id="commits"><h2>Commits</h2>',
        _table(series_table(series), "history-table"),
        "</section>",
    ]
    if series.by:
        body.append('<section id="groups"><h2>Coverage by group</h2>')
        tables = zip(group_tables(series), series.by, strict=True)
        body.extend(_table(table, f"history-{grouping}") for table, grouping in tables)
        body.append("</section>")
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        # No network: the page may load nothing but what it holds, and runs no script.
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)}</title><style>{_CSS}</style></head><body>"
        f"<header><h1>{esc(title)}</h1></header><main>" + "".join(body) + "</main></body></html>\n"
    )


def render(series: HistorySeries, options: RenderOptions) -> Iterator[str]:
    yield render_html(series)


_CSS = """
:root{--fg:#1d2330;--muted:#5b6472;--line:#d8dce3;--bg:#f6f8fa}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);margin:0;background:#fff}
header{background:var(--fg);color:#fff;padding:14px 24px}
header h1{font-size:19px;margin:0}
main{padding:8px 24px 40px;max-width:1400px}
h2{font-size:17px;border-bottom:1px solid var(--line);padding-bottom:4px}
svg.chart{display:block;margin:14px 0;font-size:11px;max-width:100%;height:auto}
svg.chart text{fill:var(--fg)}
svg.chart .grid{stroke:#edf0f4}
svg.chart .x-axis line{stroke:var(--muted)}
svg.chart .axis-label{fill:var(--muted);font-size:12px}
table{border-collapse:collapse;margin:8px 0}
caption{text-align:left;font-weight:600;padding:4px 0}
th,td{border:1px solid var(--line);padding:3px 7px;text-align:left;vertical-align:top}
th{background:var(--bg)}
.num{text-align:right;font-variant-numeric:tabular-nums}
.scroll{overflow:auto;max-height:80vh}
"""
