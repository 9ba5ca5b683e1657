import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { report, round } from './lib.js';

/** Resident memory of a process and its descendants (npm -> sh -> node), from /proc. */
function treeRssMB(pid: number): number {
  const children = (p: number): number[] => {
    try {
      const list = fs.readFileSync(`/proc/${p}/task/${p}/children`, 'utf8').trim();
      return list ? list.split(/\s+/).map(Number) : [];
    } catch {
      return [];
    }
  };
  const all: number[] = [];
  const walk = (p: number) => {
    all.push(p);
    for (const c of children(p)) walk(c);
  };
  walk(pid);
  // The server is the largest process of the tree; npm and the shell are launchers.
  const rss = all.map((p) => {
    const m = /VmRSS:\s+(\d+) kB/.exec(
      fs.existsSync(`/proc/${p}/status`) ? fs.readFileSync(`/proc/${p}/status`, 'utf8') : '',
    );
    return m ? Number(m[1]) / 1024 : 0;
  });
  return Math.max(0, ...rss);
}

async function firstOk(url: string, child: ChildProcess, timeoutMs: number): Promise<number> {
  const start = performance.now();
  while (performance.now() - start < timeoutMs) {
    if (child.exitCode !== null) throw new Error(`process exited with ${child.exitCode}`);
    try {
      const res = await fetch(url);
      if (res.status === 200) return performance.now() - start;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`no 200 from ${url} within ${timeoutMs} ms`);
}

async function coldStart(command: string, args: string[], env: NodeJS.ProcessEnv, url: string) {
  const child = spawn(command, args, { env, stdio: 'ignore', detached: true });
  try {
    const ms = await firstOk(url, child, 180_000);
    await new Promise((r) => setTimeout(r, 500));
    return { ms, rssMB: treeRssMB(child.pid as number) };
  } finally {
    if (child.pid) process.kill(-child.pid, 'SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
  }
}

export async function benchStartup(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ambito-bench-start-'));
  const port = 3900 + Math.floor(Math.random() * 90);
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
  delete env.DATABASE_URL;
  try {
    // Baseline: a bare Node HTTP server started the same way, in the same run.
    const bare = await coldStart(
      process.execPath,
      ['-e', `require('http').createServer((q,s)=>s.end('ok')).listen(${port + 100})`],
      env,
      `http://127.0.0.1:${port + 100}/`,
    );
    const first = await coldStart('npm', ['start', '--silent'], env, `http://127.0.0.1:${port}/health`);
    const second = await coldStart('npm', ['start', '--silent'], env, `http://127.0.0.1:${port}/health`);
    report('startup', {
      firstStartSeconds: round(first.ms / 1000, 2),
      firstStartNote: 'empty data dir: initdb, migrations, ISTAT list and demo data',
      warmStartSeconds: round(second.ms / 1000, 2),
      residentMemoryMB: round(second.rssMB, 0),
      baselineBareNodeSeconds: round(bare.ms / 1000, 3),
      baselineBareNodeMemoryMB: round(bare.rssMB, 0),
      ratioFirstStartToBare: round(first.ms / bare.ms, 1),
      ratioMemoryToBare: round(second.rssMB / bare.rssMB, 1),
    });
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
