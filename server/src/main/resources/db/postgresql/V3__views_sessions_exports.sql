-- Saved views, page sessions and used viewer-token ids, export jobs and their outputs.
-- Every table is keyed by workspace first (the Citus distribution column); no cross-workspace foreign keys.

create table saved_views (
  workspace  text        not null,
  owner      text        not null,
  id         text        not null,
  name       text        not null,
  query      text        not null,
  created_at text        not null,
  -- the order of creation, which list() keeps
  n          bigint      generated always as identity,
  primary key (workspace, id),
  unique (workspace, owner, name)
);
create index saved_views_owner on saved_views (workspace, owner);

create table page_sessions (
  workspace     text   not null,
  id            text   not null,
  secret_sha256 text   not null,
  person_id     text   not null,
  person_email  text,
  person_name   text,
  role          text   not null,
  created_at    bigint not null,
  expires_at    bigint not null,
  minted_by     text   not null,
  last_seen_at  bigint not null,
  -- set when the session is ended early; the row stays until it expires, so every node's poller hears of it
  ended_at      bigint,
  end_reason    text,
  -- the order of opening, which list() keeps
  n             bigint generated always as identity,
  primary key (workspace, id)
);
-- a cookie names only the session id: looked up without the workspace
create index page_sessions_id on page_sessions (id);
create index page_sessions_minted_by on page_sessions (minted_by);
create index page_sessions_ended on page_sessions (ended_at) where ended_at is not null;
create index page_sessions_expires on page_sessions (expires_at);

create table used_viewer_tokens (
  workspace  text   not null,
  jti        text   not null,
  expires_at bigint not null,
  primary key (workspace, jti)
);
create index used_viewer_tokens_expires on used_viewer_tokens (expires_at);

create table export_jobs (
  workspace   text   not null,
  id          text   not null,
  created_at  bigint not null,
  status      text   not null,
  -- the node running the job and until when its claim holds; an expired lease is claimed again
  lease_owner text,
  lease_until bigint,
  job         jsonb  not null,
  primary key (workspace, id)
);
create index export_jobs_id on export_jobs (id);
create index export_jobs_queue on export_jobs (status, created_at);

-- every export begun (direct download or job), for the hourly allowance shared by all nodes
create table export_starts (
  workspace  text   not null,
  started_at bigint not null
);
create index export_starts_at on export_starts (workspace, started_at);

-- attempt: the started_at of the run that wrote them, so a run that lost its claim never mixes its chunks
-- into the output of the run that took the job over
create table export_chunks (
  workspace text   not null,
  job_id    text   not null,
  attempt   bigint not null,
  n         bigint not null,
  data      bytea  not null,
  primary key (workspace, job_id, attempt, n)
);
