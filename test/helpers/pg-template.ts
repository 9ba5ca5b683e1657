import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase } from '../../src/db/database.js';
import { ensureReferenceData } from '../../src/db/seed.js';

export function withDatabaseName(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function admin<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function createPgTemplate(url: string): Promise<string> {
  const name = `ambito_tpl_${randomBytes(4).toString('hex')}`;
  await admin(url, (c) => c.query(`create database ${name}`));
  const database = await openDatabase({ databaseUrl: withDatabaseName(url, name) });
  await ensureReferenceData(database.db);
  await database.close();
  return name;
}

export async function createPgDatabase(url: string, template: string): Promise<string> {
  const name = `ambito_t_${randomBytes(5).toString('hex')}`;
  for (let attempt = 0; ; attempt++) {
    try {
      await admin(url, (c) => c.query(`create database ${name} template ${template}`));
      return name;
    } catch (error) {
      // Two workers copying the template at the same instant: retry shortly.
      if (attempt >= 20 || (error as { code?: string }).code !== '55006') throw error;
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
    }
  }
}

/**
 * Drops a test database. Its pool may still be closing its connections: wait for them rather
 * than terminate them, which would surface as errors in the closing clients.
 */
export async function dropPgDatabase(url: string, name: string): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt++) {
    try {
      await admin(url, (c) => c.query(`drop database if exists ${name}`));
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== '55006') throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  await admin(url, (c) => c.query(`drop database if exists ${name} with (force)`));
}
