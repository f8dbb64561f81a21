// Real-browser accessibility test: logs in as several roles (employee, VPI,
// coordinator, competent authority, admin) and runs axe-core (WCAG 2.0/2.1
// A and AA) on the pages each role uses, including pages with an error
// summary. Fails on any violation with impact "serious" or "critical" and
// prints the rule, its help text and the first elements it found. Along the
// way it checks that the Beheer pages work: the admin adds a person and an
// account, the coordinator lets a VPI adopt a unit.
//
// Usage: node tests/e2e/pages_are_accessible.mjs <path-to-waarborg-binary>
// Exit 0 on success, 1 on failure. Needs /usr/bin/chromium, playwright-core
// and @axe-core/playwright (npm install in the repository root).
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  startServer, totp, reportFailure, stopServer, requireFromRepo, CHROMIUM, PASSWORD, binaryArg, testDirs, assert, pathOf,
} from './support.mjs';

const { chromium } = requireFromRepo('playwright-core');
const { AxeBuilder } = requireFromRepo('@axe-core/playwright');
// A11Y_BEST_PRACTICE=1 adds axe's best-practice rules (landmarks, heading
// order, ...) to the run.
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa',
  ...(process.env.A11Y_BEST_PRACTICE === '1' ? ['best-practice'] : [])];
const FAIL_IMPACTS = new Set(['serious', 'critical']);

const binary = binaryArg('pages_are_accessible.mjs');
const { tmp, dataDir } = testDirs('waarborg-a11y-');
const log = (...a) => console.log('[a11y]', ...a);

// ---------------------------------------------------------------- helpers


// ---------------------------------------------------------------- the test

let server;
let browser;
let page; // the page in use, for the failure screenshot
let failed = false;
const findings = []; // {where, id, impact, help, helpUrl, targets}
let checked = 0;

// Runs axe on the current page; records serious/critical violations.
async function check(where) {
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  checked++;
  const bad = results.violations.filter((v) => FAIL_IMPACTS.has(v.impact));
  const minor = results.violations.filter((v) => !FAIL_IMPACTS.has(v.impact));
  for (const v of minor) log(`  note (${v.impact}) ${where}: ${v.id} - ${v.help}`);
  for (const v of bad) {
    findings.push({
      where, id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
      targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
      summary: v.nodes[0] && v.nodes[0].failureSummary,
    });
  }
  // "Incomplete" are checks axe could not decide (e.g. contrast over an
  // image); they are listed for a human to look at, not failed.
  const review = results.incomplete.map((v) => v.id).join(', ');
  log(`${bad.length ? 'FAIL' : 'ok  '} ${where} (${results.passes.length} rules passed, ` +
      `${results.violations.length} violations, ${bad.length} serious/critical` +
      `${review ? `; to review by hand: ${review}` : ''})`);
}

async function visit(base, path, where = path) {
  const resp = await page.goto(`${base}${path}`);
  assert(resp && resp.status() === 200, `${path} answers 200 (got ${resp && resp.status()}, at ${page.url()})`);
  assert(pathOf(page) === path.split('?')[0], `${path} is not redirected (at ${page.url()})`);
  assert((await page.locator('h1').count()) === 1, `${path} has exactly one h1`);
  await check(where);
}

async function submit(selector) {
  const [resp] = await Promise.all([page.waitForNavigation(), page.click(selector)]);
  return resp;
}

// Logs in `user` in a fresh browser context; ends on /start.
async function login(base, user) {
  const context = await browser.newContext({ locale: 'nl-NL', timezoneId: 'Europe/Amsterdam', bypassCSP: true });
  page = await context.newPage();
  page.setDefaultTimeout(15000);
  await page.goto(`${base}/inloggen`);
  await page.fill('#gebruikersnaam', user);
  await page.fill('#wachtwoord', PASSWORD);
  await submit('main button[type=submit]');
  let path = pathOf(page);
  if (path === '/inloggen/code-instellen') {
    const shown = await page.inputValue('input[name=secret]');
    await page.fill('#code', totp(shown));
    await submit('main form button[type=submit]');
  } else if (path === '/inloggen/code') {
    const secret = execFileSync(binary, ['demo-secret', '--data', dataDir, '--user', user], {
      encoding: 'utf8', timeout: 15000,
    }).trim().split(/\s+/).pop();
    assert(/^[A-Z2-7=]+$/i.test(secret), `demo-secret printed a base32 secret for ${user}`);
    await page.fill('#code', totp(secret));
    await submit('main form button[type=submit]');
  }
  path = pathOf(page);
  assert(path === '/start', `${user} lands on /start after logging in (at ${page.url()})`);
  return context;
}

// The first case link in the case table of the current page.
async function firstCaseHref() {
  return page.$$eval('table a[href^="/meldingen/"]', (as) => (as[0] ? as[0].getAttribute('href') : null));
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

  // Not logged in: the log-in page, empty and with its error summary.
  {
    const context = await browser.newContext({ locale: 'nl-NL', bypassCSP: true });
    page = await context.newPage();
    await visit(base, '/inloggen');
    await submit('main button[type=submit]');
    assert(await page.isVisible('[role=alert]'), 'an empty log-in shows the error summary');
    await check('/inloggen (met foutmeldingen)');
    await context.close();
  }

  // Employee (no second factor): start, then the anonymous reporter's
  // channel: the intake form (empty, with errors), the receipt, the log-in
  // with the receipt and the reporter's own page.
  {
    const context = await login(base, 'employee');
    await check('/start (medewerker)');
    await visit(base, '/meldingen', '/meldingen (medewerker)');
    await visit(base, '/leercasussen', '/leercasussen (medewerker)');
    await visit(base, '/melden', '/melden (melder)');
    await submit('button:has-text("Melding versturen")');
    assert(await page.isVisible('[role=alert]'), 'an empty report shows the error summary');
    await check('/melden (melder, met foutmeldingen)');
    await page.selectOption('#categorie', { index: 1 });
    await page.selectOption('#eenheid', { label: 'Eenheid Amsterdam' });
    await page.fill('#summary', 'Toegankelijkheidsproef');
    await page.fill('#description', 'Een melding om de pagina\'s van de melder te toetsen.');
    await submit('button:has-text("Melding versturen")');
    await check('/melden (bonnummer getoond)');
    const receipt = (await page.textContent('[data-testid=receipt]')).trim();
    assert(/^[0-9 ]{19,}$/.test(receipt), `a receipt of digits is shown (got ${receipt})`);
    await visit(base, '/melden/terug', '/melden/terug');
    await page.fill('#bonnummer', '1234 5678');
    await submit('button:has-text("Bekijk mijn melding")');
    assert(await page.isVisible('[role=alert]'), 'a wrong receipt shows the error summary');
    await check('/melden/terug (onjuist bonnummer)');
    await page.fill('#bonnummer', receipt);
    await submit('button:has-text("Bekijk mijn melding")');
    assert(pathOf(page) === '/melder', `the receipt opens /melder (at ${page.url()})`);
    assert((await page.locator('h1').count()) === 1, '/melder has exactly one h1');
    await check('/melder (melder)');
    const beheer = await page.goto(`${base}/beheer`);
    assert(beheer.status() === 403, `/beheer is 403 for an employee (got ${beheer.status()})`);
    assert((await page.locator('nav a[href="/beheer"]').count()) === 0, 'no Beheer in the menu of an employee');
    await context.close();
  }

  // VPI: the advisor pages, a case with a person link, the person page.
  {
    const context = await login(base, 'vpi1');
    await check('/start (VPI)');
    await visit(base, '/meldingen', '/meldingen (VPI)');
    await visit(base, '/meldingen/nieuw?zoek=de', '/meldingen/nieuw (VPI, met zoekresultaten)');
    await visit(base, '/termijnen', '/termijnen (VPI)');
    await visit(base, '/activiteiten', '/activiteiten (VPI)');
    await submit('button:has-text("Activiteit vastleggen")');
    assert(await page.isVisible('[role=alert]'), 'an empty activity shows the error summary');
    await check('/activiteiten (VPI, met foutmeldingen)');
    await visit(base, '/meldingen/4', '/meldingen/4 (VPI)');
    const person = await page.$$eval('#kop-partijen ~ ul a[href^="/personen/"]',
      (as) => (as[0] ? as[0].getAttribute('href') : null));
    assert(person, 'the case page links the parties to their person page');
    await visit(base, person, `${person} (VPI)`);
    assert(await page.isVisible('h2:has-text("Gezagslijn")'), 'the person page shows the chain of command');
    await context.close();
  }

  // Coordinator: staffing and overdue lists, case 4, Beheer (adoption only).
  {
    const context = await login(base, 'coordinator');
    await check('/start (coördinator)');
    await visit(base, '/meldingen', '/meldingen (coördinator)');
    await visit(base, '/meldingen/1', '/meldingen/1 (coördinator, bemensen)');
    await visit(base, '/meldingen/4', '/meldingen/4 (coördinator)');
    await visit(base, '/termijnen', '/termijnen (coördinator)');
    await visit(base, '/activiteiten', '/activiteiten (coördinator)');
    await visit(base, '/beheer', '/beheer (coördinator)');
    assert(await page.isVisible('nav a[href="/beheer"][aria-current="page"]'), 'Beheer is in the coordinator menu');
    assert((await page.locator('form[action="/beheer/personen"]').count()) === 0,
      'the coordinator does not get the person form');
    assert((await page.locator('form[action="/beheer/adopties"]').count()) === 1,
      'the coordinator gets the adoption form');
    // Adoption without a choice: error summary; then a real one.
    await submit('form[action="/beheer/adopties"] button[type=submit]');
    assert(await page.isVisible('[role=alert]'), 'an empty adoption shows the error summary');
    await check('/beheer (coördinator, met foutmeldingen)');
    const vpi = await page.$$eval('#adoptie-vpi option', (os) => os.map((o) => o.value).find((v) => v !== ''));
    const unit = await page.$$eval('#adoptie-eenheid option', (os) => os.map((o) => o.value).find((v) => v !== ''));
    await page.selectOption('#adoptie-vpi', vpi);
    await page.selectOption('#adoptie-eenheid', unit);
    await submit('form[action="/beheer/adopties"] button[type=submit]');
    assert(page.url().includes('/beheer?gelukt=adoptie'), `adoption redirects with a confirmation (at ${page.url()})`);
    assert(await page.isVisible('[role=status]'), 'the adoption is confirmed');
    await check('/beheer (coördinator, na adoptie)');
    // Adding people is for admins only: the service's 403, shown on the page.
    const csrf = await page.inputValue('form[action="/beheer/adopties"] input[name=csrf]');
    const denied = await page.request.post(`${base}/beheer/personen`, {
      form: { csrf, 'persoon-naam': 'Niet toegestaan', 'persoon-team': unit },
      headers: { Origin: base }, maxRedirects: 0,
    });
    assert(denied.status() === 403, `the coordinator cannot add a person (got ${denied.status()})`);
    assert((await denied.text()).includes('role="alert"'), 'the 403 is explained in the error summary');
    await context.close();
  }

  // Competent authority: advice waiting for a decision.
  {
    const context = await login(base, 'authority');
    await check('/start (bevoegd gezag)');
    await visit(base, '/meldingen', '/meldingen (bevoegd gezag)');
    await visit(base, '/meldingen/4', '/meldingen/4 (bevoegd gezag, besluit)');
    // The annual report (issue 5 §4): the form and last year's report, with its SVG charts.
    const lastYear = new Date().getFullYear() - 1;
    await visit(base, '/rapportage', '/rapportage (bevoegd gezag)');
    await visit(base, `/rapportage/verslag?soort=lmm&jaar=${lastYear}`, '/rapportage/verslag (bevoegd gezag, LMM)');
    assert((await page.locator('svg[role="img"] > title').count()) > 0, 'the report has charts with a title');
    await visit(base, `/rapportage/verslag?soort=vertrouwenswerk&jaar=${lastYear}`,
      '/rapportage/verslag (bevoegd gezag, vertrouwenswerk)');
    await context.close();
  }

  // Admin: Beheer with all forms; add a person, then an account.
  {
    const context = await login(base, 'admin');
    await check('/start (beheerder)');
    await visit(base, '/beheer', '/beheer (beheerder)');
    await submit('form[action="/beheer/personen"] button[type=submit]');
    assert(await page.isVisible('[role=alert]'), 'an empty person form shows the error summary');
    await check('/beheer (beheerder, met foutmeldingen)');
    await visit(base, '/beheer?zoek=van', '/beheer (beheerder, leidinggevende zoeken)');
    await page.goto(`${base}/beheer?zoek=Karel`);
    const manager = await page.$$eval('input[name="persoon-leidinggevende-keuze"]',
      (is) => is.map((i) => i.value).find((v) => v !== ''));
    assert(manager, 'the manager search finds Karel Wolters');
    await page.check(`#persoon-leidinggevende-${manager}`);
    await page.fill('#persoon-naam', 'Eva Toegevoegd');
    await page.fill('#persoon-functie', 'Brigadier');
    const team = await page.$$eval('#persoon-team option', (os) => os.map((o) => o.value).find((v) => v !== ''));
    await page.selectOption('#persoon-team', team);
    await submit('form[action="/beheer/personen"] button[type=submit]');
    assert(page.url().includes('/beheer?gelukt=persoon'), `adding a person redirects (at ${page.url()})`);
    const newId = new URL(page.url()).searchParams.get('id');
    assert((await page.inputValue('#account-persoon')) === newId, 'the account form is filled with the new person');
    await check('/beheer (beheerder, na persoon toevoegen)');
    await page.fill('#account-gebruikersnaam', 'eva.toegevoegd');
    await page.fill('#account-wachtwoord', 'kort');
    await page.check('#account-rol-employee');
    await submit('form[action="/beheer/accounts"] button[type=submit]');
    assert(await page.isVisible('[role=alert]:has-text("12 tekens")'), 'a short password gives the service message');
    assert((await page.inputValue('#account-wachtwoord')) === '', 'the password is not sent back');
    await page.fill('#account-wachtwoord', 'een-lang-genoeg-wachtwoord');
    await submit('form[action="/beheer/accounts"] button[type=submit]');
    assert(page.url().includes('/beheer?gelukt=account'), `creating an account redirects (at ${page.url()})`);
    await page.fill('#account-persoon', newId);
    await page.fill('#account-gebruikersnaam', 'eva.toegevoegd');
    await page.fill('#account-wachtwoord', 'een-lang-genoeg-wachtwoord');
    await page.check('#account-rol-employee');
    const again = await submit('form[action="/beheer/accounts"] button[type=submit]');
    assert(again.status() === 409, `a second account for the same person is refused with 409 (got ${again.status()})`);
    assert(await page.isVisible('[role=alert]:has-text("al een account")'), 'the 409 shows the service message');
    await check('/beheer (beheerder, 409)');
    await visit(base, `/personen/${newId}`, `/personen/${newId} (beheerder)`);
    assert(await page.isVisible(`ol a[href="/personen/${manager}"]`), 'the new person has Karel Wolters as manager');
    await context.close();
  }

  // Triage officer: the cases on the other tracks (/zaken), the new-case form
  // (empty, with errors), a VIK triage case and a refused step on it.
  {
    const context = await login(base, 'triagist');
    await visit(base, '/zaken', '/zaken (triagist)');
    assert(await page.isVisible('nav a[href="/zaken"][aria-current="page"]'), 'Zaken is in the triage officer menu');
    await visit(base, '/zaken/nieuw/vik_triage?zoek=de', '/zaken/nieuw/vik_triage (triagist, met zoekresultaten)');
    await submit('button:has-text("Zaak registreren")');
    assert(await page.isVisible('[role=alert]'), 'an empty new case shows the error summary');
    await check('/zaken/nieuw/vik_triage (triagist, met foutmeldingen)');
    await page.selectOption('#eenheid', { index: 1 });
    await page.fill('#samenvatting', 'Toegankelijkheidsproef triage');
    await submit('button:has-text("Zaak registreren")');
    const caseUrl = pathOf(page);
    assert(/^\/zaken\/\d+$/.test(caseUrl), `registering leads to the case page (at ${page.url()})`);
    assert((await page.locator('h1').count()) === 1, `${caseUrl} has exactly one h1`);
    await check(`${caseUrl} (triagist, nieuw signaal)`);
    await page.selectOption('#stap-start_triage-source', 'manager');
    await submit('#stap-start_triage button[type=submit]');
    assert(pathOf(page) === caseUrl, `the step returns to the case page (at ${page.url()})`);
    await check(`${caseUrl} (triagist, in triage)`);
    await submit('#stap-choose_line_inquiry button[type=submit]');
    assert(await page.isVisible('#stap-choose_line_inquiry [role=alert]'), 'a step without the criteria shows its message');
    await check(`${caseUrl} (triagist, geweigerde stap)`);
    await context.close();
  }

  // The VIK team chief on the demo investigation: members with the form to add
  // one, the flow chart, deadlines and the steps of the chief; and the
  // CVP's list of cases with signals.
  {
    const context = await login(base, 'teamchef-vik');
    await visit(base, '/zaken', '/zaken (teamchef VIK)');
    const link = page.locator('a', { hasText: 'ONZ-' }).first();
    assert((await link.count()) === 1, 'the demo investigation is listed for the VIK team chief');
    await Promise.all([page.waitForNavigation(), link.click()]);
    assert(await page.isVisible('#stap-leden'), 'the team chief can add someone to the investigation');
    await check(`${pathOf(page)} (teamchef VIK, onderzoek)`);
    await submit('#stap-leden button[type=submit]');
    await check(`${pathOf(page)} (teamchef VIK, toevoegen zonder nummer)`);
    // The dashboard: accessible, and kept current by its script: a case made
    // meanwhile shows within a second, without reloading by hand.
    await visit(base, '/dashboard', '/dashboard (teamchef VIK)');
    const before = await page.getAttribute('#dashboard', 'data-versie');
    const formPage = await (await page.request.get(`${base}/zaken/nieuw/vik_triage`)).text();
    const csrf = /name="csrf" value="([^"]+)"/.exec(formPage)[1];
    const unit = /name="eenheid"[\s\S]*?<option value="(\d+)"/.exec(formPage)[1];
    const made = await page.request.post(`${base}/zaken/nieuw/vik_triage`, {
      form: { csrf, eenheid: unit, samenvatting: 'Signaal voor het dashboard' }, maxRedirects: 0,
    });
    assert(made.status() === 303, `the team chief registers a signal (got ${made.status()})`);
    const started = Date.now();
    await page.waitForFunction(
      (v) => document.getElementById('dashboard').getAttribute('data-versie') !== v, before, { timeout: 5000 });
    const took = Date.now() - started;
    log(`dashboard updated itself ${took} ms after the change`);
    assert(took <= 1000, `the dashboard shows a change within a second (took ${took} ms)`);
    assert((await page.textContent('#dashboard-status')).startsWith('Bijgewerkt om'), 'the page says it was updated');
    await check('/dashboard (teamchef VIK, bijgewerkt zonder herladen)');
    await context.close();
  }
  {
    const context = await login(base, 'cvp');
    await visit(base, '/zaken', '/zaken (CVP)');
    await context.close();
  }

  // Counsellor: learning cases (issue 5 §5). The list, a draft made from the
  // demo complaint on its case page, and the draft with a finding of the
  // checker next to its field.
  {
    const context = await login(base, 'vp');
    await visit(base, '/leercasussen', '/leercasussen (VP)');
    await visit(base, '/zaken', '/zaken (VP)');
    await submit('tr:has-text("Kleinerende opmerkingen over afkomst") a');
    await check('/zaken/:id (VP, met leercasus maken)');
    await page.check('#leercasus-toestemming');
    await submit('button:has-text("Leercasus maken")');
    assert(/^\/leercasussen\/\d+$/.test(pathOf(page)), `making a learning case opens its draft (at ${page.url()})`);
    await check('/leercasussen/:id (concept)');
    await page.fill('#veld-situatie', 'Op 12-03-2025 gebeurde het.');
    await submit('button:has-text("Opslaan en indienen")');
    assert(await page.isVisible('#veld-situatie-bevindingen'), 'a date is shown as a finding next to its field');
    await check('/leercasussen/:id (concept, met bevindingen)');
    await context.close();
  }

  // Protective Monitoring (issue 6 §10): the analyst's trend view, queue,
  // a flag with its review form with an error, the request for resolution;
  // the privacy officer's list of requests and a request to decide on.
  {
    const context = await login(base, 'analist');
    await visit(base, '/monitoring', '/monitoring (analist)');
    await visit(base, '/monitoring/signalen', '/monitoring/signalen (analist)');
    await submit('#signalen tbody a');
    assert(/^\/monitoring\/signalen\/\d+$/.test(pathOf(page)), `a flag opens (at ${page.url()})`);
    await check('/monitoring/signalen/:id (analist)');
    await submit('#beoordeling button[type=submit]');
    assert(await page.isVisible('[role=alert]'), 'a review without an outcome shows the error summary');
    await check('/monitoring/signalen/:id (analist, met foutmelding)');
    await page.fill('#reden', 'Nodig voor een gesprek met de teamchef.');
    await submit('#herleiding button[type=submit]');
    assert(/^\/monitoring\/herleidingen\/\d+$/.test(pathOf(page)), `a request opens (at ${page.url()})`);
    await check('/monitoring/herleidingen/:id (analist)');
    await visit(base, '/monitoring/modus', '/monitoring/modus (analist)');
    await context.close();
  }
  {
    const context = await login(base, 'privacy');
    await visit(base, '/monitoring/herleidingen', '/monitoring/herleidingen (privacyfunctionaris)');
    await submit('#herleidingen tbody a');
    await check('/monitoring/herleidingen/:id (privacyfunctionaris, te beslissen)');
    await context.close();
  }
  {
    const context = await login(base, 'admin');
    await visit(base, '/monitoring/modus', '/monitoring/modus (beheerder)');
    await context.close();
  }

  log(`${checked} page states checked`);
  if (findings.length) {
    failed = true;
    console.error(`[a11y] FAILED: ${findings.length} serious or critical axe violation(s):`);
    for (const f of findings) {
      console.error(`- ${f.where}: ${f.id} (${f.impact}) ${f.help}`);
      console.error(`    ${f.helpUrl}`);
      for (const t of f.targets) console.error(`    at ${t}`);
      if (f.summary) console.error(`    ${f.summary.replace(/\n/g, '\n    ')}`);
    }
  } else {
    log('OK: no serious or critical accessibility violations');
  }
} catch (e) {
  failed = true;
  console.error('[a11y] FAILED:', e && e.stack ? e.stack : e);
  await reportFailure('a11y', page, tmp);
} finally {
  if (browser) await browser.close().catch(() => {});
  await stopServer(server);
  if (!failed && !process.env.KEEP_E2E_TMP) rmSync(tmp, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
