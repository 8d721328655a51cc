-- Who this node federates with: per-domain rules and the node's mode (blocklist or allowlist).
CREATE TABLE domain_rules (
    domain     TEXT   PRIMARY KEY,
    action     TEXT   NOT NULL,
    reason     TEXT   NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);

CREATE TABLE node_settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
