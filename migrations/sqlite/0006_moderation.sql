-- Moderation (issue 6): remote actors suspended or gone, remote objects removed locally,
-- reports (Flag activities) received and sent, and domain lists subscribed from other nodes.
-- Keep in step with migrations/postgres/0006_moderation.sql.

-- An actor this node no longer deals with: `suspended` by an admin (reversible) or `gone`
-- (it deleted its account). Keyed by ActivityPub id, so the mark survives a refetch.
CREATE TABLE moderated_actors (
    ap_id      TEXT   PRIMARY KEY,
    state      TEXT   NOT NULL,
    reason     TEXT   NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);

-- Remote objects an admin removed: their copy is deleted and never stored again.
CREATE TABLE removed_objects (
    ap_id      TEXT   PRIMARY KEY,
    reason     TEXT   NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);

-- Reports: `received` from another server's Flag, or `sent` by an admin of this node.
CREATE TABLE reports (
    id              INTEGER PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    direction       TEXT   NOT NULL,
    activity_ap_id  TEXT   NOT NULL UNIQUE,
    reporter        TEXT   NOT NULL,
    targets         TEXT   NOT NULL,
    comment         TEXT   NOT NULL DEFAULT '',
    state           TEXT   NOT NULL,
    resolved_by     TEXT,
    resolved_at     BIGINT,
    created_at      BIGINT NOT NULL
);
CREATE INDEX reports_by_organisation ON reports (organisation_id, id);

-- Domain lists published by other nodes that this node applies (local rules win).
CREATE TABLE policy_subscriptions (
    id              INTEGER PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    url             TEXT   NOT NULL UNIQUE,
    kind            TEXT   NOT NULL,
    last_fetched_at BIGINT,
    last_error      TEXT,
    created_at      BIGINT NOT NULL
);

CREATE TABLE subscribed_domains (
    subscription_id BIGINT NOT NULL REFERENCES policy_subscriptions (id) ON DELETE CASCADE,
    domain          TEXT   NOT NULL,
    PRIMARY KEY (subscription_id, domain)
);
