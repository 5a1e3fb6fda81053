#!/usr/bin/env bash
# Browser test of the HTML report: makes a small run and a small comparison, writes their reports, loads each in
# headless Chromium (Debian's `chromium`), and checks that the page raised no errors, that every chart was drawn
# (a non-blank image) with the series and points the data call for, and that Chromium logged no page errors. From
# what ECharts drew (read back by the page into its status line) it checks that every 95% band lies between its
# low and high, also below zero (raise_threshold cuts referrals: a clearly negative difference), and that value-axis
# labels are not cut off and say what they stand for: money as £62m, differences signed (+£1.5m, −£2m).
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
# A Morris and a Sobol sweep: bars with their intervals' whiskers, which the value axis must reach.
"$frontdoor" sweep plan scenarios/validation/mmc_front_door.toml --vary service.front_door.team.fte=8:11:4 \
  --vary sources.other.contacts_per_day=60:70:4 --design morris --points 3 -r 1 --set simulation.years=2 \
  --out "$work/morris" >/dev/null
"$frontdoor" sweep plan scenarios/validation/mmc_front_door.toml --vary service.front_door.work.mean_days=0.09:0.11:2 \
  --vary sources.other.contacts_per_day=60:70:2 --design sobol --points 6 -r 1 --set simulation.years=2 \
  --out "$work/sobol" >/dev/null
for design in morris sobol; do
  "$frontdoor" sweep exec -q -j 2 "$work/$design" && "$frontdoor" sweep merge -q "$work/$design"
  "$frontdoor" sweep analyse "$work/$design" --outputs front_door_wait_days_mean >/dev/null
  "$frontdoor" report "$work/$design" --out "$work/$design.html" >/dev/null
done
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
# The comparison's answer at a projector's 1280x720 and at 1920x1080: the first alternative's headline cards are
# above the fold, and a clear fall is drawn green, a difference that cannot be told from zero grey.
for size in 1280,720 1920,1080; do
  "$browser" "${flags[@]}" --window-size=$size --dump-dom "file://$work/compare.html" >"$work/compare_$size.dom" 2>/dev/null || true
  node - "$work/compare_$size.dom" "$size" <<'JS' || status=1
const fs = require('fs');
const [dom, size] = process.argv.slice(2);
const m = fs.readFileSync(dom, 'utf8').match(/<pre id="report-status">([^<]*)<\/pre>/);
if (!m) { console.log(`FAIL compare at ${size}: no status line`); process.exit(1); }
const st = JSON.parse(m[1].replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&'));
const height = st.viewport[1];  // the window less the browser's own bars
let failed = false;
const fail = (t) => { console.log(`FAIL compare at ${size}: ${t}`); failed = true; };
if (st.headline.length < 6) fail(`${st.headline.length} headline cards, expected at least 6`);
for (const c of st.headline) if (!(c.bottom <= height)) fail(`headline card "${c.text.slice(0, 40)}" ends at ${c.bottom} px, below the fold (${height})`);
for (const c of st.headline) {
  if (/no clear difference/.test(c.text) && !/unclear/.test(c.cls)) fail(`"${c.text.slice(0, 40)}" is unclear but coloured`);
  // Colour is never the only cue: a coloured card says which way in words.
  if (!/unclear/.test(c.cls) && !/clearly (better|worse)/.test(c.text)) fail(`"${c.text.slice(0, 40)}" is coloured with no words for it`);
}
// Every Sankey's labels: inside the chart and none over another (bounding boxes, a pixel's grace); one colour per
// service across the scenarios' Sankeys.
const colours = {};
st.sankeyLabels.forEach((s, k) => {
  for (const a of s.labels) {
    if (a.x < -1 || a.y < -1 || a.x + a.width > s.width + 1 || a.y + a.height > s.height + 1)
      fail(`Sankey ${k + 1}: label "${a.text}" leaves the chart (${Math.round(a.x)},${Math.round(a.y)} ${Math.round(a.width)}x${Math.round(a.height)} in ${s.width}x${s.height})`);
  }
  s.labels.forEach((a, i) => s.labels.slice(i + 1).forEach(b => {
    const overlap = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x) > 1 && Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y) > 1;
    if (overlap) fail(`Sankey ${k + 1}: labels "${a.text}" and "${b.text}" overlap`);
  }));
  for (const [name, colour] of Object.entries(s.colours)) {
    if (colours[name] && colours[name] !== colour) fail(`service ${name} is ${colours[name]} in one Sankey and ${colour} in another`);
    colours[name] = colour;
  }
});
if (st.sankeyLabels.length < 3) fail(`${st.sankeyLabels.length} Sankeys, expected one for each of the 3 scenarios`);
if (!st.sankeyLabels.every(s => s.labels.some(l => /^looked after$/i.test(l.text)))) fail('a Sankey does not show "Looked after"');
if (!failed) console.log(`OK compare at ${size}: ${st.headline.length} headline cards above the fold (${st.viewport.join('x')}); ` +
  `${st.sankeyLabels.map(s => s.labels.length).join(', ')} Sankey labels, none overlapping`);
process.exit(failed ? 1 : 0);
JS
done
for page in run compare sweep morris sobol; do
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
const expectedCharts = { run: 9, compare: 20 + 3 * 9, sweep: 2, morris: 1, sobol: 1 }[page];
// Panels that are zero throughout are named in a note instead of drawn.
if (status.charts + status.hidden.length !== expectedCharts) fail(`${status.charts} charts and ${status.hidden.length} hidden, expected ${expectedCharts}`);
for (const name of status.hidden) if (!html.includes(name)) fail(`hidden panel "${name}" is not named on the page`);
// A text alternative for every chart: a table of its numbers.
if (status.tables !== status.charts) fail(`${status.tables} tables behind ${status.charts} charts`);
for (const c of status.rendered) {
  if (c.series !== c.expect.series) fail(`chart "${c.title}": ${c.series} series, expected ${c.expect.series}`);
  if (c.points !== c.expect.points) fail(`chart "${c.title}": ${c.points} points, expected ${c.expect.points}`);
  if (!(c.image > 5000)) fail(`chart "${c.title}" looks blank (image of ${c.image} bytes)`);
}

// Each band drawn between its data's low and high (to 1/500 of the axis), and below zero where high < 0.
const problems = [];
let bands = 0, belowZero = 0;
for (const c of status.rendered) {
  const drawn = c.drawn || {}, expected = c.expect.bands || [];
  if (!c.drawn) { fail(`chart "${c.title}": the page does not say what the chart drew`); continue; }
  if (drawn.error) { fail(`chart "${c.title}": ${drawn.error}`); continue; }
  if (!expected.length) continue;
  const tolerance = (drawn.yExtent[1] - drawn.yExtent[0]) / 500;
  expected.forEach((b, k) => {
    const d = (drawn.bands || [])[k];
    if (!d || !d.drawn) { problems.push(`chart "${c.title}": no area drawn for ${b.series}`); return; }
    bands++;
    b.low.forEach((low, i) => {
      const high = b.high[i], upper = d.upper[i], lower = d.lower[i];
      if (low === null || high === null) return;
      const where = `chart "${c.title}", ${b.series}, point ${i + 1}: band drawn from ${lower} to ${upper}, its data from ${low} to ${high}`;
      if (high < 0) {
        if (c.expect.difference) belowZero++;
        if (!(upper < 0 && lower < 0)) { problems.push(`${where} (the data are below zero, the band is not)`); return; }
      }
      if (!(Math.abs(upper - high) <= tolerance && Math.abs(lower - low) <= tolerance)) problems.push(where);
    });
  });
}
if (problems.length) fail(`${problems.length} band points drawn away from their data, e.g.\n  ${problems.slice(0, 5).join('\n  ')}`);
if (page === 'compare' && !belowZero) fail('no difference chart has a band below zero to check (raise_threshold should cut referrals)');

// Value-axis labels: inside the chart, real minus signs, money in £k or £m that reads back as its tick value.
const parseMoney = t => {
  const m = /^([−+]?)£(\d+(?:\.\d+)?)([mk]?)$/.exec(t);
  return m ? { value: (m[1] === '−' ? -1 : 1) * Number(m[2]) * { m: 1e6, k: 1e3, '': 1 }[m[3]], step: { m: 1e4, k: 10, '': 1 }[m[3]], sign: m[1] } : null;
};
for (const c of status.rendered) {
  const drawn = c.drawn || {};
  if (!drawn.yLabels) continue;
  if (!(drawn.yLabelLeft >= 0)) fail(`chart "${c.title}": its axis labels are cut off at the left edge (left ${drawn.yLabelLeft} px)`);
  for (const [value, text] of drawn.yLabels) {
    if (/^-/.test(text)) fail(`chart "${c.title}": axis label "${text}" has a hyphen for a minus sign`);
    if (c.expect.difference && value > 0 && !text.startsWith('+')) fail(`chart "${c.title}": difference axis label "${text}" has no + sign`);
    if (c.expect.unit !== 'gbp') continue;
    const money = parseMoney(text);
    if (!money) { fail(`chart "${c.title}": money axis label "${text}" (for ${value}) does not read like £62m or −£2.5m`); continue; }
    if (!(Math.abs(money.value - value) <= money.step / 2 + 1e-6 * Math.abs(value))) fail(`chart "${c.title}": axis label "${text}" stands for ${value}`);
    if (value < 0 && money.sign !== '−') fail(`chart "${c.title}": axis label "${text}" for ${value} lost its minus sign`);
  }
}
// Whiskers and bars within the value axis's range.
for (const c of status.rendered) {
  const extent = (c.drawn || {}).yExtent;
  if (c.expect.reach && extent && !(extent[0] <= c.expect.reach[0] && extent[1] >= c.expect.reach[1]))
    fail(`chart "${c.title}": its axis (${extent.join(' to ')}) does not reach its data (${c.expect.reach.join(' to ')})`);
}
// The total cost (tens of millions of pounds a year) is labelled in £m.
const costChart = status.rendered.find(c => /^total cost/i.test(c.title));
if (!['sweep', 'morris', 'sobol'].includes(page)) {
  if (!costChart) fail('no total-cost chart');
  else if (!((costChart.drawn || {}).yLabels || []).some(([v, t]) => v >= 1e7 && /^£\d+(\.\d+)?m$/.test(t)))
    fail(`chart "${costChart.title}": no axis label like "£62m": ${((costChart.drawn || {}).yLabels || []).map(l => l[1]).join(', ')}`);
}
// The comparison's table: total cost in £m, its difference signed.
if (page === 'compare') {
  const row = html.match(/<tr><td[^>]*>total cost gbp<\/td>((?:<td[^>]*>[^<]*<\/td>)+)<\/tr>/);
  const cells = row ? [...row[1].matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map(m => m[1]) : [];
  if (cells.length !== 6 || !/^£\d+\.\dm$/.test(cells[1]) || !/^£\d+\.\dm$/.test(cells[2]) ||
      !/^[−+]£\d+\.\d+m \([−+]?£\d+\.\d+m to [−+]?£\d+\.\d+m\)$/.test(cells[3]))
    fail(`the table's total cost row does not read in £m with signed differences: ${JSON.stringify(cells)}`);
}
if (!failed) console.log(`ok ${page}: ${status.charts} charts drawn, no errors; ${bands} bands drawn between their low and high` +
  (page === 'compare' ? ` (${belowZero} points of differences below zero)` : '') +
  [...new Map(status.rendered.filter(c => c.expect.unit === 'gbp').map(c => [c.title, c.drawn.yLabels.map(l => l[1]).join(', ')]))]
    .map(([title, labels]) => `; "${title}" axis reads ${labels}`).join(''));
process.exit(failed ? 1 : 0);
JS
done

# The comparison printed for a committee paper (report --pdf): A4 pages, looked at as images (poppler's pdftoppm)
# and as text (pdftotext): the answer and its headline cards on the first page, no blank page, and the same bytes
# when printed again. The pages are kept under build/ beside the screenshots.
if command -v pdftoppm >/dev/null && command -v pdftotext >/dev/null; then
  "$frontdoor" report "$work/compare" --out "$work/print.html" --pdf "$work/compare.pdf" >/dev/null
  "$frontdoor" report "$work/compare" --out "$work/print2.html" --pdf "$work/compare2.pdf" >/dev/null
  cmp -s "$work/compare.pdf" "$work/compare2.pdf" || { echo "FAIL pdf: printing the same report twice gave different bytes"; status=1; }
  pdfinfo "$work/compare.pdf" | grep -q "(A4)" || { echo "FAIL pdf: not A4: $(pdfinfo "$work/compare.pdf" | grep 'Page size')"; status=1; }
  first=$(pdftotext -f 1 -l 1 -layout "$work/compare.pdf" -)
  for words in "The answer" "Cost a year" "Children entering care" "95% interval"; do
    grep -q "$words" <<<"$first" || { echo "FAIL pdf: page 1 does not show \"$words\""; status=1; }
  done
  pdftoppm -gray -r 30 "$work/compare.pdf" "$work/page"
  pdftoppm -png -r 60 -f 1 -l 2 "$work/compare.pdf" "$build/report_compare_pdf"
  node - "$work" <<'JS' || status=1
const fs = require('fs'), path = require('path');
const dir = process.argv[2];
const pages = fs.readdirSync(dir).filter(f => /^page-\d+\.pgm$/.test(f)).sort();
let failed = false;
const fail = (t) => { console.log(`FAIL pdf: ${t}`); failed = true; };
if (pages.length < 3) fail(`${pages.length} pages, expected the answer, the tables and the charts on at least 3`);
pages.forEach((name, i) => {
  const b = fs.readFileSync(path.join(dir, name));
  // P5 header: "P5\n<w> <h>\n255\n", then one byte a pixel.
  const header = b.toString('latin1', 0, 40).match(/^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/);
  if (!header) { fail(`${name} is not a grey image`); return; }
  const [w, h] = [Number(header[1]), Number(header[2])];
  const pixels = b.subarray(header[0].length);
  let ink = 0;
  for (const p of pixels) if (p < 200) ink++;
  const share = ink / (w * h);
  if (!(w < h)) fail(`page ${i + 1} is ${w}x${h}, not portrait`);
  if (!(share > 0.005)) fail(`page ${i + 1} is blank (${(100 * share).toFixed(2)}% ink)`);
  if (i === 0) {
    // The title band printed in its colour: the top rows inside the margin are mostly dark.
    let dark = 0, total = 0;
    const margin = Math.round(w * 0.06);
    for (let y = Math.round(h * 0.03); y < Math.round(h * 0.06); y++)
      for (let x = margin; x < w - margin; x++) { total++; if (pixels[y * w + x] < 128) dark++; }
    if (!(dark / total > 0.5)) fail(`page 1's title band is not printed (${(100 * dark / total).toFixed(0)}% dark)`);
  }
});
if (!failed) console.log(`ok pdf: ${pages.length} A4 pages, none blank, the answer on page 1, the same bytes twice`);
process.exit(failed ? 1 : 0);
JS
else
  echo "FAIL pdf: poppler-utils (pdftoppm, pdftotext) is not installed (scripts/install-deps.sh installs it)"
  status=1
fi
exit $status
