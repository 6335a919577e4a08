-- Retention (docs/retention.md): per-workspace policies and plan assignments, legal holds (keyed by workspace first,
-- the Citus distribution column), and the plans themselves (one small global table: on Citus, a reference table).

create table retention_policies (
  workspace text    primary key,
  -- null: unlimited
  days      integer,
  archive   boolean not null
);

create table retention_plans (
  name     text    primary key,
  -- null: no maximum
  max_days integer
);

create table retention_plan_of (
  workspace text primary key,
  plan      text not null
);

create table legal_holds (
  workspace   text        not null,
  id          text        not null,
  reason      text        not null,
  placed_at   timestamptz not null,
  ends_at     timestamptz,
  released_at timestamptz,
  placed_by   text        not null,
  -- the order of placing, which holds() keeps
  n           bigint      generated always as identity,
  primary key (workspace, id)
);
