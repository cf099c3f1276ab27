import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { AvvyrClient } from '../../../avvyr';
import { SetPricesCommand } from './set-prices.command';

@CommandHandler(SetPricesCommand)
export class SetPricesHandler implements ICommandHandler<SetPricesCommand> {
  constructor(private readonly avvyr: AvvyrClient) {}

  execute(command: SetPricesCommand): Promise<unknown> {
    return this.avvyr.setPrices(command.payload.items, command.callContext);
  }
}
