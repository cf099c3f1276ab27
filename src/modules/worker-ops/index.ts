export { WorkerOpsModule } from './worker-ops.module';
