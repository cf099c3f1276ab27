import { execFile } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { http } from './support/http';
import { startTestService, TestService } from './support/test-service';
import { SEED_EXAMPLES } from './fixtures/seed-examples';

const SWAGGER_PARSER = `
const parser = require('@apidevtools/swagger-parser');
let input = '';
process.stdin.on('data', (chunk) => (input += chunk)).on('end', () =>
  parser[process.argv[1]](JSON.parse(input)).then(
    (result) => process.stdout.write(JSON.stringify({ result })),
    (error) => process.stdout.write(JSON.stringify({ error: error.message })),
  ),
);`;

/**
 * Runs @apidevtools/swagger-parser in a plain Node process: its dependencies are ES modules,
 * which Node's own require (20.19+) loads but Jest's module loader cannot.
 */
function swaggerParser(method: 'validate' | 'dereference', document: unknown): Promise<any> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      ['-e', SWAGGER_PARSER, method],
      { maxBuffer: 64 * 1024 * 1024 },
      (error, stdout) => {
        if (error) return reject(new Error(`swagger-parser did not run: ${error.message}`));
        const answer = JSON.parse(stdout);
        return answer.error ? reject(new Error(answer.error)) : resolve(answer.result);
      },
    );
    child.stdin!.end(JSON.stringify(document));
  });
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

/** Operations documented with more than one success answer, and which. */
const MULTI_SUCCESS: Record<string, string[]> = {
  'POST /v1/integrations/events/retry': ['200', '202'],
};

/** Any method, TRACE included (fetch refuses to send it). */
function rawRequest(
  url: string,
  method: string,
): Promise<{ status: number; allow?: string; type?: string; body: any }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () =>
        resolve({
          status: res.statusCode!,
          allow: res.headers.allow,
          type: res.headers['content-type'],
          body: text ? JSON.parse(text) : null,
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}
const PROBLEM_REF = '#/components/schemas/Problem';

describe('OpenAPI document and Swagger UI', () => {
  let service: TestService;
  let document: any;
  /** The same document with every $ref resolved, for JSON Schema validation of examples. */
  let resolved: any;

  beforeAll(async () => {
    service = await startTestService();
    const response = await http(`${service.url}/docs/openapi.json`);
    expect(response.status).toBe(200);
    document = response.body;
    resolved = await swaggerParser('dereference', document);
  });
  afterAll(() => service.close());

  const operations = () =>
    Object.entries(document.paths).flatMap(([path, item]: [string, any]) =>
      METHODS.filter((method) => item[method]).map((method) => ({
        id: `${method.toUpperCase()} ${path}`,
        operation: item[method],
      })),
    );

  function validator() {
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    return ajv;
  }

  it('is a valid OpenAPI 3 document (swagger-parser)', async () => {
    await expect(swaggerParser('validate', document)).resolves.toMatchObject({ openapi: '3.0.0' });
    // The validator does catch a broken document.
    const broken = structuredClone(document);
    broken.paths['/integrations/custom/inbound'].post.responses['202'].content[
      'application/json'
    ].schema = { $ref: '#/components/schemas/Missing' };
    await expect(swaggerParser('validate', broken)).rejects.toThrow(/Missing/);
    expect(document.openapi).toMatch(/^3\./);
  });

  it('serves Swagger UI at /docs and the same document as YAML', async () => {
    const ui = await http(`${service.url}/docs`);
    expect(ui.status).toBe(200);
    expect(String(ui.body)).toContain('swagger-ui');
    const yaml = await http(`${service.url}/docs/openapi.yaml`);
    expect(yaml.status).toBe(200);
    expect(String(yaml.body)).toContain('/integrations/custom/inbound:');
    expect(String(yaml.body)).toContain('discriminator:');
  });

  it('declares the integration API key and management token security schemes', () => {
    expect(document.components.securitySchemes).toMatchObject({
      integrationApiKey: { type: 'http', scheme: 'bearer' },
      managementToken: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
    });
    const security = (id: string) => operations().find((o) => o.id === id)?.operation.security;
    expect(security('POST /integrations/custom/inbound')).toEqual([{ integrationApiKey: [] }]);
    expect(security('POST /v1/integrations')).toEqual([{ managementToken: [] }]);
    expect(security('POST /v1/integrations/events/filter')).toEqual([{ managementToken: [] }]);
  });

  it('documents every operation with a summary, a success schema and problem+json errors', () => {
    const all = operations();
    expect(all.map((o) => o.id)).toEqual(
      expect.arrayContaining([
        'POST /integrations/custom/inbound',
        'POST /v1/integrations',
        'GET /v1/integrations/{id}',
        'POST /v1/integrations/{id}/regenerate-key',
        'POST /v1/integrations/events/filter',
        'GET /v1/integrations/events/{messageId}',
        'POST /v1/integrations/events/{messageId}/retry',
        'POST /v1/integrations/events/retry',
        'GET /v1/integrations/events/retries/{replayId}',
        'DELETE /v1/integrations/events/retries/{replayId}',
        'GET /health/live',
        'GET /health/ready',
        'GET /metrics',
      ]),
    );
    for (const { id, operation } of all) {
      expect({ id, summary: operation.summary }).toEqual({ id, summary: expect.any(String) });
      const statuses = Object.keys(operation.responses);
      const success = statuses.filter((status) => /^2/.test(status));
      // One success answer each, but the bulk replay: 202 started, 200 for a dryRun count.
      expect({ id, success }).toEqual({
        id,
        success: MULTI_SUCCESS[id] ?? [expect.any(String)],
      });
      for (const status of success) {
        const content = operation.responses[status].content ?? {};
        expect({
          id,
          status,
          successSchema: Object.values(content).some((media: any) => media.schema),
        }).toEqual({ id, status, successSchema: true });
      }
      const errors = statuses.filter((status) => /^[45]/.test(status));
      for (const status of errors) {
        expect({
          id,
          status,
          schema: operation.responses[status].content?.['application/problem+json']?.schema?.$ref,
        }).toEqual({ id, status, schema: PROBLEM_REF });
      }
      expect({ id, has500: statuses.includes('500') }).toEqual({ id, has500: true });
      if (operation.security?.length)
        expect({ id, has401: statuses.includes('401') }).toEqual({ id, has401: true });
    }
  });

  it('lists the Custom Inbound answers the README promises', () => {
    const inbound = document.paths['/integrations/custom/inbound'].post;
    expect(Object.keys(inbound.responses).sort()).toEqual(
      ['202', '400', '401', '403', '409', '413', '415', '429', '500', '503'].sort(),
    );
    // The rate limit's headers, on the 202 and (with Retry-After) on the 429.
    expect(Object.keys(inbound.responses['202'].headers)).toEqual(
      expect.arrayContaining(['RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset']),
    );
    expect(Object.keys(inbound.responses['429'].headers)).toEqual(
      expect.arrayContaining(['Retry-After', 'RateLimit-Reset']),
    );
    // Idempotency-Key is optional, and documented once (Swagger UI would insist on it otherwise).
    expect(inbound.parameters).toEqual([
      expect.objectContaining({ name: 'idempotency-key', in: 'header', required: false }),
    ]);
    expect(document.components.schemas.Problem.required).toEqual(
      expect.arrayContaining(['type', 'title', 'status', 'detail', 'code', 'errors']),
    );
  });

  it('gives each error answer of the inbound API examples of its own status and codes', () => {
    const inbound = document.paths['/integrations/custom/inbound'].post;
    const expected: Record<string, string[]> = {
      '400': ['VALIDATION_FAILED', 'UNKNOWN_ACTION', 'MALFORMED_JSON'],
      '401': ['INVALID_API_KEY'],
      '403': ['INTEGRATION_DISABLED', 'INTEGRATION_SERVICE_MISMATCH', 'ACTION_NOT_ALLOWED'],
      '409': ['CONFLICT'],
      '429': ['RATE_LIMITED'],
      '413': ['PAYLOAD_TOO_LARGE'],
      '415': ['UNSUPPORTED_MEDIA_TYPE'],
      '500': ['INTERNAL_ERROR'],
      '503': ['QUEUE_UNAVAILABLE'],
    };
    for (const [status, codes] of Object.entries(expected)) {
      const examples = inbound.responses[status].content['application/problem+json'].examples;
      const values = Object.values(examples).map((e: any) => e.value);
      expect(values.map((v) => v.code)).toEqual(codes);
      for (const value of values) {
        expect(value.status).toBe(Number(status));
        expect(value.type).toBe(`urn:avvyr:problem:${value.code.toLowerCase().replace(/_/g, '-')}`);
      }
    }
  });

  it('offers filter examples the API accepts as they are (no "cursor":"string")', () => {
    const filter = document.paths['/v1/integrations/events/filter'].post;
    const examples = Object.values(filter.requestBody.content['application/json'].examples);
    expect(examples.length).toBeGreaterThan(0);
    for (const example of examples as any[]) expect(example.value).not.toHaveProperty('cursor');
  });

  it('describes the inbound body as oneOf the seven actions, discriminated by action', () => {
    const body =
      document.paths['/integrations/custom/inbound'].post.requestBody.content['application/json'];
    const actions = Object.keys(SEED_EXAMPLES);
    expect(body.schema.oneOf).toHaveLength(7);
    expect(body.schema.discriminator.propertyName).toBe('action');
    expect(Object.keys(body.schema.discriminator.mapping).sort()).toEqual([...actions].sort());
    for (const action of actions) {
      const ref: string = body.schema.discriminator.mapping[action];
      expect(body.schema.oneOf).toContainEqual({ $ref: ref });
      const schema = document.components.schemas[ref.split('/').pop()!];
      expect(schema.properties.action.enum).toEqual([action]);
      expect(schema.required).toEqual(expect.arrayContaining(['action', 'data']));
      // "Try it out" offers the seed's example, both on the schema and in the examples list.
      expect(schema.example).toEqual((SEED_EXAMPLES as any)[action]);
      expect(body.examples[action].value).toEqual((SEED_EXAMPLES as any)[action]);
    }
  });

  it('validates every seed example against its action schema, and against no other', () => {
    const body =
      resolved.paths['/integrations/custom/inbound'].post.requestBody.content['application/json'];
    const ajv = validator();
    const validateBody = ajv.compile(body.schema);
    const byAction: Record<string, (value: unknown) => boolean> = Object.fromEntries(
      Object.keys(document.components.schemas)
        .filter((name) => name.endsWith('Request'))
        .map((name) => [
          resolved.components.schemas[name].properties.action.enum[0],
          ajv.compile(resolved.components.schemas[name]) as (value: unknown) => boolean,
        ]),
    );
    for (const [action, example] of Object.entries(SEED_EXAMPLES)) {
      expect({ action, errors: validateBody(example) ? null : validateBody.errors }).toEqual({
        action,
        errors: null,
      });
      const matching = Object.entries(byAction)
        .filter(([, validate]) => validate(example))
        .map(([name]) => name);
      expect(matching).toEqual([action]);
    }
  });

  it('has schemas strict enough to reject what the API rejects', () => {
    const ajv = validator();
    const validateBody = ajv.compile(
      resolved.paths['/integrations/custom/inbound'].post.requestBody.content['application/json']
        .schema,
    );
    const invalid = [
      { action: 'inventory.set', data: { items: [{ sku: 'A', quantity: -1 }] } },
      { action: 'inventory.set', data: { items: [] } },
      { action: 'order.update', data: { status: 'shipped' } },
      { action: 'customer.upsert', data: { email: 'not-an-email' } },
      { action: 'teleport', data: {} },
      { action: 'price.set', data: SEED_EXAMPLES['price.set'].data, extra: true },
      // Issue 10, defect 10: what the server refuses, the document must refuse too.
      { action: 'price.set', data: { items: [{ sku: 'A' }] } },
      { action: 'order.update', entityId: 'ord_1', data: {} },
      {
        action: 'inventory.set',
        data: { items: [{ sku: 'A', quantity: 1, hasOwnProperty: 'x' }] },
      },
      { action: 'customer.upsert', data: { email: 'a@example.com', phone: null } },
      { action: 'order.create', data: { ...SEED_EXAMPLES['order.create'].data, extra: 1 } },
      // Found by the fuzz test's positive cases: integers, unsafe numbers, "not 0".
      { action: 'inventory.set', data: { items: [{ sku: 'A', quantity: 1.5 }] } },
      { action: 'inventory.set', data: { items: [{ sku: 'A', quantity: 1e300 }] } },
      { action: 'inventory.adjust', data: { items: [{ sku: 'A', adjustment: 0 }] } },
      { action: 'price.set', data: { items: [{ sku: 'A', costPrice: 1e300 }] } },
    ];
    for (const body of invalid)
      expect({ body, valid: validateBody(body) }).toEqual({ body, valid: false });
  });

  it('documents the Avasam webhook bodies {requestId, on, token, data:[{sku, quantity, updatedOn}]} with examples', () => {
    const webhooks = Object.entries(resolved.paths).filter(([path]) =>
      path.startsWith('/webhooks/avasam/'),
    );
    expect(webhooks.map(([path]) => path).sort()).toEqual([
      '/webhooks/avasam/{integrationId}/price-update',
      '/webhooks/avasam/{integrationId}/stock-update',
    ]);
    const ajv = validator();
    for (const [path, item] of webhooks as [string, any][]) {
      const operation = item.post;
      expect(Object.keys(operation.responses)).toEqual(
        expect.arrayContaining(['200', '400', '401', '404', '500', '503']),
      );
      const media = operation.requestBody.content['application/json'];
      const validate = ajv.compile(media.schema);
      const examples = Object.values(media.examples ?? {}).map((e: any) => e.value);
      expect({ path, examples: examples.length }).toEqual({ path, examples: 1 });
      for (const example of examples) {
        expect({ path, errors: validate(example) ? null : validate.errors }).toEqual({
          path,
          errors: null,
        });
      }
    }
    // The stock body is the seed's shape.
    const stock = ajv.compile(
      resolved.paths['/webhooks/avasam/{integrationId}/stock-update'].post.requestBody.content[
        'application/json'
      ].schema,
    );
    const seedShaped = {
      requestId: 'r-1',
      on: '2024-05-01T10:00:02Z',
      token: 'a.b.c',
      data: [{ sku: 'AVA-CHAIR-01', quantity: 12, updatedOn: '2024-05-01T10:00:00Z' }],
    };
    expect(stock(seedShaped) ? null : stock.errors).toBeNull();
    expect(stock({ ...seedShaped, data: [{ sku: 'AVA-CHAIR-01', quantity: 'many' }] })).toBe(false);
  });

  /** Every object schema a request body can hold, with its place in the document. */
  function requestObjectSchemas(): { at: string; schema: any }[] {
    const found: { at: string; schema: any }[] = [];
    const seen = new Set<unknown>();
    const visit = (schema: any, at: string) => {
      if (!schema || typeof schema !== 'object' || seen.has(schema)) return;
      seen.add(schema);
      if (schema.type === 'object' || schema.properties) found.push({ at, schema });
      for (const [name, child] of Object.entries(schema.properties ?? {}))
        visit(child, `${at}.${name}`);
      visit(schema.items, `${at}[]`);
      for (const key of ['oneOf', 'anyOf', 'allOf'])
        (schema[key] ?? []).forEach((child: any, i: number) => visit(child, `${at}/${key}${i}`));
    };
    for (const [path, item] of Object.entries<any>(resolved.paths)) {
      for (const method of METHODS) {
        const schema = item[method]?.requestBody?.content?.['application/json']?.schema;
        if (schema) visit(schema, `${method.toUpperCase()} ${path}`);
      }
    }
    return found;
  }

  it('closes every request object schema: additionalProperties false (defect 10)', () => {
    const all = requestObjectSchemas();
    expect(all.length).toBeGreaterThan(20);
    const open = all
      .filter(({ schema }) => schema.additionalProperties !== false)
      .map(({ at }) => at);
    expect(open).toEqual([]);
  });

  describe('says what the management and Avasam bodies must hold (defect 10)', () => {
    const bodySchema = (path: string, method: string) =>
      validator().compile(
        resolved.paths[path][method].requestBody.content['application/json'].schema,
      );
    const secrets = { consumerKey: 'ck', secretKey: 'sk', verificationToken: 'v'.repeat(16) };

    it('POST /v1/integrations: custom without settings, Avasam with its three secrets', () => {
      const create = bodySchema('/v1/integrations', 'post');
      const base = { enabled: true, name: 'x' };
      const cases: [unknown, boolean][] = [
        [{ ...base, service: 'custom' }, true],
        [{ ...base, service: 'custom', settings: {} }, true],
        [{ ...base, service: 'custom', settings: { warehouseId: 'w' } }, false],
        [{ ...base, service: 'avasam', settings: secrets }, true],
        [
          {
            ...base,
            service: 'avasam',
            settings: { ...secrets, warehouseId: 'w', priceField: 'sellingPrice' },
          },
          true,
        ],
        [{ ...base, service: 'avasam' }, false],
        [{ ...base, service: 'avasam', settings: { consumerKey: 'ck', secretKey: 'sk' } }, false],
        [
          { ...base, service: 'avasam', settings: { ...secrets, verificationToken: 'short' } },
          false,
        ],
        [{ ...base, service: 'avasam', settings: { ...secrets, extra: 1 } }, false],
        [{ ...base, service: 'custom', settings: null }, false],
        [{ ...base, service: 'custom', extra: 1 }, false],
        [{ ...base, service: 'custom', name: '' }, false],
      ];
      for (const [body, valid] of cases)
        expect({ body, valid: create(body) }).toEqual({ body, valid });
    });

    it('PATCH /v1/integrations/{id}: something to change, no nulls but the clearable settings', () => {
      const update = bodySchema('/v1/integrations/{id}', 'patch');
      expect(update({})).toBe(false);
      expect(update({ name: null })).toBe(false);
      expect(update({ enabled: null })).toBe(false);
      expect(update({ settings: null })).toBe(false);
      expect(update({ enabled: false })).toBe(true);
      expect(update({ settings: { secretKey: 'new' } })).toBe(true);
      const settings = document.components.schemas.AvasamSettings.properties;
      for (const name of ['warehouseId', 'priceField', 'priceAcknowledgementPath'])
        expect({ name, nullable: settings[name].nullable, type: settings[name].type }).toEqual({
          name,
          nullable: true,
          type: 'string',
        });
      for (const name of ['consumerKey', 'secretKey', 'verificationToken'])
        expect({ name, nullable: settings[name].nullable }).toEqual({ name, nullable: undefined });
    });

    it('events/filter: an integer limit of 1 to 200', () => {
      const filter = bodySchema('/v1/integrations/events/filter', 'post');
      expect(filter({})).toBe(true);
      expect(filter({ limit: 20 })).toBe(true);
      expect(filter({ limit: 1.5 })).toBe(false);
      expect(filter({ limit: 201 })).toBe(false);
      expect(filter({ status: null })).toBe(false);
    });

    it('Avasam price items carry exactly one price', () => {
      const price = bodySchema('/webhooks/avasam/{integrationId}/price-update', 'post');
      const body = (item: Record<string, unknown>) => ({
        requestId: 'r',
        token: 'a.b.c',
        data: [{ sku: 'A', updatedOn: '2024-05-01T10:00:00Z', ...item }],
      });
      expect(price(body({ price: 1 }))).toBe(true);
      expect(price(body({ costPrice: 1 }))).toBe(true);
      expect(price(body({}))).toBe(false);
      expect(price(body({ price: 1, sellingPrice: 2 }))).toBe(false);
    });
  });

  it('answers 405 with Allow to a method a path does not serve, 404 to a path it does not serve', async () => {
    for (const method of ['TRACE', 'DELETE', 'PUT', 'GET', 'OPTIONS']) {
      const response = await rawRequest(`${service.url}/integrations/custom/inbound`, method);
      expect({ method, status: response.status }).toEqual({ method, status: 405 });
      expect(response.allow).toBe('POST');
      expect(response.type).toContain('application/problem+json');
      expect(response.body.code).toBe('METHOD_NOT_ALLOWED');
    }
    const item = await rawRequest(
      `${service.url}/v1/integrations/665f1c2e9a1b2c3d4e5f6a7b`,
      'TRACE',
    );
    expect(item.status).toBe(405);
    expect(item.allow).toBe('GET, HEAD, PATCH');
    expect((await rawRequest(`${service.url}/no/such/path`, 'TRACE')).status).toBe(404);
    expect((await rawRequest(`${service.url}/no/such/path`, 'GET')).status).toBe(404);
  });
});
