-- Calls for benefits (bandi): the call with its rules as data, applications with their receipt,
-- the tamper-evident protocol register, review, the ranking (graduatoria) with its award, the
-- changes of award when funds are freed or added, and payment lists tied to the finance tables.

create table calls (
  ambito_id uuid not null references ambiti (id),
  id uuid not null default gen_random_uuid(),
  code text not null check (code ~ '^[A-Za-z0-9._-]{2,40}$'),
  title text not null check (length(title) between 3 and 300),
  template text check (template in ('misura_b2', 'dopo_di_noi', 'sostegno_affitto')),
  description text not null default '',
  -- the finance line that pays the benefits and the Assemblea deliberation that approved the criteria
  budget_line_id uuid not null,
  approval_act_id uuid not null,
  opens_at timestamptz not null,
  closes_at timestamptz not null,
  budget_cents bigint not null check (budget_cents > 0),
  rules jsonb not null,
  -- who pays: the capofila's account, for the SEPA payment lists
  debtor_name text not null,
  debtor_iban text not null,
  status text not null default 'draft' check (status in ('draft', 'published', 'ranked', 'final')),
  ranked_at timestamptz,
  final_at timestamptz,
  revision integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (ambito_id, id),
  unique (ambito_id, code),
  foreign key (ambito_id, budget_line_id) references budget_lines (ambito_id, id),
  foreign key (ambito_id, approval_act_id) references acts (ambito_id, id),
  check (closes_at > opens_at)
);

-- A published call is frozen once it opens: its rules, window and budget no longer change
-- (the budget may only grow, by a new act, which re-runs the award).
create function calls_frozen() returns trigger language plpgsql as $$
begin
  if old.status <> 'draft' and old.opens_at <= now() and (
    new.rules is distinct from old.rules or new.opens_at is distinct from old.opens_at
    or new.closes_at is distinct from old.closes_at or new.budget_line_id is distinct from old.budget_line_id
    or new.budget_cents < old.budget_cents) then
    raise exception 'bando aperto: regole, date e budget non si modificano' using errcode = 'CL001';
  end if;
  return new;
end
$$;
create trigger calls_frozen before update on calls for each row execute function calls_frozen();

create table applications (
  ambito_id uuid not null,
  id uuid not null default gen_random_uuid(),
  call_id uuid not null,
  -- order of acceptance within the call; the protocol number carries it
  seq integer not null check (seq > 0),
  protocol text not null,
  received_at timestamptz not null,
  idempotency_key text not null check (length(idempotency_key) between 8 and 200),
  applicant_cf text not null check (applicant_cf ~ '^[A-Z0-9]{16}$'),
  -- the citizen's account, or the operator who submitted on their behalf
  user_id uuid references users (id),
  on_behalf boolean not null default false,
  data jsonb not null,
  data_hash text not null,
  receipt_hash text not null,
  eligibility jsonb not null,
  points integer not null,
  score jsonb not null,
  amount_cents bigint not null check (amount_cents >= 0),
  isee_cents bigint not null,
  household integer not null,
  birth_date date not null,
  status text not null default 'submitted'
    check (status in ('submitted', 'integration_requested', 'admissible', 'excluded', 'withdrawn')),
  status_reason text,
  integration_due date,
  reviewed_by text,
  reviewed_at timestamptz,
  primary key (ambito_id, id),
  unique (ambito_id, call_id, seq),
  unique (ambito_id, call_id, idempotency_key),
  unique (ambito_id, call_id, protocol),
  foreign key (ambito_id, call_id) references calls (ambito_id, id)
);
-- One person holds at most one live application per call.
create unique index applications_one_active on applications (ambito_id, call_id, applicant_cf)
  where status in ('submitted', 'integration_requested', 'admissible');
create index applications_user_idx on applications (user_id);

create table application_attachments (
  ambito_id uuid not null,
  application_id uuid not null,
  code text not null,
  filename text not null,
  content_type text not null,
  bytes integer not null,
  sha256 text not null,
  content bytea not null,
  primary key (ambito_id, application_id, code),
  foreign key (ambito_id, application_id) references applications (ambito_id, id)
);

-- The protocol register of incoming applications: each entry is chained to the previous one of
-- the same Ambito by hash, so a removed or altered entry shows. Written once, never changed.
create table protocol_register (
  ambito_id uuid not null references ambiti (id),
  seq bigint not null check (seq > 0),
  application_id uuid not null,
  call_id uuid not null,
  protocol text not null,
  received_at timestamptz not null,
  data_hash text not null,
  prev_hash text not null,
  hash text not null,
  primary key (ambito_id, seq),
  foreign key (ambito_id, application_id) references applications (ambito_id, id)
);

create function protocol_register_immutable() returns trigger language plpgsql as $$
begin
  raise exception 'il registro di protocollo non si modifica' using errcode = 'CL002';
end
$$;
create trigger protocol_register_immutable before update or delete on protocol_register
  for each row execute function protocol_register_immutable();

-- The ranking as last computed: provisional, then final after the appeals window.
create table ranking_entries (
  ambito_id uuid not null,
  call_id uuid not null,
  application_id uuid not null,
  position integer,
  points integer not null,
  outcome text not null check (outcome in ('funded', 'partially_funded', 'not_funded', 'excluded')),
  awarded_cents bigint not null default 0 check (awarded_cents >= 0),
  primary key (ambito_id, call_id, application_id),
  foreign key (ambito_id, call_id) references calls (ambito_id, id),
  foreign key (ambito_id, application_id) references applications (ambito_id, id)
);

-- Every change of award after the first ranking: who moved, from what to what, and why.
create table ranking_changes (
  ambito_id uuid not null,
  id bigint generated always as identity,
  call_id uuid not null,
  application_id uuid not null,
  from_outcome text,
  to_outcome text not null,
  from_cents bigint not null default 0,
  to_cents bigint not null default 0,
  reason text not null,
  changed_at timestamptz not null default now(),
  changed_by text not null,
  primary key (ambito_id, id),
  foreign key (ambito_id, call_id) references calls (ambito_id, id)
);

-- A payment list for a period: the awarded beneficiaries' amounts, tied to a finance payment.
create table payment_lists (
  ambito_id uuid not null,
  id uuid not null default gen_random_uuid(),
  call_id uuid not null,
  period text not null check (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
  commitment_id uuid not null,
  payment_id uuid not null,
  total_cents bigint not null check (total_cents > 0),
  lines integer not null check (lines > 0),
  created_at timestamptz not null default now(),
  created_by text not null,
  primary key (ambito_id, id),
  unique (ambito_id, call_id, period),
  foreign key (ambito_id, call_id) references calls (ambito_id, id),
  foreign key (ambito_id, commitment_id) references commitments (ambito_id, id),
  foreign key (ambito_id, payment_id) references payments (ambito_id, id)
);

create table payment_list_lines (
  ambito_id uuid not null,
  list_id uuid not null,
  application_id uuid not null,
  amount_cents bigint not null check (amount_cents > 0),
  primary key (ambito_id, list_id, application_id),
  foreign key (ambito_id, list_id) references payment_lists (ambito_id, id),
  foreign key (ambito_id, application_id) references applications (ambito_id, id)
);

-- The commitment a call's awards are charged to (one per call, created at the final ranking).
alter table calls add column commitment_id uuid;
alter table calls add constraint calls_commitment_fk foreign key (ambito_id, commitment_id) references commitments (ambito_id, id);

do $$
declare t text;
begin
  foreach t in array array['calls', 'applications', 'application_attachments', 'protocol_register',
    'ranking_entries', 'ranking_changes', 'payment_lists', 'payment_list_lines'] loop
    execute format('alter table %I enable row level security', t);
    execute format('alter table %I force row level security', t);
    execute format($p$create policy %I on %I
      using (ambito_id = nullif(current_setting('app.ambito_id', true), '')::uuid)
      with check (ambito_id = nullif(current_setting('app.ambito_id', true), '')::uuid)$p$, t || '_tenant', t);
    execute format('grant select, insert on %I to ambito_app', t);
  end loop;
end
$$;
grant update on calls, applications to ambito_app;
grant update, delete on ranking_entries to ambito_app;

-- Which Ambito a call belongs to: call URLs carry only the call id (like plan_ambito).
create function call_ambito(p_call_id uuid) returns uuid
language sql stable security definer set search_path = public as $$
  select ambito_id from calls where id = p_call_id
$$;
revoke all on function call_ambito from public;
grant execute on function call_ambito to ambito_app;

-- A citizen's own applications across Ambiti: ids only, the rows are read in each tenant session.
create function applications_of_user(p_user_id uuid) returns table (ambito_id uuid, application_id uuid)
language sql stable security definer set search_path = public as $$
  select ambito_id, id from applications where user_id = p_user_id
$$;
revoke all on function applications_of_user from public;
grant execute on function applications_of_user to ambito_app;
