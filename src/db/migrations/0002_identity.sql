-- Identity: users, role assignments, server-side sessions, login throttling, second factor,
-- OpenID Connect links, and the append-only, hash-chained audit log.

create table organizations (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  -- Third Sector bodies: the national register (RUNTS) number.
  runts_number text unique,
  created_at timestamptz not null default now()
);

create table users (
  id uuid primary key default gen_random_uuid(),
  username text not null unique check (username ~ '^[a-z0-9._@-]{3,64}$'),
  display_name text not null,
  email text,
  -- null for accounts that only log in through OpenID Connect
  password_hash text,
  disabled_at timestamptz,
  totp_secret text,
  totp_enabled_at timestamptz,
  totp_last_step bigint,
  failed_logins integer not null default 0,
  locked_until timestamptz,
  demo boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table user_recovery_codes (
  user_id uuid not null references users (id),
  code_hash text not null,
  used_at timestamptz,
  primary key (user_id, code_hash)
);

-- An external identity (OIDC issuer + subject: SPID/CIE through a broker) linked to a user.
create table user_identities (
  issuer text not null,
  subject text not null,
  user_id uuid not null references users (id),
  created_at timestamptz not null default now(),
  primary key (issuer, subject)
);

create table role_assignments (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references users (id),
  role text not null check (role in ('admin', 'ufficio_di_piano', 'assistente_sociale', 'assemblea', 'terzo_settore', 'ats_asst', 'cittadino', 'revisore')),
  ambito_id uuid references ambiti (id),
  comune_istat text references comuni (istat_code),
  organization_id uuid references organizations (id),
  created_at timestamptz not null default now(),
  -- Each role carries exactly the scope the role table of the platform gives it.
  check (
    (role = 'admin' and ambito_id is null and comune_istat is null and organization_id is null)
    or (role in ('ufficio_di_piano', 'revisore', 'ats_asst') and ambito_id is not null and comune_istat is null and organization_id is null)
    or (role in ('assistente_sociale', 'assemblea') and ambito_id is not null and comune_istat is not null and organization_id is null)
    or (role = 'terzo_settore' and organization_id is not null and comune_istat is null)
    or (role = 'cittadino' and ambito_id is null and comune_istat is null and organization_id is null)
  )
);
create unique index role_assignments_unique on role_assignments (
  user_id, role, coalesce(ambito_id, '00000000-0000-0000-0000-000000000000'), coalesce(comune_istat, ''),
  coalesce(organization_id, '00000000-0000-0000-0000-000000000000')
);

-- Server-side sessions; the cookie carries a random token, the table only its hash.
create table sessions (
  token_hash text primary key,
  user_id uuid not null references users (id),
  csrf_token text not null,
  created_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  expires_at timestamptz not null,
  ip text,
  user_agent text,
  auth_method text not null default 'password'
);
create index sessions_user_idx on sessions (user_id);

-- Failed attempts per client address, for throttling before any account is known.
create table login_attempts (
  id bigint generated always as identity primary key,
  username text not null,
  ip text not null,
  at timestamptz not null default now(),
  succeeded boolean not null
);
create index login_attempts_ip_idx on login_attempts (ip, at);

-- A secret for signing anonymous CSRF tokens, created once per installation.
create table app_secrets (
  name text primary key,
  value text not null,
  created_at timestamptz not null default now()
);

create table audit_log (
  id bigint generated always as identity primary key,
  at timestamptz not null default clock_timestamp(),
  actor_user_id uuid,
  actor_username text,
  ip text,
  action text not null,
  resource_type text,
  resource_id text,
  ambito_id uuid,
  purpose text,
  outcome text not null check (outcome in ('ok', 'denied', 'failed')),
  detail jsonb not null default '{}'::jsonb,
  prev_hash text not null,
  hash text not null
);
create index audit_log_actor_idx on audit_log (actor_user_id, at);
create index audit_log_resource_idx on audit_log (resource_type, resource_id);
create index audit_log_ambito_idx on audit_log (ambito_id, at);

-- The canonical text each entry's hash covers; `ambito audit verify` recomputes it in the app.
create function audit_canonical(prev text, e audit_log) returns text
language sql immutable as $$
  select concat_ws('|', prev, e.id::text, (extract(epoch from e.at) * 1000000)::bigint::text,
    coalesce(e.actor_user_id::text, ''), coalesce(e.actor_username, ''), coalesce(e.ip, ''), e.action,
    coalesce(e.resource_type, ''), coalesce(e.resource_id, ''), coalesce(e.ambito_id::text, ''),
    coalesce(e.purpose, ''), e.outcome, e.detail::text)
$$;

-- Appends one entry, chained to the previous one. Runs as the owner (security definer) so that
-- the chain is computed over all entries whatever the caller may read; one at a time (lock).
create function audit_append(
  p_actor_user_id uuid, p_actor_username text, p_ip text, p_action text, p_resource_type text,
  p_resource_id text, p_ambito_id uuid, p_purpose text, p_outcome text, p_detail jsonb
) returns bigint
language plpgsql security definer set search_path = public as $$
declare
  v_row audit_log;
begin
  perform pg_advisory_xact_lock(7274001);
  select hash into v_row.prev_hash from audit_log order by id desc limit 1;
  v_row.prev_hash := coalesce(v_row.prev_hash, repeat('0', 64));
  v_row.id := nextval(pg_get_serial_sequence('audit_log', 'id'));
  -- Microsecond precision, as the canonical text carries it.
  v_row.at := date_trunc('microseconds', clock_timestamp());
  v_row.actor_user_id := p_actor_user_id;
  v_row.actor_username := p_actor_username;
  v_row.ip := p_ip;
  v_row.action := p_action;
  v_row.resource_type := p_resource_type;
  v_row.resource_id := p_resource_id;
  v_row.ambito_id := p_ambito_id;
  v_row.purpose := p_purpose;
  v_row.outcome := p_outcome;
  v_row.detail := coalesce(p_detail, '{}'::jsonb);
  v_row.hash := encode(sha256(convert_to(audit_canonical(v_row.prev_hash, v_row), 'UTF8')), 'hex');
  insert into audit_log overriding system value select v_row.*;
  return v_row.id;
end
$$;

-- Append-only for everyone, the owner included: no update, no delete, no truncate.
create function audit_log_immutable() returns trigger
language plpgsql as $$
begin
  raise exception 'audit_log is append-only' using errcode = '42501';
end
$$;
create trigger audit_log_append_only before update or delete on audit_log
  for each row execute function audit_log_immutable();
create trigger audit_log_no_truncate before truncate on audit_log
  for each statement execute function audit_log_immutable();

-- Auditors read their Ambito's entries through the tenant session; platform-wide entries
-- (logins, administration) are read by the owner's maintenance commands.
alter table audit_log enable row level security;
create policy audit_log_tenant on audit_log for select
  using (ambito_id = nullif(current_setting('app.ambito_id', true), '')::uuid);

revoke all on function audit_append from public;
grant execute on function audit_append to ambito_app;
grant execute on function audit_canonical to ambito_app;
grant select on audit_log to ambito_app;

grant select, insert, update on users, organizations, user_identities, role_assignments to ambito_app;
grant delete on role_assignments to ambito_app;
grant select, insert, update, delete on sessions, user_recovery_codes to ambito_app;
grant select, insert, delete on login_attempts to ambito_app;
grant select, insert on app_secrets to ambito_app;
