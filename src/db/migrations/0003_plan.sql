-- The Piano di Zona: the registry of acts, versioned reference taxonomies (macro-areas per
-- period, LEPS, reward-project rules), the plan with its lifecycle and versions, and its
-- results framework (objectives, specific objectives, actions, indicators and their values).

-- Reference data, edited by the platform administrator.
create table taxonomy_periods (
  code text primary key check (code ~ '^[0-9]{4}-[0-9]{4}$'),
  name text not null,
  -- the regional guidelines of the period, e.g. DGR XI/4563/2021
  guideline text
);

create table macro_areas (
  period_code text not null references taxonomy_periods (code),
  code text not null check (code ~ '^[A-Z]{1,2}$'),
  name text not null,
  primary key (period_code, code)
);

create table leps (
  code text primary key check (code ~ '^[a-z0-9_]{2,40}$'),
  name text not null
);

-- What a reward project (progetto premiale) must satisfy in a period.
create table reward_rules (
  period_code text primary key references taxonomy_periods (code),
  min_ambiti integer not null check (min_ambiti >= 1),
  same_district boolean not null,
  require_asst boolean not null,
  min_objectives integer not null check (min_objectives >= 0)
);

-- Tenant tables.
create table acts (
  ambito_id uuid not null references ambiti (id),
  id uuid not null default gen_random_uuid(),
  kind text not null check (kind in ('delibera_assemblea', 'delibera_comune', 'determina_udp', 'dgr', 'decreto', 'altro')),
  body text not null,
  number text not null,
  act_date date not null,
  subject text not null,
  pdf bytea,
  pdf_sha256 text,
  created_at timestamptz not null default now(),
  primary key (ambito_id, id),
  unique (ambito_id, kind, body, number, act_date)
);

create table plans (
  ambito_id uuid not null references ambiti (id),
  id uuid not null default gen_random_uuid(),
  title text not null,
  period_code text not null references taxonomy_periods (code),
  start_date date not null,
  end_date date not null,
  edition integer not null check (edition >= 1),
  status text not null default 'draft' check (status in ('draft', 'approved', 'in_force', 'extended', 'closed')),
  approval_act_id uuid,
  extended_to date,
  extension_act_id uuid,
  governance text not null default '',
  methodology text not null default '',
  version integer not null default 0,
  revision integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (ambito_id, id),
  unique (ambito_id, id, period_code),
  foreign key (ambito_id, approval_act_id) references acts (ambito_id, id),
  foreign key (ambito_id, extension_act_id) references acts (ambito_id, id),
  check (end_date > start_date),
  check (extended_to is null or extended_to > end_date),
  check (status = 'draft' or approval_act_id is not null),
  check (status <> 'extended' or (extended_to is not null and extension_act_id is not null))
);

-- Every approved state of the plan: a full snapshot, who, when and why.
create table plan_versions (
  ambito_id uuid not null,
  plan_id uuid not null,
  version integer not null,
  snapshot jsonb not null,
  author text not null,
  reason text not null,
  created_at timestamptz not null default now(),
  primary key (ambito_id, plan_id, version),
  foreign key (ambito_id, plan_id) references plans (ambito_id, id)
);

create table objectives (
  ambito_id uuid not null,
  id uuid not null default gen_random_uuid(),
  plan_id uuid not null,
  -- null: a general objective; otherwise the general objective this specific one belongs to
  parent_id uuid,
  code text not null,
  title text not null,
  kind text check (kind in ('integrazione_sociosanitaria', 'territorio_comunita', 'gestione_associata')),
  macro_area_code text,
  period_code text not null,
  needs text not null default '',
  leps_codes text[] not null default '{}',
  position integer not null default 0,
  revision integer not null default 1,
  primary key (ambito_id, id),
  unique (ambito_id, plan_id, code),
  -- the macro-area must come from the taxonomy of the plan's own period
  foreign key (ambito_id, plan_id, period_code) references plans (ambito_id, id, period_code),
  foreign key (ambito_id, parent_id) references objectives (ambito_id, id),
  foreign key (period_code, macro_area_code) references macro_areas (period_code, code),
  -- general objectives carry the type and macro-area; specific ones inherit them
  check ((parent_id is null) = (kind is not null))
);

create table actions (
  ambito_id uuid not null,
  id uuid not null default gen_random_uuid(),
  plan_id uuid not null,
  objective_id uuid not null,
  code text not null,
  title text not null,
  responsible text not null,
  partners text[] not null default '{}',
  start_date date not null,
  end_date date not null,
  status text not null default 'planned' check (status in ('planned', 'running', 'done', 'suspended')),
  staff_hours integer not null default 0 check (staff_hours >= 0),
  position integer not null default 0,
  revision integer not null default 1,
  primary key (ambito_id, id),
  unique (ambito_id, plan_id, code),
  foreign key (ambito_id, plan_id) references plans (ambito_id, id),
  foreign key (ambito_id, objective_id) references objectives (ambito_id, id),
  check (end_date >= start_date)
);

-- Money planned on an action, by fund, in integer euro cents.
create table action_resources (
  ambito_id uuid not null,
  action_id uuid not null,
  fund text not null,
  amount_cents bigint not null check (amount_cents >= 0),
  primary key (ambito_id, action_id, fund),
  foreign key (ambito_id, action_id) references actions (ambito_id, id) on delete cascade
);

create table indicators (
  ambito_id uuid not null,
  id uuid not null default gen_random_uuid(),
  plan_id uuid not null,
  objective_id uuid,
  action_id uuid,
  code text not null,
  name text not null,
  kind text not null check (kind in ('output', 'outcome')),
  unit text not null check (unit in ('numero', 'percentuale', 'euro', 'ore', 'giorni')),
  baseline numeric,
  baseline_date date,
  evaluation_tool text not null default '',
  -- true when a lower value is better (waiting times, for example)
  lower_is_better boolean not null default false,
  revision integer not null default 1,
  primary key (ambito_id, id),
  unique (ambito_id, plan_id, code),
  foreign key (ambito_id, plan_id) references plans (ambito_id, id),
  foreign key (ambito_id, objective_id) references objectives (ambito_id, id),
  foreign key (ambito_id, action_id) references actions (ambito_id, id) on delete cascade,
  check ((objective_id is null) <> (action_id is null))
);

create table indicator_targets (
  ambito_id uuid not null,
  indicator_id uuid not null,
  year integer not null,
  target numeric not null,
  primary key (ambito_id, indicator_id, year),
  foreign key (ambito_id, indicator_id) references indicators (ambito_id, id) on delete cascade
);

create table indicator_values (
  ambito_id uuid not null,
  id uuid not null default gen_random_uuid(),
  indicator_id uuid not null,
  measured_on date not null,
  value numeric not null,
  source text not null,
  created_at timestamptz not null default now(),
  primary key (ambito_id, id),
  foreign key (ambito_id, indicator_id) references indicators (ambito_id, id) on delete cascade
);
create index indicator_values_indicator_idx on indicator_values (ambito_id, indicator_id, measured_on);

-- Reward projects shared with other Ambiti (partners may be Ambiti outside the platform).
create table reward_projects (
  ambito_id uuid not null,
  id uuid not null default gen_random_uuid(),
  plan_id uuid not null,
  title text not null,
  partner_ambiti text[] not null default '{}',
  same_district boolean not null default false,
  asst_involved boolean not null default false,
  objective_codes text[] not null default '{}',
  primary key (ambito_id, id),
  foreign key (ambito_id, plan_id) references plans (ambito_id, id)
);

do $$
declare t text;
begin
  foreach t in array array['acts', 'plans', 'plan_versions', 'objectives', 'actions', 'action_resources',
    'indicators', 'indicator_targets', 'indicator_values', 'reward_projects'] loop
    execute format('alter table %I enable row level security', t);
    execute format('alter table %I force row level security', t);
    execute format($p$create policy %I on %I
      using (ambito_id = nullif(current_setting('app.ambito_id', true), '')::uuid)
      with check (ambito_id = nullif(current_setting('app.ambito_id', true), '')::uuid)$p$, t || '_tenant', t);
    execute format('grant select, insert, update, delete on %I to ambito_app', t);
  end loop;
end
$$;
-- Versions are history: never changed once written.
revoke update, delete on plan_versions from ambito_app;

grant select, insert, update, delete on taxonomy_periods, macro_areas, leps, reward_rules to ambito_app;

-- The regional taxonomies the seeds name (DGR XI/4563/2021 for 2021-2023; DGR XII/2167/2024 for 2025-2027).
insert into taxonomy_periods (code, name, guideline) values
  ('2021-2023', 'Programmazione 2021-2023', 'DGR XI/4563/2021'),
  ('2025-2027', 'Programmazione 2025-2027', 'DGR XII/2167/2024');
insert into macro_areas (period_code, code, name)
select p.code, m.code, m.name
from (values ('2021-2023'), ('2025-2027')) as p (code),
  (values
    ('A', 'Contrasto alla povertà e all''emarginazione sociale'),
    ('B', 'Politiche abitative'),
    ('C', 'Promozione inclusione attiva'),
    ('D', 'Domiciliarità'),
    ('E', 'Anziani'),
    ('F', 'Digitalizzazione dei servizi'),
    ('G', 'Politiche giovanili e per i minori'),
    ('H', 'Interventi connessi alle politiche per il lavoro'),
    ('I', 'Interventi per la famiglia'),
    ('J', 'Interventi a favore di persone con disabilità')) as m (code, name);
insert into leps (code, name) values
  ('pua', 'Punto Unico di Accesso'),
  ('supervisione', 'Supervisione del personale dei servizi sociali'),
  ('dimissioni_protette', 'Dimissioni protette'),
  ('pippi', 'Prevenzione dell''allontanamento familiare (P.I.P.P.I.)'),
  ('pronto_intervento', 'Pronto intervento sociale'),
  ('valutazione_progetto', 'Valutazione multidimensionale e progetto personalizzato'),
  ('domiciliare', 'Servizi sociali domiciliari'),
  ('residenza_fittizia', 'Servizi per la residenza fittizia'),
  ('servizio_sociale', 'Servizio sociale professionale');
insert into reward_rules (period_code, min_ambiti, same_district, require_asst, min_objectives) values
  ('2021-2023', 2, true, true, 2),
  ('2025-2027', 2, true, true, 2);

-- Which Ambito a plan belongs to: plan URLs carry only the plan id, and the tenant session
-- must be opened before any plan row can be read. Reveals nothing but the tenant's id.
create function plan_ambito(p_plan_id uuid) returns uuid
language sql stable security definer set search_path = public as $$
  select ambito_id from plans where id = p_plan_id
$$;
revoke all on function plan_ambito from public;
grant execute on function plan_ambito to ambito_app;
