import type { Browser, BrowserContext, Page } from 'playwright-core';
import { Api } from '../support/api';
import { http } from '../support/http';
import { startTestService, TestService } from '../support/test-service';
import { SEED_EXAMPLES } from '../fixtures/seed-examples';
import { BoardQueues } from '../../src/modules/queue-board/board-queues';
import { launchBrowser, newContext, screenshot } from './support/browser';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

describe('Bull Board at /queues', () => {
  let service: TestService;
  let api: Api;
  let apiKey: string;

  beforeAll(async () => {
    service = await startTestService();
    api = await Api.forAccount(service, 'acc-board', { operator: true });
    ({ apiKey } = await api.newCustomIntegration());
  });
  afterAll(() => service?.close());

  function signInOverHttp(token: string, next = '/queues') {
    return fetch(`${service.url}/queues/sign-in`, {
      method: 'POST',
      headers: FORM,
      body: new URLSearchParams({ token, next }).toString(),
      redirect: 'manual',
    });
  }

  describe('without a session', () => {
    it('sends a person to the sign-in page and answers API calls 401', async () => {
      const page = await fetch(`${service.url}/queues/queue/inbound`, {
        headers: { accept: 'text/html' },
        redirect: 'manual',
      });
      expect(page.status).toBe(303);
      expect(page.headers.get('location')).toBe('/queues/sign-in?next=%2Fqueues%2Fqueue%2Finbound');

      const queues = await http(`${service.url}/queues/api/queues`);
      expect(queues.status).toBe(401);
      expect(queues.headers.get('content-type')).toContain('application/problem+json');
      expect(queues.body).toMatchObject({ status: 401, code: 'INVALID_MANAGEMENT_TOKEN' });

      // Retrying a job is an API call too: refused the same way.
      const retry = await http(`${service.url}/queues/api/queues/inbound/retry/failed`, {
        method: 'PUT',
      });
      expect(retry.status).toBe(401);
    });

    it('refuses a token that is not a valid management token, and a bearer API key', async () => {
      const forged = await signInOverHttp('eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.');
      expect(forged.status).toBe(401);
      expect(forged.headers.get('set-cookie')).toBeNull();
      expect(await forged.text()).toContain('The management token is not valid');

      const integrationKey = await signInOverHttp(apiKey);
      expect(integrationKey.status).toBe(401);
    });

    it("refuses a valid account token without the operator role: the board shows every account's jobs", async () => {
      const accountUser = await signInOverHttp(await service.token('acc-board'));
      expect(accountUser.status).toBe(403);
      expect(accountUser.headers.get('set-cookie')).toBeNull();
      expect(await accountUser.text()).toContain('operator token');
    });
  });

  describe('with a session', () => {
    it('keeps the token in an httpOnly, SameSite=Strict cookie scoped to /queues', async () => {
      const token = await service.token('acc-board', { operator: true });
      const signedIn = await signInOverHttp(token, '/queues/queue/inbound');
      expect(signedIn.status).toBe(303);
      expect(signedIn.headers.get('location')).toBe('/queues/queue/inbound');
      const cookie = signedIn.headers.get('set-cookie')!;
      expect(cookie).toMatch(
        /^avvyr_queues_session=[^;]+; Path=\/queues; Max-Age=\d+; HttpOnly; SameSite=Strict$/,
      );
      const session = cookie.split(';')[0];

      const queues = await http(`${service.url}/queues/api/queues`, {
        headers: { cookie: session },
      });
      expect(queues.status).toBe(200);
      // Every queue the service registered with BullModule, found without naming them here.
      const registered = service.running.app
        .get(BoardQueues)
        .all()
        .map((queue) => queue.name);
      expect(registered).toContain('inbound');
      expect(queues.body.queues.map((q: any) => q.name).sort()).toEqual([...registered].sort());

      const signedOut = await fetch(`${service.url}/queues/sign-out`, {
        headers: { cookie: session },
        redirect: 'manual',
      });
      expect(signedOut.headers.get('set-cookie')).toMatch(/^avvyr_queues_session=; .*Max-Age=0/);
    });

    it('refuses a sign-in posted from another site', async () => {
      const token = await service.token('acc-board', { operator: true });
      const crossSite = await fetch(`${service.url}/queues/sign-in`, {
        method: 'POST',
        headers: { ...FORM, origin: 'https://elsewhere.example' },
        body: new URLSearchParams({ token }).toString(),
        redirect: 'manual',
      });
      expect(crossSite.status).toBe(403);
      expect(crossSite.headers.get('set-cookie')).toBeNull();

      const sameSite = await fetch(`${service.url}/queues/sign-in`, {
        method: 'POST',
        headers: { ...FORM, origin: service.url },
        body: new URLSearchParams({ token }).toString(),
        redirect: 'manual',
      });
      expect(sameSite.status).toBe(303);
    });

    it('redirects only within the board after signing in', async () => {
      const token = await service.token('acc-board', { operator: true });
      for (const next of ['https://example.com/', '//example.com/queues', '/dashboard']) {
        const signedIn = await signInOverHttp(token, next);
        expect(signedIn.headers.get('location')).toBe('/queues');
      }
    });
  });

  describe('in a browser', () => {
    let browser: Browser;
    let context: BrowserContext;
    let page: Page;

    beforeAll(async () => {
      browser = await launchBrowser();
      context = await newContext(browser, service.url);
      page = await context.newPage();
    });
    afterAll(() => browser?.close());

    it('signs in with a management token and shows the queues and a processed message', async () => {
      const accepted = await api.send(apiKey, SEED_EXAMPLES['product.upsert']);
      const messageId: string = accepted.body.messageId;
      await api.waitForStatus(messageId, 'succeeded');

      await page.goto('/queues');
      expect(new URL(page.url()).pathname).toBe('/queues/sign-in');
      await page.getByLabel('Management token').fill('not-a-token');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('alert').waitFor();
      expect(await page.getByRole('alert').textContent()).toContain('not valid');

      await page.getByLabel('Management token').fill(api.managementToken);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL((url) => url.pathname === '/queues');
      await page.getByRole('link', { name: 'inbound' }).first().waitFor();
      await page.getByText('Loading...').waitFor({ state: 'hidden' });
      await screenshot(page, 'queue-board-overview');

      // The message's job, under its messageId, as the dashboard links to it.
      await page.goto(`/queues/queue/inbound/${messageId}`);
      await page.getByText(messageId).first().waitFor();
      await page.getByText('product.upsert').first().waitFor();
      await screenshot(page, 'queue-board-job');
    });

    it('retries a failed job, which then succeeds and shows so on the event', async () => {
      await api.injectFault({ action: 'price.set', status: 422, times: 1 });
      const accepted = await api.send(apiKey, SEED_EXAMPLES['price.set']);
      const messageId: string = accepted.body.messageId;
      await api.waitForStatus(messageId, 'failed');

      await page.goto(`/queues/queue/inbound/${messageId}`);
      await page.getByText('Injected fault 422').first().waitFor();
      await screenshot(page, 'queue-board-failed-job');
      const retried = page.waitForResponse(
        (response) => response.url().includes(`/${messageId}/retry`) && response.status() === 204,
      );
      // The job's Retry button (an icon) asks for a confirmation first.
      await page.locator('button:has(svg.lucide-refresh-cw)').first().click();
      const confirm = page.getByRole('alertdialog');
      expect(await confirm.textContent()).toContain('want to retry this job');
      await confirm.getByRole('button', { name: 'Confirm' }).click();
      await retried;

      const event = await api.waitForStatus(messageId, 'succeeded');
      expect(event.timeline.map((s: any) => s.step)).toEqual(
        expect.arrayContaining(['failed', 'processing', 'succeeded']),
      );
      const state = await api.sandboxState();
      expect(state.prices['CHAIR-UNO-BLK']).toMatchObject({ sellingPrice: 4990 });
    });

    it('signs out from the board', async () => {
      await page.goto('/queues/sign-out');
      expect(new URL(page.url()).pathname).toBe('/queues/sign-in');
      await page.goto('/queues');
      expect(new URL(page.url()).pathname).toBe('/queues/sign-in');
    });
  });
});
