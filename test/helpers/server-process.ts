import { type ChildProcess, spawn } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** A port nobody listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

export interface ServerProcess {
  url: string;
  port: number;
  pid: number;
  /** What the server printed (stdout and stderr), for failure messages. */
  output(): string;
  /** Sends `signal` to the server's process group and waits until the process has exited. */
  kill(signal: NodeJS.Signals): Promise<void>;
}

/**
 * The real server as a separate process, as `npm start` runs it but without the npm and tsx
 * launchers: `node --import tsx src/main.ts` is one process, so the process that holds the
 * database is the one a signal reaches. Production mode: no demo users, no demo banner.
 */
export async function startServer(opts: {
  dataDir?: string;
  databaseUrl?: string;
  port?: number;
  timeoutMs?: number;
  /** Extra options for node, such as --cpu-prof. */
  nodeArgs?: string[];
  /** Another checkout to run (to compare a change), this one by default. */
  root?: string;
}): Promise<ServerProcess> {
  const port = opts.port ?? (await freePort());
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
  };
  delete env.DATABASE_URL;
  delete env.DATA_DIR;
  if (opts.databaseUrl) env.DATABASE_URL = opts.databaseUrl;
  if (opts.dataDir) env.DATA_DIR = opts.dataDir;
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), '--import', 'tsx', 'src/main.ts'], {
    cwd: opts.root ?? ROOT,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (b: Buffer) => {
    output = (output + b.toString()).slice(-20_000);
  });
  child.stderr?.on('data', (b: Buffer) => {
    output = (output + b.toString()).slice(-20_000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const server: ServerProcess = {
    url: `http://127.0.0.1:${port}`,
    port,
    pid: child.pid as number,
    output: () => output,
    kill: async (signal) => {
      if (child.exitCode === null && child.signalCode === null) {
        try {
          process.kill(-(child.pid as number), signal);
        } catch {
          // already gone
        }
      }
      await exited;
    },
  };
  try {
    await waitHealthy(server.url, child, opts.timeoutMs ?? 90_000);
  } catch (error) {
    await server.kill('SIGKILL');
    throw new Error(`${(error as Error).message}\n${output}`);
  }
  return server;
}

async function waitHealthy(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/health`)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server not healthy within ${timeoutMs} ms`);
}

export interface HttpResponse {
  statusCode: number;
  body: string;
  // biome-ignore lint/suspicious/noExplicitAny: parsed JSON, as the test client returns it
  json(): any;
}

/**
 * A browser-like client over real HTTP: a cookie jar, the CSRF header, one keep-alive
 * connection, and its own loopback source address (127.0.0.0/8), since the server throttles
 * per client address as it would on a click-day where every citizen has their own.
 */
export class HttpClient {
  cookies: Record<string, string> = {};
  csrf = '';
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

  constructor(
    readonly baseUrl: string,
    readonly localAddress = '127.0.0.1',
  ) {}

  /** The n-th distinct loopback address, 127.0.1.1 onwards. */
  static address(n: number): string {
    return `127.0.${1 + Math.floor(n / 250)}.${1 + (n % 250)}`;
  }

  request(opts: {
    method?: string;
    url: string;
    payload?: unknown;
    /** A JSON body already serialised. */
    body?: string;
    headers?: Record<string, string>;
    timeoutMs?: number;
  }): Promise<HttpResponse> {
    const body = opts.body ?? (opts.payload === undefined ? undefined : JSON.stringify(opts.payload));
    const cookie = Object.entries(this.cookies)
      .map(([k, v]) => `${k}=${v}`)
      .join('; ');
    const headers: Record<string, string> = {
      ...(cookie ? { cookie } : {}),
      ...(this.csrf ? { 'x-csrf-token': this.csrf } : {}),
      ...(body ? { 'content-type': 'application/json' } : {}),
      ...opts.headers,
    };
    const { hostname, port } = new URL(this.baseUrl);
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          host: hostname,
          port,
          path: opts.url,
          method: opts.method ?? 'GET',
          headers,
          agent: this.agent,
          localAddress: this.localAddress,
          timeout: opts.timeoutMs ?? 60_000,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            this.keepCookies(res.headers['set-cookie'] ?? []);
            const text = Buffer.concat(chunks).toString('utf8');
            resolve({ statusCode: res.statusCode ?? 0, body: text, json: () => JSON.parse(text) });
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error('request timeout')));
      req.on('error', reject);
      req.end(body);
    });
  }

  private keepCookies(setCookies: string[]): void {
    for (const line of setCookies) {
      const [pair = '', ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*max-age=(0|-)/i.test(a));
      if (!value || expired) delete this.cookies[name];
      else this.cookies[name] = value;
    }
  }

  /** As a browser does: the anonymous CSRF token first, then the login. */
  async login(username: string, password: string): Promise<void> {
    this.csrf = (await this.request({ url: '/api/v1/session' })).json().csrfToken;
    const res = await this.request({
      method: 'POST',
      url: '/api/v1/session',
      payload: { username, password },
    });
    if (res.statusCode !== 200) throw new Error(`login ${username}: ${res.statusCode} ${res.body}`);
    this.csrf = res.json().csrfToken;
  }

  close(): void {
    this.agent.destroy();
  }
}
