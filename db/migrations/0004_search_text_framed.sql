-- Item search text is now framed per part ("| code | name | synonym |") so searches match words at their
-- start and rank a whole name or synonym first. Rows written before keep their words, framed as one part
-- (word-start matching works; whole-phrase ranking needs the items re-created or re-derived).
UPDATE "items" SET "search_text" = '| ' || "search_text" || ' |' WHERE "search_text" NOT LIKE '| %';
