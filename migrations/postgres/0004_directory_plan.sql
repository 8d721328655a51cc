-- The kind of a post narrows the directory little (most posts are directory kinds), and an
-- index on it led SQLite, before statistics exist, to sort every match instead of walking
-- posts newest first. Directory queries do better without it.
DROP INDEX posts_by_kind;
