import { InboundActionCommand } from '../inbound-action.command';
import type { InventoryAdjustPayload } from './inventory-adjust.payload';

export class AdjustInventoryCommand extends InboundActionCommand<InventoryAdjustPayload> {}
