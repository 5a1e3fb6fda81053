// Browser test of trainer mode's page (report/trainer.html) against a running `frontdoor serve`, in Debian's
// headless Chromium through playwright-core (a devDependency of report/, pinned in report/package-lock.json). It
// runs with the defaults, raises the front-door threshold and the early-help line and runs again (every chart must
// redraw with new data), checks what ECharts drew (the caseload bands between their low and high, a band below zero
// drawn below zero, the total cost's axis in £m), shows the difference table, then sends an out-of-range decision
// noise and expects the server's message on the page. Any console error or page error fails it.
// Usage: node tests/browser/trainer_browser_test.mjs BASE_URL SCREENSHOT_PATH
// Exit 0 pass, 1 fail (FAIL: ...), 77 skipped (no Chromium).
import fs from 'node:fs';
import { createRequire } from 'node:module';

const [baseUrl, screenshotPath] = process.argv.slice(2);
if (!baseUrl || !screenshotPath) {
  console.log('usage: node trainer_browser_test.mjs BASE_URL SCREENSHOT_PATH');
  process.exit(2);
}
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
if (!fs.existsSync(executablePath)) {
  console.log(`SKIPPED: Chromium is not installed (${executablePath}; scripts/install-deps.sh installs it)`);
  process.exit(77);
}
let chromium;
try {
  ({ chromium } = createRequire(new URL('../../report/package.json', import.meta.url))('playwright-core'));
} catch (e) {
  console.log(`FAIL: playwright-core is not installed (npm ci in report/): ${e.message}`);
  process.exit(1);
}

const CHARTS = ['chart-measures', 'chart-sankey-base', 'chart-sankey-changed', 'chart-caseload', 'chart-rereferrals', 'chart-harm'];
const problems = [];  // console errors and page errors, as they come
let expectRejection = false;  // during step f, the browser logs the 400 of /api/run as a failed resource load
let browser;
const fail = message => { throw new Error(message); };

async function main() {
  browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox'] });
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.on('console', m => {
    if (m.type() !== 'error') return;
    if (expectRejection && /status of 400/.test(m.text())) return;
    problems.push('console error: ' + m.text());
  });
  page.on('pageerror', e => problems.push('page error: ' + e.message));
  const status = () => page.evaluate(() => JSON.parse(document.getElementById('trainer-status').textContent || '{}'));
  // A run takes a few seconds; a sanitizer build (tests/CMakeLists.txt sets the scale) is many times slower.
  const runSeconds = 60 * Number(process.env.FRONTDOOR_TEST_WAIT_SCALE || 1);
  const waitForRuns = n => page.waitForFunction(k => {
    const text = document.getElementById('trainer-status').textContent;
    return text && JSON.parse(text).runs >= k;
  }, n, { timeout: runSeconds * 1000 }).catch(() => status().then(s => fail(`no finished run number ${n} within ${runSeconds} s (status: ${JSON.stringify(s)}; ` +
    `#error: ${JSON.stringify(s.lastError)})`)));
  const checkCharts = (s, when) => {
    for (const id of CHARTS) {
      const c = s.charts && s.charts[id];
      if (!c || !(c.series > 0) || !(c.points > 0)) fail(`${when}: chart ${id} is empty (${JSON.stringify(c)})`);
    }
    if (s.errors && s.errors.length) fail(`${when}: errors in the page: ${s.errors.join(' | ')}`);
  };
  const setNumber = async (id, value) => {
    const box = page.locator('#lever-' + id);
    await box.fill(String(value));  // types into the number box, as a user would: input event
    await box.dispatchEvent('change');
  };

  // b. the controls, built from /api/levers
  await page.goto(baseUrl, { waitUntil: 'load' });
  await page.waitForSelector('#lever-referral_threshold', { timeout: 20000 });
  for (const id of ['early_help_threshold', 'decision_noise', 'early_help_budget_m', 'social_worker_posts_pct', 'co_location', 'shock', 'years', 'replications']) {
    if (await page.locator('#lever-' + id).count() !== 1) fail(`no control #lever-${id}`);
  }
  console.log('PASS controls built from /api/levers');

  // c. Run with the defaults
  await page.click('#run');
  await waitForRuns(1);
  const first = await status();
  checkCharts(first, 'first run');
  if (first.lastError) fail(`first run: error shown: ${first.lastError}`);
  console.log(`PASS first run drew every chart (${first.draws} data events)`);
  if (first.stale) fail('first run: the figures are marked as changed since the last Run');

  // c2. the room view at a projector's 1280x720 and at 1920x1080: every lever card, the Run button, the three big
  // numbers and their year-by-year chart on the first screen, without scrolling; no Sankey label over another.
  for (const [width, height] of [[1280, 720], [1920, 1080]]) {
    await page.setViewportSize({ width, height });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.waitForTimeout(400);
    await page.evaluate(() => writeStatus());
    const s = await status();
    const below = s.room.filter(b => !(b.bottom <= height && b.right <= width));
    if (s.room.length < 10) fail(`${width}x${height}: only ${s.room.length} lever cards and big numbers found`);
    if (below.length) fail(`${width}x${height}: not on the first screen: ${below.map(b => `${b.id || 'a lever'} (bottom ${Math.round(b.bottom)}, right ${Math.round(b.right)})`).join(', ')}`);
    for (const [k, sk] of s.sankeyLabels.entries()) {
      for (const a of sk.labels) {
        if (a.x < -1 || a.y < -1 || a.x + a.width > sk.width + 1 || a.y + a.height > sk.height + 1) fail(`${width}x${height}: Sankey ${k + 1}: label "${a.text}" leaves the chart`);
      }
      sk.labels.forEach((a, i) => sk.labels.slice(i + 1).forEach(b => {
        if (Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x) > 1 && Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y) > 1)
          fail(`${width}x${height}: Sankey ${k + 1}: labels "${a.text.replace(/\n/g, ' ')}" and "${b.text.replace(/\n/g, ' ')}" overlap`);
      }));
    }
    console.log(`PASS ${width}x${height}: ${s.room.length} lever cards, big numbers and the Run button on the first screen; ` +
                `${s.sankeyLabels.map(k => k.labels.length).join(' and ')} Sankey labels, none overlapping`);
  }
  await page.setViewportSize({ width: 1400, height: 1000 });

  // d. a higher threshold: the figures are marked out of date at once, and the charts redraw with new data
  await setNumber('referral_threshold', 3.6);
  await setNumber('early_help_threshold', 3.4);
  const moved = await status();
  if (!moved.stale || !(await page.isVisible('#stale'))) fail('moving a lever did not mark the figures as changed since the last Run');
  if (await page.inputValue('#slider-referral_threshold').catch(() => '3.6') !== '3.6') fail('the slider did not follow the number box');
  await page.click('#run');
  await waitForRuns(2);
  const second = await status();
  checkCharts(second, 'second run');
  if (second.signature === first.signature) fail(`the charts did not change with the threshold (signature ${second.signature})`);
  if (!(second.draws > first.draws)) fail('no data drawn in the second run');
  const changes = await page.locator('#changes li').allTextContents();
  if (!changes.some(c => /threshold/i.test(c))) fail(`"What you changed" does not list the threshold: ${JSON.stringify(changes)}`);
  console.log(`PASS second run (thresholds 3.6 and 3.4) redrew every chart with new data; changes listed: ${changes.join('; ')}`);
  if (second.stale) fail('after the second run the figures are still marked as out of date');
  console.log('PASS a moved lever marks the figures "changed since the last Run" until the next run');
  // The room after the second run, as a projector shows it (for the README).
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForTimeout(400);
  await page.screenshot({ path: screenshotPath.replace(/\.png$/, '_room.png') });
  await page.setViewportSize({ width: 1400, height: 1000 });

  // d2. what ECharts drew, read back: each band's area (its edges turned from pixels into data units) against the
  // data's low and high, for the caseload bands and for a made-up band below zero drawn by the page's own
  // bandSeries (ECharts stacks a band below zero from zero up unless told stackStrategy 'all'); the cost axis labels.
  const drawn = await page.evaluate(() => {
    const edges = (chart, name) => {
      const series = chart.getModel().getSeries().find(m => m.name === name);
      const polygon = series && chart.getViewOfSeriesModel(series)._polygon;
      if (!polygon) return null;
      const edge = points => Array.from({ length: points.length / 2 }, (_, i) => (Number.isFinite(points[2 * i + 1])
        ? chart.convertFromPixel({ seriesIndex: series.seriesIndex }, [points[2 * i], points[2 * i + 1]])[1] : null));
      return { upper: edge(polygon.shape.points), lower: edge(polygon.shape.stackedOnPoints),
               extent: chart.getModel().getComponent('yAxis', series.get('yAxisIndex') || 0).axis.scale.getExtent() };
    };
    const caseload = echarts.getInstanceByDom(document.getElementById('chart-caseload'));
    const bands = [['Baseline', state.latest.base.caseload], ['Changed', state.latest.changed.caseload]]
      .map(([name, c]) => ({ name: name + ' caseload', low: c.low, high: c.high, drawn: edges(caseload, name + ' (95% interval)') }));
    const div = document.createElement('div');
    div.style.cssText = 'position: absolute; left: -2000px; width: 600px; height: 300px';
    document.body.appendChild(div);
    const scratch = echarts.init(div);
    const low = [-6, -5, -4.5, -8], high = [-4, -3, -1.5, -2];
    scratch.setOption({ animation: false, xAxis: { type: 'category', data: ['a', 'b', 'c', 'd'] }, yAxis: { type: 'value', scale: true },
                        series: bandSeries('Test', [-5, -4, -3, -5], low, high, '#000') });
    bands.push({ name: 'made-up band below zero', low, high, drawn: edges(scratch, 'Test (95% interval)') });
    scratch.dispose();
    div.remove();
    const measures = echarts.getInstanceByDom(document.getElementById('chart-measures'));
    const cost = measures.getModel().getSeries().find(m => m.name === 'Total cost a year');
    const costLabels = cost ? measures.getModel().getComponent('yAxis', cost.get('yAxisIndex')).axis.getViewLabels()
      .map(l => [Number(l.tickValue), l.formattedLabel]) : null;
    return { bands, costLabels };
  });
  for (const b of drawn.bands) {
    if (!b.drawn) fail(`${b.name}: no band drawn`);
    const tolerance = (b.drawn.extent[1] - b.drawn.extent[0]) / 500;
    b.low.forEach((low, i) => {
      const high = b.high[i], upper = b.drawn.upper[i], lower = b.drawn.lower[i];
      if (low === null || high === null) return;
      if (!(Math.abs(upper - high) <= tolerance && Math.abs(lower - low) <= tolerance)) {
        fail(`${b.name}, point ${i + 1}: band drawn from ${lower} to ${upper}, its data from ${low} to ${high}`);
      }
    });
  }
  if (!drawn.costLabels) fail('no "Total cost a year" panel in the key measures');
  for (const [value, text] of drawn.costLabels) {
    const m = /^£(\d+(?:\.\d+)?)m$/.exec(text);
    if (!(text === '£0' && value === 0) && !(m && Math.abs(Number(m[1]) * 1e6 - value) <= 5e3)) fail(`total cost axis label "${text}" for ${value}: not like £62m`);
  }
  if (!drawn.costLabels.some(([value]) => value >= 1e7)) fail(`the total cost axis has no label of tens of millions: ${drawn.costLabels.map(l => l[1]).join(', ')}`);
  console.log(`PASS bands drawn between their low and high (${drawn.bands.map(b => b.name).join(', ')}); ` +
              `total cost axis reads ${drawn.costLabels.map(l => l[1]).join(', ')}`);

  // g. the picture, before any error
  await page.waitForTimeout(300);
  await page.screenshot({ path: screenshotPath, fullPage: true });
  // The top of the page (levers, run bar, the first measures), for the README.
  await page.screenshot({ path: screenshotPath.replace(/\.png$/, '_top.png'), fullPage: true, clip: { x: 0, y: 0, width: 1400, height: 2300 } });
  console.log(`PASS screenshot ${screenshotPath}`);

  // e. the difference table
  await page.click('#show-difference');
  await page.waitForSelector('#difference tbody tr', { state: 'visible', timeout: 5000 });
  const rows = await page.locator('#difference tbody tr').count();
  if (!(rows > 0)) fail('the difference table has no rows');
  const cost = await page.evaluate(() => [...document.querySelectorAll('#difference tbody tr')].map(tr => [...tr.cells].map(td => td.textContent))
    .find(cells => /^Total cost a year/.test(cells[0])));
  const amount = '£(?:\\d+\\.\\d+m|[\\d,]+)', money = `[−+]?${amount}`;
  if (!cost || !/^£\d+\.\dm$/.test(cost[1]) || !/^£\d+\.\dm$/.test(cost[2]) ||
      !new RegExp(`^[−+]${amount} \\((${money} to ${money}|no interval from one pair)\\)$`).test(cost[3])) {
    fail(`the total cost row does not read in £m with a signed difference: ${JSON.stringify(cost)}`);
  }
  console.log(`PASS difference table shows ${rows} rows; total cost ${cost[1]} and ${cost[2]}, difference ${cost[3]}`);

  // e2. the keyboard alone: Reset (the figures go out of date), then Tab to the Run button and press Enter
  await page.click('#reset');
  if (!(await status()).stale) fail('Reset did not mark the figures as changed since the last Run');
  await page.evaluate(() => document.activeElement && document.activeElement.blur());
  let tabs = 0;
  for (; tabs < 80; tabs++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(() => document.activeElement && document.activeElement.id === 'run')) break;
  }
  if (tabs >= 80) fail('Tab never reached the Run button');
  const focusRing = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  if (focusRing === 'none') fail('the focused Run button shows no focus ring');
  await page.keyboard.press('Enter');
  await waitForRuns(3);
  const byKeyboard = await status();
  if (byKeyboard.stale) fail('after a run started from the keyboard the figures are still out of date');
  console.log(`PASS the keyboard alone: ${tabs + 1} Tabs to Run, Enter ran it (focus ring ${focusRing})`);

  // f. an out-of-range consistency (decision noise), sent as typed: the server's message shows on the page
  expectRejection = true;
  await setNumber('decision_noise', 99);
  await page.click('#run');
  await page.waitForSelector('#error', { state: 'visible', timeout: 20000 });
  await page.waitForFunction(() => /decision_noise/.test(document.getElementById('error').textContent), null, { timeout: 20000 })
    .catch(async () => fail(`#error does not mention decision_noise: ${await page.textContent('#error')}`));
  const third = await status();
  if (!third.lastError || !/decision_noise/.test(third.lastError)) fail(`status line has no lastError: ${JSON.stringify(third.lastError)}`);
  if (third.runs !== byKeyboard.runs) fail('a refused run was counted as finished');
  await page.waitForFunction(() => !document.getElementById('run').disabled, null, { timeout: 5000 })
    .catch(() => fail('the Run button stayed disabled after the error'));
  await page.waitForTimeout(200);
  expectRejection = false;
  console.log(`PASS out-of-range value refused with the server's message: ${third.lastError}`);
  if (third.errors && third.errors.length) fail(`errors in the page: ${third.errors.join(' | ')}`);
}

let code = 0;
try {
  await main();
  if (problems.length) fail(problems.join(' | '));
  console.log('PASS no console errors or page errors');
} catch (e) {
  console.log(`FAIL: ${e.message}${problems.length ? ` (also: ${problems.join(' | ')})` : ''}`);
  code = 1;
} finally {
  if (browser) await browser.close().catch(() => {});
}
process.exit(code);
