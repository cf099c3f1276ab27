import { Api } from './support/api';
import { http, waitFor } from './support/http';
import { startTestService, TestService } from './support/test-service';

/**
 * `POST /v1/integrations/events/retry`: a bulk replay of failed events after an outage of the
 * backend, followed through `GET /v1/integrations/events/retries/{replayId}`.
 */
describe('Bulk replay of failed events', () => {
  const TOTAL = 2000;
  let service: TestService;
  let a: Api;
  let b: Api;
  let keyA: string;
  let keyB: string;
  let integrationA: string;
  const failedOfB: string[] = [];

  const replay = (api: Api, body?: unknown) =>
    http(`${service.url}/v1/integrations/events/retry`, {
      method: 'POST',
      token: api.managementToken,
      body,
    });
  const progress = (api: Api, replayId: string) =>
    http(`${service.url}/v1/integrations/events/retries/${replayId}`, {
      token: api.managementToken,
    });
  const cancel = (api: Api, replayId: string) =>
    http(`${service.url}/v1/integrations/events/retries/${replayId}`, {
      method: 'DELETE',
      token: api.managementToken,
    });
  const sendBatch = (key: string, messages: unknown[]) =>
    http(`${service.url}/integrations/custom/inbound/batch`, { token: key, body: { messages } });
  const inventory = (prefix: string, count: number) =>
    Array.from({ length: count }, (_, i) => ({
      action: 'inventory.set',
      data: { items: [{ sku: `${prefix}-${i}`, quantity: i + 1, warehouseId: 'wh-01' }] },
    }));
  /** Every event of the filter, read page by page as the list shows them. */
  async function listAll(api: Api, filter: Record<string, unknown>) {
    const items: any[] = [];
    let cursor: string | undefined;
    do {
      const page = await api.filter({ ...filter, limit: 200, ...(cursor && { cursor }) });
      expect(page.status).toBe(200);
      items.push(...page.body.items);
      cursor = page.body.nextCursor ?? undefined;
    } while (cursor);
    return items;
  }

  beforeAll(async () => {
    // One attempt per message: during the outage every message fails at once.
    service = await startTestService({ RETRY_ATTEMPTS: '1' });
    a = await Api.forAccount(service, 'acc-replay-a');
    b = await Api.forAccount(service, 'acc-replay-b');
    ({ apiKey: keyA, id: integrationA } = await a.newCustomIntegration());
    ({ apiKey: keyB } = await b.newCustomIntegration());

    // The simulated outage: the backend answers 503 to everything.
    expect((await a.injectFault({ status: 503, times: 10_000 })).status).toBeLessThan(300);
    for (const half of [0, 1]) {
      const sent = await sendBatch(keyA, inventory(`A${half}`, TOTAL / 2));
      expect(sent.status).toBe(202);
      expect(sent.body.accepted).toBe(TOTAL / 2);
    }
    const sentB = await sendBatch(keyB, inventory('B', 5));
    failedOfB.push(...sentB.body.results.map((r: any) => r.messageId));
    await waitFor(
      () => service.queueCounts('inbound'),
      (counts) => counts.failed === TOTAL + 5,
      { timeoutMs: 120_000, intervalMs: 250, what: 'every message to fail' },
    );
    await waitFor(
      async () => (await listAll(a, { status: 'failed' })).length,
      (count) => count === TOTAL,
      { timeoutMs: 60_000, intervalMs: 500, what: 'the failed events to be projected' },
    );
    await fetch(`${service.url}/sandbox/avvyr/faults`, { method: 'DELETE' });
  }, 240_000);
  afterAll(() => service?.close());

  it('dryRun counts what the list shows and queues nothing', async () => {
    const all = await replay(a, { dryRun: true });
    expect(all.status).toBe(200);
    expect(all.body).toEqual({ matched: TOTAL });
    // The list's own filter fields narrow it the same way.
    const half = await replay(a, { integrationId: integrationA, sku: 'A0-7', dryRun: true });
    expect(half.body).toEqual({ matched: 1 });
    const windowed = await replay(a, { to: '2000-01-01T00:00:00Z', dryRun: true });
    expect(windowed.body).toEqual({ matched: 0 });
    expect((await replay(b, { dryRun: true })).body).toEqual({ matched: 5 });
    expect(
      (await replay(b, { messageIds: [...failedOfB.slice(0, 2), 'no-such-id'], dryRun: true }))
        .body,
    ).toEqual({ matched: 2 });

    const replayQueue = await service.queueCounts('replay');
    expect(Object.values(replayQueue).every((n) => n === 0)).toBe(true);
    expect((await service.queueCounts('inbound')).failed).toBe(TOTAL + 5);
    expect(await listAll(a, { status: 'failed' })).toHaveLength(TOTAL);
  });

  it('refuses bad bodies with the path, and starts nothing', async () => {
    const cases: [unknown, string][] = [
      [{ status: 'succeeded' }, 'status'],
      [{ messageIds: [] }, 'messageIds'],
      [{ messageIds: Array.from({ length: 1001 }, (_, i) => `id-${i}`) }, 'messageIds'],
      [{ messageIds: ['x', 'x'] }, 'messageIds'],
      [{ messageIds: ['x'], action: 'inventory.set' }, 'messageIds'],
      [{ dryRun: 'yes' }, 'dryRun'],
      [{ limit: 10 }, 'limit'],
      [{ action: null }, 'action'],
      [{ from: 'yesterday' }, 'from'],
    ];
    for (const [body, path] of cases) {
      const answer = await replay(a, body);
      expect({ body, status: answer.status, code: answer.body.code }).toEqual({
        body,
        status: 400,
        code: 'VALIDATION_FAILED',
      });
      expect(answer.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(answer.body.errors.map((e: any) => e.path)).toContain(path);
    }
    expect(Object.values(await service.queueCounts('replay')).every((n) => n === 0)).toBe(true);
    expect((await progress(a, 'no-such-replay')).body.code).toBe('REPLAY_NOT_FOUND');
    expect((await cancel(a, 'no-such-replay')).status).toBe(404);
  });

  let queuedBeforeCancel = 0;
  let replayOfA = '';

  it('cancel stops a replay midway; what it queued still goes through', async () => {
    const started = await replay(a, { integrationId: integrationA });
    expect(started.status).toBe(202);
    expect(started.body).toEqual({ replayId: expect.any(String), matched: TOTAL });
    const { replayId } = started.body;
    await waitFor(
      () => progress(a, replayId),
      (r) => r.body.queued > 0,
      { what: 'the replay to queue its first events' },
    );
    const cancelled = await cancel(a, replayId);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ replayId, status: 'cancelled' });
    expect(cancelled.body.finishedAt).toEqual(expect.any(String));
    expect((await cancel(a, replayId)).body.code).toBe('REPLAY_NOT_RUNNING');
    // The job sees it between pages and ends.
    await waitFor(
      () => service.jobState('replay', replayId),
      (state) => state === 'completed',
      { what: 'the replay job to stop' },
    );
    const stopped = (await progress(a, replayId)).body;
    expect(stopped.status).toBe('cancelled');
    expect(stopped.queued).toBeGreaterThan(0);
    expect(stopped.queued).toBeLessThan(TOTAL);
    expect(stopped.skipped).toBe(0);
    queuedBeforeCancel = stopped.queued;
    const settled = await waitFor(
      () => progress(a, replayId),
      (r) => r.body.done === queuedBeforeCancel,
      { timeoutMs: 60_000, what: 'the queued events to succeed' },
    );
    expect(settled.body).toMatchObject({ failed: 0, queued: queuedBeforeCancel });
    expect((await replay(a, { dryRun: true })).body.matched).toBe(TOTAL - queuedBeforeCancel);
  }, 120_000);

  it('replays the rest to succeeded, with progress, each with its manual-retry step', async () => {
    const started = await replay(a, {});
    expect(started.status).toBe(202);
    const { replayId, matched } = started.body;
    replayOfA = replayId;
    expect(matched).toBe(TOTAL - queuedBeforeCancel);
    const seen: any[] = [];
    const final = await waitFor(
      async () => {
        const r = await progress(a, replayId);
        seen.push(r.body);
        return r;
      },
      (r) => r.body.status === 'done' && r.body.done === matched,
      { timeoutMs: 300_000, intervalMs: 100, what: 'the replay to finish' },
    );
    expect(final.status).toBe(200);
    expect(final.body).toMatchObject({
      replayId,
      status: 'done',
      matched,
      queued: matched,
      skipped: 0,
      done: matched,
      failed: 0,
      requestedBy: 'test-user',
      filter: { status: 'failed', to: expect.any(String) },
    });
    expect(Date.parse(final.body.finishedAt)).toBeGreaterThanOrEqual(
      Date.parse(final.body.startedAt),
    );
    // Progress moved: it was seen part-way at least once.
    expect(seen.some((s) => s.done + s.queued > 0 && s.done < matched)).toBe(true);
    expect(seen.map((s) => s.queued)).toEqual([...seen.map((s) => s.queued)].sort((x, y) => x - y));

    const events = await listAll(a, {});
    expect(events).toHaveLength(TOTAL);
    expect(events.filter((e) => e.status !== 'succeeded')).toEqual([]);
    const one = (await a.event(events[0].messageId)).body;
    const retried = one.timeline.filter((s: any) => s.step === 'manual-retry');
    expect(retried[retried.length - 1].detail).toEqual({
      requestedBy: 'test-user',
      replayId: expect.any(String),
    });
    const state = await a.sandboxState();
    expect(state.inventory['A0-0']['wh-01']).toBe(1);
    expect(state.inventory['A1-999']['wh-01']).toBe(1000);
    expect((await replay(a, { dryRun: true })).body).toEqual({ matched: 0 });
  }, 360_000);

  it("another account's events are untouched, and its replays are its own", async () => {
    for (const id of failedOfB) {
      const event = (await b.event(id)).body;
      expect(event.status).toBe('failed');
      expect(event.timeline.map((s: any) => s.step)).not.toContain('manual-retry');
    }
    expect((await progress(a, replayOfA)).status).toBe(200);
    expect((await progress(b, replayOfA)).status).toBe(404);
    expect((await cancel(b, replayOfA)).status).toBe(404);

    // B names two of its own events and one of A's: only its own are matched and retried.
    const aEvent = (await listAll(a, {}))[0].messageId;
    const started = await replay(b, { messageIds: [failedOfB[0], failedOfB[1], aEvent] });
    expect(started.body.matched).toBe(2);
    const final = await waitFor(
      () => progress(b, started.body.replayId),
      (r) => r.body.done === 2,
      { what: "B's replay to finish" },
    );
    expect(final.body).toMatchObject({ status: 'done', queued: 2, skipped: 0, messageIdCount: 3 });
    expect((await b.event(failedOfB[2])).body.status).toBe('failed');
    const aAfter = (await a.event(aEvent)).body;
    expect(aAfter.timeline.filter((s: any) => s.step === 'manual-retry')).toHaveLength(1);
  });

  it('an older absolute update is superseded, not re-applied; a replayed event no longer failed is skipped', async () => {
    const c = await Api.forAccount(service, 'acc-replay-c');
    const { apiKey } = await c.newCustomIntegration();
    await c.injectFault({ action: 'inventory.set', status: 422, times: 1 });
    const older = await c.send(apiKey, {
      action: 'inventory.set',
      data: { items: [{ sku: 'C-1', quantity: 5, warehouseId: 'wh-01' }] },
    });
    await c.waitForStatus(older.body.messageId, 'failed');
    const newer = await c.send(apiKey, {
      action: 'inventory.set',
      data: { items: [{ sku: 'C-1', quantity: 9, warehouseId: 'wh-01' }] },
    });
    await c.waitForStatus(newer.body.messageId, 'succeeded');

    const started = await replay(c, { messageIds: [older.body.messageId, newer.body.messageId] });
    expect(started.body.matched).toBe(2);
    const final = await waitFor(
      () => progress(c, started.body.replayId),
      (r) => r.body.status === 'done' && r.body.done === 1,
      { what: "C's replay to finish" },
    );
    expect(final.body).toMatchObject({ queued: 1, skipped: 1, failed: 0 });
    const event = await c.waitForStatus(older.body.messageId, 'succeeded');
    expect(event.timeline.map((s: any) => s.step)).toContain('superseded');
    expect((await c.sandboxState()).inventory['C-1']['wh-01']).toBe(9);
  });

  it('counts replayed messages in the metrics', async () => {
    const metrics = await fetch(`${service.url}/metrics`).then((r) => r.text());
    const queued = /avvyr_replay_messages_total\{outcome="queued"\} (\d+)/.exec(metrics);
    expect(Number(queued?.[1])).toBe(TOTAL + 3);
    expect(metrics).toMatch(/avvyr_replay_messages_total\{outcome="skipped"\} 1\b/);
  });

  it('two replays of the same events started at once: each event runs once more, not twice', async () => {
    const d = await Api.forAccount(service, 'acc-replay-d');
    const { apiKey } = await d.newCustomIntegration();
    const COUNT = 40;
    await d.injectFault({ action: 'price.set', status: 422, times: COUNT });
    const sent = await sendBatch(
      apiKey,
      Array.from({ length: COUNT }, (_, i) => ({
        action: 'price.set',
        data: { items: [{ sku: `D-${i}`, sellingPrice: 100 + i }] },
      })),
    );
    const ids: string[] = sent.body.results.map((r: any) => r.messageId);
    await waitFor(
      async () => (await listAll(d, { status: 'failed' })).length,
      (n) => n === COUNT,
      { timeoutMs: 60_000, what: "D's events to fail" },
    );
    const [first, second] = await Promise.all([replay(d, {}), replay(d, {})]);
    expect([first.status, second.status]).toEqual([202, 202]);
    const finals = await Promise.all(
      [first, second].map((started) =>
        waitFor(
          () => progress(d, started.body.replayId),
          (r) => r.body.status === 'done',
          { timeoutMs: 120_000, what: "D's replays to finish" },
        ),
      ),
    );
    // Between them every event was queued exactly once; the other replay skipped it.
    const queued = finals.reduce((sum, f) => sum + f.body.queued, 0);
    const skipped = finals.reduce((sum, f) => sum + f.body.skipped, 0);
    expect({ queued, skipped }).toEqual({
      queued: COUNT,
      skipped: first.body.matched + second.body.matched - COUNT,
    });
    // A replay is 'done' once it has queued its events, not once they ran: read the backend's
    // calls only after every event has succeeded, or the last 200s may not have been made yet.
    const events = [];
    for (const id of ids) events.push(await d.waitForStatus(id, 'succeeded', 60_000));
    const calls = (await d.sandboxState()).calls;
    for (const [i, id] of ids.entries()) {
      const event = events[i];
      expect(event.timeline.filter((s: any) => s.step === 'manual-retry')).toHaveLength(1);
      const statuses = calls.filter((c: any) => c.idempotencyKey === id).map((c: any) => c.status);
      expect({ id, statuses }).toEqual({ id, statuses: [422, 200] });
    }
  }, 240_000);
});
