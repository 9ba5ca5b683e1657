import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import { systemActor } from '../../http/auth.js';
import type { GrantBody } from './identity.schemas.js';
import { createUser } from './users.service.js';

export interface DemoCredential {
  username: string;
  password: string;
  role: string;
  description: string;
}

/**
 * One demo user per role, in the Ambito of Sesto San Giovanni. Passwords are random and are
 * returned once, to be printed at the first start; they are stored only as argon2id hashes.
 */
export async function seedIdentityDemo(db: Kysely<DB>): Promise<DemoCredential[]> {
  if (await db.selectFrom('users').select('id').limit(1).executeTakeFirst()) return [];
  const sesto = await db
    .selectFrom('ambiti')
    .select('id')
    .where('code', '=', 'sesto-san-giovanni')
    .executeTakeFirst();
  if (!sesto) return [];
  const org = await db
    .insertInto('organizations')
    .values({ name: 'Cooperativa Sociale Esempio (dati dimostrativi)', runts_number: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  const a = sesto.id;
  const people: Array<{
    username: string;
    displayName: string;
    description: string;
    roles: GrantBody[];
    codiceFiscale?: string;
  }> = [
    {
      username: 'admin',
      displayName: 'Amministratore della piattaforma',
      description: 'amministratore',
      roles: [{ role: 'admin' }],
    },
    {
      username: 'udp.sesto',
      displayName: 'Ufficio di Piano Sesto (demo)',
      description: 'Ufficio di Piano',
      roles: [{ role: 'ufficio_di_piano', ambitoId: a }],
    },
    {
      username: 'as.sesto',
      displayName: 'Assistente sociale Sesto (demo)',
      description: 'assistente sociale, Comune di Sesto San Giovanni',
      roles: [{ role: 'assistente_sociale', ambitoId: a, comuneIstat: '015209' }],
    },
    {
      username: 'sindaco.cologno',
      displayName: 'Delegato Cologno Monzese (demo)',
      description: 'Assemblea dei Sindaci, Cologno Monzese',
      roles: [{ role: 'assemblea', ambitoId: a, comuneIstat: '015081' }],
    },
    {
      username: 'ets.esempio',
      displayName: 'Cooperativa Esempio (demo)',
      description: 'ente del Terzo Settore',
      roles: [{ role: 'terzo_settore', organizationId: org.id }],
    },
    {
      username: 'asst.nordmilano',
      displayName: 'Operatore ASST Nord Milano (demo)',
      description: 'operatore ATS/ASST',
      roles: [{ role: 'ats_asst', ambitoId: a }],
    },
    {
      username: 'cittadino.demo',
      displayName: 'Cittadino di prova (demo)',
      description: 'cittadino',
      roles: [{ role: 'cittadino' }],
      // A fictitious person (Carla Bassi, born in Sesto San Giovanni on 12/3/1958).
      codiceFiscale: 'BSSCRL58C52I690Q',
    },
    {
      username: 'revisore.sesto',
      displayName: 'Revisore Ambito Sesto (demo)',
      description: 'revisore',
      roles: [{ role: 'revisore', ambitoId: a }],
    },
  ];
  const actor = systemActor('demo');
  const credentials: DemoCredential[] = [];
  for (const p of people) {
    const password = `demo-${randomBytes(9).toString('base64url')}`;
    await createUser(db, actor, { ...p, password, email: null }, { demo: true });
    credentials.push({
      username: p.username,
      password,
      role: p.roles[0]?.role ?? '',
      description: p.description,
    });
  }
  return credentials;
}
