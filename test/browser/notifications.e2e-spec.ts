import type { Browser, Page } from 'playwright-core';
import { Api } from '../support/api';
import { http, waitFor } from '../support/http';
import { startTestService, TestService } from '../support/test-service';
import { SEED_EXAMPLES } from '../fixtures/seed-examples';
import {
  accessibilityViolations,
  collectPageErrors,
  launchBrowser,
  newContext,
  screenshot,
} from './support/browser';

describe('Dashboard: failure notifications of an integration', () => {
  let service: TestService;
  let api: Api;
  let browser: Browser;
  let page: Page;
  let pageErrors: string[];

  beforeAll(async () => {
    service = await startTestService({ NOTIFICATIONS_BACKOFF_MS: '50' });
    api = await Api.forAccount(service, 'acc-notify-ui');
    browser = await launchBrowser();
    page = await (await newContext(browser, service.url)).newPage();
    pageErrors = collectPageErrors(page);
  });
  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  const received = async (id: string) =>
    (await http(`${service.url}/sandbox/receiver?integrationId=${id}`)).body.deliveries as any[];

  it('turns notifications on (secret shown once), sends a test, and lists a failure', async () => {
    const { id, apiKey } = await api.newCustomIntegration();
    await page.goto('/dashboard');
    await page.getByLabel('Management token').fill(api.managementToken);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    await page.getByRole('link', { name: 'Integrations', exact: true }).click();
    await page
      .locator(`tr[data-integration-id="${id}"]`)
      .getByRole('link', { name: 'Notifications' })
      .click();

    const panel = page.locator('#notifications');
    await panel.getByRole('button', { name: 'Turn on notifications' }).waitFor();
    expect(page.url()).toContain(`notifications=${id}`);
    // Not configured yet: the panel's first read is a 404 NOTIFICATIONS_NOT_CONFIGURED.
    expect(pageErrors).toEqual([expect.stringContaining('404')]);
    pageErrors.length = 0;
    const receiverUrl = `${service.url}/sandbox/receiver?integrationId=${id}`;
    await panel.getByLabel('Notification URL').fill(receiverUrl);
    await panel.getByLabel('message.succeeded').check();
    await panel.getByRole('button', { name: 'Turn on notifications' }).click();

    const secret = (await panel.locator('.notification-secret').textContent())!;
    expect(secret).toMatch(/^whsec_/);
    const stored = await http(`${service.url}/v1/integrations/${id}/notifications`, {
      token: api.managementToken,
    });
    expect(stored.body).toMatchObject({
      url: receiverUrl,
      events: ['message.failed', 'message.succeeded'],
      secretPrefix: secret.slice(0, 10),
    });
    await panel.getByRole('button', { name: 'I have stored it' }).click();
    expect(await panel.locator('.notification-secret').count()).toBe(0);

    await panel.getByRole('button', { name: 'Send test' }).click();
    await panel.locator('.test-result', { hasText: 'succeeded' }).waitFor();
    expect((await received(id)).map((d) => [d.body.type, d.verified])).toEqual([
      ['message.test', true],
    ]);

    // A failed message appears in the list by itself (it is read again every 2 s).
    await api.injectFault({ action: 'inventory.set', status: 422, times: 1 });
    const accepted = await api.send(apiKey, SEED_EXAMPLES['inventory.set']);
    const row = panel.locator(`tr[data-delivery-id="msg_${accepted.body.messageId}_failed_0"]`);
    await row.getByText('succeeded', { exact: true }).waitFor({ timeout: 15_000 });
    expect(await row.textContent()).toContain('message.failed');
    expect(await row.textContent()).toContain('HTTP 204');
    await waitFor(
      () => received(id),
      (list) => list.some((d) => d.body.type === 'message.failed' && d.verified),
      { what: 'the failure notification at the receiver' },
    );
    await screenshot(page, 'notifications');
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it('refuses a bad URL with the API problem, and turns notifications off', async () => {
    const { id } = await api.newCustomIntegration();
    // A link to one integration's notifications opens them (a new page: the list is read again).
    await page.goto(`/dashboard#/integrations?notifications=${id}`);
    await page.reload();
    const panel = page.locator('#notifications');
    await panel.getByLabel('Notification URL').fill('ftp://example.com/hook');
    await panel.getByRole('button', { name: 'Turn on notifications' }).click();
    await panel.getByRole('alert').getByText('url must be an http(s) URL').waitFor();
    pageErrors.length = 0; // the refused PUT logs its 400 to the console

    await panel.getByLabel('Notification URL').fill('https://erp.example.com/hooks');
    await panel.getByRole('button', { name: 'Turn on notifications' }).click();
    await panel.getByRole('button', { name: 'Turn off' }).click();
    await panel.getByRole('button', { name: 'Turn on notifications' }).waitFor();
    const after = await http(`${service.url}/v1/integrations/${id}/notifications`, {
      token: api.managementToken,
    });
    expect(after.status).toBe(404);
  });
});
