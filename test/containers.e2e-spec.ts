import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { Env } from '../src/config/env';

const root = join(__dirname, '..');
const read = (file: string) => readFileSync(join(root, file), 'utf8');

/** The first compose CLI on this machine, if any: the v2 plugin or the standalone v1. */
function composeCli(): string[] | undefined {
  for (const cli of [['docker', 'compose'], ['docker-compose']]) {
    const probe = spawnSync(cli[0], [...cli.slice(1), 'version'], { encoding: 'utf8' });
    if (probe.status === 0) return cli;
  }
  return undefined;
}

/**
 * No Docker engine runs here, so the images are not built in tests: the files are checked for
 * what the deployment relies on, and parsed by a compose CLI when one is installed.
 */
describe('Containers: Dockerfile and docker-compose.yml', () => {
  const compose = load(read('docker-compose.yml')) as any;
  const services = compose.services;

  it('runs MongoDB 7 and Redis 7 with AOF on and noeviction', () => {
    expect(services.mongo.image).toBe('mongo:7');
    expect(services.redis.image).toBe('redis:7');
    const redis = services.redis.command.join(' ');
    expect(redis).toContain('--appendonly yes');
    expect(redis).toContain('--maxmemory-policy noeviction');
    expect(services.redis.volumes).toEqual(['redis-data:/data']);
  });

  it('runs MongoDB as a replica set, which the service connects to as one', () => {
    expect(services.mongo.command).toEqual(['--replSet', 'rs0', '--bind_ip_all']);
    expect(services.mongo.healthcheck.test.join(' ')).toContain('rs.initiate');
    for (const name of ['api', 'worker']) {
      expect(services[name].environment.MONGODB_URI).toMatch(/\?replicaSet=rs0$/);
    }
  });

  it('lets both the API and the worker be scaled (no fixed name, the API on a port range)', () => {
    for (const name of ['api', 'worker']) expect(services[name].container_name).toBeUndefined();
    expect(services.api.ports).toEqual(['${API_PORTS:-3000-3009}:3000']);
  });

  it('runs the API and a scalable worker from one image, sandbox off, with health checks', () => {
    expect(services.api.environment).toMatchObject({ ROLE: 'api', SANDBOX: 'false' });
    expect(services.worker.environment).toMatchObject({ ROLE: 'worker', SANDBOX: 'false' });
    expect(services.api.image).toBe(services.worker.image);
    // --scale needs replicas that claim no host port and no fixed name.
    expect(services.worker.ports).toBeUndefined();
    expect(services.worker.container_name).toBeUndefined();
    for (const name of ['mongo', 'redis', 'api', 'worker']) {
      expect({ name, healthcheck: Boolean(services[name].healthcheck?.test) }).toEqual({
        name,
        healthcheck: true,
      });
    }
    for (const name of ['api', 'worker']) {
      expect(services[name].depends_on).toEqual({
        mongo: { condition: 'service_healthy' },
        redis: { condition: 'service_healthy' },
      });
      expect(services[name].healthcheck.test.join(' ')).toContain('/health/ready');
    }
  });

  it('sets only settings the service knows, and requires the secrets', () => {
    // Optional settings have no default, so `new Env()` does not list them.
    const known = [
      ...Object.keys(new Env()),
      'AVVYR_API_URL',
      'AVASAM_API_URL',
      'PUBLIC_BASE_URL',
      'SANDBOX',
    ];
    for (const name of ['api', 'worker']) {
      const unknown = Object.keys(services[name].environment).filter((key) => !known.includes(key));
      expect({ name, unknown }).toEqual({ name, unknown: [] });
    }
    for (const secret of ['MANAGEMENT_JWT_SECRET', 'SECRETS_KEY', 'AVVYR_API_TOKEN']) {
      expect(services.api.environment[secret]).toMatch(new RegExp(`^\\$\\{${secret}:\\?`));
    }
  });

  it('builds in stages and runs dist/main.js as a non-root user', () => {
    const dockerfile = read('Dockerfile');
    expect(dockerfile.match(/^FROM /gm)?.length).toBeGreaterThanOrEqual(3);
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('FROM '));
    expect(runtime).toMatch(/^USER node$/m);
    // The same command as `npm run start:prod`, which the bench runs.
    const startProd = (JSON.parse(read('package.json')) as { scripts: Record<string, string> })
      .scripts['start:prod'];
    expect(runtime).toContain(
      `CMD ${JSON.stringify(startProd.split(' '))}`.replace(/","/g, '", "'),
    );
    expect(dockerfile).toContain('npm ci --omit=dev');
    expect(runtime).toContain('--from=prod-deps');
    const ignored = read('.dockerignore').split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', '.env', '.git', 'test']));
  });

  const cli = composeCli();
  (cli ? it : it.skip)(`parses with \`${cli?.join(' ') ?? 'docker compose'} config\``, () => {
    const result = spawnSync(
      cli![0],
      [...cli!.slice(1), '--env-file', '.env.example', '-f', 'docker-compose.yml', 'config', '-q'],
      { cwd: root, encoding: 'utf8' },
    );
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
  });
});
