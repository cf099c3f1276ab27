import type { Browser, BrowserContext, Page } from 'playwright-core';
import { Api } from '../support/api';
import { waitFor } from '../support/http';
import { startTestService, TestService } from '../support/test-service';
import { SEED_EXAMPLES } from '../fixtures/seed-examples';
import { collectPageErrors, launchBrowser, newContext, screenshot } from './support/browser';

describe('Integration dashboard in a browser', () => {
  let service: TestService;
  let api: Api;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let pageErrors: string[];

  beforeAll(async () => {
    service = await startTestService();
    api = await Api.forAccount(service, 'acc-dashboard', { operator: true });
    browser = await launchBrowser();
    context = await newContext(browser, service.url);
    page = await context.newPage();
    pageErrors = collectPageErrors(page);
  });
  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  /** Waits until the events table lists exactly these messages, in this order. */
  async function waitForEventRows(messageIds: string[]) {
    const rows = page.locator('#events tbody tr[data-message-id]');
    await waitFor(
      () => rows.evaluateAll((found) => found.map((row) => row.getAttribute('data-message-id'))),
      (shown) => JSON.stringify(shown) === JSON.stringify(messageIds),
      { what: `the events table to list ${messageIds.length} messages` },
    );
  }

  /**
   * Does what changes the events list (Apply, Older, Newer) and resolves with the filter the page
   * then asked the API for, once its answer arrived. The live list also polls with the filter it
   * shows, so the answer waited for is the first to a request that `wanted` accepts.
   */
  async function loadingEvents(
    action: () => Promise<void>,
    wanted: (asked: Record<string, any>) => boolean = () => true,
  ): Promise<Record<string, unknown>> {
    const answered = page.waitForResponse(
      (response) =>
        response.url().endsWith('/v1/integrations/events/filter') &&
        response.request().method() === 'POST' &&
        wanted(response.request().postDataJSON()),
    );
    await action();
    return (await answered).request().postDataJSON();
  }

  async function signIn() {
    await page.goto('/dashboard');
    await page.getByLabel('Management token').fill(api.managementToken);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    await page.getByRole('link', { name: 'Integrations', exact: true }).click();
    await page.getByRole('heading', { name: 'Integrations' }).waitFor();
  }

  it('refuses a token that is not a valid management token', async () => {
    await page.goto('/dashboard');
    await page.getByLabel('Management token').fill('not-a-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('The management token is not valid');
    pageErrors.length = 0; // the refused sign-in logs its 401 to the console
  });

  it('signs in, creates an integration and shows its API key once', async () => {
    await signIn();
    // The same token opened a Bull Board session, so the board's links work at once.
    const cookies = await context.cookies();
    expect(cookies.find((c) => c.name === 'avvyr_queues_session')).toMatchObject({
      httpOnly: true,
      sameSite: 'Strict',
      path: '/queues',
    });

    await page.getByLabel('Name').fill('Dashboard ERP');
    await page.getByRole('button', { name: 'Create integration' }).click();
    const key = await page.locator('#new-api-key').textContent();
    expect(key).toMatch(/^avvyr_int_live_/);

    // The key works for the inbound API, and the list shows only its prefix.
    const accepted = await api.send(key!, SEED_EXAMPLES['customer.upsert']);
    expect(accepted.status).toBe(202);
    const row = page.locator('#integrations tr', { hasText: 'Dashboard ERP' });
    await row.getByText('enabled', { exact: true }).waitFor();
    expect(await row.textContent()).not.toContain(key!);

    await page.getByRole('button', { name: 'I have stored it' }).click();
    expect(await page.locator('#new-api-key').count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });

  it('disables and enables an integration, and regenerates its key', async () => {
    const { id, apiKey } = await api.newCustomIntegration();
    await page.reload();
    const row = page.locator(`tr[data-integration-id="${id}"]`);
    await row.getByRole('button', { name: 'Disable' }).click();
    await row.getByText('disabled', { exact: true }).waitFor();
    expect((await api.send(apiKey, SEED_EXAMPLES['price.set'])).status).toBe(403);

    await row.getByRole('button', { name: 'Enable' }).click();
    await row.getByText('enabled', { exact: true }).waitFor();

    await row.getByRole('button', { name: 'Regenerate key' }).click();
    await row.getByRole('button', { name: 'Regenerate', exact: true }).click();
    const newKey = (await page.locator('#new-api-key').textContent())!;
    expect(newKey).not.toBe(apiKey);
    expect((await api.send(apiKey, SEED_EXAMPLES['price.set'])).status).toBe(401);
    expect((await api.send(newKey, SEED_EXAMPLES['price.set'])).status).toBe(202);
    expect(pageErrors).toEqual([]);
  });

  it('finds a failed event, shows its error, and a Retry takes it to succeeded', async () => {
    const created = await api.createIntegration({ name: 'Warehouse feed' });
    const { id, apiKey } = created.body;
    // The backend refuses the next call as unprocessable: a permanent failure, no automatic retry.
    await api.injectFault({ action: 'inventory.set', status: 422, times: 1 });
    const accepted = await api.send(apiKey, SEED_EXAMPLES['inventory.set']);
    const messageId: string = accepted.body.messageId;
    await api.waitForStatus(messageId, 'failed');
    // A succeeded event of the same integration, which the status filter must leave out.
    const other = await api.send(apiKey, SEED_EXAMPLES['price.set']);
    await api.waitForStatus(other.body.messageId, 'succeeded');

    await page.getByRole('link', { name: 'Events', exact: true }).first().click();
    const filters = page.getByRole('form', { name: 'Event filters' });
    await filters.getByLabel('Integration').selectOption(id);
    await filters.getByLabel('Status').selectOption('failed');
    const asked = await loadingEvents(
      () => filters.getByRole('button', { name: 'Apply' }).click(),
      (body) => body.status === 'failed',
    );
    expect(asked).toMatchObject({ integrationId: id, status: 'failed' });
    await waitForEventRows([messageId]);
    const failedRow = page.locator(`#events tr[data-message-id="${messageId}"]`);
    expect(await failedRow.textContent()).toContain('inventory.set');
    await screenshot(page, 'dashboard-failed-events');

    await failedRow.getByRole('link', { name: 'inventory.set' }).click();
    const lastError = page.locator('#last-error');
    await lastError.waitFor();
    const errorText = await lastError.textContent();
    expect(errorText).toContain('AVVYR_HTTP_422');
    expect(errorText).toContain('HTTP 422');
    expect(errorText).toContain('permanent');
    expect(errorText).toContain('Injected fault 422');
    expect(await page.locator('#event-status [data-status]').textContent()).toBe('failed');
    expect(await page.locator('.facts').textContent()).toContain('Warehouse feed');
    await screenshot(page, 'dashboard-failed-event');

    await page.getByRole('button', { name: 'Retry' }).click();
    await page.locator('#event-status [data-status="succeeded"]').waitFor({ timeout: 20_000 });
    await page.locator('#timeline tr[data-step="manual-retry"]').waitFor();
    expect(await page.getByRole('button', { name: 'Retry' }).count()).toBe(0);
    await screenshot(page, 'dashboard-retried-event');

    const event = await api.waitForStatus(messageId, 'succeeded');
    expect(event.timeline.map((s: any) => s.step)).toEqual(
      expect.arrayContaining(['failed', 'manual-retry', 'succeeded']),
    );
    const state = await api.sandboxState();
    expect(state.inventory['CHAIR-UNO-BLK']['wh-01']).toBe(42);
    expect(pageErrors).toEqual([]);
  });

  it('filters by action, entityId and time, and pages newest first', async () => {
    const created = await api.createIntegration({ name: 'Paging feed' });
    const { id, apiKey } = created.body;
    const sent: string[] = [];
    for (let i = 0; i < 28; i++) {
      const accepted = await api.send(apiKey, {
        action: 'customer.upsert',
        entityId: `customer-${i}`,
        data: { email: `c${i}@example.com` },
      });
      sent.push(accepted.body.messageId);
    }
    await Promise.all(sent.map((messageId) => api.waitForStatus(messageId, 'succeeded')));

    // What the API lists, newest first (receivedAt, then messageId), is what the pages show.
    const listed = await api.filter({ integrationId: id, limit: 200 });
    const newestFirst: string[] = listed.body.items.map((e: any) => e.messageId);
    expect([...newestFirst].sort()).toEqual([...sent].sort());
    const times = listed.body.items.map((e: any) => Date.parse(e.receivedAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));

    await loadingEvents(() => page.goto(`/dashboard#/events?integrationId=${id}`).then(() => {}));
    await waitForEventRows(newestFirst.slice(0, 25));
    await loadingEvents(
      () => page.getByRole('button', { name: 'Older →' }).click(),
      (body) => Boolean(body.cursor),
    );
    await waitForEventRows(newestFirst.slice(25));
    await loadingEvents(
      () => page.getByRole('button', { name: '← Newer' }).click(),
      (body) => !body.cursor,
    );
    await waitForEventRows(newestFirst.slice(0, 25));

    const filters = page.getByRole('form', { name: 'Event filters' });
    /** Applies the form and waits for the answer to the filter it holds now. */
    const apply = (wanted: (body: Record<string, any>) => boolean) =>
      loadingEvents(() => filters.getByRole('button', { name: 'Apply' }).click(), wanted);
    await filters.getByLabel('Entity ID').fill('customer-7');
    expect(await apply((b) => b.entityId === 'customer-7')).toMatchObject({
      integrationId: id,
      entityId: 'customer-7',
    });
    await waitForEventRows([sent[7]]);

    await filters.getByLabel('Entity ID').fill('');
    await filters.getByLabel('Action').selectOption('price.set');
    expect(await apply((b) => b.action === 'price.set')).toMatchObject({ action: 'price.set' });
    await page.getByText('No events match these filters.').waitFor();
    await filters.getByLabel('Action').selectOption('customer.upsert');
    await apply((b) => b.action === 'customer.upsert');
    await waitForEventRows(newestFirst.slice(0, 25));

    // A window that ends before anything was received is empty; one that starts then holds all.
    await filters.getByLabel('Time range').selectOption('custom');
    await filters.getByLabel('To (').fill('2020-01-01T00:00');
    expect(await apply((b) => Boolean(b.to))).toMatchObject({
      to: new Date(2020, 0, 1).toISOString(),
    });
    await page.getByText('No events match these filters.').waitFor();
    await filters.getByLabel('To (').fill('');
    await filters.getByLabel('From (').fill('2020-01-01T00:00');
    const asked = await apply((b) => !b.to);
    expect(asked).toMatchObject({ from: new Date(2020, 0, 1).toISOString() });
    expect(asked).not.toHaveProperty('to');
    await waitForEventRows(newestFirst.slice(0, 25));
    expect(pageErrors).toEqual([]);
  });

  it('signs out of the dashboard and of Bull Board', async () => {
    await page.goto('/dashboard#/integrations');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Management token').waitFor();
    const cookies = await context.cookies();
    expect(cookies.find((c) => c.name === 'avvyr_queues_session')).toBeUndefined();
    // A reload stays signed out: the token is gone from the tab too.
    await page.reload();
    await page.getByLabel('Management token').waitFor();
    expect(pageErrors).toEqual([]);
  });
});
