-- Programs, good practices, advocacy notes and referral offers live in `posts` beside
-- updates, with a title, a summary, their structured fields as JSON, and facets for filters.
-- Keep in step with migrations/postgres/0002_directory.sql (only full-text search differs).

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

-- Full-text index over title, summary and the prepared search text, kept in step by triggers.
CREATE VIRTUAL TABLE posts_fts USING fts5(
    name, summary, search_text,
    content = 'posts', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER posts_fts_insert AFTER INSERT ON posts BEGIN
    INSERT INTO posts_fts (rowid, name, summary, search_text)
    VALUES (new.id, new.name, new.summary, new.search_text);
END;
CREATE TRIGGER posts_fts_delete AFTER DELETE ON posts BEGIN
    INSERT INTO posts_fts (posts_fts, rowid, name, summary, search_text)
    VALUES ('delete', old.id, old.name, old.summary, old.search_text);
END;
CREATE TRIGGER posts_fts_update AFTER UPDATE ON posts BEGIN
    INSERT INTO posts_fts (posts_fts, rowid, name, summary, search_text)
    VALUES ('delete', old.id, old.name, old.summary, old.search_text);
    INSERT INTO posts_fts (rowid, name, summary, search_text)
    VALUES (new.id, new.name, new.summary, new.search_text);
END;
INSERT INTO posts_fts (posts_fts) VALUES ('rebuild');

-- Where a followed Gotong organisation lists its current directory objects (backfill).
ALTER TABLE remote_actors ADD COLUMN directory TEXT;
