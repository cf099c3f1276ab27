export const INBOUND_QUEUE = 'inbound';
