-- The event store: every workspace's append-only log (PostgresEventStore).
-- Every table is keyed by workspace first, the Citus distribution column; no foreign keys.

-- One row per workspace, locked FOR UPDATE by each write transaction (in workspace order): the log's
-- treeSize, the leaf hash the next entry's prev_hash names, and the change id of its last commit.
CREATE TABLE workspace_heads (
  workspace      text   NOT NULL PRIMARY KEY,
  size           bigint NOT NULL,
  last_leaf_hash bytea  NOT NULL,
  change_id      bigint NOT NULL
);
-- the commit feed reads the heads changed after a change id
CREATE INDEX workspace_heads_change_id ON workspace_heads (change_id);

-- Bumped once per write transaction into the heads it changed (the commit feed's cursor).
CREATE SEQUENCE entry_change_ids AS bigint;

-- The entries, canonical bytes exactly as hashed, with their RFC 9162 leaf hash. Partitioned by month of
-- received_at so retention can drop whole partitions; the store creates monthly partitions ahead, and the
-- DEFAULT partition takes anything else, so an insert never fails for want of one.
CREATE TABLE entries (
  workspace   text        NOT NULL,
  seq         bigint      NOT NULL,
  id          text        NOT NULL,
  received_at timestamptz NOT NULL,
  canonical   bytea       NOT NULL,
  leaf_hash   bytea       NOT NULL,
  -- a unique index on a partitioned table must hold the partition key; (workspace, seq) is unique by the
  -- head row lock, and this index serves reads by (workspace, seq)
  PRIMARY KEY (workspace, seq, received_at)
) PARTITION BY RANGE (received_at);
CREATE TABLE entries_default PARTITION OF entries DEFAULT;

-- Idempotency: an id per workspace, once (not enforceable on the partitioned table), and the seq it took.
-- content_hash is the leaf hash of the entry holding the id (a cross-check of this table against entries).
CREATE TABLE entry_ids (
  workspace    text   NOT NULL,
  id           text   NOT NULL,
  seq          bigint NOT NULL,
  content_hash bytea  NOT NULL,
  PRIMARY KEY (workspace, id)
);
