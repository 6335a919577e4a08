-- Retention (docs/adr/0004): what a purge leaves behind so the log stays provable (PostgresPurge).
-- Keyed by workspace first like every table (the Citus distribution column); no foreign keys.

-- The purge horizon: entries below it are gone unless a purge kept them. Set by the purge's last statement, which
-- takes the head row's lock (writers of the workspace wait for it only for that statement); never touches size or
-- change_id, so the commit feed does not see a purge as a change.
ALTER TABLE workspace_heads ADD COLUMN purged_before bigint NOT NULL DEFAULT 0;

-- The leaf hash of every seq below the horizon, 32 bytes each in seq order, 4096 per row (128 KiB): chunk c holds
-- seqs [c * 4096, c * 4096 + octet_length(hashes) / 32). A purge appends to the last chunk and adds whole ones; a
-- chunk is never rewritten otherwise. A row per leaf would cost ~70 bytes of tuple and index overhead for 32 of hash;
-- a chunk costs ~0.1%. EXTERNAL storage: hashes do not compress, and uncompressed TOAST lets substring() read only
-- the slice asked for.
CREATE TABLE purged_leaves (
  workspace text   NOT NULL,
  chunk     bigint NOT NULL,
  hashes    bytea  NOT NULL,
  PRIMARY KEY (workspace, chunk)
);
ALTER TABLE purged_leaves ALTER COLUMN hashes SET STORAGE EXTERNAL;

-- Every purge of a workspace, numbered 1, 2, … in the order they committed (two purges may share a to_seq: a later
-- one can remove entries an earlier one kept).
CREATE TABLE purges (
  workspace text        NOT NULL,
  n         bigint      NOT NULL,
  from_seq  bigint      NOT NULL,
  to_seq    bigint      NOT NULL,
  removed   bigint      NOT NULL,
  last_leaf bytea       NOT NULL,
  purged_at timestamptz NOT NULL,
  reason    text,                  -- as the purger states it (null when none was given)
  PRIMARY KEY (workspace, n)
);
