import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { SUPPORTED_ACTIONS } from '../actions/action-registry';

/** OpenAPI schema of the inbound envelope; the per-action `oneOf` is built in the docs module. */
export function inboundRequestSchema(): SchemaObject {
  return {
    type: 'object',
    required: ['action', 'data'],
    properties: {
      action: { type: 'string', enum: SUPPORTED_ACTIONS },
      entityId: { type: 'string', description: 'Required for order.update (the Avvyr order id)' },
      data: { type: 'object', description: 'The action-specific payload' },
    },
    example: {
      action: 'inventory.set',
      data: { items: [{ sku: 'CHAIR-UNO-BLK', quantity: 42, warehouseId: 'wh-01' }] },
    },
  };
}
