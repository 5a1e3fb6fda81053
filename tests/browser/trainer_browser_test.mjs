// Browser test of trainer mode's page (report/trainer.html) against a running `frontdoor serve`, in Debian's
// headless Chromium through playwright-core (a devDependency of report/, pinned in report/package-lock.json). It
// runs with the defaults, raises the front-door threshold and the early-help line and runs again (every chart must
// redraw with new data), shows the difference table, then sends an out-of-range decision
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
  const waitForRuns = n => page.waitForFunction(k => {
    const text = document.getElementById('trainer-status').textContent;
    return text && JSON.parse(text).runs >= k;
  }, n, { timeout: 60000 }).catch(() => status().then(s => fail(`no finished run number ${n} within 60 s (status: ${JSON.stringify(s)}; ` +
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

  // d. a higher threshold: the charts redraw with new data
  await setNumber('referral_threshold', 3.6);
  await setNumber('early_help_threshold', 3.4);
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
  console.log(`PASS difference table shows ${rows} rows`);

  // f. an out-of-range decision noise, sent as typed: the server's message shows on the page
  expectRejection = true;
  await setNumber('decision_noise', 99);
  await page.click('#run');
  await page.waitForSelector('#error', { state: 'visible', timeout: 20000 });
  await page.waitForFunction(() => /decision_noise/.test(document.getElementById('error').textContent), null, { timeout: 20000 })
    .catch(async () => fail(`#error does not mention decision_noise: ${await page.textContent('#error')}`));
  const third = await status();
  if (!third.lastError || !/decision_noise/.test(third.lastError)) fail(`status line has no lastError: ${JSON.stringify(third.lastError)}`);
  if (third.runs !== second.runs) fail('a refused run was counted as finished');
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
