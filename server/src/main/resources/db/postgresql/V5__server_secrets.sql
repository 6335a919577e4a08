-- The secrets every node shares (log signer key unless TRAILBOOK_LOG_KEY gives it, the viewer-token
-- secret). One small global table: on Citus, a reference table.
CREATE TABLE server_secrets (
  name text PRIMARY KEY,
  value text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
