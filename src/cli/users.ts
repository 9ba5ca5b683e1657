import type { Command } from 'commander';
import { loadConfig } from '../config.js';
import type { Database } from '../db/database.js';
import { AnchorStore, anchorDirFrom } from '../features/audit/anchor.js';
import { formatInstant, verifyAuditLog } from '../features/audit/anchor.service.js';
import type { GrantBody } from '../features/identity/identity.schemas.js';
import {
  createUser,
  disableUser,
  findAssignment,
  findUserByUsername,
  grantRole,
  listUsers,
  revokeRole,
} from '../features/identity/users.service.js';
import { ROLES, systemActor } from '../http/auth.js';
import { DomainError } from '../http/errors.js';

type WithDatabase = <T>(fn: (database: Database) => Promise<T>, opts?: { asOwner?: boolean }) => Promise<T>;

interface ScopeOptions {
  role: string;
  ambito?: string;
  comune?: string;
  organization?: string;
}

function grantOf(o: ScopeOptions): GrantBody {
  if (!(ROLES as readonly string[]).includes(o.role))
    throw new DomainError('INVALID', `ruolo sconosciuto: ${o.role} (ammessi: ${ROLES.join(', ')})`);
  return {
    role: o.role as GrantBody['role'],
    ...(o.ambito ? { ambitoId: o.ambito } : {}),
    ...(o.comune ? { comuneIstat: o.comune } : {}),
    ...(o.organization ? { organizationId: o.organization } : {}),
  };
}

const actor = systemActor('cli');

async function requireUser(database: Database, username: string) {
  const user = await findUserByUsername(database.db, username);
  if (!user) throw new DomainError('NOT_FOUND', `utente ${username} non trovato`);
  return user;
}

export function registerUserCommands(program: Command, withDatabase: WithDatabase): void {
  const user = program.command('user').description('gestione degli utenti e dei ruoli');
  const scoped = (c: Command) =>
    c
      .requiredOption('--role <role>', `ruolo: ${ROLES.join(', ')}`)
      .option('--ambito <id>', 'identificativo dell’Ambito (ruoli di Ambito)')
      .option('--comune <istat>', 'codice ISTAT del Comune (assistente sociale, assemblea)')
      .option('--organization <id>', 'identificativo dell’ente del Terzo Settore');

  scoped(user.command('create').description('crea un utente con un ruolo'))
    .requiredOption('--username <u>', 'nome utente')
    .requiredOption('--password <p>', 'password (almeno 12 caratteri, non comune)')
    .option('--name <name>', 'nome visualizzato')
    .action((o: ScopeOptions & { username: string; password: string; name?: string }) =>
      withDatabase(async (database) => {
        const { id } = await createUser(database.db, actor, {
          username: o.username.toLowerCase(),
          displayName: o.name ?? o.username,
          password: o.password,
          roles: [grantOf(o)],
        });
        console.log(`Utente ${o.username} creato (${id}).`);
      }),
    );

  user
    .command('list')
    .description('elenca utenti e ruoli')
    .action(() =>
      withDatabase(async (database) => {
        for (const u of await listUsers(database.db, actor)) {
          const roles = u.roles
            .map((r) => [r.role, r.ambitoId, r.comuneIstat, r.organizationId].filter(Boolean).join(':'))
            .join(', ');
          console.log(`${u.username.padEnd(24)} ${u.disabled ? 'disattivato' : 'attivo     '} ${roles}`);
        }
      }),
    );

  user
    .command('disable <username>')
    .description('disattiva un utente e ne termina le sessioni')
    .action((username: string) =>
      withDatabase(async (database) => {
        await disableUser(database.db, actor, (await requireUser(database, username)).id);
        console.log(`Utente ${username} disattivato.`);
      }),
    );

  scoped(user.command('grant <username>').description('assegna un ruolo')).action(
    (username: string, o: ScopeOptions) =>
      withDatabase(async (database) => {
        await grantRole(database.db, actor, (await requireUser(database, username)).id, grantOf(o));
        console.log(`Ruolo ${o.role} assegnato a ${username}.`);
      }),
  );

  scoped(user.command('revoke <username>').description('revoca un ruolo')).action(
    (username: string, o: ScopeOptions) =>
      withDatabase(async (database) => {
        const u = await requireUser(database, username);
        const g = grantOf(o);
        const match = await findAssignment(database.db, u.id, g);
        if (!match)
          throw new DomainError('NOT_FOUND', `${username} non ha il ruolo ${o.role} con questo ambito`);
        await revokeRole(database.db, actor, u.id, match.id);
        console.log(`Ruolo ${o.role} revocato a ${username}.`);
      }),
  );

  program
    .command('audit')
    .description('registro degli accessi')
    .command('verify')
    .description(
      'verifica la catena di hash del registro e la confronta con le ancore firmate fuori dal database (AUDIT_ANCHOR_DIR); esce con errore se il registro è alterato, troncato o riscritto, o se le ancore sono alterate',
    )
    .action(() =>
      withDatabase(
        async (database) => {
          const dataDir = program.opts<{ dataDir?: string }>().dataDir;
          const config = loadConfig({ ...process.env, ...(dataDir ? { DATA_DIR: dataDir } : {}) });
          const store = new AnchorStore(anchorDirFrom(process.env, config.dataDir));
          const r = await verifyAuditLog(database.db, store);
          if (r.problems.length > 0) {
            throw new DomainError(
              'CONFLICT',
              `registro degli accessi non integro: ${r.problems.join('; ')} (nessuna nuova ancora scritta)`,
            );
          }
          const against = r.anchor
            ? `confrontato con l’ancora del ${formatInstant(r.anchor.at)} (${r.anchor.entries} voci)`
            : 'nessuna ancora precedente';
          console.log(
            `Registro integro: ${r.entries} voci verificate, ${against}; nuova ancora in ${store.file}.`,
          );
        },
        { asOwner: true },
      ),
    );
}
