// Shared by the e2e specs: a harness on a fresh data directory, and a workspace that has
// already passed first run (most specs are about what comes after it).
import AxeBuilder from '@axe-core/playwright';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, type Page } from '@playwright/test';
import { startHarness, type Harness } from '../../main/harness/server';

export function freshDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'fieldbook-e2e-'));
}

/** A harness whose workspace is set up for `name`, as if first run had been done. */
export async function setUpHarness(dataDir = freshDataDir(), name = 'Asha Patel'): Promise<Harness> {
  const harness = await startHarness({ dataDir, port: 0 });
  harness.service.setup(name, 'Moss Side Connections');
  return harness;
}

/** The record page's save status has settled on "Saved". */
export async function expectSaved(page: Page): Promise<void> {
  await expect(page.getByRole('status').filter({ hasText: /^Saved$/ })).toBeVisible();
}

/** Open a section from the sidebar. */
export async function openSection(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name, exact: true })).toBeVisible();
}

/** axe finds no serious or critical WCAG 2.2 A/AA (or best-practice) violation on the page as it is. */
export async function expectNoSeriousViolations(page: Page, screen: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']).analyze();
  const serious = violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(serious, `axe on ${screen}`).toEqual([]);
}
