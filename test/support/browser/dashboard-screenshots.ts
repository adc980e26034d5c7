import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';

/**
 * Where the browser tests keep their screenshots: `.test-data/screenshots` (git-ignored) unless
 * `DASHBOARD_SCREENSHOTS_DIR` says otherwise, e.g. `docs/screenshots` to renew the README's.
 */
export function screenshotDir(): string {
  return path.resolve(process.env.DASHBOARD_SCREENSHOTS_DIR ?? '.test-data/screenshots');
}

/** Saves a PNG of the page (the whole page unless `viewportOnly`) and answers its path. */
export async function saveScreenshot(
  page: Page,
  name: string,
  options: { viewportOnly?: boolean } = {},
): Promise<string> {
  const dir = screenshotDir();
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: !options.viewportOnly, animations: 'disabled' });
  return file;
}

/** A real PNG of some size: the signature, and more than an empty image would weigh. */
export function assertPngScreenshot(file: string): void {
  const bytes = fs.readFileSync(file);
  const signature = bytes.subarray(0, 8).toString('hex');
  if (signature !== '89504e470d0a1a0a') throw new Error(`${file} is not a PNG`);
  if (bytes.length < 5_000) throw new Error(`${file} is only ${bytes.length} bytes: an empty page?`);
}
