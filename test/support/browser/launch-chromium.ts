import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { trackResource } from '../system/open-resources';

/**
 * What this machine's Chromium needs: no sandbox (tests run as root), no GPU, and none of the background
 * connections (component updates, sync, QUIC probes) that a closed network refuses many times a second.
 * Playwright adds `--headless` and a fresh, empty `--user-data-dir` of its own for every launch.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Debian's Chromium (`apt-get install -y chromium`), or the binary `CHROMIUM_PATH` names. */
export function chromiumPath(): string {
  const executable = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!fs.existsSync(executable)) {
    throw new Error(
      `Chromium is not installed at ${executable}. The browser tests drive Debian's Chromium: ` +
        `run "apt-get install -y chromium" (as root), or set CHROMIUM_PATH to a Chromium binary.`,
    );
  }
  return executable;
}

/** A headless Chromium for one test file; the root hooks fail the run if it is left open. */
export async function launchChromium(): Promise<Browser> {
  const browser = await chromium.launch({ executablePath: chromiumPath(), headless: true, args: CHROMIUM_ARGS });
  const untrack = trackResource(browser, 'a Chromium browser');
  browser.on('disconnected', untrack);
  return browser;
}
