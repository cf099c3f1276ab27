import type { Browser, BrowserContext, Page } from 'playwright-core';
import { Api } from '../support/api';
import { http, waitFor } from '../support/http';
import { startTestService, TestService } from '../support/test-service';
import {
  accessibilityViolations,
  collectPageErrors,
  launchBrowser,
  screenshot,
} from './support/browser';

/** Dashboard → Events, filtered: "Retry all N matching", its confirmation, then its progress. */
describe('Dashboard bulk replay', () => {
  const COUNT = 300;
  let service: TestService;
  let api: Api;
  let browser: Browser;
  let integrationId: string;

  beforeAll(async () => {
    service = await startTestService({ RETRY_ATTEMPTS: '1' });
    api = await Api.forAccount(service, 'acc-replay-ui');
    browser = await launchBrowser();
    const created = await api.newCustomIntegration();
    integrationId = created.id;
    await api.injectFault({ status: 503, times: 10_000 });
    const messages = Array.from({ length: COUNT }, (_, i) => ({
      action: 'inventory.set',
      data: { items: [{ sku: `UI-${i}`, quantity: i + 1 }] },
    }));
    const sent = await http(`${service.url}/integrations/custom/inbound/batch`, {
      token: created.apiKey,
      body: { messages },
    });
    expect(sent.body.accepted).toBe(COUNT);
    await waitFor(
      () => countFailed(),
      (n) => n === COUNT,
      { timeoutMs: 90_000, intervalMs: 500, what: 'every message to fail' },
    );
    await fetch(`${service.url}/sandbox/avvyr/faults`, { method: 'DELETE' });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  const countFailed = async () =>
    (
      await http(`${service.url}/v1/integrations/events/retry`, {
        token: api.managementToken,
        body: { integrationId, dryRun: true },
      })
    ).body.matched;

  async function signedIn(): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
    const context = await browser.newContext({
      baseURL: service.url,
      viewport: { width: 1366, height: 900 },
    });
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await page.goto('/dashboard');
    await page.getByLabel('Management token').fill(api.managementToken);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    return { context, page, errors };
  }

  it('offers it only on a filtered list, and cancelling the confirmation starts nothing', async () => {
    const { context, page, errors } = await signedIn();
    await page.goto('/dashboard#/events');
    await page.locator('#events').waitFor();
    expect(await page.locator('#retry-all').count()).toBe(0);

    await page.goto(`/dashboard#/events?integrationId=${integrationId}&status=failed`);
    const button = page.getByRole('button', { name: `Retry all ${COUNT} matching failed events` });
    await button.waitFor();
    await button.click();
    const dialog = page.getByRole('dialog', { name: `Retry ${COUNT} failed events?` });
    await dialog.waitFor();
    expect(await page.locator('#retry-all-count').textContent()).toBe(String(COUNT));
    expect(await accessibilityViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(await page.locator('#replay-progress').count()).toBe(0);
    expect(await countFailed()).toBe(COUNT);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('confirms with N, then shows the progress moving until every event succeeded', async () => {
    const { context, page, errors } = await signedIn();
    await page.goto(`/dashboard#/events?integrationId=${integrationId}&status=failed`);
    await page.getByRole('button', { name: `Retry all ${COUNT} matching failed events` }).click();
    const dialog = page.getByRole('dialog', { name: `Retry ${COUNT} failed events?` });
    await dialog.getByRole('button', { name: `Retry ${COUNT} events` }).click();

    const bar = page.locator('#replay-bar');
    await bar.waitFor();
    expect(await bar.getAttribute('max')).toBe(String(COUNT));
    const values: number[] = [];
    await waitFor(
      async () => {
        const value = Number(await bar.getAttribute('value'));
        values.push(value);
        return value;
      },
      (value) => value === COUNT,
      { timeoutMs: 120_000, intervalMs: 200, what: 'the progress bar to fill' },
    );
    expect(values.some((v) => v > 0 && v < COUNT)).toBe(true);
    expect(values).toEqual([...values].sort((a, b) => a - b));
    await page.getByRole('status').filter({ hasText: 'Replay done' }).waitFor();
    expect(await page.locator('#replay-counts').textContent()).toContain(
      `${COUNT} of ${COUNT} · queued ${COUNT} · succeeded ${COUNT} · failed again 0 · skipped 0`,
    );
    // The list is read again: nothing failed is left under this filter.
    await page.getByText('No events match these filters.').waitFor();
    expect(await page.locator('#retry-all').count()).toBe(0);
    await screenshot(page, 'bulk-replay-done');
    expect(await countFailed()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  }, 180_000);
});
