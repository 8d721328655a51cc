-- Gotong schema, SQLite flavour. Keep in step with migrations/postgres/0001_initial.sql:
-- the same tables and columns, only the identity columns are spelled differently.
-- Timestamps are Unix milliseconds (BIGINT) in both databases.

CREATE TABLE organisations (
    id              INTEGER PRIMARY KEY,
    handle          TEXT    NOT NULL UNIQUE,
    name            TEXT    NOT NULL,
    summary         TEXT    NOT NULL DEFAULT '',
    icon_url        TEXT,
    public_key_pem  TEXT    NOT NULL,
    private_key_pem TEXT    NOT NULL,
    manual_approval BOOLEAN NOT NULL DEFAULT FALSE,
    created_at      BIGINT  NOT NULL
);

CREATE TABLE accounts (
    id              INTEGER PRIMARY KEY,
    organisation_id BIGINT  NOT NULL REFERENCES organisations (id),
    username        TEXT    NOT NULL UNIQUE,
    password_hash   TEXT,
    role            TEXT    NOT NULL,
    created_at      BIGINT  NOT NULL
);

CREATE TABLE tokens (
    id          INTEGER PRIMARY KEY,
    account_id  BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    token_hash  TEXT   NOT NULL UNIQUE,
    purpose     TEXT   NOT NULL,
    label       TEXT   NOT NULL DEFAULT '',
    created_at  BIGINT NOT NULL,
    last_used_at BIGINT
);

CREATE TABLE remote_actors (
    id             INTEGER PRIMARY KEY,
    ap_id          TEXT   NOT NULL UNIQUE,
    kind           TEXT   NOT NULL,
    username       TEXT   NOT NULL,
    domain         TEXT   NOT NULL,
    name           TEXT   NOT NULL DEFAULT '',
    summary        TEXT   NOT NULL DEFAULT '',
    inbox          TEXT   NOT NULL,
    shared_inbox   TEXT,
    outbox         TEXT,
    followers      TEXT,
    key_id         TEXT   NOT NULL,
    public_key_pem TEXT   NOT NULL,
    url            TEXT,
    icon_url       TEXT,
    fetched_at     BIGINT NOT NULL
);

CREATE TABLE following (
    id              INTEGER PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    actor_id        BIGINT NOT NULL REFERENCES remote_actors (id),
    follow_ap_id    TEXT   NOT NULL UNIQUE,
    state           TEXT   NOT NULL,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    UNIQUE (organisation_id, actor_id)
);

CREATE TABLE followers (
    id              INTEGER PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    actor_id        BIGINT NOT NULL REFERENCES remote_actors (id),
    follow_ap_id    TEXT   NOT NULL,
    state           TEXT   NOT NULL,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    UNIQUE (organisation_id, actor_id)
);

CREATE TABLE posts (
    id              INTEGER PRIMARY KEY,
    ap_id           TEXT   NOT NULL UNIQUE,
    kind            TEXT   NOT NULL,
    organisation_id BIGINT REFERENCES organisations (id),
    author_ap_id    TEXT   NOT NULL,
    visibility      TEXT   NOT NULL,
    content         TEXT   NOT NULL,
    source          TEXT,
    published_at    BIGINT NOT NULL,
    updated_at      BIGINT,
    deleted_at      BIGINT,
    received_at     BIGINT NOT NULL
);
CREATE INDEX posts_by_author ON posts (author_ap_id, published_at);
CREATE INDEX posts_by_organisation ON posts (organisation_id, published_at);

CREATE TABLE outgoing_activities (
    id              INTEGER PRIMARY KEY,
    ap_id           TEXT   NOT NULL UNIQUE,
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    kind            TEXT   NOT NULL,
    body            TEXT   NOT NULL,
    created_at      BIGINT NOT NULL
);

CREATE TABLE deliveries (
    id              INTEGER PRIMARY KEY,
    activity_id     BIGINT NOT NULL REFERENCES outgoing_activities (id),
    inbox           TEXT   NOT NULL,
    state           TEXT   NOT NULL,
    attempts        BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    last_status     BIGINT,
    last_error      TEXT,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);
CREATE INDEX deliveries_pending ON deliveries (inbox, id) WHERE state = 'pending';

CREATE TABLE inbox_activities (
    id           INTEGER PRIMARY KEY,
    ap_id        TEXT   NOT NULL UNIQUE,
    actor        TEXT   NOT NULL,
    kind         TEXT   NOT NULL,
    body         TEXT   NOT NULL,
    state        TEXT   NOT NULL,
    attempts     BIGINT NOT NULL DEFAULT 0,
    last_error   TEXT,
    received_at  BIGINT NOT NULL,
    processed_at BIGINT
);
CREATE INDEX inbox_pending ON inbox_activities (id) WHERE state = 'pending';
