-- Restored views (docs/retention.md, Restore): an archive verified and brought back as a read-only view of its
-- workspace, shared by every node. A view's row and all its entries are written in one transaction, so a crash
-- leaves no half view. Keyed by workspace first (the Citus distribution column); no foreign keys.

create table restored_views (
  workspace   text   not null,
  archive     text   not null,
  location    text   not null,
  from_seq    bigint not null,
  to_seq      bigint not null,
  count       bigint not null,
  tree_size   bigint not null,
  restored_at text   not null,
  primary key (workspace, archive)
);

-- canonical: the entry's bytes exactly as archived (and hashed); action and actor_id are copied out of them at the
-- restore for the page query's filters (null when the entry has none)
create table restored_entries (
  workspace text   not null,
  archive   text   not null,
  seq       bigint not null,
  action    text,
  actor_id  text,
  canonical bytea  not null,
  primary key (workspace, archive, seq)
);
-- a page is read in (seq, archive) order across a workspace's views from a seq on, along the index of its filter:
-- an index range that stops at the page's end, never a scan of a whole view
create index restored_entries_seq on restored_entries (workspace, seq, archive);
create index restored_entries_action on restored_entries (workspace, action, seq, archive);
create index restored_entries_actor on restored_entries (workspace, actor_id, seq, archive);
