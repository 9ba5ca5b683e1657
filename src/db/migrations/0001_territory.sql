-- Foundation: the application role, reference data (regions, provinces, comuni, population)
-- and the tenant root (ambiti) with the first tenant table (Comune memberships).

do $$
begin
  if not exists (select 1 from pg_roles where rolname = 'ambito_app') then
    create role ambito_app nologin;
  end if;
end
$$;
-- The connecting (owner) role switches to ambito_app after migrating; it must be a member.
do $$
begin
  if not pg_has_role(current_user, 'ambito_app', 'member') then
    execute format('grant ambito_app to %I', current_user);
  end if;
end
$$;

create extension if not exists btree_gist;

grant select on schema_migrations to ambito_app;

-- Reference data: shared by every Ambito, no ambito_id, no row-level security.
create table regions (
  code text primary key check (code ~ '^[0-9]{2}$'),
  name text not null
);

create table provinces (
  code text primary key check (code ~ '^[0-9]{3}$'),
  name text not null,
  abbr text not null check (abbr ~ '^[A-Z]{2}$'),
  region_code text not null references regions (code)
);

create table comuni (
  istat_code text primary key check (istat_code ~ '^[0-9]{6}$'),
  name text not null,
  name_other text,
  province_code text not null references provinces (code),
  belfiore text not null check (belfiore ~ '^[A-Z][0-9]{3}$'),
  legal_population integer check (legal_population >= 0),
  is_capoluogo boolean not null default false,
  -- Set when a newer ISTAT list no longer has the comune (mergers); rows are never deleted.
  ceased_on date,
  list_date date not null,
  updated_at timestamptz not null default now()
);
create index comuni_name_idx on comuni (lower(name) text_pattern_ops);
create index comuni_belfiore_idx on comuni (belfiore);

-- ISTAT lists applied, so a re-import of an older list cannot undo a newer one.
create table comuni_imports (
  list_date date primary key,
  source text not null,
  rows integer not null,
  ceased integer not null,
  imported_at timestamptz not null default now()
);

-- Resident population on 1 January of ref_year by single year of age (100 = 100 and over).
create table population (
  istat_code text not null references comuni (istat_code),
  ref_year smallint not null check (ref_year between 1900 and 2200),
  age smallint not null check (age between 0 and 100),
  male integer not null check (male >= 0),
  female integer not null check (female >= 0),
  primary key (istat_code, ref_year, age)
);

create table population_imports (
  ref_year smallint primary key,
  source text not null,
  -- Synthetic figures generated for the demo are labelled as such wherever they are shown.
  demo boolean not null default false,
  comuni integer not null,
  imported_at timestamptz not null default now()
);

-- The tenant root. Readable by everyone (it is the public list of Ambiti); its id is the
-- ambito_id that every tenant table carries.
create table ambiti (
  id uuid primary key default gen_random_uuid(),
  code text not null unique check (code ~ '^[a-z0-9-]{2,40}$'),
  name text not null check (length(name) between 2 and 200),
  capofila_istat text references comuni (istat_code),
  ats text,
  asst text,
  district text,
  demo boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

-- Tenant table: which Comuni belong to the Ambito, and when. valid_to is the last day (inclusive).
create table ambito_comuni (
  ambito_id uuid not null references ambiti (id),
  istat_code text not null references comuni (istat_code),
  valid_from date not null,
  valid_to date,
  created_at timestamptz not null default now(),
  primary key (ambito_id, istat_code, valid_from),
  check (valid_to is null or valid_to >= valid_from),
  -- A Comune belongs to at most one Ambito on any date, across all tenants.
  constraint ambito_comuni_no_overlap exclude using gist (
    istat_code with =,
    daterange(valid_from, valid_to, '[]') with &&
  )
);
create index ambito_comuni_istat_idx on ambito_comuni (istat_code);

alter table ambito_comuni enable row level security;
alter table ambito_comuni force row level security;
create policy ambito_comuni_tenant on ambito_comuni
  using (ambito_id = nullif(current_setting('app.ambito_id', true), '')::uuid)
  with check (ambito_id = nullif(current_setting('app.ambito_id', true), '')::uuid);

grant select, insert, update on regions, provinces, comuni, comuni_imports, population, population_imports to ambito_app;
grant delete on population to ambito_app;
grant select, insert, update on ambiti to ambito_app;
grant select, insert, update on ambito_comuni to ambito_app;
