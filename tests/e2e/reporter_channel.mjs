// Real-browser test of the anonymous reporter channel, with JavaScript
// disabled: a reporter files a report on /melden (with a small attachment),
// keeps the receipt, comes back in a fresh browser with the receipt, reads a
// VPI's reply and answers it. The coordinator's side goes through the JSON
// API: write to the reporter, then read the reporter's answer.
// Along the way: no <script> on any reporter page, and every page the
// reporter gets carries Cache-Control: no-store.
//
// Usage: node tests/e2e/reporter_channel.mjs <path-to-waarborg-binary>
// Exit 0 on success, 1 on failure. Needs /usr/bin/chromium and playwright-core
// (npm install in the repository root).
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import {
  startServer, totp, reportFailure, stopServer, requireFromRepo, CHROMIUM, PASSWORD, binaryArg, testDirs, assert, pathOf,
} from './support.mjs';

const { chromium } = requireFromRepo('playwright-core');

const binary = binaryArg('reporter_channel.mjs');
const { tmp, dataDir } = testDirs('waarborg-reporter-');
const log = (...a) => console.log('[reporter]', ...a);

// ---------------------------------------------------------------- helpers

// The wb_session cookie ("name=value") from a fetch response, or null.
function sessionCookie(resp) {
  const all = typeof resp.headers.getSetCookie === 'function'
    ? resp.headers.getSetCookie()
    : [resp.headers.get('set-cookie') || ''];
  for (const c of all) {
    const m = /^\s*(wb_session=[^;]*)/.exec(c);
    if (m) return m[1];
  }
  return null;
}

// A JSON API client logged in as `user` (password and, when asked, TOTP).
async function apiLogin(base, user) {
  const headers = { 'Content-Type': 'application/json', Origin: base };
  let r = await fetch(`${base}/api/v1/session`, {
    method: 'POST', headers, body: JSON.stringify({ username: user, password: PASSWORD }),
  });
  const body = await r.json().catch(() => ({}));
  assert(r.status === 200, `API log-in of ${user} answers 200 (got ${r.status}: ${JSON.stringify(body)})`);
  let cookie = sessionCookie(r);
  assert(cookie, `API log-in of ${user} sets the wb_session cookie`);
  const csrf = body.csrf_token;
  assert(csrf, `API log-in of ${user} returns a csrf_token`);
  if (body.second_factor_required) {
    assert(!body.second_factor_enrolment,
      `${user} is enrolled for TOTP in the demo data (got second_factor_enrolment ${body.second_factor_enrolment})`);
    const secret = execFileSync(binary, ['demo-secret', '--data', dataDir, '--user', user], {
      encoding: 'utf8', timeout: 15000,
    }).trim().split(/\s+/).pop();
    assert(/^[A-Z2-7=]+$/i.test(secret), `demo-secret printed a base32 secret for ${user} (got "${secret}")`);
    r = await fetch(`${base}/api/v1/session/totp`, {
      method: 'POST',
      headers: { ...headers, 'X-CSRF-Token': csrf, Cookie: cookie },
      body: JSON.stringify({ code: totp(secret) }),
    });
    const t = await r.text();
    assert(r.ok, `TOTP step of ${user} succeeds (got ${r.status}: ${t})`);
    cookie = sessionCookie(r) || cookie; // rotated after the step up
  }
  const call = async (method, path, json) => {
    const h = { Cookie: cookie, Origin: base };
    if (method !== 'GET') Object.assign(h, { 'X-CSRF-Token': csrf, 'Content-Type': 'application/json' });
    const resp = await fetch(`${base}${path}`, { method, headers: h, body: json ? JSON.stringify(json) : undefined });
    const text = await resp.text();
    let data = null;
    try { data = JSON.parse(text); } catch { /* not JSON */ }
    return { status: resp.status, data, text };
  };
  return call;
}

// ---------------------------------------------------------------- the test

let server;
let browser;
let page; // the page in use, for the failure screenshot
let failed = false;
const documents = []; // {url, status, cacheControl, html} of every page the reporter got

async function reporterContext() {
  const context = await browser.newContext({
    javaScriptEnabled: false, locale: 'nl-NL', timezoneId: 'Europe/Amsterdam',
  });
  context.on('response', async (resp) => {
    if (resp.request().resourceType() !== 'document') return;
    const entry = { url: resp.url(), status: resp.status(), cacheControl: resp.headers()['cache-control'] || '' };
    documents.push(entry);
    if (resp.status() < 300 || resp.status() >= 400) {
      entry.html = resp.text().catch(() => null);
    }
  });
  page = await context.newPage();
  page.setDefaultTimeout(15000);
  return context;
}

async function submit(selectorOrLocator) {
  const target = typeof selectorOrLocator === 'string' ? page.locator(selectorOrLocator) : selectorOrLocator;
  const [resp] = await Promise.all([page.waitForNavigation(), target.click()]);
  return resp;
}

async function assertNoScript(where) {
  const n = await page.locator('script').count();
  assert(n === 0, `${where} has no <script> elements (found ${n})`);
}

try {
  let base;
  ({ server, base } = await startServer(binary, dataDir, tmp, log));

  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });

  // 1. File a report, without JavaScript.
  const summary = `E2E anonieme melding ${Date.now()}`;
  let receipt;
  {
    const context = await reporterContext();
    const resp = await page.goto(`${base}/melden`);
    assert(resp && resp.status() === 200, `/melden answers 200 (got ${resp && resp.status()})`);
    assert(/no-store/i.test(resp.headers()['cache-control'] || ''),
      `/melden carries Cache-Control: no-store (got "${resp.headers()['cache-control']}")`);
    await assertNoScript('/melden');

    const category = page.getByLabel('Categorie melder');
    const firstCategory = await category.locator('option').evaluateAll(
      (os) => os.map((o) => o.value).find((v) => v !== ''));
    assert(firstCategory, 'the category list has a real option');
    await category.selectOption(firstCategory);
    await page.getByLabel('Over welke eenheid gaat het?').selectOption({ label: 'Eenheid Amsterdam' });
    await page.getByLabel('Korte omschrijving').fill(summary);
    await page.getByLabel('Wat is er aan de hand?').fill(
      'Op het bureau worden declaraties ingediend voor diensten die niet zijn gedraaid.');
    await page.getByLabel('Bestanden meesturen (niet verplicht)').setInputFiles({
      name: 'notitie.txt', mimeType: 'text/plain',
      buffer: Buffer.from('Aantekeningen: dienstroosters van week 12 en 13 kloppen niet met de declaraties.\n'),
    });
    const sent = await submit(page.getByRole('button', { name: 'Melding versturen' }));
    // 201 Created: the receipt is shown once, in the answer to the POST.
    assert(sent && [200, 201].includes(sent.status()), `sending the report gives the receipt page (got ${sent && sent.status()}, at ${page.url()})`);
    const h1 = (await page.locator('h1').innerText()).trim();
    assert(h1 === 'Uw melding is ontvangen', `the receipt page says "Uw melding is ontvangen" (got "${h1}")`);
    receipt = (await page.getByTestId('receipt').innerText()).trim();
    assert(/^\d{4} \d{4} \d{4} \d{4} \d{4}$/.test(receipt),
      `the receipt is 20 digits in groups of four (got "${receipt}")`);
    await assertNoScript('the receipt page');
    log(`report filed, receipt ${receipt.slice(0, 4)} ...`);
    await context.close();
  }

  // 2. A returning reporter: a fresh browser, only the receipt.
  const reporter = await reporterContext();
  {
    await page.goto(`${base}/melden/terug`);
    await assertNoScript('/melden/terug');
    await page.getByLabel('Bonnummer').fill(receipt);
    await submit(page.getByRole('button', { name: 'Bekijk mijn melding' }));
    assert(pathOf(page) === '/melder', `the receipt leads to /melder (at ${page.url()})`);
    const status = await page.getByTestId('status').innerText();
    assert(/ontvangen/i.test(status), `the status says "ontvangen" (got "${status}")`);
    assert((await page.locator('main').innerText()).includes(summary), '/melder shows the summary of the report');
    const files = page.locator('section[aria-labelledby="bestanden"]');
    assert((await files.count()) === 1 && (await files.innerText()).includes('notitie.txt'),
      '/melder lists the attached file notitie.txt');
    await assertNoScript('/melder');
  }

  // 3. The coordinator writes to the reporter (before staffing).
  const api = await apiLogin(base, 'coordinator');
  const list = await api('GET', '/api/v1/cases?state=registered');
  assert(list.status === 200, `GET /api/v1/cases?state=registered answers 200 (got ${list.status}: ${list.text})`);
  const found = (list.data.cases || []).filter((c) => c.summary === summary);
  assert(found.length === 1, `exactly one registered case has the summary "${summary}" (found ${found.length})`);
  const caseId = found[0].id;
  const question = 'Dank voor uw melding. Kunt u zeggen sinds wanneer dit speelt?';
  const posted = await api('POST', `/api/v1/cases/${caseId}/messages`, { visibility: 'reporter', text: question });
  assert(posted.status === 201, `the coordinator's message to the reporter is accepted with 201 (got ${posted.status}: ${posted.text})`);
  log(`coordinator wrote to the reporter on case ${caseId}`);

  // 4. The reporter reads the reply and answers it.
  const answer = `Sinds begin maart, ongeveer zes weken. (${Date.now()})`;
  {
    const resp = await page.goto(`${base}/melder`);
    assert(resp && resp.status() === 200, `/melder answers 200 (got ${resp && resp.status()})`);
    assert(pathOf(page) === '/melder', `the reporter is still signed in on /melder (at ${page.url()})`);
    const cc = resp.headers()['cache-control'] || '';
    assert(/no-store/i.test(cc), `/melder carries Cache-Control: no-store (got "${cc}")`);
    await assertNoScript('/melder (with a message)');
    const messages = page.locator('section[aria-labelledby="berichten"]');
    assert((await messages.locator('h2').innerText()).trim() === 'Berichten', 'the messages section is headed "Berichten"');
    assert((await messages.innerText()).includes(question), 'the VPI\'s message is shown under "Berichten"');

    await page.getByLabel('Bericht aan uw VPI').fill(answer);
    await submit(page.getByRole('button', { name: 'Bericht versturen' }));
    const url = new URL(page.url());
    assert(url.pathname === '/melder' && url.hash === '#berichten',
      `sending a message redirects to /melder#berichten (at ${page.url()})`);
    const after = await messages.innerText();
    assert(after.includes(answer), 'the answer is shown under "Berichten"');
    assert(after.includes(question), 'the question is still shown under "Berichten"');
    await assertNoScript('/melder (after answering)');
  }
  await reporter.close();

  // 5. The coordinator sees the answer, marked as from the reporter.
  const msgs = await api('GET', `/api/v1/cases/${caseId}/messages`);
  assert(msgs.status === 200, `GET messages answers 200 (got ${msgs.status}: ${msgs.text})`);
  const fromReporter = (msgs.data.messages || []).find((m) => m.text === answer);
  assert(fromReporter, `the reporter's answer is among the case's messages (${msgs.text})`);
  assert(fromReporter.from_reporter === true, `the answer is marked from_reporter (got ${fromReporter.from_reporter})`);
  const fromStaff = (msgs.data.messages || []).find((m) => m.text === question);
  assert(fromStaff && fromStaff.from_reporter === false, 'the coordinator\'s message is not marked from_reporter');

  // 6. Every page the reporter got: no <script>, Cache-Control: no-store.
  assert(documents.length >= 6, `the reporter's pages were recorded (${documents.length})`);
  let bodies = 0;
  for (const d of documents) {
    assert(/no-store/i.test(d.cacheControl), `${d.url} (${d.status}) carries Cache-Control: no-store (got "${d.cacheControl}")`);
    const html = d.html ? await d.html : null;
    if (html) {
      bodies++;
      assert(!/<script\b/i.test(html), `${d.url} has no <script> in its HTML`);
    }
  }
  assert(bodies >= 5, `the HTML of the reporter's pages was checked (${bodies} of ${documents.length})`);
  log(`${documents.length} reporter responses checked for no-store, ${bodies} pages for no <script>`);
  log('OK: report filed, receipt kept, reply read and answered without JavaScript');
} catch (e) {
  failed = true;
  console.error('[reporter] FAILED:', e && e.stack ? e.stack : e);
  await reportFailure('reporter', page, tmp);
} finally {
  if (browser) await browser.close().catch(() => {});
  await stopServer(server);
  if (!failed && !process.env.KEEP_E2E_TMP) rmSync(tmp, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
