import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { SUPPORTED_ACTIONS } from '../actions/action-registry';
import { SEED_EXAMPLES } from '../actions/seed-examples';
import { inboundRequestSchemas, requestSchemaName } from '../accept-message/inbound-request.schema';
import { MAX_BATCH_MESSAGES } from './accept-batch.handler';

const IDEMPOTENCY_KEY: SchemaObject = {
  type: 'string',
  minLength: 1,
  maxLength: 255,
  description: 'As the Idempotency-Key header of a single request: same key → same messageId',
};

/**
 * `{messages: [...]}`: each message is one of the single endpoint's envelopes plus an optional
 * `idempotencyKey` (the envelopes are repeated here with it, since they allow no other field).
 */
export function batchRequestSchema(): SchemaObject {
  const envelopes = inboundRequestSchemas();
  const withKey: SchemaObject[] = SUPPORTED_ACTIONS.map((action) => {
    const envelope: SchemaObject = { ...envelopes[requestSchemaName(action)] };
    delete envelope.example;
    return { ...envelope, properties: { ...envelope.properties, idempotencyKey: IDEMPOTENCY_KEY } };
  });
  return {
    type: 'object',
    required: ['messages'],
    additionalProperties: false,
    properties: {
      messages: {
        type: 'array',
        minItems: 1,
        maxItems: MAX_BATCH_MESSAGES,
        items: { oneOf: withKey },
      },
    },
    example: {
      messages: [
        { ...SEED_EXAMPLES['inventory.set'], idempotencyKey: 'erp-stock-2026-12-01-0001' },
        SEED_EXAMPLES['price.set'],
        {
          ...SEED_EXAMPLES['inventory.adjust'],
          occurredAt: '2026-12-01T07:15:00.000Z',
        },
      ],
    },
  };
}

export function batchResponseSchema(): SchemaObject {
  return {
    type: 'object',
    required: ['batchId', 'results', 'accepted', 'rejected'],
    properties: {
      batchId: {
        type: 'string',
        format: 'uuid',
        description: 'Recorded on every event of the batch',
      },
      accepted: {
        type: 'integer',
        description: 'Messages queued (or already queued under their key)',
      },
      rejected: { type: 'integer' },
      results: {
        type: 'array',
        description: 'One per message, in the order sent',
        items: {
          oneOf: [
            {
              type: 'object',
              required: ['index', 'messageId'],
              properties: {
                index: { type: 'integer' },
                messageId: { type: 'string', format: 'uuid' },
              },
            },
            {
              type: 'object',
              required: ['index', 'status', 'code', 'errors'],
              properties: {
                index: { type: 'integer' },
                status: { type: 'integer', example: 400 },
                code: { type: 'string', example: 'VALIDATION_FAILED' },
                errors: {
                  type: 'array',
                  items: {
                    type: 'object',
                    properties: { path: { type: 'string' }, message: { type: 'string' } },
                  },
                },
              },
            },
          ],
        },
      },
    },
    example: {
      batchId: '6f1d3c52-2a8e-4c1b-9a57-0d9e3f4b8a21',
      accepted: 2,
      rejected: 1,
      results: [
        { index: 0, messageId: '3b241101-e2bb-4255-8caf-4136c566a962' },
        { index: 1, messageId: '9c5b94b1-35ad-49bb-b118-8e8fc24abf80' },
        {
          index: 2,
          status: 400,
          code: 'VALIDATION_FAILED',
          errors: [
            { path: 'messages[2].data.items[0].adjustment', message: 'adjustment must not be 0' },
          ],
        },
      ],
    },
  };
}
