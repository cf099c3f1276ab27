import { InboundActionCommand } from '../inbound-action.command';
import type { InventorySetPayload } from './inventory-set.payload';

export class SetInventoryCommand extends InboundActionCommand<InventorySetPayload> {}
