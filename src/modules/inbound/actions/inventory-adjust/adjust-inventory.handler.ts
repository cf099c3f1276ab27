import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { AvvyrClient } from '../../../avvyr';
import { AdjustInventoryCommand } from './adjust-inventory.command';

@CommandHandler(AdjustInventoryCommand)
export class AdjustInventoryHandler implements ICommandHandler<AdjustInventoryCommand> {
  constructor(private readonly avvyr: AvvyrClient) {}

  execute(command: AdjustInventoryCommand): Promise<unknown> {
    return this.avvyr.adjustInventory(command.payload.items, command.callContext);
  }
}
