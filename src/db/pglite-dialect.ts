import { type DatabaseConnection, type Driver, PGliteDialect, PGliteDriver } from 'kysely';

/**
 * PGlite is one session. Kysely's PGlite driver hands that session to every caller at once,
 * so a query of one request could run inside another request's open transaction (and its
 * tenant settings). This driver queues callers: one query or one transaction at a time.
 */
class SerializedPGliteDriver extends PGliteDriver {
  #tail: Promise<void> = Promise.resolve();
  #release: (() => void) | undefined;

  override async acquireConnection(): Promise<DatabaseConnection> {
    const previous = this.#tail;
    let release!: () => void;
    this.#tail = new Promise<void>((resolve) => {
      release = resolve;
    });
    await previous;
    this.#release = release;
    return super.acquireConnection();
  }

  override async releaseConnection(): Promise<void> {
    const release = this.#release;
    this.#release = undefined;
    release?.();
  }
}

export class SerializedPGliteDialect extends PGliteDialect {
  readonly #config: ConstructorParameters<typeof PGliteDialect>[0];

  constructor(config: ConstructorParameters<typeof PGliteDialect>[0]) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new SerializedPGliteDriver(this.#config);
  }
}
