import { ServiceProcess } from './service-process';
import type { TestService } from './test-service';

/**
 * A ROLE=worker process of its own (a real OS process, so a test can SIGKILL it) that shares an
 * in-process API test service's Redis, database and queue prefix, and calls the sandbox backend
 * that service hosts.
 */
export function startWorkerFor(
  api: TestService,
  name: string,
  overrides: Record<string, string> = {},
): Promise<ServiceProcess> {
  return ServiceProcess.start(name, {
    ROLE: 'worker',
    MONGODB_URI: api.env.MONGODB_URI,
    REDIS_URL: api.env.REDIS_URL,
    ...(api.env.REDIS_CLUSTER_NODES ? { REDIS_CLUSTER_NODES: api.env.REDIS_CLUSTER_NODES } : {}),
    QUEUE_PREFIX: api.env.QUEUE_PREFIX,
    MANAGEMENT_JWT_SECRET: api.env.MANAGEMENT_JWT_SECRET,
    SECRETS_KEY: api.env.SECRETS_KEY,
    AVVYR_API_URL: `${api.url}/sandbox/avvyr`,
    AVASAM_API_URL: `${api.url}/sandbox/avasam`,
    RETRY_ATTEMPTS: String(api.env.RETRY_ATTEMPTS),
    RETRY_BASE_DELAY_MS: String(api.env.RETRY_BASE_DELAY_MS),
    ...overrides,
  });
}
