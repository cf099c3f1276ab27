import type { Browser, BrowserContext, Page } from 'playwright-core';
import { SEED_EXAMPLES } from '../fixtures/seed-examples';
import { Api } from '../support/api';
import { http, waitFor } from '../support/http';
import { startTestService, TestService } from '../support/test-service';
import {
  accessibilityViolations,
  collectPageErrors,
  launchBrowser,
  newContext,
  screenshot,
} from './support/browser';

/** The dashboard's allowed actions, rate limit and key roll with grace. */
describe('Dashboard: scoped keys, rate limits and key rolling', () => {
  let service: TestService;
  let api: Api;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let pageErrors: string[];

  beforeAll(async () => {
    service = await startTestService();
    api = await Api.forAccount(service, 'acc-dashboard-keys');
    browser = await launchBrowser();
    context = await newContext(browser, service.url);
    page = await context.newPage();
    pageErrors = collectPageErrors(page);
    await page.goto('/dashboard');
    await page.getByLabel('Management token').fill(api.managementToken);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    await page.getByRole('link', { name: 'Integrations', exact: true }).click();
    await page.getByRole('heading', { name: 'Integrations' }).waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  const read = async (id: string) =>
    (await http(`${service.url}/v1/integrations/${id}`, { token: api.managementToken })).body;

  it('creates an integration with some actions and a rate limit, then opens it to all again', async () => {
    const form = page.locator('form.create-integration');
    await form.getByLabel('Name').fill('Scoped ERP');
    // The checkboxes come from actions.json, after the page loads.
    await form.getByLabel('customer.upsert').waitFor();
    for (const action of [
      'inventory.adjust',
      'order.create',
      'order.update',
      'product.upsert',
      'customer.upsert',
    ]) {
      await form.getByLabel(action).uncheck();
    }
    await form.getByLabel('Per second').fill('1');
    await form.getByLabel('Burst').fill('3');
    await form.getByRole('button', { name: 'Create integration' }).click();
    const key = (await page.locator('#new-api-key').textContent())!;
    expect(key).toMatch(/^avvyr_int_live_/);
    await page.getByRole('button', { name: 'I have stored it' }).click();

    const row = page.locator('#integrations tr[data-integration-id]', { hasText: 'Scoped ERP' });
    await row.getByText('Actions: inventory.set, price.set').waitFor();
    await row.getByText('Limit 1/s, burst 3').waitFor();
    const id = (await row.getAttribute('data-integration-id'))!;
    expect(await read(id)).toMatchObject({
      allowedActions: ['inventory.set', 'price.set'],
      rateLimit: { perSecond: 1, burst: 3 },
    });
    const refused = await api.send(key, SEED_EXAMPLES['order.create']);
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('ACTION_NOT_ALLOWED');
    const accepted = await api.send(key, SEED_EXAMPLES['price.set']);
    expect(accepted.status).toBe(202);
    expect(accepted.headers.get('ratelimit-limit')).toBe('3');

    // Access: every action again, and the service's default limit.
    await row.getByRole('button', { name: 'Access' }).click();
    const edit = page.locator(`tr[data-policy-for="${id}"] form`);
    expect(await edit.getByLabel('Burst').inputValue()).toBe('3');
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'integration-access-form');
    for (const action of ['order.create', 'customer.upsert']) await edit.getByLabel(action).check();
    for (const action of ['inventory.adjust', 'order.update', 'product.upsert']) {
      await edit.getByLabel(action).check();
    }
    await edit.getByLabel('Per second').fill('');
    await edit.getByLabel('Burst').fill('');
    await edit.getByRole('button', { name: 'Save access' }).click();
    await row.getByText('Actions: all').waitFor();
    const opened = await read(id);
    expect(opened.allowedActions).toHaveLength(7);
    expect(opened.rateLimit).toEqual({ perSecond: 100_000, burst: 1_000_000 });
    expect((await api.send(key, SEED_EXAMPLES['order.create'])).status).toBe(202);
    expect(pageErrors).toEqual([]);
  });

  it('a bad rate limit is refused with the API’s message and nothing changes', async () => {
    const { id } = await api.newCustomIntegration();
    await page.reload();
    const row = page.locator(`tr[data-integration-id="${id}"]`);
    await row.getByRole('button', { name: 'Access' }).click();
    const edit = page.locator(`tr[data-policy-for="${id}"] form`);
    await edit.getByLabel('Per second').fill('3');
    await edit.getByLabel('Burst').fill('4');
    await edit.getByRole('button', { name: 'Save access' }).click();
    await row.getByText('whole multiple of perSecond').waitFor();
    expect((await read(id)).rateLimit).toEqual({ perSecond: 100_000, burst: 1_000_000 });
    pageErrors.length = 0; // the refused PATCH logs its 400 to the console
  });

  it('regenerates a key with a grace period: both keys work and both prefixes show, then a roll at once', async () => {
    const { id, apiKey: oldKey } = await api.newCustomIntegration();
    const oldPrefix: string = (await read(id)).apiKeyPrefix;
    await page.reload();
    const row = page.locator(`tr[data-integration-id="${id}"]`);
    await row.getByRole('button', { name: 'Regenerate key' }).click();
    await row.getByLabel('The current key').selectOption({ label: 'keeps working for 1 hour' });
    await row.getByRole('button', { name: 'Regenerate', exact: true }).click();
    const notice = page.locator('.new-key');
    await notice.getByText('The previous key keeps working until').waitFor();
    const newKey = (await page.locator('#new-api-key').textContent())!;
    expect(newKey).not.toBe(oldKey);

    const integration = await read(id);
    expect(integration.previousApiKey.prefix).toBe(oldPrefix);
    const graceLeft = Date.parse(integration.previousApiKey.expiresAt) - Date.now();
    expect(graceLeft).toBeGreaterThan(3500_000);
    expect(graceLeft).toBeLessThanOrEqual(3600_000);
    // The row shows both keys' prefixes and when the old one stops.
    const previous = row.locator('.previous-key');
    await previous.waitFor();
    expect(await previous.textContent()).toContain(oldPrefix);
    expect(await row.locator('code').first().textContent()).toBe(integration.apiKeyPrefix);
    expect((await api.send(oldKey, SEED_EXAMPLES['price.set'])).status).toBe(202);
    expect((await api.send(newKey, SEED_EXAMPLES['price.set'])).status).toBe(202);
    await page.getByRole('button', { name: 'I have stored it' }).click();

    await row.getByRole('button', { name: 'Regenerate key' }).click();
    expect(await row.getByLabel('The current key').inputValue()).toBe('0');
    await row.getByRole('button', { name: 'Regenerate', exact: true }).click();
    await page.locator('.new-key').getByText('The previous key has stopped working.').waitFor();
    const latest = (await page.locator('#new-api-key').textContent())!;
    await waitFor(
      () => row.locator('.previous-key').count(),
      (count) => count === 0,
      { what: 'the previous key to leave the row' },
    );
    expect((await api.send(oldKey, SEED_EXAMPLES['price.set'])).status).toBe(401);
    expect((await api.send(newKey, SEED_EXAMPLES['price.set'])).status).toBe(401);
    expect((await api.send(latest, SEED_EXAMPLES['price.set'])).status).toBe(202);
    expect(pageErrors).toEqual([]);
  });
});
