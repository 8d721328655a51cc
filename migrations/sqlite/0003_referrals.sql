-- Referrals between organisations, their timeline, and the audit log.
-- Keep in step with migrations/postgres/0003_referrals.sql.
-- Personal data (person record, needs, consent, messages, reasons) is only ever stored in the
-- `sealed` columns, encrypted by the node before it reaches the database.

CREATE TABLE referrals (
    id              INTEGER PRIMARY KEY,
    ap_id           TEXT    NOT NULL UNIQUE,
    organisation_id BIGINT  NOT NULL REFERENCES organisations (id),
    side            TEXT    NOT NULL,
    counterpart     TEXT    NOT NULL,
    counterpart_inbox TEXT  NOT NULL,
    offer_activity  TEXT    NOT NULL UNIQUE,
    program         TEXT,
    referral_offer  TEXT,
    urgency         TEXT    NOT NULL,
    status          TEXT    NOT NULL,
    sealed          TEXT,
    created_at      BIGINT  NOT NULL,
    updated_at      BIGINT  NOT NULL,
    closed_at       BIGINT,
    erased_at       BIGINT
);
CREATE INDEX referrals_by_organisation ON referrals (organisation_id, side, updated_at);
CREATE INDEX referrals_by_offer ON referrals (referral_offer);

CREATE TABLE referral_events (
    id          INTEGER PRIMARY KEY,
    referral_id BIGINT NOT NULL REFERENCES referrals (id) ON DELETE CASCADE,
    activity    TEXT   UNIQUE,
    at          BIGINT NOT NULL,
    by_actor    TEXT   NOT NULL,
    kind        TEXT   NOT NULL,
    status      TEXT,
    sealed      TEXT
);
CREATE INDEX referral_events_by_referral ON referral_events (referral_id, id);

CREATE TABLE audit_log (
    id              INTEGER PRIMARY KEY,
    at              BIGINT NOT NULL,
    organisation_id BIGINT NOT NULL,
    actor           TEXT   NOT NULL,
    action          TEXT   NOT NULL,
    referral_id     BIGINT,
    detail          TEXT   NOT NULL DEFAULT ''
);
CREATE INDEX audit_by_organisation ON audit_log (organisation_id, id);
