import type { Browser, Page } from 'playwright-core';
import { Api } from '../support/api';
import { startTestService, TestService } from '../support/test-service';
import { SEED_EXAMPLES } from '../fixtures/seed-examples';
import { collectPageErrors, launchBrowser, newContext, screenshot } from './support/browser';

describe('Swagger UI at /docs in a browser', () => {
  let service: TestService;
  let api: Api;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    service = await startTestService();
    api = await Api.forAccount(service, 'acc-docs');
    browser = await launchBrowser();
    // The document's server is relative, so the docs work from any origin: open them on
    // 127.0.0.1 while PUBLIC_BASE_URL says localhost.
    page = await (await newContext(browser, service.url)).newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  it('sends a seed example with "Try it out" and the message is processed', async () => {
    const { apiKey } = await api.newCustomIntegration();
    const pageErrors = collectPageErrors(page);
    await page.goto('/docs');
    const inbound = page.locator('.opblock-post', {
      has: page.locator('.opblock-summary-path', { hasText: /^\/integrations\/custom\/inbound$/ }),
    });
    await inbound.waitFor();

    // Authorize with the integration's API key (the inbound operation's security scheme).
    await page.getByRole('button', { name: 'Authorize' }).first().click();
    const scheme = page.locator('.auth-container', { hasText: 'integrationApiKey' });
    await scheme.locator('input').fill(apiKey);
    await scheme.locator('button[type=submit]', { hasText: 'Authorize' }).click();
    await scheme.locator('button', { hasText: 'Logout' }).waitFor();
    await scheme.locator('button', { hasText: 'Close' }).click();

    await inbound.locator('.opblock-summary').click();
    await inbound.getByRole('button', { name: 'Try it out' }).click();
    const body = SEED_EXAMPLES['inventory.set'];
    await inbound.locator('textarea.body-param__text').fill(JSON.stringify(body, null, 2));
    await inbound.getByRole('button', { name: 'Execute' }).click();

    // Either the live response, or Swagger UI's reasons for not sending (say so plainly).
    const response = inbound.locator('.live-responses-table tbody tr.response');
    const refused = inbound.locator('.validation-errors');
    await response.or(refused).first().waitFor();
    if (await refused.isVisible()) {
      throw new Error(`Swagger UI did not send the request: ${await refused.innerText()}`);
    }
    expect((await response.locator('.response-col_status').textContent())?.trim()).toBe('202');
    const answered = await response.locator('.response-col_description pre').first().textContent();
    const { messageId } = JSON.parse(answered!) as { messageId: string };
    expect(messageId).toMatch(/^[0-9a-f-]{36}$/);
    await screenshot(page, 'swagger-try-it-out');

    const event = await api.waitForStatus(messageId, 'succeeded');
    expect(event).toMatchObject({ action: 'inventory.set', source: 'inbound' });
    expect(event.payload).toEqual(body.data);
    expect(pageErrors).toEqual([]);
  });
});
