#!/usr/bin/env bash
# Browser test of the HTML report: makes a small run and a small comparison, writes their reports, loads each in
# headless Chromium (Debian's `chromium`), and checks that the page raised no errors, that every chart was drawn
# (a non-blank image) with the series and points the data call for, and that Chromium logged no page errors.
# Keeps screenshots under build/ (CI artifacts). Exit 77 (skipped) when Chromium is not installed.
# Usage: report_browser_test.sh FRONTDOOR_BINARY SOURCE_DIR BUILD_DIR
set -euo pipefail
frontdoor=$1 source=$2 build=$3
source "$(dirname "$0")/chromium.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$source"
"$frontdoor" run -q --years 3 --replications 2 --jobs 2 --set simulation.warmup_days=365 --out "$work/run"
"$frontdoor" compare scenarios/england_baseline.toml scenarios/policies/raise_threshold.toml scenarios/policies/early_help_2m.toml \
  -q --years 5 --replications 2 --jobs 2 --out "$work/compare"
# A small sweep, analysed: its report ranks the levers, one chart per output.
"$frontdoor" sweep plan scenarios/validation/mmc_front_door.toml --vary service.front_door.team.fte=8:10:3 \
  --vary sources.other.contacts_per_day=60:70:2 -r 2 --set simulation.years=2 --out "$work/sweep" >/dev/null
"$frontdoor" sweep exec -q -j 2 "$work/sweep" && "$frontdoor" sweep merge -q "$work/sweep"
"$frontdoor" report "$work/sweep" --out "$work/sweep/report.html" >/dev/null
"$frontdoor" sweep analyse "$work/sweep" --outputs front_door_wait_days_mean,front_door_utilisation >/dev/null  # refreshes it
cp "$work/sweep/report.html" "$work/sweep.html"
"$frontdoor" report "$work/run" --out "$work/run.html" >/dev/null
"$frontdoor" report "$work/compare" --out "$work/compare.html" >/dev/null
# Not a run: a clear error, exit 2.
set +e
"$frontdoor" report "$work" --out "$work/nothing.html" 2>"$work/err.txt"; code=$?
set -e
[ "$code" -eq 2 ] || { echo "FAIL: report on a directory that is not a run exited $code"; exit 1; }
grep -q "not a frontdoor run directory" "$work/err.txt" || { echo "FAIL: unclear error: $(cat "$work/err.txt")"; exit 1; }

flags=(--headless --no-sandbox --disable-gpu --hide-scrollbars --virtual-time-budget=20000 --user-data-dir="$work/profile")
status=0
for page in run compare sweep; do
  "$browser" "${flags[@]}" --enable-logging=stderr --v=0 --dump-dom "file://$work/$page.html" >"$work/$page.dom" 2>"$work/$page.log" || true
  "$browser" "${flags[@]}" --window-size=1400,3000 --screenshot="$build/report_$page.png" "file://$work/$page.html" >/dev/null 2>&1 || true
  node - "$work/$page.dom" "$work/$page.log" "$page" <<'JS' || status=1
const fs = require('fs');
const [dom, log, page] = process.argv.slice(2);
const html = fs.readFileSync(dom, 'utf8');
const match = html.match(/<pre id="report-status">([^<]*)<\/pre>/);
if (!match) { console.log(`FAIL ${page}: no status line in the page (did the script run?)`); process.exit(1); }
const text = match[1].replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
const status = JSON.parse(text);
let failed = false;
const fail = (m) => { console.log(`FAIL ${page}: ${m}`); failed = true; };
if (status.errors.length) fail(`errors in the page: ${status.errors.join(' | ')}`);
const consoleErrors = fs.readFileSync(log, 'utf8').split('\n').filter(l => /CONSOLE|Uncaught/.test(l) && /error|Uncaught/i.test(l));
if (consoleErrors.length) fail(`console errors: ${consoleErrors.join(' | ')}`);
// run: 6 monthly, caseload, cost, Sankey; compare: 10 side by side + 10 differences + the 3 runs' own; sweep: 2 outputs
const expectedCharts = { run: 9, compare: 20 + 3 * 9, sweep: 2 }[page];
if (status.charts !== expectedCharts) fail(`${status.charts} charts, expected ${expectedCharts}`);
for (const c of status.rendered) {
  if (c.series !== c.expect.series) fail(`chart "${c.title}": ${c.series} series, expected ${c.expect.series}`);
  if (c.points !== c.expect.points) fail(`chart "${c.title}": ${c.points} points, expected ${c.expect.points}`);
  if (!(c.image > 5000)) fail(`chart "${c.title}" looks blank (image of ${c.image} bytes)`);
}
if (!failed) console.log(`ok ${page}: ${status.charts} charts drawn, no errors`);
process.exit(failed ? 1 : 0);
JS
done
exit $status
