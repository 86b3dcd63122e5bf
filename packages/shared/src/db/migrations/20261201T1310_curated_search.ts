import { sql, type Kysely } from 'kysely';

// Migrations use Kysely<any> and never import app code: they must run the same forever.

/**
 * Substring search over the simplified text, through an index: the text (lower-cased) is cut into
 * every pair of adjacent characters (发展经济 → 发展 展经 经济), a GIN index holds those pairs as
 * the lexemes of a tsvector, a query becomes the AND of its own pairs, and the candidates are
 * checked on the text itself, so the answer is exactly "the text contains the query".
 *
 * Why not pg_trgm: Chinese is written without spaces, so most searches are two-character words
 * (发展, 就业), and a trigram index extracts nothing from two characters: on 100,000 articles a
 * `like '%慈善%'` read the whole trigram index (2.5 s) or fell back to a sequential scan. pg_trgm also
 * finds no Han character at all in a database whose ctype is plain C. Pairs index every query of
 * two characters or more; a single character is a prefix of pairs.
 *
 * The pairs are made without the text-search parser (array_to_tsvector of the split text): the
 * parser, which has nothing to add to pairs of characters, doubled the cost of indexing an article.
 */

/** Text beyond this many characters is not indexed: it keeps any tsvector below its 1 MB cap. */
const MAX_INDEXED_CHARS = 100_000;

export async function up(db: Kysely<any>): Promise<void> {
  // Pairs at even offsets, then at odd offsets, split on U+0001 (which clean text never holds); a
  // lone last character of either pass is a lexeme too, harmless. PL/pgSQL with a high cost, not
  // an inlined SQL function: the planner then knows that computing it row by row (instead of
  // reading the index) is expensive, even for an `order by id limit 20` over a common word.
  await sql`
    create function curated.search_vector(body text) returns tsvector
      language plpgsql immutable parallel safe cost 10000 as $$
    declare
      t text := lower(left(body, ${sql.lit(MAX_INDEXED_CHARS)}));
    begin
      return array_to_tsvector(array_remove(string_to_array(
        regexp_replace(t, '(..)', E'\\\\1\\x01', 'g') || E'\\x01' || regexp_replace(substr(t, 2), '(..)', E'\\\\1\\x01', 'g'),
        E'\\x01'), ''));
    end $$`.execute(db);
  // One lexeme as tsquery input: quoted, with its quotes and backslashes escaped.
  await sql`
    create function search_lexeme(t text) returns text language sql immutable parallel safe
      as $$ select '''' || replace(replace(t, '\\', '\\\\'), '''', '''''') || '''' $$`.execute(db);
  // The query's own pairs, ANDed; one character is a prefix of the pairs that start with it. An
  // empty query is null, and matches nothing.
  await sql`
    create function curated.search_query(query text) returns tsquery
      language plpgsql immutable parallel safe as $$
    declare
      q text := lower(query);
    begin
      if length(q) = 1 then
        return (search_lexeme(q) || ':*')::tsquery;
      end if;
      return (select string_agg(search_lexeme(substr(q, i, 2)), ' & ')
                from generate_series(1, length(q) - 1) as i)::tsquery;
    end $$`.execute(db);
  await sql`create index articles_search on articles using gin (curated.search_vector(body_simplified))`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists articles_search`.execute(db);
  await sql`drop function if exists curated.search_query(text)`.execute(db);
  await sql`drop function if exists search_lexeme(text)`.execute(db);
  await sql`drop function if exists curated.search_vector(text)`.execute(db);
}
