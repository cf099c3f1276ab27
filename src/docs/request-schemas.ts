import type { OpenAPIObject } from '@nestjs/swagger';
import type {
  ReferenceObject,
  SchemaObject,
} from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { AvasamSettingsInput, PriceUpdateItem, SECRET_SETTINGS } from '../modules/avasam';
import { CreateIntegrationDto, UpdateIntegrationDto } from '../modules/integrations';
import { OrderUpdatePayload, PriceItemDto } from '../modules/inbound';

type Schema = SchemaObject | ReferenceObject;
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head'] as const;
const ref = (name: string) => `#/components/schemas/${name}`;
const nameOf = (reference: string) => reference.replace('#/components/schemas/', '');

/**
 * Makes the request schemas as strict as the server: what the DTO decorators cannot say.
 * - numbers stay within ±Number.MAX_SAFE_INTEGER (the JSON parser refuses the others);
 * - every object a request body can hold has `additionalProperties: false` (the server refuses
 *   unknown fields; the Avasam webhooks ignore them instead, so sending only what is documented
 *   is always accepted there too);
 * - "one price at least" (price.set), "exactly one price" (Avasam), "status or trackingNumber"
 *   (order.update), "something to change" (PATCH);
 * - the create body is one of a custom and an Avasam integration (discriminated by `service`),
 *   the latter with its required settings.
 */
export function tightenRequestSchemas(document: OpenAPIObject): void {
  const schemas = (document.components ??= {}).schemas ?? {};
  document.components.schemas = schemas;
  const component = (name: string) => schemas[name] as SchemaObject;

  component(PriceItemDto.name).anyOf = [
    { required: ['sellingPrice'] },
    { required: ['costPrice'] },
  ];
  component(OrderUpdatePayload.name).anyOf = [
    { required: ['status'] },
    { required: ['trackingNumber'] },
  ];
  component(PriceUpdateItem.name).oneOf = [
    { required: ['price'] },
    { required: ['sellingPrice'] },
    { required: ['costPrice'] },
  ];

  const settings = 'AvasamSettings';
  if (!schemas[settings]) throw new Error(`${AvasamSettingsInput.name} is not in the document`);
  const update = component(UpdateIntegrationDto.name);
  update.minProperties = 1;
  update.properties!.settings = {
    $ref: ref(settings),
    description: 'Avasam integrations: the settings to change; a custom integration takes {}',
  };

  const create = component(CreateIntegrationDto.name);
  const variant = (
    service: string,
    description: string,
    settingsSchema: Schema,
    required: string[],
  ): SchemaObject => ({
    ...create,
    description,
    required: [...(create.required ?? []), ...required],
    properties: {
      ...create.properties,
      service: { type: 'string', enum: [service] },
      settings: settingsSchema,
    },
  });
  schemas.CreateCustomIntegration = variant(
    'custom',
    'A custom integration (the Custom Inbound API): no settings',
    { type: 'object', maxProperties: 0, description: 'A custom integration takes no settings' },
    [],
  );
  schemas.CreateAvasamIntegration = variant(
    'avasam',
    'An Avasam integration: its API key pair and verification token are required',
    { allOf: [{ $ref: ref(settings) }, { required: [...SECRET_SETTINGS] }] },
    ['settings'],
  );
  const createBody = {
    oneOf: [{ $ref: ref('CreateCustomIntegration') }, { $ref: ref('CreateAvasamIntegration') }],
    discriminator: {
      propertyName: 'service',
      mapping: {
        custom: ref('CreateCustomIntegration'),
        avasam: ref('CreateAvasamIntegration'),
      },
    },
  };
  for (const item of Object.values(document.paths)) {
    for (const method of METHODS) {
      const media = item[method]?.requestBody;
      const json = media && 'content' in media ? media.content['application/json'] : undefined;
      if (
        json?.schema &&
        '$ref' in json.schema &&
        nameOf(json.schema.$ref) === CreateIntegrationDto.name
      ) {
        json.schema = createBody;
      }
    }
  }
  delete schemas[CreateIntegrationDto.name];

  // Every object schema reachable from a request body: no fields but the documented ones, no
  // number beyond ±Number.MAX_SAFE_INTEGER.
  const seen = new Set<Schema>();
  const close = (schema: Schema | undefined): void => {
    if (!schema || seen.has(schema)) return;
    seen.add(schema);
    if ('$ref' in schema) return close(schemas[nameOf(schema.$ref)]);
    // The JSON parser refuses numbers JavaScript cannot hold exactly (json-limits.ts).
    if (schema.type === 'number' || schema.type === 'integer') {
      schema.maximum ??= Number.MAX_SAFE_INTEGER;
      schema.minimum ??= -Number.MAX_SAFE_INTEGER;
    }
    if (schema.properties) {
      schema.additionalProperties = false;
      Object.values(schema.properties).forEach(close);
    }
    if (schema.type === 'object' && !schema.properties && schema.additionalProperties === undefined)
      schema.additionalProperties = false;
    close(schema.items);
    [schema.oneOf, schema.anyOf, schema.allOf].forEach((list) => list?.forEach(close));
  };
  for (const item of Object.values(document.paths)) {
    for (const method of METHODS) {
      const body = item[method]?.requestBody;
      if (body && 'content' in body) Object.values(body.content).forEach((m) => close(m.schema));
    }
  }
}
