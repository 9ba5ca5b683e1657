-- Login throttling counted atomically, and a second factor that is replaced only once confirmed.

-- Failed logins per client address and per account name, one row each, counted by a single
-- upsert (row-locked), so concurrent attempts cannot all read the same count. Accounts are keyed
-- by the typed username whether or not such a user exists: an unknown name locks exactly like a
-- real one, and the answer reveals nothing. A lock is set once, when the threshold is passed,
-- and never extended by attempts made during it.
create table login_throttle (
  scope text not null check (scope in ('address', 'account')),
  subject text not null,
  failures integer not null default 0 check (failures >= 0),
  window_started_at timestamptz not null default now(),
  locked_until timestamptz,
  primary key (scope, subject)
);
create index login_throttle_window_idx on login_throttle (window_started_at);

grant select, insert, update, delete on login_throttle to ambito_app;

-- The secret of a second factor being set up: the enabled one (totp_secret) stays in force
-- until the new one is confirmed with a code.
alter table users add column totp_pending_secret text;
