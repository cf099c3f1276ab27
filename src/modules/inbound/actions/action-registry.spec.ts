import { COMMAND_HANDLER_METADATA } from '@nestjs/cqrs/dist/decorators/constants';
import { actionCommandHandlers, INBOUND_ACTIONS } from './action-registry';

describe('INBOUND_ACTIONS', () => {
  it('has exactly one command handler for every action command', () => {
    const handled = actionCommandHandlers.map(
      (handler) => Reflect.getMetadata(COMMAND_HANDLER_METADATA, handler) as unknown,
    );
    for (const [action, definition] of Object.entries(INBOUND_ACTIONS)) {
      expect({ action, handlers: handled.filter((c) => c === definition.command).length }).toEqual({
        action,
        handlers: 1,
      });
    }
  });
});
