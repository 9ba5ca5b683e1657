import { describe, expect, it } from 'vitest';
import { hashPassword, passwordProblem, verifyPassword } from './password.js';

describe('password policy', () => {
  it.each([
    ['corto1!', 'almeno 12'],
    ['password1234', 'comuni'],
    ['Juventus2025!', 'comune seguita'],
    ['aaaaaaaaaaaaaa', 'ripetuto'],
    ['mario.rossi-segreta-99', 'nome utente'],
  ])('refuses %s', (pw, reason) => {
    expect(passwordProblem(pw, 'mario.rossi')).toContain(reason);
  });

  it('accepts a long uncommon passphrase', () => {
    expect(passwordProblem('cavallo-batteria-graffetta-corretta', 'mario.rossi')).toBeNull();
  });

  it('hashes with argon2id and verifies', async () => {
    const hash = await hashPassword('cavallo-batteria-graffetta');
    expect(hash.startsWith('$argon2id$')).toBe(true);
    expect(await verifyPassword(hash, 'cavallo-batteria-graffetta')).toBe(true);
    expect(await verifyPassword(hash, 'cavallo-batteria-graffettx')).toBe(false);
    expect(await verifyPassword(null, 'anything-at-all')).toBe(false);
  });
});
