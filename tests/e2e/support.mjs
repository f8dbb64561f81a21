// Shared helpers for the real-browser tests: the test's set-up (server
// binary argument, temporary directory, playwright from the repository), a
// free loopback port, waiting for the server's /healthz, and RFC 6238 TOTP
// codes for the demo accounts.
import { createHmac } from 'node:crypto';
import { createServer } from 'node:net';
import { mkdtempSync, openSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

// Loads a package from the repository's node_modules (playwright-core,
// @axe-core/playwright).
export const requireFromRepo = createRequire(
  join(resolve(dirname(fileURLToPath(import.meta.url)), '..', '..'), 'package.json'));

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const PASSWORD = 'waarborg-demo';

// The server binary from the command line; exits with a usage line naming
// `script` when it is missing.
export function binaryArg(script) {
  const binary = process.argv[2];
  if (!binary) {
    console.error(`usage: node ${script} <waarborg-binary>`);
    process.exit(1);
  }
  return binary;
}

// A fresh temporary directory for one run, with the server's data directory in it.
export function testDirs(prefix) {
  const tmp = mkdtempSync(join(tmpdir(), prefix));
  return { tmp, dataDir: join(tmp, 'data') };
}

export function assert(cond, msg) {
  if (!cond) throw new Error(`assertion failed: ${msg}`);
}

export const pathOf = (page) => new URL(page.url()).pathname;

export function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });
}

export async function waitForHealth(base, server, ms = 30000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (server.exitCode !== null) throw new Error(`server exited early with code ${server.exitCode}`);
    try {
      const r = await fetch(`${base}/healthz`);
      if (r.ok) return;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('server did not become healthy within 30 s');
}

export function base32Decode(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const clean = text.toUpperCase().replace(/[\s=]/g, '');
  let bits = 0, value = 0;
  const out = [];
  for (const ch of clean) {
    const idx = alphabet.indexOf(ch);
    if (idx < 0) throw new Error(`invalid base32 character ${ch}`);
    value = (value << 5) | idx;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

// RFC 6238 TOTP, HMAC-SHA1, 6 digits, 30 s.
export function totp(secretBase32, unixSeconds = Math.floor(Date.now() / 1000)) {
  const key = base32Decode(secretBase32);
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(unixSeconds / 30)));
  const mac = createHmac('sha1', key).update(counter).digest();
  const off = mac[mac.length - 1] & 0x0f;
  const bin = ((mac[off] & 0x7f) << 24) | (mac[off + 1] << 16) | (mac[off + 2] << 8) | mac[off + 3];
  return String(bin % 1_000_000).padStart(6, '0');
}

// After a failure: a screenshot and the page's HTML in `tmp`, and where the
// server log is, printed with `tag`.
export async function reportFailure(tag, page, tmp) {
  if (page) {
    const shot = join(tmp, 'failure.png');
    try {
      await page.screenshot({ path: shot, fullPage: true });
      writeFileSync(join(tmp, 'failure.html'), await page.content());
      console.error(`[${tag}] screenshot: ${shot}; page: ${join(tmp, 'failure.html')}; url: ${page.url()}`);
    } catch (se) {
      console.error(`[${tag}] could not take a screenshot:`, se.message);
    }
  }
  console.error(`[${tag}] server log: ${join(tmp, 'server.log')}`);
}

// Stops the server with SIGTERM (it finishes what is in flight), SIGKILL after 5 s.
export async function stopServer(server) {
  if (!server || server.exitCode !== null) return;
  server.kill('SIGTERM');
  await new Promise((r) => {
    const t = setTimeout(() => { if (server.exitCode === null) server.kill('SIGKILL'); r(); }, 5000);
    server.once('exit', () => { clearTimeout(t); r(); });
  });
}

// Starts `binary serve --demo` on a free loopback port with its data in
// `dataDir`, logging to `tmp`/server.log; resolves once /healthz answers.
export async function startServer(binary, dataDir, tmp, log) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const serverLog = openSync(join(tmp, 'server.log'), 'a');
  const server = spawn(binary, ['serve', '--port', String(port), '--data', dataDir, '--demo'], {
    stdio: ['ignore', serverLog, serverLog],
  });
  server.on('error', (e) => log('server spawn error:', e.message));
  log(`server pid ${server.pid} on ${base}, data in ${dataDir}`);
  await waitForHealth(base, server);
  return { server, base };
}
