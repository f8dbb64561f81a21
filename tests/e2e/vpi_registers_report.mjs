// Real-browser test: a VPI logs in with password and TOTP code, registers a
// report taken in during a conversation, and sees the statutory deadlines on
// the case page (acknowledgement of receipt 7 days out, moved to the next
// working day by the Algemene termijnenwet).
//
// Usage: node tests/e2e/vpi_registers_report.mjs <path-to-waarborg-binary>
// Exit 0 on success, 1 on failure. Needs /usr/bin/chromium and playwright-core
// (npm install in the repository root).
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  startServer, totp, reportFailure, stopServer, requireFromRepo, CHROMIUM, binaryArg, testDirs, assert,
} from './support.mjs';

const { chromium } = requireFromRepo('playwright-core');

const binary = binaryArg('vpi_registers_report.mjs');
const { tmp, dataDir } = testDirs('waarborg-e2e-');
const profileDir = join(tmp, 'chromium-profile');
const log = (...a) => console.log('[e2e]', ...a);

// ---------------------------------------------------------------- helpers


// Dates as UTC-midnight Date objects.
function todayInAmsterdam() {
  let iso;
  try {
    iso = new Intl.DateTimeFormat('en-CA', {
      timeZone: 'Europe/Amsterdam', year: 'numeric', month: '2-digit', day: '2-digit',
    }).format(new Date());
  } catch {
    iso = new Date().toISOString().slice(0, 10);
  }
  const [y, m, d] = iso.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d));
}
const addDays = (d, n) => new Date(d.getTime() + n * 86400000);
const sameDay = (a, b) => a.getTime() === b.getTime();
function easterSunday(year) {
  const a = year % 19, b = Math.floor(year / 100), c = year % 100;
  const d = Math.floor(b / 4), e = b % 4, f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3), h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4), k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31), day = ((h + l - 7 * m + 114) % 31) + 1;
  return new Date(Date.UTC(year, month - 1, day));
}
// Mirrors core/calendar (DOMAIN §8), Liberation Day every year.
function isPublicHoliday(d) {
  const y = d.getUTCFullYear();
  const e = easterSunday(y);
  let kings = new Date(Date.UTC(y, 3, 27));
  if (kings.getUTCDay() === 0) kings = new Date(Date.UTC(y, 3, 26));
  const list = [
    new Date(Date.UTC(y, 0, 1)), addDays(e, -2), e, addDays(e, 1), kings,
    new Date(Date.UTC(y, 4, 5)), addDays(e, 39), addDays(e, 49), addDays(e, 50),
    new Date(Date.UTC(y, 11, 25)), new Date(Date.UTC(y, 11, 26)),
  ];
  return list.some((h) => sameDay(h, d));
}
function nextWorkingDayOnOrAfter(d) {
  while (d.getUTCDay() === 0 || d.getUTCDay() === 6 || isPublicHoliday(d)) d = addDays(d, 1);
  return d;
}
const formatNl = (d) =>
  `${String(d.getUTCDate()).padStart(2, '0')}-${String(d.getUTCMonth() + 1).padStart(2, '0')}-${d.getUTCFullYear()}`;

// ---------------------------------------------------------------- the test

let server;
let context;
let page;
let failed = false;
try {
  let base;
  ({ server, base } = await startServer(binary, dataDir, tmp, log));

  const secret = execFileSync(binary, ['demo-secret', '--data', dataDir, '--user', 'vpi1'], {
    encoding: 'utf8', timeout: 15000,
  }).trim().split(/\s+/).pop();
  assert(/^[A-Z2-7=]+$/i.test(secret), `demo-secret printed a base32 secret (got "${secret}")`);

  context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
    locale: 'nl-NL',
    timezoneId: 'Europe/Amsterdam',
  });
  page = context.pages()[0] || (await context.newPage());
  page.setDefaultTimeout(15000);
  const cspViolations = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
  });

  // 1. Not logged in: / leads to the log-in page.
  await page.goto(`${base}/`);
  assert(new URL(page.url()).pathname === '/inloggen', `/ redirects to /inloggen (at ${page.url()})`);
  assert((await page.getAttribute('html', 'lang')) === 'nl', 'page language is nl');
  await page.fill('#gebruikersnaam', 'vpi1');
  await page.fill('#wachtwoord', 'waarborg-demo');
  await Promise.all([page.waitForNavigation(), page.click('button[type=submit]:has-text("Inloggen")')]);

  // 2. Second factor.
  let path = new URL(page.url()).pathname;
  if (path === '/inloggen/code-instellen') {
    // Not enrolled yet: enrol with the secret the page shows.
    const shown = await page.inputValue('input[name=secret]');
    await page.fill('#code', totp(shown));
  } else {
    assert(path === '/inloggen/code', `after the password comes the code page (at ${page.url()})`);
    await page.fill('#code', totp(secret));
  }
  await Promise.all([page.waitForNavigation(), page.click('form button[type=submit]')]);
  path = new URL(page.url()).pathname;
  assert(path === '/start', `after the code comes the start page (at ${page.url()})`);
  assert(await page.isVisible('h2:has-text("Mijn zaken")'), 'VPI start page shows "Mijn zaken"');

  // 3. Register a report taken in during a conversation.
  await page.click('nav[aria-label="Hoofdmenu"] a:has-text("Nieuwe melding")');
  await page.waitForURL(/\/meldingen\/nieuw/);
  const summary = `E2E melding ${Date.now()}`;
  await page.selectOption('#kanaal', 'conversation');
  await page.selectOption('#categorie', 'employee');
  await page.fill('#samenvatting', summary);
  await page.fill('#beschrijving', 'Tijdens een gesprek meldde een collega dat inkoopregels stelselmatig worden omzeild.');
  const unit = await page.$$eval('#eenheid option', (opts) => opts.map((o) => o.value).find((v) => v !== ''));
  assert(unit, 'the unit list has at least one unit');
  await page.selectOption('#eenheid', unit);
  await page.fill('#naam_melder', 'J. de Vries');
  await page.fill('#contact_melder', '06-12345678');
  await Promise.all([page.waitForNavigation(), page.click('button:has-text("Melding registreren")')]);

  // The reporter gets a receipt to come back with, handed over now and to be
  // replaced on first use; it is shown once, then on to the case.
  const receipt = (await page.textContent('[data-testid="receipt"]')) || '';
  assert(receipt.replace(/\D/g, '').length >= 16, `a receipt of at least 16 digits to hand over (got "${receipt}")`);
  assert(await page.isVisible('h1:has-text("Bonnummer voor de melder")'), 'the receipt page says it is for the reporter');
  await Promise.all([page.waitForNavigation(), page.click('a:has-text("Naar de melding")')]);

  // 4. The case page with its deadlines.
  assert(/\/meldingen\/\d+$/.test(new URL(page.url()).pathname), `lands on the case page (at ${page.url()})`);
  const h1 = await page.textContent('h1');
  assert(h1.includes(summary), `h1 shows the summary (got "${h1}")`);
  const row = page.locator('#termijnen tr', { hasText: 'Ontvangstbevestiging' });
  assert((await row.count()) === 1, 'the deadlines table has a row "Ontvangstbevestiging"');
  const rowText = (await row.innerText()).replace(/\s+/g, ' ');
  const expected = formatNl(nextWorkingDayOnOrAfter(addDays(todayInAmsterdam(), 7)));
  assert(/\b\d{2}-\d{2}-\d{4}\b/.test(rowText), `the deadline shows a dd-mm-jjjj date (got "${rowText}")`);
  assert(rowText.includes(expected), `acknowledgement due ${expected} (got "${rowText}")`);
  assert(cspViolations.length === 0, `no CSP violations (${cspViolations.join('; ')})`);
  log(`OK: ${rowText}`);
} catch (e) {
  failed = true;
  console.error('[e2e] FAILED:', e && e.stack ? e.stack : e);
  await reportFailure('e2e', page, tmp);
} finally {
  if (context) await context.close().catch(() => {});
  await stopServer(server);
  if (!failed && !process.env.KEEP_E2E_TMP) rmSync(tmp, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
