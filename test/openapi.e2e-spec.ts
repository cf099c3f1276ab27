import { execFile } from 'node:child_process';
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
        'GET /health/live',
        'GET /health/ready',
        'GET /metrics',
      ]),
    );
    for (const { id, operation } of all) {
      expect({ id, summary: operation.summary }).toEqual({ id, summary: expect.any(String) });
      const statuses = Object.keys(operation.responses);
      const success = statuses.filter((status) => /^2/.test(status));
      expect({ id, success }).toEqual({ id, success: [expect.any(String)] });
      const content = operation.responses[success[0]].content ?? {};
      expect({
        id,
        successSchema: Object.values(content).some((media: any) => media.schema),
      }).toEqual({ id, successSchema: true });
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
      ['202', '400', '401', '403', '409', '413', '415', '500', '503'].sort(),
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
      '403': ['INTEGRATION_DISABLED', 'INTEGRATION_SERVICE_MISMATCH'],
      '409': ['CONFLICT'],
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
});
