import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { Api } from './support/api';
import { waitFor } from './support/http';
import { startTestService, TestService } from './support/test-service';

/**
 * Every filter of POST /v1/integrations/events/filter is served by an index in the list's order:
 * the reads the service really sends (captured through Mongoose's debug hook) are explained on
 * the same store, and the plan must read an index whose keys end in the sort, with no sort in
 * memory. On MongoDB that is the winning plan (IXSCAN, no SORT stage); on the local FerretDB it
 * is its explain answer (sortPushdown, and SQLite's EXPLAIN QUERY PLAN naming the index, with
 * no "USE TEMP B-TREE" and no table scan).
 */
describe('Events list: every filter is index-served', () => {
  const ACCOUNT = 'acc-index';
  let service: TestService;
  let api: Api;
  let db: mongoose.Connection;
  /** The find commands the service sent, in order. */
  let sent: { collection: string; filter: object; options: Record<string, unknown> }[] = [];

  beforeAll(async () => {
    mongoose.set('debug', (collection: string, method: string, ...args: unknown[]) => {
      if (method !== 'find') return;
      const [filter, options = {}] = args as [object, Record<string, unknown>];
      sent.push({ collection, filter, options });
    });
    service = await startTestService();
    api = await Api.forAccount(service, ACCOUNT);
    db = await mongoose.createConnection(service.env.MONGODB_URI).asPromise();
    await seed();
    // Mongoose creates the schema's indexes in the background at start-up.
    await waitFor(
      async () => (await db.collection('integration_events').indexes()).map((i) => i.name),
      (names) => names.length >= 10,
      { what: 'the events indexes to exist' },
    );
    await waitFor(
      async () => (await db.collection('event_skus').indexes()).map((i) => i.name),
      (names) => names.includes('accountId_1_sku_1_receivedAt_-1_messageId_-1'),
      { what: 'the event_skus index to exist' },
    );
  });
  afterAll(async () => {
    mongoose.set('debug', false);
    await db?.close();
    await service?.close();
  });

  const start = Date.parse('2026-11-20T00:00:00Z');
  type Seeded = Record<string, unknown> & { _id: string; receivedAt: Date; skus: string[] };
  let seeded: Seeded[] = [];

  /** What the list must answer, computed here from the seeded events. */
  function expected(filter: Record<string, unknown>, count: number): string[] {
    return seeded
      .filter((e) => e.accountId === ACCOUNT)
      .filter((e) =>
        Object.entries(filter).every(([key, value]) => {
          if (key === 'from') return e.receivedAt >= new Date(value as string);
          if (key === 'to') return e.receivedAt < new Date(value as string);
          if (key === 'sku') return e.skus.includes(value as string);
          return e[key] === value;
        }),
      )
      .sort((a, b) =>
        a.receivedAt.getTime() !== b.receivedAt.getTime()
          ? b.receivedAt.getTime() - a.receivedAt.getTime()
          : a._id < b._id
            ? 1
            : -1,
      )
      .slice(0, count)
      .map((e) => e._id);
  }

  async function seed(): Promise<void> {
    const events = Array.from({ length: 300 }, (_, i) => {
      const messageId = randomUUID();
      return {
        _id: messageId,
        messageId,
        source: i % 5 === 0 ? 'avasam' : 'inbound',
        integrationId: `int-${i % 3}`,
        accountId: i % 4 === 0 ? 'acc-other' : ACCOUNT,
        action: ['inventory.set', 'order.create', 'price.set'][i % 3],
        entityId: `entity-${i % 10}`,
        externalId: `ext-${i % 20}`,
        skus: [`SKU-${i % 7}`, `SKU-X${i % 2}`],
        correlationId: randomUUID(),
        status: i % 4 === 1 ? 'failed' : 'succeeded',
        ...(i % 4 === 1 && {
          lastError: {
            code: `AVVYR_HTTP_${i % 8 === 1 ? 422 : 503}`,
            message: 'x',
            retryable: false,
          },
          errorCode: `AVVYR_HTTP_${i % 8 === 1 ? 422 : 503}`,
        }),
        statusRank: 13,
        attempts: 1,
        timeline: [],
        // Several events share each receivedAt, so the cursor's tie-break on _id matters.
        receivedAt: new Date(start + Math.floor(i / 3) * 60_000),
        updatedAt: new Date(start),
      };
    });
    seeded = events;
    await db.collection('integration_events').insertMany(events as never[]);
    await db.collection('event_skus').insertMany(
      events.flatMap((e) =>
        e.skus.map((sku) => ({
          _id: `${e.messageId}:${sku}`,
          accountId: e.accountId,
          sku,
          receivedAt: e.receivedAt,
          messageId: e.messageId,
        })),
      ) as never[],
    );
  }

  interface PlanCheck {
    /** Index names read. */
    indexes: string[];
    /** A sort in memory (MongoDB SORT stage, SQLite temp B-tree). */
    sortsInMemory: boolean;
    /** A read of the whole collection. */
    scansCollection: boolean;
    /** FerretDB only: the sort and limit were passed to SQLite. */
    pushdown?: { sort: boolean; limit: boolean };
  }

  /** Explains one captured read on the store the service runs against. */
  async function explain(read: (typeof sent)[number]): Promise<PlanCheck> {
    const { sort, limit, projection } = read.options as {
      sort?: object;
      limit?: number;
      projection?: object;
    };
    const answer = await db.db!.command({
      explain: {
        find: read.collection,
        filter: read.filter,
        ...(sort && { sort }),
        ...(limit && { limit }),
        ...(projection && { projection }),
      },
      verbosity: 'queryPlanner',
    });
    const sqlitePlan = (answer.queryPlanner as { Plan?: string[] }).Plan;
    if (sqlitePlan) {
      const indexes = sqlitePlan.flatMap((line) => {
        const match = /USING (?:COVERING )?INDEX (\S+)/.exec(line);
        return match ? [match[1]] : [];
      });
      return {
        // SQLite names them <table>_<index name>, the table <collection>_<hash>.
        indexes: indexes.map((name) =>
          name.startsWith(`${read.collection}_`)
            ? name.slice(read.collection.length + 1).replace(/^[0-9a-f]{8}_/, '')
            : name,
        ),
        sortsInMemory: sqlitePlan.some((line) => line.includes('TEMP B-TREE')),
        scansCollection: sqlitePlan.some((line) => /detail=SCAN /.test(line)),
        pushdown: { sort: answer.sortPushdown === true, limit: answer.limitPushdown === true },
      };
    }
    const stages: { stage?: string; indexName?: string }[] = [];
    const walk = (node: unknown) => {
      if (!node || typeof node !== 'object') return;
      const n = node as Record<string, unknown>;
      if (typeof n.stage === 'string') stages.push(n);
      for (const value of Object.values(n)) {
        if (Array.isArray(value)) value.forEach(walk);
        else if (typeof value === 'object') walk(value);
      }
    };
    walk((answer.queryPlanner as { winningPlan: unknown }).winningPlan);
    return {
      indexes: stages.filter((s) => s.indexName).map((s) => s.indexName!),
      sortsInMemory: stages.some((s) => s.stage === 'SORT'),
      scansCollection: stages.some((s) => s.stage === 'COLLSCAN'),
    };
  }

  /** Calls the filter endpoint and returns its answer and the reads it made. */
  async function list(body: Record<string, unknown>) {
    sent = [];
    const response = await api.filter(body);
    expect(response.status).toBe(200);
    return {
      body: response.body as { items: { messageId: string }[]; nextCursor: string | null },
      reads: sent,
    };
  }

  function expectIndexServed(plan: PlanCheck, index: string) {
    expect(plan.indexes).toContain(index);
    expect(plan.sortsInMemory).toBe(false);
    expect(plan.scansCollection).toBe(false);
    if (plan.pushdown) expect(plan.pushdown).toEqual({ sort: true, limit: true });
  }

  const events = (suffix: string) => `accountId_1_${suffix}receivedAt_-1__id_-1`;
  const cases: [string, Record<string, unknown>, string][] = [
    ['newest page', {}, events('')],
    ['integrationId', { integrationId: 'int-1' }, events('integrationId_1_')],
    [
      'integrationId + status',
      { integrationId: 'int-1', status: 'failed' },
      events('integrationId_1_status_1_'),
    ],
    [
      'integrationId + action',
      { integrationId: 'int-1', action: 'order.create' },
      events('integrationId_1_action_1_'),
    ],
    ['status', { status: 'failed' }, events('status_1_')],
    ['entityId', { entityId: 'entity-3' }, events('entityId_1_')],
    ['source', { source: 'avasam' }, events('source_1_')],
    ['externalId', { externalId: 'ext-3' }, events('externalId_1_')],
    ['errorCode', { errorCode: 'AVVYR_HTTP_503' }, events('errorCode_1_')],
    ['time window', { from: '2026-11-20T01:00:00Z', to: '2026-11-20T01:30:00Z' }, events('')],
  ];

  it.each(cases)('%s, first and second page', async (_name, filter, index) => {
    const first = await list({ ...filter, limit: 5 });
    expect(first.reads).toHaveLength(1);
    expect(first.reads[0].collection).toBe('integration_events');
    expectIndexServed(await explain(first.reads[0]), index);
    expect(first.body.nextCursor).toEqual(expect.any(String));

    const second = await list({ ...filter, limit: 5, cursor: first.body.nextCursor });
    expect(second.reads).toHaveLength(1);
    expectIndexServed(await explain(second.reads[0]), index);
    // The two pages are the first ten matches, in order.
    const ids = [...first.body.items, ...second.body.items].map((e) => e.messageId);
    expect(ids).toEqual(expected(filter, 10));
  });

  it('sku: a range of event_skus in list order, then the events by _id', async () => {
    const first = await list({ sku: 'SKU-3', limit: 5 });
    expect(first.reads.map((r) => r.collection)).toEqual(['event_skus', 'integration_events']);
    expectIndexServed(
      await explain(first.reads[0]),
      'accountId_1_sku_1_receivedAt_-1_messageId_-1',
    );
    const byId = await explain(first.reads[1]);
    expect(byId.indexes).toEqual(['_id_']);
    expect(byId.scansCollection).toBe(false);

    const second = await list({ sku: 'SKU-3', limit: 5, cursor: first.body.nextCursor });
    expectIndexServed(
      await explain(second.reads[0]),
      'accountId_1_sku_1_receivedAt_-1_messageId_-1',
    );
    const ids = [...first.body.items, ...second.body.items].map((e) => e.messageId);
    expect(ids).toEqual(expected({ sku: 'SKU-3' }, 10));
  });

  it('sku with another filter reads on until the page is full', async () => {
    const filter = { sku: 'SKU-X1', integrationId: 'int-2', status: 'failed' };
    const first = await list({ ...filter, limit: 3 });
    const second = await list({ ...filter, limit: 3, cursor: first.body.nextCursor });
    const ids = [...first.body.items, ...second.body.items].map((e) => e.messageId);
    expect(ids).toEqual(expected(filter, 6));
  });

  it('the check fails for a filter no index serves in order (action alone)', async () => {
    const { reads } = await list({ action: 'order.create', limit: 5 });
    const plan = await explain(reads[0]);
    // Read through an index on accountId, then sorted: not what the list indexes give.
    expect(plan.sortsInMemory || plan.indexes.every((i) => !i.includes('action'))).toBe(true);
    expect(() => expectIndexServed(plan, events('integrationId_1_action_1_'))).toThrow();
  });
});
