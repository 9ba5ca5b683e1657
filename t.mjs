import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { Kysely, PGliteDialect, sql } from 'kysely';
let t=Date.now();
const pg = await PGlite.create({ extensions: { btree_gist } });
console.log('start', Date.now()-t);
await pg.exec(`create extension btree_gist; create role app nologin; create table t(a int, b int, r daterange, exclude using gist (a with =, r with &&)); alter table t enable row level security; create policy p on t using (b = nullif(current_setting('app.b', true),'')::int); grant select,insert on t to app; insert into t values (1,1,'[2020-01-01,2021-01-01)'),(2,2,'[2020-01-01,)');`);
t=Date.now(); const c = await pg.clone(); console.log('clone', Date.now()-t);
const db = new Kysely({ dialect: new PGliteDialect({ pglite: c }) });
await sql`set role app`.execute(db);
const r = await db.transaction().execute(async trx => { await sql`select set_config('app.b','1',true)`.execute(trx); return (await sql`select * from t`.execute(trx)).rows; });
console.log(r, (await sql`select current_user`.execute(db)).rows);
try { await pg.exec(`insert into t values (1,3,'[2020-06-01,2020-07-01)')`);} catch(e){ console.log(e.code, e.constraint, e.message) }
console.log(pg.version ? await pg.query('select version()').then(r=>r.rows) : '');
