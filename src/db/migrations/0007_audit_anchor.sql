-- Audit: the application appends entries only for the user its transaction is bound to, and may
-- read the head of the chain (count, last id, last hash) that the server anchors outside the
-- database (the audit anchor decision record in docs/adr/).

-- Same body as in 0002, with the actor check first. `app.actor_user_id` is the per-transaction
-- setting `audit()` binds to the calling user (first binding wins); entries without a user id
-- (the system actor of the command line and the demo loader, anonymous failed logins) need none.
create or replace function audit_append(
  p_actor_user_id uuid, p_actor_username text, p_ip text, p_action text, p_resource_type text,
  p_resource_id text, p_ambito_id uuid, p_purpose text, p_outcome text, p_detail jsonb
) returns bigint
language plpgsql security definer set search_path = public as $$
declare
  v_row audit_log;
  v_bound text := nullif(current_setting('app.actor_user_id', true), '');
begin
  if p_actor_user_id is not null and (v_bound is null or lower(v_bound) <> p_actor_user_id::text) then
    raise exception 'audit_append: the actor is not the user bound to this transaction'
      using errcode = '42501';
  end if;
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

-- The head of the chain, and what the chain now holds at a previously anchored entry, in one
-- snapshot. Appends are serialized by the advisory lock until commit, so the committed entries
-- are always a prefix of the chain. Identifiers and hashes only: no entry's content.
create function audit_head(p_anchored_id bigint)
returns table (entries bigint, last_id bigint, last_hash text, anchored_hash text, anchored_entries bigint)
language sql stable security definer set search_path = public as $$
  select (select count(*) from audit_log),
    (select id from audit_log order by id desc limit 1),
    (select hash from audit_log order by id desc limit 1),
    (select hash from audit_log where id = p_anchored_id),
    (select count(*) from audit_log where id <= p_anchored_id)
$$;

revoke all on function audit_head from public;
grant execute on function audit_head to ambito_app;
