import { getSchemaPath } from '@nestjs/swagger';
import type {
  ExamplesObject,
  SchemaObject,
} from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { INBOUND_ACTIONS, InboundAction, SUPPORTED_ACTIONS } from '../actions/action-registry';
import { SEED_EXAMPLES } from '../actions/seed-examples';

/** The payload DTOs, for `@ApiExtraModels` (their schemas come from their @ApiProperty decorators). */
export const INBOUND_PAYLOAD_MODELS: (new () => object)[] = SUPPORTED_ACTIONS.map(
  (action) => INBOUND_ACTIONS[action].payload,
);

/** `inventory.set` → `InventorySetRequest`. */
export function requestSchemaName(action: InboundAction): string {
  const words = action.split('.').map((word) => word[0].toUpperCase() + word.slice(1));
  return `${words.join('')}Request`;
}

/**
 * One envelope schema per action (`{action: <that action>, entityId?, data: <its payload>}`), with
 * the seed's example; the docs add them to `components.schemas`.
 */
export function inboundRequestSchemas(): Record<string, SchemaObject> {
  return Object.fromEntries(
    SUPPORTED_ACTIONS.map((action) => {
      const definition = INBOUND_ACTIONS[action];
      const schema: SchemaObject = {
        type: 'object',
        description: definition.summary,
        required: definition.requiresEntityId ? ['action', 'entityId', 'data'] : ['action', 'data'],
        additionalProperties: false,
        properties: {
          action: { type: 'string', enum: [action] },
          entityId: {
            type: 'string',
            minLength: 1,
            maxLength: 500,
            description: definition.requiresEntityId
              ? 'The Avvyr order id'
              : 'Optional identifier of the entity, shown on the event',
          },
          data: { $ref: getSchemaPath(definition.payload) },
          occurredAt: {
            type: 'string',
            format: 'date-time',
            example: '2026-12-01T07:15:00.000Z',
            description:
              "The source system's time of the change. When present it orders the message on its " +
              'entity keys instead of the time it was accepted (ties by acceptance), so a source ' +
              'that sends in parallel is still applied in its own order (README "Ordering").',
          },
        },
        example: SEED_EXAMPLES[action],
      };
      return [requestSchemaName(action), schema];
    }),
  );
}

/** The request body: one of the seven envelopes, chosen by `action`. */
export function inboundRequestBodySchema(): SchemaObject {
  const ref = (action: InboundAction) => `#/components/schemas/${requestSchemaName(action)}`;
  return {
    oneOf: SUPPORTED_ACTIONS.map((action) => ({ $ref: ref(action) })),
    discriminator: {
      propertyName: 'action',
      mapping: Object.fromEntries(SUPPORTED_ACTIONS.map((action) => [action, ref(action)])),
    },
  };
}

/** The seed examples, offered by Swagger UI's "Try it out". */
export function inboundRequestExamples(): ExamplesObject {
  return Object.fromEntries(
    SUPPORTED_ACTIONS.map((action) => [
      action,
      { summary: INBOUND_ACTIONS[action].summary, value: SEED_EXAMPLES[action] },
    ]),
  );
}
