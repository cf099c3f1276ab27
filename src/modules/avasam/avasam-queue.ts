export const AVASAM_QUEUE = 'avasam';
