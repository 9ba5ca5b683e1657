import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { anchorDirFrom } from './anchor.js';

describe('where the audit anchors are kept', () => {
  it('is AUDIT_ANCHOR_DIR when set', () => {
    expect(anchorDirFrom({ AUDIT_ANCHOR_DIR: '/srv/ancore' }, './data')).toBe('/srv/ancore');
  });

  it('is next to the embedded database by default', () => {
    expect(anchorDirFrom({}, '/tmp/dati')).toBe('/tmp/dati/audit-anchors');
  });

  it('gives every PostgreSQL database its own folder, named from the configuration', () => {
    const a = anchorDirFrom({ DATABASE_URL: 'postgres://u:segreto@127.0.0.1:5432/ambito' }, '/tmp/dati');
    const b = anchorDirFrom({ DATABASE_URL: 'postgres://u@127.0.0.1/prova' }, '/tmp/dati');
    expect(a).toBe(path.join('/tmp/dati/audit-anchors', '127.0.0.1_5432_ambito'));
    expect(b).toBe(path.join('/tmp/dati/audit-anchors', '127.0.0.1_5432_prova'));
    expect(a).not.toContain('segreto');
  });
});
