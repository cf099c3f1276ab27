export { QueueBoardModule } from './queue-board.module';
export { setupQueueBoard } from './setup-queue-board';
export { BOARD_PATH, BOARD_COOKIE } from './board-session';
