-- Programs, good practices, advocacy notes and referral offers live in `posts` beside
-- updates, with a title, a summary, their structured fields as JSON, and facets for filters.
-- Keep in step with migrations/sqlite/0002_directory.sql (only full-text search differs).

ALTER TABLE posts ADD COLUMN name TEXT NOT NULL DEFAULT '';
ALTER TABLE posts ADD COLUMN summary TEXT NOT NULL DEFAULT '';
ALTER TABLE posts ADD COLUMN data TEXT;
ALTER TABLE posts ADD COLUMN tags TEXT NOT NULL DEFAULT '';
ALTER TABLE posts ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
ALTER TABLE posts ADD COLUMN expires_at BIGINT;
CREATE INDEX posts_by_kind ON posts (kind, published_at);

CREATE TABLE post_facets (
    post_id BIGINT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    facet   TEXT   NOT NULL,
    value   TEXT   NOT NULL,
    PRIMARY KEY (post_id, facet, value)
);
CREATE INDEX post_facets_lookup ON post_facets (facet, value);

-- Full-text index: the 'simple' configuration (no stemming), because the network writes in
-- many languages; titles weigh most, then summaries, then everything else.
ALTER TABLE posts ADD COLUMN search tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('simple', name), 'A') ||
    setweight(to_tsvector('simple', summary), 'B') ||
    setweight(to_tsvector('simple', search_text), 'C')
) STORED;
CREATE INDEX posts_search ON posts USING GIN (search);

-- Where a followed Gotong organisation lists its current directory objects (backfill).
ALTER TABLE remote_actors ADD COLUMN directory TEXT;
