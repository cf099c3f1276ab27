import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UnrecoverableError } from 'bullmq';
import { AvvyrClient } from '../../../avvyr';
import { UpdateOrderCommand } from './update-order.command';

@CommandHandler(UpdateOrderCommand)
export class UpdateOrderHandler implements ICommandHandler<UpdateOrderCommand> {
  constructor(private readonly avvyr: AvvyrClient) {}

  execute(command: UpdateOrderCommand): Promise<unknown> {
    // The edge requires entityId for order.update; a job without one was built wrongly.
    if (!command.entityId) throw new UnrecoverableError('order.update needs entityId');
    return this.avvyr.updateOrder(command.entityId, command.payload, command.callContext);
  }
}
