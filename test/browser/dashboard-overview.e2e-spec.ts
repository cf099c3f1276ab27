import type { Browser, BrowserContext, Page } from 'playwright-core';
import { Api } from '../support/api';
import { AvasamWorld } from '../support/avasam';
import { waitFor } from '../support/http';
import { startTestService, TestService } from '../support/test-service';
import { SEED_EXAMPLES } from '../fixtures/seed-examples';
import {
  accessibilityViolations,
  collectPageErrors,
  horizontalOverflow,
  launchBrowser,
  screenshot,
} from './support/browser';

/** The overview, the live events list, and what every page owes a phone, a dark system and a screen reader. */
describe('Dashboard overview, live list, themes and accessibility', () => {
  let service: TestService;
  let operator: Api;
  let browser: Browser;
  let erp: { id: string; apiKey: string };
  let failedMessageId: string;

  beforeAll(async () => {
    service = await startTestService();
    operator = await Api.forAccount(service, 'acc-overview', { operator: true });
    browser = await launchBrowser();

    const created = await operator.createIntegration({ name: 'Warehouse ERP' });
    erp = created.body;
    // Two permanent failures, then successes of three actions, and an Avasam stock update.
    await operator.injectFault({ action: 'inventory.set', status: 422, times: 2 });
    const failed = [];
    for (let i = 0; i < 2; i++) {
      failed.push((await operator.send(erp.apiKey, SEED_EXAMPLES['inventory.set'])).body.messageId);
    }
    const succeeded = [];
    for (const action of ['price.set', 'price.set', 'customer.upsert', 'product.upsert'] as const) {
      succeeded.push((await operator.send(erp.apiKey, SEED_EXAMPLES[action])).body.messageId);
    }
    const avasam = new AvasamWorld(operator);
    const seller = await avasam.wire();
    const pressed = await avasam.pressTest(seller, {
      kind: 'stock',
      data: [{ sku: 'AVA-CHAIR-01', quantity: 12, updatedOn: new Date().toISOString() }],
    });
    await Promise.all(failed.map((m: string) => operator.waitForStatus(m, 'failed')));
    await Promise.all(
      [...succeeded, pressed.response.messageId].map((m: string) =>
        operator.waitForStatus(m, 'succeeded'),
      ),
    );
    failedMessageId = failed[0];
  });
  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  /** A fresh browser profile, signed in with `token` (the dashboard's own sign-in form). */
  async function signedIn(
    token: string,
    options: Parameters<Browser['newContext']>[0] = {},
  ): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
    const context = await browser.newContext({
      baseURL: service.url,
      viewport: { width: 1366, height: 900 },
      ...options,
    });
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    await page.goto('/dashboard');
    await page.getByLabel('Management token').fill(token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    return { context, page, errors };
  }

  /** Waits until the list says it shows page `n` and is no longer loading. */
  const onPage = (page: Page, n: number) =>
    waitFor(
      () => page.locator('.toolbar [role="status"]').textContent(),
      (text) => text!.includes(`page ${n}`) && !text!.includes('Loading'),
      { what: `page ${n} of the list` },
    );

  const countOf = (page: Page, status: string) =>
    page.locator(`#overview-counts [data-status="${status}"] .value`).textContent();

  it('lands on the overview: counts by status, charts by source and action, top errors, queues', async () => {
    const { context, page, errors } = await signedIn(operator.managementToken);
    // The counters are written a fraction of a second after the steps: the page reads them every 5 s.
    await waitFor(
      () => countOf(page, 'succeeded'),
      (text) => text === '5',
      { what: 'the overview to count 5 succeeded', timeoutMs: 15_000 },
    );
    expect(await countOf(page, 'received')).toBe('7');
    expect(await countOf(page, 'failed')).toBe('2');
    expect(await countOf(page, 'failure-rate')).toBe('29 %');

    // The chart is uPlot's canvas, with a legend line per source · action.
    const chart = page.locator('#chart-throughput');
    await chart.locator('canvas').waitFor();
    const legend = await chart.locator('.u-legend').textContent();
    for (const series of [
      'inbound · inventory.set',
      'inbound · price.set',
      'avasam · avasam.stock-update',
    ]) {
      expect(legend).toContain(series);
    }
    await page.locator('#chart-failure-rate canvas').waitFor();
    // Its times name their zone, as every time on the page does.
    expect(await page.locator('.chart-zone').first().textContent()).toMatch(
      /^Times in (UTC|GMT[+-]\d+|[A-Z]{3,4})$/,
    );

    // The top error code links to the failed events that carry it.
    const code = page.locator('#top-errors tr[data-code="AVVYR_HTTP_422"]');
    expect(await code.textContent()).toContain('inventory.set');
    expect(await code.locator('td.number').textContent()).toBe('2');
    expect(await page.locator('#queues tr[data-queue="inbound"]').textContent()).toContain(
      'none waiting',
    );
    await screenshot(page, 'dashboard-overview', { docs: true });

    await code.getByRole('link').click();
    await page.getByRole('heading', { name: 'Events' }).waitFor();
    const rows = page.locator('#events tbody tr[data-message-id]');
    await waitFor(
      () => rows.count(),
      (n) => n === 2,
      { what: 'the two failed events' },
    );
    expect(new URL(page.url()).hash).toContain('errorCode=AVVYR_HTTP_422');
    expect(await page.locator('#status-counts li[data-status="failed"]').textContent()).toContain(
      '2',
    );

    // Each window reads its own buckets.
    await page.goto('/dashboard#/?window=7d');
    await page
      .getByRole('link', { name: 'Last 7 d' })
      .and(page.locator('[aria-current]'))
      .waitFor();
    await waitFor(
      () => countOf(page, 'received'),
      (text) => text === '7',
      { what: 'the 7 d overview' },
    );

    // The whole list, with its counts (the README's screenshot of the list).
    await page.getByRole('link', { name: 'Events', exact: true }).click();
    await waitFor(
      () => rows.count(),
      (n) => n === 7,
      { what: 'the 7 events' },
    );
    await page.locator('#status-counts').waitFor();
    await screenshot(page, 'dashboard-events', { docs: true });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('shows a new event within 2 s without moving the page the person is reading', async () => {
    const { context, page, errors } = await signedIn(operator.managementToken);
    // Enough events for a second page of this integration.
    const sent = [];
    for (let i = 0; i < 26; i++) {
      sent.push(
        (
          await operator.send(erp.apiKey, {
            action: 'customer.upsert',
            entityId: `live-${i}`,
            data: { email: `live${i}@example.com` },
          })
        ).body.messageId,
      );
    }
    await Promise.all(sent.map((m: string) => operator.waitForStatus(m, 'succeeded')));
    await page.goto(`/dashboard#/events?integrationId=${erp.id}&action=customer.upsert`);
    const rows = page.locator('#events tbody tr[data-message-id]');
    const shown = () =>
      rows.evaluateAll((r) => r.map((row) => row.getAttribute('data-message-id')));
    await waitFor(shown, (ids) => ids.length === 25, { what: 'page 1' });
    await page.getByRole('button', { name: 'Older →' }).click();
    await onPage(page, 2);
    await waitFor(shown, (ids) => ids.length === 2, { what: 'page 2' });
    const page2 = await shown();

    const accepted = await operator.send(erp.apiKey, {
      action: 'customer.upsert',
      entityId: 'live-new',
      data: { email: 'new@example.com' },
    });
    const messageId: string = accepted.body.messageId;
    // From the moment the API lists it, the page has 2 s to say so.
    await waitFor(
      () => operator.filter({ integrationId: erp.id, limit: 1 }),
      (r) => r.body.items[0]?.messageId === messageId,
      { what: 'the API to list the new event', intervalMs: 20 },
    );
    const banner = page.locator('#new-events');
    await banner.waitFor({ timeout: 2000 });
    expect(await banner.textContent()).toContain('1 new event');
    expect(await shown()).toEqual(page2); // the rows being read stay where they were

    await banner.click();
    await onPage(page, 1);
    await waitFor(shown, (ids) => ids[0] === messageId, { what: 'the new event on top' });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('keeps every filter and the page in the URL, so a reload shows the same list', async () => {
    // An integration of its own with two pages of customer.upsert.
    const feed = (await operator.createIntegration({ name: 'Paging feed' })).body;
    const sent = [];
    for (let i = 0; i < 27; i++) {
      const body = { action: 'customer.upsert', data: { email: `page${i}@example.com` } };
      sent.push((await operator.send(feed.apiKey, body)).body.messageId);
    }
    await Promise.all(sent.map((m: string) => operator.waitForStatus(m, 'succeeded')));
    const { context, page, errors } = await signedIn(operator.managementToken);
    await page.getByRole('link', { name: 'Events', exact: true }).click();
    const filters = page.getByRole('form', { name: 'Event filters' });
    // Action choices come from both sources' registries.
    // They are filled in after the page loads, so wait for them rather than reading at once.
    const actionOptions = () => filters.getByLabel('Action').locator('option').allTextContents();
    const actions = await waitFor(actionOptions, (texts) => texts.length > 1, {
      what: 'the Action choices to load',
    });
    expect(actions).toEqual(
      expect.arrayContaining([
        'inventory.set',
        'customer.upsert',
        'avasam.stock-update',
        'avasam.price-update',
      ]),
    );
    await filters.getByLabel('Integration').selectOption(feed.id);
    await filters.getByLabel('Source').selectOption('inbound');
    await filters.getByLabel('Action').selectOption('customer.upsert');
    await filters.getByLabel('Status').selectOption('succeeded');
    await filters.getByLabel('Time range').selectOption('24h');
    const filtered = page.waitForResponse(
      (response) =>
        response.url().endsWith('/events/filter') &&
        response.request().postDataJSON().integrationId === feed.id,
    );
    await filters.getByRole('button', { name: 'Apply' }).click();
    await filtered;
    await onPage(page, 1);
    await page.getByRole('button', { name: 'Older →' }).click();
    await onPage(page, 2);
    const rows = page.locator('#events tbody tr[data-message-id]');
    const shown = () =>
      rows.evaluateAll((r) => r.map((row) => row.getAttribute('data-message-id')));
    await waitFor(shown, (ids) => ids.length === 2, { what: 'the 2 rows of page 2' });
    const before = await shown();

    const asked = page.waitForRequest(
      (request) =>
        request.url().endsWith('/events/filter') && Boolean(request.postDataJSON().cursor),
    );
    await page.reload();
    const body = (await asked).postDataJSON();
    expect(body).toMatchObject({
      integrationId: feed.id,
      source: 'inbound',
      action: 'customer.upsert',
      status: 'succeeded',
      limit: 25,
    });
    // The 24 h preset stays relative: its start is computed again at each load.
    expect(Date.now() - Date.parse(body.from)).toBeGreaterThan(24 * 3600_000 - 60_000);
    await onPage(page, 2);
    await waitFor(shown, (ids) => JSON.stringify(ids) === JSON.stringify(before), {
      what: 'the same page 2 after the reload',
    });
    expect(await filters.getByLabel('Action').inputValue()).toBe('customer.upsert');
    expect(await filters.getByLabel('Source').inputValue()).toBe('inbound');
    expect(await filters.getByLabel('Time range').inputValue()).toBe('24h');
    // Counts by status for this filter's integration, action and window.
    expect(await page.locator('#status-counts li[data-status="succeeded"]').textContent()).toMatch(
      /\d+/,
    );
    await screenshot(page, 'dashboard-events-page-2');

    // SKU search sends `sku` in the filter body (the API's SKU index answers it).
    const skuAsked = page.waitForRequest(
      (request) =>
        request.url().endsWith('/events/filter') && request.postDataJSON().sku === 'CHAIR-UNO-BLK',
    );
    await filters.getByLabel('SKU').fill('CHAIR-UNO-BLK');
    await filters.getByRole('button', { name: 'Apply' }).click();
    await skuAsked;
    expect(new URL(page.url()).hash).toContain('sku=CHAIR-UNO-BLK');
    errors.length = 0; // a store without the SKU filter yet refuses it (400), which the page shows
    await context.close();
  });

  it('shows every time with its zone, and remembers the UTC / local choice', async () => {
    const { context, page, errors } = await signedIn(operator.managementToken, {
      timezoneId: 'America/New_York',
    });
    const event = (await operator.event(failedMessageId)).body;
    await page.goto(`/dashboard#/events/${failedMessageId}`);
    const received = page.locator('.facts dt:text("Received") + dd');
    await received.waitFor();
    const at = new Date(event.receivedAt);
    const newYork = new Date(at.getTime() - 5 * 3600_000).toISOString().slice(11, 19);
    expect(await received.textContent()).toContain(newYork);
    expect(await received.textContent()).toMatch(/ (EST|GMT-5)$/);

    await page.locator('#time-zone').selectOption('utc');
    await waitFor(
      () => received.textContent(),
      (text) => text!.endsWith(' UTC'),
      { what: 'the time in UTC' },
    );
    expect(await received.textContent()).toContain(at.toISOString().slice(11, 23));
    await page.reload();
    await received.waitFor();
    expect(await received.textContent()).toMatch(/ UTC$/);
    await screenshot(page, 'dashboard-event', { docs: true });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('fits a 360 px screen without sideways scrolling, on every page', async () => {
    const { context, page, errors } = await signedIn(operator.managementToken, {
      viewport: { width: 360, height: 740 },
    });
    for (const hash of ['#/', '#/events', `#/events/${failedMessageId}`, '#/integrations']) {
      await page.goto(`/dashboard${hash}`);
      await page.locator('main h1').first().waitFor();
      await page.waitForLoadState('networkidle');
      expect({ hash, overflow: await horizontalOverflow(page) }).toEqual({ hash, overflow: 0 });
    }
    // The top bar's account label and Sign out are on the dark bar, not light on light.
    const signOut = page.getByRole('button', { name: 'Sign out' });
    expect(await signOut.isVisible()).toBe(true);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('follows a dark system theme, and a switch overrides it and is remembered', async () => {
    const { context, page, errors } = await signedIn(operator.managementToken, {
      colorScheme: 'dark',
    });
    const background = () =>
      page.evaluate<string>('getComputedStyle(document.body).backgroundColor');
    await page.locator('#overview-counts').waitFor();
    expect(await background()).toBe('rgb(13, 17, 23)');
    await page.locator('#chart-throughput canvas').waitFor();
    await screenshot(page, 'dashboard-dark', { docs: true });

    await page.locator('#theme').selectOption('light');
    expect(await background()).toBe('rgb(244, 245, 247)');
    await page.reload();
    await page.locator('#overview-counts').waitFor();
    expect(await background()).toBe('rgb(244, 245, 247)');
    await page.locator('#theme').selectOption('auto');
    expect(await background()).toBe('rgb(13, 17, 23)');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('has no serious or critical axe-core violations on any page, light or dark', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      const { context, page, errors } = await signedIn(operator.managementToken, { colorScheme });
      for (const hash of ['#/', '#/events', `#/events/${failedMessageId}`, '#/integrations']) {
        await page.goto(`/dashboard${hash}`);
        await page.locator('main h1').first().waitFor();
        await page.waitForLoadState('networkidle');
        expect({ colorScheme, hash, violations: await accessibilityViolations(page) }).toEqual({
          colorScheme,
          hash,
          violations: [],
        });
      }
      expect(errors).toEqual([]);
      await context.close();
    }
    // The sign-in page too, and its token box has spell-check off.
    const context = await browser.newContext({ baseURL: service.url });
    const page = await context.newPage();
    await page.goto('/dashboard');
    await page.getByLabel('Management token').waitFor();
    expect(await page.getByLabel('Management token').getAttribute('spellcheck')).toBe('false');
    expect(await accessibilityViolations(page)).toEqual([]);
    // The scan does find what it looks for: text of too little contrast.
    await page.evaluate(`(() => {
      const p = document.createElement('p');
      p.textContent = 'hard to read';
      p.style.color = '#999';
      p.style.background = '#aaa';
      document.body.append(p);
    })()`);
    expect(await accessibilityViolations(page)).toEqual([
      expect.stringContaining('serious color-contrast'),
    ]);
    await page.reload();
    await page.getByLabel('Management token').waitFor();
    // A skip link is the first thing a keyboard reaches.
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.textContent')).toBe('Skip to content');
    await context.close();
  });

  it('an ordinary token opens no Bull Board session and shows no Bull Board link', async () => {
    const ordinary = await service.token('acc-overview');
    const context = await browser.newContext({ baseURL: service.url });
    const page = await context.newPage();
    const errors = collectPageErrors(page);
    const boardCalls: string[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname.startsWith('/queues')) boardCalls.push(request.url());
    });
    await page.goto('/dashboard');
    await page.getByLabel('Management token').fill(ordinary);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    expect(await page.getByRole('link', { name: /Bull Board/ }).count()).toBe(0);
    await page.goto(`/dashboard#/events/${failedMessageId}`);
    await page.locator('.facts').waitFor();
    expect(await page.getByRole('link', { name: /Bull Board/ }).count()).toBe(0);
    expect(boardCalls.filter((url) => url.includes('/queues/sign-in'))).toEqual([]);
    expect((await context.cookies()).map((c) => c.name)).not.toContain('avvyr_queues_session');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('says an expired token expired, and clears it from the form', async () => {
    const { signManagementToken } =
      await import('../../src/modules/integrations/auth/management-token.service');
    const key = new TextEncoder().encode(service.env.MANAGEMENT_JWT_SECRET);
    const expired = await signManagementToken(
      key,
      { sub: 'old', accountId: 'acc-overview' },
      Math.floor(Date.now() / 1000) - 60,
    );
    const context = await browser.newContext({ baseURL: service.url });
    const page = await context.newPage();
    await page.goto('/dashboard');
    await page.getByLabel('Management token').fill(expired);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('The management token expired at');
    expect(await alert.textContent()).not.toContain('claim');
    expect(await page.getByLabel('Management token').inputValue()).toBe('');
    await context.close();
  });

  it('lists keys once elided, and gives Avasam integrations no inbound key or Regenerate', async () => {
    const { context, page, errors } = await signedIn(operator.managementToken);
    await page.getByRole('link', { name: 'Integrations', exact: true }).click();
    const custom = page.locator(`tr[data-integration-id="${erp.id}"]`);
    await custom.waitFor();
    const key = (await custom.locator('code').textContent())!;
    // base64url: a key may hold `-` as well as word characters.
    expect(key).toMatch(/^avvyr_int_live_[A-Za-z0-9_-]{4}…$/);
    const avasamRow = page.locator('#integrations tbody tr', { hasText: 'avasam' }).first();
    expect(await avasamRow.textContent()).toContain('none (signed webhooks)');
    expect(await avasamRow.getByRole('button', { name: 'Regenerate key' }).count()).toBe(0);
    expect(await custom.getByRole('button', { name: 'Regenerate key' }).count()).toBe(1);
    expect(errors).toEqual([]);
    await context.close();
  });
});
