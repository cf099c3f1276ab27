import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { AvvyrClient } from '../../../avvyr';
import { SetInventoryCommand } from './set-inventory.command';

@CommandHandler(SetInventoryCommand)
export class SetInventoryHandler implements ICommandHandler<SetInventoryCommand> {
  constructor(private readonly avvyr: AvvyrClient) {}

  execute(command: SetInventoryCommand): Promise<unknown> {
    return this.avvyr.setInventoryLevels(command.payload.items, command.callContext);
  }
}
