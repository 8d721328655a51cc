-- Remote objects may carry their title, summary and text in several languages (`nameMap`,
-- `summaryMap`, `contentMap`). The sanitised maps are kept as one JSON document beside the
-- default text, so pages can show the version in the reader's language. NULL for posts in
-- one language (every local post).
ALTER TABLE posts ADD COLUMN language_maps TEXT;
