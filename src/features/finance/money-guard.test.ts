import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/helpers/db.js';
import type { Database } from '../../db/database.js';

/**
 * Money is integer cents end to end. This is the lint rule that keeps it so: amounts are
 * stored as bigint, and the code that handles them never rounds, divides or parses floats.
 * A line that must turn cents into a spreadsheet's euro value says so with `money-boundary`.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const MONEY_CODE = ['src/features/finance', 'web/src/features/finance'];
const FLOAT_OPS =
  /parseFloat|toFixed\(|Math\.(round|floor|ceil|trunc)\(|\/\s*100\b|\*\s*0?\.\d|Number\.parseFloat/;
const AMOUNT = /cents|Cents|amount|Amount|euro|importo/;

function sources(dir: string): string[] {
  const abs = path.join(ROOT, dir);
  if (!fs.existsSync(abs)) return [];
  return fs
    .readdirSync(abs, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f))
    .map((f) => path.join(dir, f));
}

describe('money is integer cents', () => {
  it('has no floating-point operation on an amount in the money code', () => {
    const offending: string[] = [];
    for (const file of MONEY_CODE.flatMap(sources)) {
      const lines = fs.readFileSync(path.join(ROOT, file), 'utf8').split('\n');
      lines.forEach((line, i) => {
        if (line.includes('money-boundary')) return;
        if (FLOAT_OPS.test(line) && AMOUNT.test(line)) offending.push(`${file}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(offending).toEqual([]);
  });

  describe('in the database', () => {
    let t: Database;
    beforeAll(async () => {
      t = await createTestDatabase();
    });
    afterAll(() => t?.close());

    it('stores every amount column as bigint', async () => {
      const { rows } = await sql<{ table_name: string; column_name: string; data_type: string }>`
        select table_name, column_name, data_type from information_schema.columns
        where table_schema = 'public' and column_name like '%cents%'`.execute(t.db);
      expect(rows.length).toBeGreaterThanOrEqual(7);
      expect(rows.filter((r) => r.data_type !== 'bigint')).toEqual([]);
    });
  });
});
