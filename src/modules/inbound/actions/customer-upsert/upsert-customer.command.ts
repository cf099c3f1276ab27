import { InboundActionCommand } from '../inbound-action.command';
import type { CustomerUpsertPayload } from './customer-upsert.payload';

export class UpsertCustomerCommand extends InboundActionCommand<CustomerUpsertPayload> {}
