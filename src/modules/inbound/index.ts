export { InboundModule } from './inbound.module';
export { INBOUND_QUEUE } from './inbound-queue';
export { INBOUND_ACTIONS, SUPPORTED_ACTIONS } from './actions/action-registry';
export type { InboundAction } from './actions/action-registry';
export { inboundRequestSchemas } from './accept-message/inbound-request.schema';
export { SEED_EXAMPLES } from './actions/seed-examples';
export { PriceItemDto } from './actions/price-set/price-set.payload';
export { OrderUpdatePayload } from './actions/order-update/order-update.payload';
export { MessagesRateLimited } from './rate-limit/messages-rate-limited.event';
