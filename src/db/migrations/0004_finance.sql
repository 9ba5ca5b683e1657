-- Money: the catalogue of funds, their assignment to an Ambito, budget lines on the plan's
-- actions, commitments (impegni) and payments (liquidazioni), the closing of a financial year
-- with its carry-over (residui), the split of a fund among Comuni (riparto) and the social
-- workers the LEPS contribution is computed from. Amounts are integer euro cents (bigint).

-- The catalogue of funds: rows without an Ambito are the national, regional and EU funds shipped
-- here; an Ambito may add its own, visible to it alone.
create table funds (
  id uuid primary key default gen_random_uuid(),
  ambito_id uuid references ambiti (id),
  code text not null check (code ~ '^[A-Z0-9_+-]{2,30}$'),
  name text not null check (length(name) between 2 and 200),
  source text not null check (source in ('nazionale', 'regionale', 'ue', 'comunale', 'altro'))
);
create unique index funds_code_idx on funds (coalesce(ambito_id, '00000000-0000-0000-0000-000000000000'::uuid), code);

-- What a fund requires, per year (reference data: the rules change with each decree).
create table fund_years (
  fund_id uuid not null references funds (id),
  year integer not null check (year between 2000 and 2100),
  -- at least this share (basis points) of the assignment must be budgeted on this user area
  min_share_area text check (min_share_area in ('famiglia_minori', 'disabilita_non_autosufficienza', 'poverta_esclusione')),
  min_share_bp integer check (min_share_bp between 1 and 10000),
  -- months after the end of the year by which the money must be spent
  spend_months integer check (spend_months between 0 and 120),
  note text not null default '',
  primary key (fund_id, year),
  check ((min_share_area is null) = (min_share_bp is null))
);

create table fund_assignments (
  ambito_id uuid not null references ambiti (id),
  id uuid not null default gen_random_uuid(),
  fund_id uuid not null references funds (id),
  year integer not null check (year between 2000 and 2100),
  amount_cents bigint not null check (amount_cents > 0),
  act_id uuid not null,
  -- a residuo: the unspent part of an earlier year's assignment, carried over when that year closed
  carried_from_id uuid,
  min_share_area text check (min_share_area in ('famiglia_minori', 'disabilita_non_autosufficienza', 'poverta_esclusione')),
  min_share_bp integer check (min_share_bp between 1 and 10000),
  spend_by date,
  report_by date[] not null default '{}',
  note text not null default '',
  created_at timestamptz not null default now(),
  primary key (ambito_id, id),
  foreign key (ambito_id, act_id) references acts (ambito_id, id),
  foreign key (ambito_id, carried_from_id) references fund_assignments (ambito_id, id),
  check ((min_share_area is null) = (min_share_bp is null))
);
create index fund_assignments_year_idx on fund_assignments (ambito_id, year);

create table financial_years (
  ambito_id uuid not null references ambiti (id),
  year integer not null check (year between 2000 and 2100),
  closed_at timestamptz not null default now(),
  close_act_id uuid not null,
  primary key (ambito_id, year),
  foreign key (ambito_id, close_act_id) references acts (ambito_id, id)
);

-- Fund money planned on an action of the plan for one year, classified as the regional
-- spending return wants it: user area (rows) and kind of intervention (columns).
create table budget_lines (
  ambito_id uuid not null,
  id uuid not null default gen_random_uuid(),
  assignment_id uuid not null,
  year integer not null,
  code text not null check (code ~ '^[A-Za-z0-9._/-]{1,40}$'),
  action_id uuid not null,
  area text not null check (area in ('famiglia_minori', 'disabilita_non_autosufficienza', 'poverta_esclusione')),
  intervention text not null check (intervention in ('accesso', 'presa_in_carico', 'domiciliare', 'diurni', 'residenziali', 'inclusione')),
  amount_cents bigint not null check (amount_cents >= 0),
  description text not null default '',
  created_at timestamptz not null default now(),
  primary key (ambito_id, id),
  unique (ambito_id, year, code),
  foreign key (ambito_id, assignment_id) references fund_assignments (ambito_id, id),
  foreign key (ambito_id, action_id) references actions (ambito_id, id)
);
create index budget_lines_assignment_idx on budget_lines (ambito_id, assignment_id);

create table commitments (
  ambito_id uuid not null,
  id uuid not null default gen_random_uuid(),
  budget_line_id uuid not null,
  year integer not null,
  number text not null check (length(number) between 1 and 40),
  act_id uuid not null,
  commit_date date not null,
  amount_cents bigint not null check (amount_cents > 0),
  payee_kind text not null check (payee_kind in ('comune', 'ente', 'beneficiari')),
  payee_name text not null check (length(payee_name) between 2 and 200),
  -- the Comune where the money is spent; null when it serves the whole Ambito
  comune_istat text references comuni (istat_code),
  description text not null default '',
  created_at timestamptz not null default now(),
  primary key (ambito_id, id),
  unique (ambito_id, year, number),
  foreign key (ambito_id, budget_line_id) references budget_lines (ambito_id, id),
  foreign key (ambito_id, act_id) references acts (ambito_id, id)
);
create index commitments_line_idx on commitments (ambito_id, budget_line_id);

create table payments (
  ambito_id uuid not null,
  id uuid not null default gen_random_uuid(),
  commitment_id uuid not null,
  year integer not null,
  number text not null check (length(number) between 1 and 40),
  act_id uuid not null,
  pay_date date not null,
  amount_cents bigint not null check (amount_cents > 0),
  payee_name text not null check (length(payee_name) between 2 and 200),
  -- for a list of beneficiaries: how many people the payment covers
  beneficiaries integer check (beneficiaries > 0),
  created_at timestamptz not null default now(),
  primary key (ambito_id, id),
  unique (ambito_id, year, number),
  foreign key (ambito_id, commitment_id) references commitments (ambito_id, id),
  foreign key (ambito_id, act_id) references acts (ambito_id, id)
);
create index payments_commitment_idx on payments (ambito_id, commitment_id);

-- A split approved by the Assemblea: the rule as stated, and every Comune's amount.
create table splits (
  ambito_id uuid not null references ambiti (id),
  id uuid not null default gen_random_uuid(),
  fund_id uuid not null references funds (id),
  year integer not null check (year between 2000 and 2100),
  total_cents bigint not null check (total_cents >= 0),
  rule jsonb not null,
  act_id uuid not null,
  -- a later vote on the same fund and year replaces a split; the old one stays as history
  superseded_at timestamptz,
  created_by text not null,
  created_at timestamptz not null default now(),
  primary key (ambito_id, id),
  foreign key (ambito_id, act_id) references acts (ambito_id, id)
);
create unique index splits_current_idx on splits (ambito_id, fund_id, year) where superseded_at is null;

create table split_shares (
  ambito_id uuid not null,
  split_id uuid not null,
  istat_code text not null references comuni (istat_code),
  amount_cents bigint not null check (amount_cents >= 0),
  primary key (ambito_id, split_id, istat_code),
  foreign key (ambito_id, split_id) references splits (ambito_id, id)
);

-- Full-time-equivalent permanent social workers per Comune and year, in hundredths.
create table social_worker_fte (
  ambito_id uuid not null references ambiti (id),
  year integer not null check (year between 2000 and 2100),
  istat_code text not null references comuni (istat_code),
  fte_hundredths integer not null check (fte_hundredths between 0 and 100000),
  updated_at timestamptz not null default now(),
  primary key (ambito_id, year, istat_code)
);

-- The money rules live here, not only in the application, so that no code path (an import, a
-- script, two requests at once) can break them. Each check locks the parent row first: two
-- concurrent commitments on one budget line take turns, and the second sees the first.
-- SQLSTATEs AM001-AM006 are mapped to field errors by the finance service.
create function finance_year_open(p_year integer) returns void language plpgsql as $$
begin
  if exists (select 1 from financial_years where year = p_year) then
    raise exception 'esercizio % chiuso', p_year using errcode = 'AM001';
  end if;
end
$$;

create function budget_lines_guard() returns trigger language plpgsql as $$
declare
  v_assigned bigint;
  v_year integer;
  v_budgeted bigint;
  v_committed bigint;
begin
  select amount_cents, year into v_assigned, v_year from fund_assignments
    where ambito_id = new.ambito_id and id = new.assignment_id for update;
  if new.year <> v_year then
    raise exception 'la linea deve avere l''anno dell''assegnazione (%)', v_year using errcode = 'AM006';
  end if;
  perform finance_year_open(new.year);
  select coalesce(sum(amount_cents), 0) into v_budgeted from budget_lines
    where ambito_id = new.ambito_id and assignment_id = new.assignment_id and id <> new.id;
  if v_budgeted + new.amount_cents > v_assigned then
    raise exception 'disponibile sull''assegnazione: % centesimi', v_assigned - v_budgeted using errcode = 'AM002';
  end if;
  if tg_op = 'UPDATE' then
    select coalesce(sum(amount_cents), 0) into v_committed from commitments
      where ambito_id = new.ambito_id and budget_line_id = new.id;
    if new.amount_cents < v_committed then
      raise exception 'già impegnati: % centesimi', v_committed using errcode = 'AM003';
    end if;
  end if;
  return new;
end
$$;
create trigger budget_lines_guard before insert or update on budget_lines
  for each row execute function budget_lines_guard();

create function commitments_guard() returns trigger language plpgsql as $$
declare
  v_line bigint;
  v_year integer;
  v_committed bigint;
  v_paid bigint;
begin
  select amount_cents, year into v_line, v_year from budget_lines
    where ambito_id = new.ambito_id and id = new.budget_line_id for update;
  if new.year <> v_year then
    raise exception 'l''impegno deve avere l''anno della linea di bilancio (%)', v_year using errcode = 'AM006';
  end if;
  perform finance_year_open(new.year);
  select coalesce(sum(amount_cents), 0) into v_committed from commitments
    where ambito_id = new.ambito_id and budget_line_id = new.budget_line_id and id <> new.id;
  if v_committed + new.amount_cents > v_line then
    raise exception 'disponibile sulla linea di bilancio: % centesimi', v_line - v_committed using errcode = 'AM004';
  end if;
  if tg_op = 'UPDATE' then
    select coalesce(sum(amount_cents), 0) into v_paid from payments
      where ambito_id = new.ambito_id and commitment_id = new.id;
    if new.amount_cents < v_paid then
      raise exception 'già liquidati: % centesimi', v_paid using errcode = 'AM003';
    end if;
  end if;
  return new;
end
$$;
create trigger commitments_guard before insert or update on commitments
  for each row execute function commitments_guard();

-- Payments on a closed year's commitments stay possible: those are the residui passivi.
create function payments_guard() returns trigger language plpgsql as $$
declare
  v_committed bigint;
  v_paid bigint;
begin
  select amount_cents into v_committed from commitments
    where ambito_id = new.ambito_id and id = new.commitment_id for update;
  select coalesce(sum(amount_cents), 0) into v_paid from payments
    where ambito_id = new.ambito_id and commitment_id = new.commitment_id and id <> new.id;
  if v_paid + new.amount_cents > v_committed then
    raise exception 'ancora da liquidare sull''impegno: % centesimi', v_committed - v_paid using errcode = 'AM005';
  end if;
  return new;
end
$$;
create trigger payments_guard before insert or update on payments
  for each row execute function payments_guard();

do $$
declare t text;
begin
  foreach t in array array['fund_assignments', 'financial_years', 'budget_lines', 'commitments', 'payments',
    'splits', 'split_shares', 'social_worker_fte'] loop
    execute format('alter table %I enable row level security', t);
    execute format('alter table %I force row level security', t);
    execute format($p$create policy %I on %I
      using (ambito_id = nullif(current_setting('app.ambito_id', true), '')::uuid)
      with check (ambito_id = nullif(current_setting('app.ambito_id', true), '')::uuid)$p$, t || '_tenant', t);
    execute format('grant select, insert, update on %I to ambito_app', t);
  end loop;
end
$$;
-- Money history is never deleted; a wrong entry is corrected by a new act. Budget lines and
-- FTE figures without commitments may go.
grant delete on budget_lines, social_worker_fte to ambito_app;

-- The catalogue is shared; an Ambito sees and adds only its own funds beside it.
alter table funds enable row level security;
alter table funds force row level security;
create policy funds_visible on funds
  using (ambito_id is null or ambito_id = nullif(current_setting('app.ambito_id', true), '')::uuid)
  with check (ambito_id = nullif(current_setting('app.ambito_id', true), '')::uuid);
grant select, insert on funds to ambito_app;
grant select on fund_years to ambito_app;

insert into funds (code, name, source) values
  ('FNPS', 'Fondo Nazionale per le Politiche Sociali', 'nazionale'),
  ('FNA', 'Fondo per le Non Autosufficienze', 'nazionale'),
  ('FPOV', 'Fondo Povertà – quota servizi', 'nazionale'),
  ('DOPO_DI_NOI', 'Fondo Dopo di Noi (L. 112/2016)', 'nazionale'),
  ('FSR', 'Fondo Sociale Regionale', 'regionale'),
  ('PNRR_M5C2', 'PNRR Missione 5 Componente 2', 'ue'),
  ('FSE+', 'Fondo Sociale Europeo Plus', 'ue'),
  ('COMUNI', 'Cofinanziamento dei Comuni (quota capitaria)', 'comunale');
-- Lombardy: at least 50% of the FNPS to childhood and adolescence; national funds are spent
-- by the end of the following year. Figures to be checked against each year's decree.
insert into fund_years (fund_id, year, min_share_area, min_share_bp, spend_months, note)
select f.id, y, case when f.code = 'FNPS' then 'famiglia_minori' end, case when f.code = 'FNPS' then 5000 end,
  case when f.source in ('nazionale', 'regionale') then 12 end,
  case when f.code = 'FNPS' then 'DGR regionale di riparto: almeno il 50% ad area minori e famiglia' else '' end
from funds f, generate_series(2020, 2030) as y;
