-- Workspaces, API keys and the platform admin key (org.trailbook.postgres.PostgresAccessStore), and every
-- workspace's signed checkpoints (org.trailbook.postgres.PostgresCheckpoints). Secrets are never stored:
-- only their SHA-256, in hex.

CREATE TABLE workspaces (
  workspace  text        NOT NULL PRIMARY KEY,
  name       text        NOT NULL,
  created_at timestamptz NOT NULL,
  -- the order workspaces were created in, which listings keep
  position   bigint      GENERATED ALWAYS AS IDENTITY
);

CREATE TABLE api_keys (
  workspace      text        NOT NULL,
  key_id         text        NOT NULL,
  name           text        NOT NULL,
  scopes         jsonb       NOT NULL,
  secret_hash    text        NOT NULL,
  created_at     timestamptz NOT NULL,
  revoked_at     timestamptz,
  -- set from api_key_revocations when the key is revoked: nodes poll for revocations after the last they saw.
  -- Revocations take one advisory lock, so these numbers are committed in order and a poller never skips one.
  revocation_seq bigint,
  position       bigint      GENERATED ALWAYS AS IDENTITY,
  PRIMARY KEY (workspace, key_id)
);
-- authentication finds a key by its secret's hash; sessions and streams check a key by its id
CREATE INDEX api_keys_secret_hash ON api_keys (secret_hash);
CREATE INDEX api_keys_key_id ON api_keys (key_id);
CREATE INDEX api_keys_revocation_seq ON api_keys (revocation_seq) WHERE revocation_seq IS NOT NULL;
CREATE SEQUENCE api_key_revocations;

-- The platform admin key: one row for the whole platform, not workspace data (a Citus reference table).
-- The primary key on the constant makes initAdminKey on nodes starting together create exactly one.
CREATE TABLE platform_admin_key (
  singleton  text        NOT NULL PRIMARY KEY DEFAULT 'admin' CHECK (singleton = 'admin'),
  key_hash   text        NOT NULL,
  set_at     timestamptz NOT NULL
);

-- Append-only: a checkpoint is inserted once and never changed. Tree sizes strictly increase per workspace
-- (an append takes a per-workspace advisory lock, checks the latest size, then inserts).
CREATE TABLE checkpoints (
  workspace   text        NOT NULL,
  tree_size   bigint      NOT NULL CHECK (tree_size >= 0),
  signed_note text        NOT NULL,
  signed_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace, tree_size)
);
