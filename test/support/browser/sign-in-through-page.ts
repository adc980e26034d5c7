import type { Page } from 'playwright-core';

/** Signs in as a person does: the sign-in screen, the token typed into its field, the button. */
export async function signInThroughPage(
  page: Page,
  baseUrl: string,
  token: string,
  path = '/dashboard/',
): Promise<void> {
  await page.goto(`${baseUrl}${path}`);
  await page.getByLabel('API token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}
