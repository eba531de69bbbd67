"""The coverage report as one self-contained HTML file: no network, opens offline, fine with 10,000 records.

Summary cards, a heat map of each completeness matrix (a cell opens the list of records behind its gap), SVG
bar charts of coverage per field and of audit age, sortable tables, and a table of every record that each
record id in the page links to. The charts are plain SVG written here, so they show without the script; the
script only sorts tables and lists the records behind a heat-map cell. All record text goes through
`encode.html`, and the script only ever sets `textContent`, so record text can never become markup.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from ccus_records.features.report import AUDIT_BUCKET_LABELS, AUDIT_BUCKETS, RecordRow, Report, Share
from ccus_records.render.encode import html as esc
from ccus_records.render.encode import json_text
from ccus_records.render.registry import RenderOptions
from ccus_records.render.report_common import (
    GROUP_TITLES,
    Table,
    audit_section,
    comparison_section,
    evidence_section,
    lint_section,
    pct,
    plural,
    summary_section,
    threshold_section,
)

AUDIT_COLOURS = {
    "under-90": "#2e7d32",
    "90-365": "#9ccc65",
    "over-365": "#f9a825",
    "never": "#9e9e9e",
    "future": "#c62828",
}
_RECORD_GROUPS = ("country", "category", "legalWeight", "status", "reviewStatus")


def heat_colour(share: Share | None) -> str:
    """Red (0%) through amber to green (100%); grey when the group has no records."""
    if share is None or share.percent is None:
        return "#eeeeee"
    return f"hsl({round(share.percent * 1.2)}, 65%, 80%)"


def record_link(row: RecordRow | None, text: str | None = None) -> str:
    if row is None:
        return esc(text or "")
    return f'<a class="rec" href="#rec-{row.index}">{esc(text if text is not None else row.id)}</a>'


def _table(table: Table, table_id: str = "", sortable: bool = True, links: dict[int, RecordRow] | None = None) -> str:
    """A table of plain strings; `links` maps a row number to the record its first cell names."""
    classes = "data sortable" if sortable else "data"
    out = [f'<table class="{classes}"' + (f' id="{esc(table_id)}"' if table_id else "") + ">"]
    if table.title:
        out.append(f"<caption>{esc(table.title)}</caption>")
    out.append("<thead><tr>")
    out.extend(
        f'<th scope="col" class="{"num" if i in table.numeric else ""}">{esc(header)}</th>'
        for i, header in enumerate(table.headers)
    )
    out.append("</tr></thead><tbody>")
    for number, row in enumerate(table.rows):
        cells = []
        for i, cell in enumerate(row):
            content = record_link(links[number], cell) if i == 0 and links and number in links else esc(cell)
            attrs = ' class="num"' if i in table.numeric else ""
            cells.append(f"<td{attrs}>{content}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _cards(report: Report) -> str:
    never = report.audit_total["never"]
    stale = report.audit_total["over-365"] + report.audit_total["future"]
    cards = [
        ("records", f"{len(report.records):,}", f"in {plural(report.files, 'file')}", "neutral"),
        (
            "overall coverage",
            pct(report.coverage),
            f"{report.coverage.filled:,} of {report.coverage.total:,} cells, "
            f"{plural(len(report.coverage_fields), 'field')}",
            _tone(report.coverage),
        ),
        (
            "human-verified",
            pct(report.human_verified),
            f"{report.human_verified.filled:,} of {plural(report.human_verified.total, 'record')}",
            _tone(report.human_verified),
        ),
        ("lint findings", f"{report.lint_findings:,}", f"{plural(len(report.lint_rules), 'rule')}", "neutral"),
        ("never audited", f"{never:,}", f"{stale:,} over a year old or future-dated", "bad" if never else "good"),
    ]
    if report.unparsed:
        cards.append(("unreadable files", f"{len(report.unparsed):,}", "front matter did not parse", "bad"))
    if report.thresholds:
        breaches = len(report.breaches)
        cards.append(
            (
                "thresholds",
                "met" if not breaches else f"{breaches:,} breached",
                f"of {plural(len(report.thresholds), 'threshold')}",
                "bad" if breaches else "good",
            )
        )
    if report.comparison is not None:
        dropped = len(report.comparison.dropped)
        cards.append(
            (
                "against baseline",
                "no drop" if not dropped else f"{dropped:,} dropped",
                f"{plural(len(report.comparison.changes), 'group')} compared",
                "bad" if dropped else "good",
            )
        )
    return (
        '<div class="cards">'
        + "".join(
            f'<div class="card {tone}"><div class="card-value">{esc(value)}</div>'
            f'<div class="card-label">{esc(label)}</div><div class="card-detail">{esc(detail)}</div></div>'
            for label, value, detail, tone in cards
        )
        + "</div>"
    )


def _tone(share: Share) -> str:
    if share.percent is None:
        return "neutral"
    return "good" if share.percent >= 80 else "warn" if share.percent >= 50 else "bad"


def _field_chart(report: Report) -> str:
    """A horizontal bar per field: its completeness; coverage fields in blue, the others in grey."""
    label_width, bar_width, row_height = 230, 420, 16
    width = label_width + bar_width + 60
    height = row_height * len(report.fields) + 24
    parts = [
        f'<svg class="chart bar-chart" id="chart-fields" xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-label="Completeness per field">'
    ]
    for number, (name, share) in enumerate(report.fields.items()):
        y = number * row_height
        filled = round(bar_width * share.filled / share.total) if share.total else 0
        kind = "coverage" if name in report.coverage_fields else "other"
        parts.append(
            f'<g class="bar {kind}"><title>{esc(name)}: {esc(pct(share))} ({share.filled:,} of {share.total:,})'
            f'</title><text x="{label_width - 6}" y="{y + 12}" text-anchor="end">{esc(name)}</text>'
            f'<rect class="bar-track" x="{label_width}" y="{y + 2}" width="{bar_width}" height="{row_height - 4}"/>'
            f'<rect class="bar-fill" x="{label_width}" y="{y + 2}" width="{filled}" height="{row_height - 4}"/>'
            f'<text x="{label_width + bar_width + 6}" y="{y + 12}">{esc(pct(share))}</text></g>'
        )
    y = len(report.fields) * row_height + 16
    parts.append(
        f'<g class="legend"><rect class="legend-coverage" x="{label_width}" y="{y - 10}" width="12" height="12"/>'
        f'<text x="{label_width + 16}" y="{y}">coverage field</text>'
        f'<rect class="legend-other" x="{label_width + 130}" y="{y - 10}" width="12" height="12"/>'
        f'<text x="{label_width + 146}" y="{y}">other field</text></g>'
    )
    parts.append("</svg>")
    return "".join(parts)


def _audit_chart(report: Report) -> str:
    """A stacked bar per country (after one for all records): how many records fall in each age bucket."""
    rows = [("all records", report.audit_total), *report.audit_by_country.items()]
    label_width, bar_width, row_height = 180, 520, 20
    width = label_width + bar_width + 60
    height = row_height * len(rows) + 34
    # Country bars share one scale (the largest country); the all-records bar fills the width.
    most = max((sum(counts.values()) for _, counts in rows[1:]), default=0) or 1
    parts = [
        f'<svg class="chart stacked-chart" id="chart-audit" xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-label="Audit age by country">'
    ]
    for number, (name, counts) in enumerate(rows):
        y = number * row_height
        x = float(label_width)
        parts.append(f'<g class="stack"><text x="{label_width - 6}" y="{y + 14}" text-anchor="end">{esc(name)}</text>')
        for bucket in AUDIT_BUCKETS:
            count = counts.get(bucket, 0)
            if not count:
                continue
            # The all-records bar is as long as the longest; the others are to the same scale.
            scale = bar_width / (sum(counts.values()) if number == 0 else most)
            segment = count * scale
            parts.append(
                f'<rect class="segment {bucket}" x="{x:.1f}" y="{y + 3}" width="{segment:.1f}" '
                f'height="{row_height - 6}" fill="{AUDIT_COLOURS[bucket]}"><title>{esc(name)}: {count:,} '
                f"{esc(AUDIT_BUCKET_LABELS[bucket])}</title></rect>"
            )
            x += segment
        parts.append(f'<text x="{x + 6:.1f}" y="{y + 14}">{sum(counts.values()):,}</text></g>')
    y = len(rows) * row_height + 20
    x = label_width
    parts.append('<g class="legend">')
    for bucket in AUDIT_BUCKETS:
        parts.append(
            f'<rect x="{x}" y="{y - 10}" width="12" height="12" fill="{AUDIT_COLOURS[bucket]}"/>'
            f'<text x="{x + 16}" y="{y}">{esc(AUDIT_BUCKET_LABELS[bucket])}</text>'
        )
        x += 26 + 6 * len(AUDIT_BUCKET_LABELS[bucket])
    parts.append("</g></svg>")
    return "".join(parts)


def _heatmap(report: Report, grouping: str, field_numbers: dict[str, int]) -> str:
    values = report.groups[grouping]
    out = [
        f'<div class="scroll"><table class="heatmap" id="heatmap-{esc(grouping)}" data-grouping="{esc(grouping)}">',
        '<thead><tr><th scope="col">field</th>',
    ]
    out.extend(f'<th scope="col" class="value">{esc(value)}</th>' for value in values)
    out.append('</tr></thead><tbody><tr class="count"><th scope="row">records</th>')
    out.extend(f'<td class="num">{stats.records:,}</td>' for stats in values.values())
    out.append('</tr><tr class="overall"><th scope="row">coverage</th>')
    for stats in values.values():
        out.append(f'<td class="cell" style="background:{heat_colour(stats.coverage)}">{esc(pct(stats.coverage))}</td>')
    out.append("</tr>")
    for name in report.fields:
        covered = " coverage" if name in report.coverage_fields else ""
        out.append(f'<tr class="field{covered}"><th scope="row">{esc(name)}</th>')
        for value, stats in values.items():
            share = stats.fields[name]
            style = f' style="background:{heat_colour(share)}"'
            title = f"{name} × {value}: {pct(share)} ({share.filled:,} of {share.total:,})"
            if share.filled < share.total:
                out.append(
                    f'<td class="cell gap"{style} title="{esc(title)}"><a href="#gaps" data-field="'
                    f'{field_numbers[name]}" data-value="{esc(value)}">{esc(pct(share))}</a></td>'
                )
            else:
                out.append(f'<td class="cell"{style} title="{esc(title)}">{esc(pct(share))}</td>')
        out.append("</tr>")
    out.append("</tbody></table></div>")
    return "".join(out)


def _static_gaps(report: Report, grouping: str) -> str:
    """`--show-missing`: the records behind every gap, written into the page."""
    out = [f'<table class="data gaps" id="gaps-{esc(grouping)}"><caption>Records behind each gap (field × ']
    out.append(f"{esc(GROUP_TITLES[grouping])})</caption><thead><tr><th>field</th><th>{esc(grouping)}</th>")
    out.append('<th class="num">missing</th><th>records</th></tr></thead><tbody>')
    gaps = report.gap_records(grouping)
    for name in report.fields:
        for value in report.groups[grouping]:
            rows = gaps.get((value, name))
            if rows:
                links = ", ".join(record_link(row) for row in rows)
                out.append(
                    f'<tr><td>{esc(name)}</td><td>{esc(value)}</td><td class="num">{len(rows):,}</td>'
                    f"<td>{links}</td></tr>"
                )
    out.append("</tbody></table>")
    return "".join(out)


def _records_table(report: Report, field_numbers: dict[str, int]) -> str:
    headers = (
        ("id", ""),
        ("title", ""),
        ("country", ""),
        ("category", ""),
        ("legal weight", ""),
        ("status", ""),
        ("review", ""),
        ("author", ""),
        ("reviewer", ""),
        ("human-verified", ""),
        ("last audit", ""),
        ("audit age", ""),
        ("coverage", "num"),
        ("findings", "num"),
        ("missing coverage fields", ""),
        ("path", ""),
    )
    out = ['<div class="scroll"><table class="data sortable records" id="records-table"><thead><tr>']
    out.extend(f'<th scope="col" class="{kind}">{esc(name)}</th>' for name, kind in headers)
    out.append("</tr></thead><tbody>")
    coverage = frozenset(report.coverage_fields)
    for row in report.records:
        groups = "".join(f' data-g-{name.lower()}="{esc(row.groups[name])}"' for name in _RECORD_GROUPS)
        missing = " ".join(str(field_numbers[name]) for name in row.missing)
        age = "" if row.audit_age_days is None else f"{row.audit_age_days:,} days, "
        out.append(
            f'<tr id="rec-{row.index}"{groups} data-missing="{missing}">'
            f'<td><a class="rec" href="#rec-{row.index}">{esc(row.id)}</a></td>'
            f'<td class="wrap">{esc(row.title)}</td>'
            + "".join(f"<td>{esc(row.groups[name])}</td>" for name in _RECORD_GROUPS)
            + f"<td>{esc(row.author)}</td><td>{esc(row.reviewer)}</td>"
            f"<td>{'yes' if row.human_verified else 'no'}</td><td>{esc(row.last_audit)}</td>"
            f'<td data-sort="{row.audit_age_days if row.audit_age_days is not None else ""}">'
            f"{esc(age + AUDIT_BUCKET_LABELS[row.audit_bucket])}</td>"
            f'<td class="num" data-sort="{row.coverage.percent}">{esc(pct(row.coverage))}</td>'
            f'<td class="num">{row.findings:,}</td>'
            f'<td class="fields">{esc(", ".join(name for name in row.missing if name in coverage))}</td>'
            f"<td>{esc(row.path)}</td></tr>"
        )
    out.append("</tbody></table></div>")
    return "".join(out)


def _section(section_id: str, title: str, *parts: str) -> str:
    return f'<section id="{esc(section_id)}"><h2>{esc(title)}</h2>' + "".join(parts) + "</section>"


def _paragraphs(lines: Iterable[str]) -> str:
    return "".join(f"<p>{esc(line)}</p>" for line in lines)


def _json_script(element_id: str, value: object) -> str:
    # In a script element only `</` could end it early; escaping every `<` rules that out.
    text = json_text(value, indent=None).replace("<", "\\u003c")
    return f'<script type="application/json" id="{esc(element_id)}">{text}</script>'


def render_html(report: Report, show_missing: bool = False) -> str:
    field_numbers = {name: number for number, name in enumerate(report.fields)}
    row_of = {row.index: row for row in report.records}
    title = f"CCUS records coverage report, {report.today.isoformat()}"
    nav: list[tuple[str, str]] = [("summary", "Summary")]
    body: list[str] = []

    summary = summary_section(report)
    body.append(
        _section(
            "summary",
            "Summary",
            _cards(report),
            _paragraphs(summary.lines),
            '<div class="row">' + "".join(_table(table, sortable=False) for table in summary.tables) + "</div>",
        )
    )
    thresholds = threshold_section(report)
    if thresholds is not None:
        nav.append(("thresholds", "Thresholds"))
        body.append(
            _section(
                "thresholds",
                "Thresholds",
                _breach_list(thresholds.lines),
                "".join(_table(t, "thresholds-table") for t in thresholds.tables),
            )
        )
    comparison = comparison_section(report)
    if comparison is not None:
        nav.append(("comparison", "Baseline"))
        body.append(
            _section(
                "comparison",
                "Change against the baseline",
                _breach_list(comparison.lines),
                "".join(_table(t, "comparison-table") for t in comparison.tables),
            )
        )
    nav.append(("coverage", "Coverage per field"))
    body.append(
        _section(
            "coverage",
            "Coverage per field",
            "<p>The share of records in which each field is filled. Coverage fields (blue) make up overall "
            f"coverage: {esc(', '.join(report.coverage_fields))}.</p>",
            _field_chart(report),
        )
    )
    for grouping in report.by:
        nav.append((f"matrix-{grouping}", f"By {GROUP_TITLES[grouping]}"))
        body.append(
            _section(
                f"matrix-{grouping}",
                f"Completeness: field × {GROUP_TITLES[grouping]}",
                "<p>Each cell: the share of the group's records in which the field is filled. A cell with a gap "
                "lists the records behind it.</p>",
                _heatmap(report, grouping, field_numbers),
                _static_gaps(report, grouping) if show_missing else "",
            )
        )
    nav.append(("gaps", "Gaps"))
    body.append(
        _section(
            "gaps",
            "Records behind a gap",
            '<p id="gaps-title">Choose a cell of a heat map with a gap to list the records that leave the field '
            "empty.</p>",
            '<ul id="gaps-list"></ul>',
        )
    )
    evidence = evidence_section(report)
    nav.append(("evidence", "Evidence"))
    body.append(_section("evidence", "Evidence and citations", _paragraphs(evidence.lines), _table(evidence.tables[0])))
    audit = audit_section(report)
    nav.append(("audit-age", "Audit age"))
    body.append(
        _section(
            "audit-age",
            "Audit age",
            _paragraphs(audit.lines),
            _audit_chart(report),
            "".join(_table(table) for table in audit.tables),
        )
    )
    lint = lint_section(report)
    nav.append(("lint", "Lint"))
    top_links = {n: row_of[item.index] for n, item in enumerate(report.top_records) if item.index is not None}
    lint_tables = []
    if lint.tables:
        lint_tables = [_table(lint.tables[0], "lint-rules"), _table(lint.tables[1], "lint-top", links=top_links)]
    body.append(_section("lint", "Lint findings", _paragraphs(lint.lines), *lint_tables))
    if report.sample is not None:
        nav.append(("sample", "Sample"))
        body.append(_sample(report))
    nav.append(("records", "Records"))
    body.append(
        _section(
            "records",
            "Records",
            f"<p>{plural(len(report.records), 'record')}. Choose a column heading to sort.</p>",
            _records_table(report, field_numbers),
        )
    )
    navigation = "".join(f'<a href="#{esc(anchor)}">{esc(label)}</a>' for anchor, label in nav)
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="en"><head><meta charset="utf-8">'
        # No network: the page may load nothing but what it holds.
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)}</title><style>{_CSS}</style></head><body>"
        f"<header><h1>{esc(title)}</h1><nav>{navigation}</nav></header><main>"
        + "".join(body)
        + "</main>"
        + _json_script("report-fields", list(report.fields))
        + f"<script>{_SCRIPT}</script></body></html>\n"
    )


def _breach_list(lines: Sequence[str]) -> str:
    return ('<ul class="breaches">' + "".join(f"<li>{esc(line)}</li>" for line in lines) + "</ul>") if lines else ""


def _sample(report: Report) -> str:
    sample = report.sample
    assert sample is not None
    rows = [report.records[index] for index in sample.records]
    table = Table(
        ("record", "country", "category", "reviewer", "path"),
        [(row.id, row.groups["country"], row.groups["category"], row.reviewer, row.path) for row in rows],
    )
    lines = [
        f"{len(rows):,} of {plural(sample.population, 'verified record')} drawn (asked for {sample.size:,}, seed "
        f"{sample.seed}), stratified by country and category."
    ]
    return _section(
        "sample",
        "Sample for blind re-review",
        _paragraphs(lines),
        _table(table, "sample-table", links=dict(enumerate(rows))) if rows else "",
    )


_CSS = """
:root{--fg:#1d2330;--muted:#5b6472;--line:#d8dce3;--blue:#1f6feb;--bg:#f6f8fa}
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);margin:0;background:#fff}
header{background:var(--fg);color:#fff;padding:14px 24px;position:sticky;top:0;z-index:2}
header h1{font-size:19px;margin:0 0 6px}
nav a{color:#cfe0ff;margin-right:14px;text-decoration:none;font-size:13px}
main{padding:8px 24px 40px;max-width:1400px}
section{margin:22px 0;content-visibility:auto;contain-intrinsic-size:auto 600px}
h2{font-size:17px;border-bottom:1px solid var(--line);padding-bottom:4px}
.cards{display:flex;flex-wrap:wrap;gap:12px;margin:12px 0}
.card{border:1px solid var(--line);border-left:6px solid #8a94a6;border-radius:6px;padding:10px 14px;min-width:170px;
background:var(--bg)}
.card.good{border-left-color:#2e7d32}.card.warn{border-left-color:#f9a825}.card.bad{border-left-color:#c62828}
.card-value{font-size:26px;font-weight:700}.card-label{font-weight:600}.card-detail{color:var(--muted);font-size:12px}
.row{display:flex;flex-wrap:wrap;gap:24px;align-items:flex-start}
table{border-collapse:collapse;margin:8px 0}
caption{text-align:left;font-weight:600;padding:4px 0}
th,td{border:1px solid var(--line);padding:3px 7px;text-align:left;vertical-align:top}
th{background:var(--bg)}
.num{text-align:right;font-variant-numeric:tabular-nums}
table.sortable th{cursor:pointer;user-select:none}
table.sortable th[aria-sort=ascending]::after{content:" \\25B2";font-size:10px}
table.sortable th[aria-sort=descending]::after{content:" \\25BC";font-size:10px}
.scroll{overflow:auto;max-height:80vh}
.heatmap th.value{writing-mode:vertical-rl;transform:rotate(180deg);white-space:nowrap;font-weight:600}
.heatmap td.cell{text-align:right;font-variant-numeric:tabular-nums;min-width:48px}
.heatmap td.cell a{color:inherit;text-decoration:underline dotted}
.heatmap tr.coverage th{color:var(--blue)}
.heatmap tr.overall td,.heatmap tr.overall th{font-weight:700;border-bottom:2px solid var(--fg)}
svg.chart{display:block;margin:10px 0;font-size:11px;max-width:100%;height:auto}
svg.chart text{fill:var(--fg)}
.bar-track{fill:#edf0f4}.bar.coverage .bar-fill,.legend-coverage{fill:var(--blue)}
.bar.other .bar-fill,.legend-other{fill:#8a94a6}
.breaches li{color:#c62828;font-weight:600}
#gaps-list{columns:4 220px}
tr:target{outline:3px solid var(--blue)}
table.records td{white-space:nowrap}
table.records td.wrap{white-space:normal;min-width:260px;max-width:380px}
table.records td.fields{white-space:normal;min-width:260px;max-width:420px;font-size:12px;color:var(--muted)}
a.rec{color:var(--blue)}
"""

# Sorting keeps each row's cells together; keys are read once per sort so 10,000 rows sort at once.
_SCRIPT = """
(function () {
  "use strict";
  var fields = JSON.parse(document.getElementById("report-fields").textContent);
  function key(cell) {
    var raw = cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent;
    var number = parseFloat(raw.replace(/,/g, "").replace(/%$/, ""));
    var numeric = !isNaN(number) && /^[-+]?[\\d.,]+%?$/.test(raw.trim());
    return numeric ? {n: number, s: ""} : {n: null, s: raw.toLowerCase()};
  }
  function sortBy(table, column, header) {
    var body = table.tBodies[0];
    var ascending = header.getAttribute("aria-sort") !== "ascending";
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) { th.removeAttribute("aria-sort"); });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var rows = Array.prototype.map.call(body.rows, function (row, i) {
      return {row: row, k: key(row.cells[column]), i: i};
    });
    rows.sort(function (a, b) {
      var order;
      if (a.k.n !== null && b.k.n !== null) { order = a.k.n - b.k.n; }
      else if (a.k.n !== null) { order = -1; } else if (b.k.n !== null) { order = 1; }
      else { order = a.k.s < b.k.s ? -1 : a.k.s > b.k.s ? 1 : 0; }
      return (ascending ? order : -order) || a.i - b.i;
    });
    var fragment = document.createDocumentFragment();
    rows.forEach(function (item) { fragment.appendChild(item.row); });
    body.appendChild(fragment);
  }
  Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), function (table) {
    if (!table.tHead || !table.tBodies.length) { return; }
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (header, column) {
      header.setAttribute("tabindex", "0");
      header.addEventListener("click", function () { sortBy(table, column, header); });
      header.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") { event.preventDefault(); sortBy(table, column, header); }
      });
    });
    table.classList.add("sortable-ready");
  });
  var records = document.getElementById("records-table");
  function showGap(grouping, value, field) {
    var list = document.getElementById("gaps-list");
    var attribute = "data-g-" + grouping.toLowerCase();
    list.textContent = "";
    var count = 0;
    Array.prototype.forEach.call(records.tBodies[0].rows, function (row) {
      if (row.getAttribute(attribute) !== value) { return; }
      if ((" " + row.getAttribute("data-missing") + " ").indexOf(" " + field + " ") < 0) { return; }
      var link = document.createElement("a");
      link.href = "#" + row.id;
      link.className = "rec";
      link.textContent = row.cells[0].textContent;
      var item = document.createElement("li");
      item.appendChild(link);
      list.appendChild(item);
      count += 1;
    });
    document.getElementById("gaps-title").textContent =
      fields[field] + " is empty in " + count + " record" + (count === 1 ? "" : "s") +
      " of " + grouping + " " + value + ":";
  }
  Array.prototype.forEach.call(document.querySelectorAll("table.heatmap"), function (table) {
    var grouping = table.getAttribute("data-grouping");
    table.addEventListener("click", function (event) {
      var link = event.target.closest ? event.target.closest("a[data-field]") : null;
      if (!link) { return; }
      showGap(grouping, link.getAttribute("data-value"), link.getAttribute("data-field"));
    });
  });
  document.documentElement.setAttribute("data-ready", "true");
})();
"""


def render(report: Report, options: RenderOptions) -> Iterator[str]:
    yield render_html(report, options.show_missing)
