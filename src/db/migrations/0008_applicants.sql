-- Who applies for whom (issue 16, finding 2). A person's account may carry their codice fiscale
-- (from SPID/CIE through OpenID Connect, or set when a local account is created); an application
-- records whether it was filed by the beneficiary or on their behalf, and in what capacity; the
-- beneficiary sees it when they log in and may contest it to the office with a note.

alter table users add column codice_fiscale text check (codice_fiscale ~ '^[A-Z0-9]{16}$');
create index users_codice_fiscale_idx on users (codice_fiscale) where codice_fiscale is not null;

alter table applications add column relationship text not null default 'self'
  check (relationship in ('self', 'familiare', 'tutore', 'amministratore_sostegno', 'patronato', 'operatore'));
alter table applications add column contest_note text check (length(contest_note) between 10 and 2000);
alter table applications add column contested_at timestamptz;
alter table applications add check ((contest_note is null) = (contested_at is null));

-- The applications of a beneficiary across Ambiti, found by codice fiscale.
create index applications_applicant_cf_idx on applications (applicant_cf);

-- A person's applications across Ambiti: those they filed and those filed for their codice
-- fiscale. Ids only; the rows are read in each tenant session.
create function applications_of_person(p_user_id uuid, p_cf text) returns table (ambito_id uuid, application_id uuid)
language sql stable security definer set search_path = public as $$
  select ambito_id, id from applications where user_id = p_user_id
  union
  select ambito_id, id from applications where p_cf is not null and applicant_cf = p_cf
$$;
revoke all on function applications_of_person from public;
grant execute on function applications_of_person to ambito_app;
