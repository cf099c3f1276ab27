import { InboundActionCommand } from '../inbound-action.command';
import type { OrderCreatePayload } from './order-create.payload';

export class CreateOrderCommand extends InboundActionCommand<OrderCreatePayload> {}
