import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import postgres from 'postgres';
import { openDatabase } from '../../server/database.ts';
import type { Driver } from './database.ts';

const root = join(import.meta.dirname, '..', '..');

/** A TCP port free on loopback right now. */
export const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

/**
 * `npm start`'s entry point as its own process, with the environment given; resolves once it says it is running.
 * `output()` is what it has printed so far (stdout and stderr).
 */
export function startScorta(
  env: Record<string, string>,
  name = 'Scorta',
): Promise<ChildProcess & { output(): string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const started = Object.assign(child, { output: () => out });
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('Scorta is running.')) resolve(started);
    });
    child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`${name} exited (${code}) before it was ready:\n${out}`)));
  });
}

/** Kills the process as a power cut would (SIGKILL, no shutdown) and waits until it is gone. */
export async function killScorta(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL') {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  await exited;
}

/**
 * Where a Scorta process keeps its data: a PGlite directory under `dir`, or a fresh PostgreSQL database on the
 * server of `postgresUrl`, dropped by `drop`. `env` is what the process needs to use it, `open` opens it here.
 */
export async function processStorage(driver: Driver, dir: string, postgresUrl?: string) {
  if (driver === 'pglite') {
    const dataDir = join(dir, 'pglite');
    return {
      env: { SCORTA_DATA_DIR: dataDir, DATABASE_URL: '' },
      open: () => openDatabase({ dataDir }),
      drop: async () => {},
    };
  }
  const admin = postgres(postgresUrl!, { max: 1, onnotice: () => {} });
  const name = `scorta_proc_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 6)}`;
  await admin.unsafe(`create database ${name}`);
  const url = new URL(postgresUrl!);
  url.pathname = `/${name}`;
  return {
    env: { DATABASE_URL: url.toString(), SCORTA_DATA_DIR: join(dir, 'unused') },
    open: () => openDatabase({ databaseUrl: url.toString(), dataDir: '' }),
    drop: async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

/**
 * The environment of one Scorta process on `storage` (from `processStorage`): no demo data, its own MQTT broker on
 * a free port and no external one, no WebSocket listener, the HTTP API on a free port, loopback only.
 */
export async function soloScortaEnv(storage: { env: Record<string, string> }) {
  return {
    ...storage.env,
    MQTT_URL: '',
    SCORTA_DEMO: 'false',
    PORT: String(await freePort()),
    MQTT_PORT: String(await freePort()),
    MQTT_WS_PORT: 'off',
    HOST: '127.0.0.1',
  };
}
