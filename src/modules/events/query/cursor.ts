import { ValidationFailedError } from '../../../common/errors';

export interface EventCursor {
  receivedAt: Date;
  messageId: string;
}

/** Opaque page cursor: the sort key (receivedAt, messageId) of the last item returned. */
export function encodeCursor(cursor: EventCursor): string {
  return Buffer.from(JSON.stringify([cursor.receivedAt.toISOString(), cursor.messageId])).toString(
    'base64url',
  );
}

export function decodeCursor(value: string): EventCursor {
  try {
    const [receivedAt, messageId] = JSON.parse(Buffer.from(value, 'base64url').toString()) as [
      string,
      string,
    ];
    const date = new Date(receivedAt);
    if (Number.isNaN(date.getTime()) || typeof messageId !== 'string') throw new Error();
    return { receivedAt: date, messageId };
  } catch {
    throw new ValidationFailedError([{ path: 'cursor', message: 'cursor is not valid' }]);
  }
}
