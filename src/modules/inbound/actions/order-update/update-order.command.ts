import { InboundActionCommand } from '../inbound-action.command';
import type { OrderUpdatePayload } from './order-update.payload';

export class UpdateOrderCommand extends InboundActionCommand<OrderUpdatePayload> {}
