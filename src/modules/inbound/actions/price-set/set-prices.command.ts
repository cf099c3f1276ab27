import { InboundActionCommand } from '../inbound-action.command';
import type { PriceSetPayload } from './price-set.payload';

export class SetPricesCommand extends InboundActionCommand<PriceSetPayload> {}
