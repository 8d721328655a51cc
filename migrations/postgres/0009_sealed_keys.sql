-- Keep in step with migrations/sqlite/0009_sealed_keys.sql.
-- Organisation private keys are sealed like referral content (the node re-seals the old
-- plain PEM values at its next start); each sealed value is bound to its row, so referral
-- events get a unique name; and the node records which secret key sealed the database.
ALTER TABLE organisations RENAME COLUMN private_key_pem TO private_key_sealed;

ALTER TABLE referral_events ADD COLUMN uid TEXT;
UPDATE referral_events SET uid = 'event-' || id WHERE uid IS NULL;
ALTER TABLE referral_events ALTER COLUMN uid SET NOT NULL;
CREATE UNIQUE INDEX referral_events_uid ON referral_events (uid);

-- The previous signing key, kept sealed only until the Update announcing a new key has
-- been delivered (servers that cached the old key verify it with that one).
ALTER TABLE outgoing_activities ADD COLUMN signing_key_sealed TEXT;

-- One row: the id of the secret key in use and a value sealed with it, by which a node
-- started with another key notices before it serves or signs anything.
CREATE TABLE node_secret (
    id         BIGINT NOT NULL PRIMARY KEY,
    key_id     TEXT   NOT NULL,
    key_check  TEXT   NOT NULL,
    updated_at BIGINT NOT NULL
);
