-- The ranking (graduatoria) and its award, computed in the database: one window query orders the
-- admissible applications and sums their amounts in rank order, and the result is written in one
-- statement. Runs as the application role inside the tenant session (SECURITY INVOKER), so the
-- row-level security policies apply to everything it reads and writes.

-- The determine of the Ufficio di Piano that approved the provisional and the final ranking:
-- the published ranking names them.
alter table calls add column ranking_act_id uuid, add column final_act_id uuid;
alter table calls add constraint calls_ranking_act_fk foreign key (ambito_id, ranking_act_id) references acts (ambito_id, id);
alter table calls add constraint calls_final_act_fk foreign key (ambito_id, final_act_id) references acts (ambito_id, id);

-- Review lists and the ranking read a call's applications by status; with the amount, the "skip"
-- award finds the few applications that still fit what is left without reading the whole call.
create index applications_call_status_idx on applications (ambito_id, call_id, status, amount_cents);

-- A ranking writes up to a million entries at once. A row-level foreign key checks each one with
-- its own lookup that also locks the referenced row (FOR KEY SHARE): measured on PostgreSQL 15
-- with 1,000,000 entries, the two keys cost 18 s against 6 s for the insert itself. Calls and
-- applications are never deleted (the application role has no DELETE on them), so the lock buys
-- nothing. rank_call writes entries only from the applications it has just read in the same
-- statement, so they are right by construction; any other insert is checked once per statement,
-- set-based, that every entry names an application of its call in its Ambito.
alter table ranking_entries drop constraint ranking_entries_ambito_id_application_id_fkey;
alter table ranking_entries drop constraint ranking_entries_ambito_id_call_id_fkey;

create function ranking_entries_check() returns trigger language plpgsql as $$
begin
  if current_setting('app.ranking_writer', true) = 'rank_call' then
    return null;
  end if;
  if exists (select 1 from new_entries n where not exists (
      select 1 from applications a
      where a.ambito_id = n.ambito_id and a.id = n.application_id and a.call_id = n.call_id)) then
    raise exception 'voce di graduatoria senza domanda corrispondente nel bando'
      using errcode = '23503', constraint = 'ranking_entries_application_fk';
  end if;
  return null;
end
$$;
create trigger ranking_entries_check_insert after insert on ranking_entries
  referencing new table as new_entries for each statement execute function ranking_entries_check();
-- An entry is rewritten, never moved to another application: the key columns are not updatable.
revoke update on ranking_entries from ambito_app;
grant update (position, points, outcome, awarded_cents) on ranking_entries to ambito_app;

-- The "skip" rule after the first application that does not fit: walks the remaining candidates
-- in rank order, funding each one that still fits in what is left. Only applications whose amount
-- fits in what was left at that point are passed in, so the walk is short.
create function ranking_skip_tail(p_ids uuid[], p_amounts bigint[], p_left bigint) returns uuid[]
language plpgsql immutable as $$
declare
  v_left bigint := p_left;
  v_min bigint;
  v_funded uuid[] := '{}';
begin
  select min(x) into v_min from unnest(p_amounts) x;
  for i in 1 .. coalesce(array_length(p_ids, 1), 0) loop
    exit when v_left < v_min;
    if p_amounts[i] <= v_left then
      v_funded := v_funded || p_ids[i];
      v_left := v_left - p_amounts[i];
    end if;
  end loop;
  return v_funded;
end
$$;

-- The ranking order of a call: points, then its ties (names the call rules allow, never free
-- text), then acceptance order. Returns the order clause and the condition "a comes after k"
-- (the same order written as a comparison with the columns of another application k).
create function ranking_keys(p_ties text[], out order_by text, out after text)
language plpgsql immutable as $$
declare
  v_tie text;
  v_key text;
  v_equal text := 'true';
begin
  order_by := '';
  after := 'false';
  foreach v_tie in array array['points_desc'] || coalesce(p_ties, '{}') || array['seq_asc'] loop
    v_key := case v_tie
      when 'points_desc' then 'points desc'
      when 'isee_asc' then 'isee_cents asc'
      when 'household_desc' then 'household desc'
      when 'age_desc' then 'birth_date asc'
      when 'age_asc' then 'birth_date desc'
      when 'received_asc' then 'received_at asc'
      -- The acceptance order closes every tie: the ranking is total and repeatable.
      when 'seq_asc' then 'seq asc' end;
    if v_key is null then
      raise exception 'criterio di parità sconosciuto: %', v_tie using errcode = '22023';
    end if;
    order_by := order_by || case when order_by = '' then '' else ', ' end || 'a.' || v_key;
    after := after || format(' or (%s and a.%s %s k.%2$s)', v_equal, split_part(v_key, ' ', 1),
      case when v_key like '% desc' then '<' else '>' end);
    v_equal := v_equal || format(' and a.%1$s = k.%1$s', split_part(v_key, ' ', 1));
  end loop;
end
$$;

/*
 * Ranks a call and awards its budget:
 * - admissible applications by points, the call's ties, then acceptance order; a running sum
 *   of the amounts in that order decides the award (an amount of 0 is never funded and spends
 *   nothing);
 * - stop: funded while the running sum fits the budget, nobody after the first that does not;
 * - partial: as stop, and the first that does not fit receives what is left, if anything;
 * - skip: as stop, then every later application that still fits what is left, in rank order;
 * - excluded applications are listed as excluded, without a position.
 * The first ranking inserts every entry in one statement; a later one (funds freed or added,
 * a decision changed) writes only the entries that changed and, when p_reason is given,
 * records each change of outcome or amount in ranking_changes. Returns how many it recorded.
 * Positions are those of the approved ranking: a new ranking act numbers them again
 * (p_renumber); awarding again after a withdrawal, an exclusion or more funds keeps them, so
 * the funds slide down the same list (a withdrawn application leaves its number unused).
 */
create function rank_call(p_ambito uuid, p_call uuid, p_budget bigint, p_mode text, p_ties text[],
  p_reason text default null, p_by text default null, p_renumber boolean default true) returns integer
-- Enough memory to sort a million applications without spilling to disk.
language plpgsql security invoker set work_mem = '256MB' as $$
declare
  v_ranked text;
  v_result text;
  v_tail uuid[] := '{}';
  v_spent bigint;
  v_ids uuid[];
  v_amounts bigint[];
  v_pos bigint[];
  v_points integer[];
  v_outcomes text[];
  v_existed boolean[];
  v_diff integer;
  v_changes integer := 0;
  v_order text;
  v_after text;
  v_insert text;
  v_last uuid;
  v_left bigint;
  v_min bigint;
  v_next record;
begin
  if p_mode not in ('stop', 'skip', 'partial') then
    raise exception 'regola di assegnazione sconosciuta: %', p_mode using errcode = '22023';
  end if;
  if p_budget is null or p_budget < 0 then
    raise exception 'budget non valido' using errcode = '22023';
  end if;
  select k.order_by, k.after into v_order, v_after from ranking_keys(p_ties) k;
  -- n: the admissible applications in rank order with the running sum of their amounts.
  v_ranked := format($q$
    n as (
      select a.id, a.points, a.amount_cents as amount, row_number() over w as pos,
        (sum(a.amount_cents) over w)::bigint as cum
      from applications a
      where a.ambito_id = $1 and a.call_id = $2 and a.status = 'admissible'
      window w as (order by %s rows unbounded preceding)
    )$q$, v_order);
  -- r: the new ranking, one row per admissible or excluded application; $5 are the applications
  -- "skip" funds after the head (those later in the ranking that still fit what was left).
  v_result := v_ranked || $q$,
    r as (
      select n.id, n.pos, n.points,
        case when n.amount > 0 and (n.cum <= $3 or t.id is not null) then 'funded'
          when $4 = 'partial' and n.amount > 0 and n.cum > $3 and n.cum - n.amount < $3 then 'partially_funded'
          else 'not_funded' end as outcome,
        case when n.amount > 0 and (n.cum <= $3 or t.id is not null) then n.amount
          when $4 = 'partial' and n.amount > 0 and n.cum > $3 and n.cum - n.amount < $3 then $3 - (n.cum - n.amount)
          else 0 end as awarded
      from n left join (select distinct unnest($5::uuid[]) as id) t on t.id = n.id
      union all
      select a.id, null, a.points, 'excluded', 0
      from applications a
      where a.ambito_id = $1 and a.call_id = $2 and a.status = 'excluded'
    )$q$;

  perform set_config('app.ranking_writer', 'rank_call', true);
  if not exists (select 1 from ranking_entries e where e.ambito_id = p_ambito and e.call_id = p_call) then
    -- In key order: the primary-key index is then filled from left to right, not at random.
    v_insert := $q$
        insert into ranking_entries (ambito_id, call_id, application_id, position, points, outcome, awarded_cents)
        select $1, $2, r.id, r.pos, r.points, r.outcome, r.awarded from r order by r.id$q$;
    if p_mode <> 'skip' then
      execute 'with ' || v_result || v_insert using p_ambito, p_call, p_budget, p_mode, v_tail;
    else
      -- What the head spent, and its last funded application: the walk starts after it.
      execute 'with ' || v_result || ', ins as (' || v_insert || $q$
        returning application_id, position, outcome, awarded_cents)
        select coalesce(sum(awarded_cents), 0)::bigint,
          (select application_id from ins where outcome = 'funded' order by position desc limit 1) from ins$q$
        into v_spent, v_last using p_ambito, p_call, p_budget, p_mode, v_tail;
      v_left := p_budget - v_spent;
      select min(a.amount_cents) into v_min from applications a
        where a.ambito_id = p_ambito and a.call_id = p_call and a.status = 'admissible' and a.amount_cents > 0;
      if v_left >= v_min then
        -- Only the applications whose amount fits what is left, in rank order, read lazily: the
        -- walk stops as soon as nothing more can fit.
        for v_next in execute format($q$
          select a.id, a.amount_cents from applications a
          left join applications k on k.ambito_id = $1 and k.id = $3
          where a.ambito_id = $1 and a.call_id = $2 and a.status = 'admissible'
            and a.amount_cents between 1 and $4 and (k.id is null or %s)
          order by %s$q$, v_after, v_order)
          using p_ambito, p_call, v_last, v_left
        loop
          exit when v_left < v_min;
          if v_next.amount_cents <= v_left then
            v_tail := v_tail || v_next.id;
            v_left := v_left - v_next.amount_cents;
          end if;
        end loop;
        update ranking_entries e set outcome = 'funded', awarded_cents = a.amount_cents
          from applications a
          where e.ambito_id = p_ambito and e.call_id = p_call and e.application_id = any(v_tail)
            and a.ambito_id = p_ambito and a.id = e.application_id;
      end if;
    end if;
    perform set_config('app.ranking_writer', '', true);
    return 0;
  end if;

  if p_mode = 'skip' then
    execute 'with ' || v_ranked || $q$,
      head as (select $3 - coalesce(max(cum) filter (where cum <= $3), 0) as left_cents from n)
      select ranking_skip_tail(array_agg(n.id order by n.pos), array_agg(n.amount order by n.pos),
        min(head.left_cents))
      from n, head
      where n.cum > $3 and n.amount between 1 and head.left_cents$q$
      into v_tail using p_ambito, p_call, p_budget;
  end if;
  -- d: the entries that differ from the stored ranking; each change of outcome or amount is
  -- recorded. A few differences are then written in place; many (everybody below a withdrawn
  -- application moves up one position) are cheaper to write as a new set.
  execute 'with ' || v_result || $q$,
    o as (
      select e.application_id as id, e.position, e.points, e.outcome, e.awarded_cents
      from ranking_entries e where e.ambito_id = $1 and e.call_id = $2
    ),
    j as (
      select coalesce(r.id, o.id) as id,
        case when r.id is null then null when $8 or o.position is null then r.pos else o.position end as pos,
        r.points, r.outcome, r.awarded, o.id is not null as existed, o.position as old_pos,
        o.points as old_points, o.outcome as old_outcome, o.awarded_cents as old_cents
      from r full join o on o.id = r.id
    ),
    d as materialized (
      select j.id, j.pos, j.points, j.outcome, j.awarded, j.existed, j.old_outcome,
        coalesce(j.old_cents, 0) as old_awarded
      from j
      where (j.pos, j.points, j.outcome, j.awarded) is distinct from (j.old_pos, j.old_points, j.old_outcome, j.old_cents)
    ),
    logged as (
      -- An application that left the ranking (withdrawn, back under review) shows its status.
      insert into ranking_changes (ambito_id, call_id, application_id, from_outcome, to_outcome,
        from_cents, to_cents, reason, changed_by)
      select $1, $2, d.id, d.old_outcome,
        coalesce(d.outcome, (select a.status from applications a where a.ambito_id = $1 and a.id = d.id)),
        d.old_awarded, coalesce(d.awarded, 0), $6, $7
      from d
      where $6 is not null
        and (d.outcome, coalesce(d.awarded, 0)) is distinct from (d.old_outcome, d.old_awarded)
      returning 1
    )
    select (select count(*) from logged)::int, count(*)::int,
      array_agg(d.id), array_agg(d.pos), array_agg(d.points), array_agg(d.outcome), array_agg(d.awarded),
      array_agg(d.existed)
    from d$q$
    into v_changes, v_diff, v_ids, v_pos, v_points, v_outcomes, v_amounts, v_existed
    using p_ambito, p_call, p_budget, p_mode, coalesce(v_tail, '{}'), p_reason, coalesce(p_by, 'sistema'),
      p_renumber;

  if v_diff > 10000 and p_renumber then
    delete from ranking_entries e where e.ambito_id = p_ambito and e.call_id = p_call;
    execute 'with ' || v_result || $q$
      insert into ranking_entries (ambito_id, call_id, application_id, position, points, outcome, awarded_cents)
      select $1, $2, r.id, r.pos, r.points, r.outcome, r.awarded from r order by r.id$q$
      using p_ambito, p_call, p_budget, p_mode, coalesce(v_tail, '{}');
  elsif v_diff > 0 then
    delete from ranking_entries e
      using unnest(v_ids, v_outcomes) as d(id, outcome)
      where e.ambito_id = p_ambito and e.call_id = p_call and e.application_id = d.id and d.outcome is null;
    update ranking_entries e
      set position = d.pos, points = d.points, outcome = d.outcome, awarded_cents = d.awarded
      from unnest(v_ids, v_pos, v_points, v_outcomes, v_amounts, v_existed) as d(id, pos, points, outcome, awarded, existed)
      where e.ambito_id = p_ambito and e.call_id = p_call and e.application_id = d.id
        and d.existed and d.outcome is not null;
    insert into ranking_entries (ambito_id, call_id, application_id, position, points, outcome, awarded_cents)
      select p_ambito, p_call, d.id, d.pos, d.points, d.outcome, d.awarded
      from unnest(v_ids, v_pos, v_points, v_outcomes, v_amounts, v_existed) as d(id, pos, points, outcome, awarded, existed)
      where not d.existed;
  end if;
  perform set_config('app.ranking_writer', '', true);
  return v_changes;
end
$$;

revoke all on function rank_call, ranking_skip_tail, ranking_keys from public;
grant execute on function rank_call, ranking_skip_tail, ranking_keys to ambito_app;
