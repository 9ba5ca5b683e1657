import { buildApp } from './app.js';
import { loadConfig } from './config.js';
import { openDatabase } from './db/database.js';
import { ensureReferenceData, seedDemo } from './db/seed.js';
import { AnchorStore, anchorDirFrom } from './features/audit/anchor.js';
import { startAuditAnchoring } from './features/audit/anchor.service.js';
import type { DemoCredential } from './features/identity/identity.demo.js';

/** `npm start`: open the database, migrate, load reference (and demo) data, listen. */
export async function serve(): Promise<void> {
  const config = loadConfig();
  // The embedded database's folder is locked for as long as the server runs: a command started
  // meanwhile on the same folder is refused, naming the server, instead of writing where nobody reads.
  const database = await openDatabase({
    dataDir: config.dataDir,
    databaseUrl: config.databaseUrl,
    lockHolder: 'server',
  });
  if (config.production) await ensureReferenceData(database.db);
  else {
    const seeded = await seedDemo(database.db);
    if (seeded.users.length) printDemoCredentials(seeded.users);
  }
  const app = await buildApp({
    db: database.db,
    logLevel: config.logLevel,
    oidc: config.oidc,
    trustProxy: config.trustProxy,
    production: config.production,
  });
  // The head of the audit chain, signed outside the database every minute and at shutdown.
  const anchors = new AnchorStore(anchorDirFrom(process.env, config.dataDir));
  const anchoring = startAuditAnchoring(database.db, anchors, app.log);
  const shutdown = async (signal: string) => {
    app.log.info({ signal }, 'shutting down');
    await app.close();
    await anchoring.stop();
    await database.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  const address = await app.listen({ port: config.port, host: config.host });
  app.log.info(
    {
      database: database.kind,
      dataDir: database.kind === 'pglite' ? config.dataDir : undefined,
      host: config.host,
      trustProxy: config.trustProxy,
    },
    `Ambito in ascolto su ${address}${config.host === '127.0.0.1' || config.host === '::1' || config.host === 'localhost' ? ' (solo da questo computer: HOST=0.0.0.0 per la rete)' : ''}`,
  );
}

/** Shown once, on the start that created the demo users; never in production mode. */
function printDemoCredentials(users: DemoCredential[]): void {
  const lines = users.map((u) => `  ${u.username.padEnd(18)} ${u.password.padEnd(20)} ${u.description}`);
  console.log(
    ['', 'Utenti dimostrativi creati (le password non verranno mostrate di nuovo):', ...lines, ''].join('\n'),
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  serve().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
