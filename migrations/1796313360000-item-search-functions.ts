import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The ranked search as two PL/pgSQL functions (issue 21): `quanze_search_in_force` over the items
 * of the versions in force, `quanze_search_removed` over the items those versions took off (the
 * empty answer's explanation). Same parameters as the statement the service sent before
 * (accountability.service.ts, `buildSearchQuery`): $1 list ids and $2 version numbers; $3 terms,
 * $4 their token counts, $8 weights, $9 groups; $5/$6 (term, token) pairs; $7 distinct tokens;
 * $10 field factors A–D; $11 the minimum score; $12 how many; $13 all terms OR'ed as a tsquery;
 * $14 the RECLAIMED factor. They answer (item_id, item_score, item_terms), best first.
 *
 * Why functions: `SET plan_cache_mode = force_generic_plan` applies to them alone, so the
 * statement's plan is made once per connection and kept. Sent as a statement, its ~15 CTEs were
 * parsed (~0.4 ms) and planned (~0.9 ms) at every question — more than the township's search
 * itself after ItemSearch1796313350000; a named prepared statement did not help, PostgreSQL kept
 * choosing custom plans (docs/performance.md, lever 5). The generic plan is the same shape: the
 * scope is read through item_search's btree whatever the arrays' lengths. `ROWS 20` (at most
 * MAX_FIRST answers): with the default estimate of 1,000 rows the caller's join read list_item by
 * a sequential scan instead of its primary key. `enable_seqscan = off`: a generic plan does not
 * know how many versions it gets (it assumes ~100), and on a small table (10,000 rows) it chose to
 * scan item_search whole; the intended plan reads every table through an index at any size.
 *
 * The township's rows first (btree on list and version range, a few hundred rows), then the
 * text match on those rows only: steady latency whatever the size of the table.
 *
 * The vectors are read from `item_search` (migration ItemSearch1796313350000): the published
 * rows' vectors, narrow and uncompressed in line. In `list_item` they are TOASTed and compressed
 * (a row is ~3 kB), and every `@@` on them fetched and decompressed them again: ~10 µs per row in
 * scope, most of the statement's time. The rows in scope are tested once against all the terms
 * OR'ed together ($13); on the few that match, each distinct token of the question ($7) is tested
 * with its field (`@@ 'token:A'`, then AB, ABC, any: unnesting the whole vectors cost more than the
 * rest of the statement), giving the best field each is found in. A term matches an
 * item when all its tokens do, in the field of its weakest token — what `vector @@ 'a:A & b:A'`
 * (then AB, ABC, any) said, without testing each term against each vector. The scope's size is
 * counted from the index alone; the caller reads the answers' columns by primary key.
 */

const IN_FORCE_SCOPE = {
  ctes: '',
  from: `versions v JOIN item_search i ON i.list_id = v.list_id
   AND i.from_version <= v.number AND (i.to_version IS NULL OR i.to_version > v.number)`,
};

/** The last state of each item that a version up to the one in force took off the list (absent from the version in force). */
const REMOVED_SCOPE = {
  ctes: `, scope AS MATERIALIZED (
  SELECT DISTINCT ON (i.list_id, i.item_code) i.id, i.item_code, i.township_role, i.search_vector FROM versions v
  JOIN item_search i ON i.list_id = v.list_id AND i.to_version <= v.number
  WHERE NOT EXISTS (SELECT 1 FROM list_item o WHERE o.list_id = i.list_id AND o.item_code = i.item_code AND NOT o.pending
    AND o.from_version <= v.number AND (o.to_version IS NULL OR o.to_version > v.number))
  ORDER BY i.list_id, i.item_code, i.to_version DESC
)`,
  from: 'scope i',
};

const body = (scope: { ctes: string; from: string }) => `
WITH versions AS (
  SELECT * FROM unnest($1::uuid[], $2::int[]) AS v(list_id, number)
)${scope.ctes}, total AS MATERIALIZED (
  SELECT greatest(count(*), 2) AS total FROM ${scope.from}
), candidates AS MATERIALIZED (
  SELECT i.id, i.item_code, i.township_role, i.search_vector FROM ${scope.from} WHERE i.search_vector @@ $13::tsquery
), tokens AS MATERIALIZED (
  -- each distinct token of the question ($7) as a tsquery, and restricted to fields A, AB and ABC.
  SELECT token, q::tsquery AS q, (q || ':A')::tsquery AS qa, (q || ':AB')::tsquery AS qab, (q || ':ABC')::tsquery AS qabc
  FROM (SELECT token, '''' || replace(replace(token, '\\', '\\\\'), '''', '''''') || '''' AS q FROM unnest($7::text[]) AS token) x
), lexemes AS MATERIALIZED (
  -- field of a token in an item: 1 (A, name and keywords) … 4 (D, legal basis), its best position.
  SELECT c.id, t.token AS lexeme,
    CASE WHEN c.search_vector @@ t.qa THEN 1 WHEN c.search_vector @@ t.qab THEN 2 WHEN c.search_vector @@ t.qabc THEN 3 ELSE 4 END AS field
  FROM candidates c JOIN tokens t ON c.search_vector @@ t.q
), terms AS (
  SELECT * FROM unnest($3::text[], $4::int[], $8::float8[], $9::text[]) AS t(term, ntokens, weight, grp)
), term_tokens AS (
  SELECT * FROM unnest($5::text[], $6::text[]) AS x(term, token)
), term_hits AS (
  -- a (term, token) pair and an (item, lexeme) pair are each unique: count(*) is the tokens found.
  SELECT l.id, tt.term, max(l.field) AS field, count(*) AS found
  FROM term_tokens tt JOIN lexemes l ON l.lexeme = tt.token
  GROUP BY l.id, tt.term
), hits AS (
  SELECT h.id, t.term, t.grp, t.weight * ($10::float8[])[h.field] AS points, count(*) OVER (PARTITION BY t.term) AS df
  FROM term_hits h JOIN terms t ON t.term = h.term AND h.found = t.ntokens
), matches AS (
  -- A term found in many of the items in scope tells them apart less (inverse document frequency).
  SELECT h.id, h.term, h.grp, h.points * ln(n.total::float8 / h.df + 1) / ln(n.total::float8 + 1) AS points
  FROM hits h CROSS JOIN total n
), best_of_group AS (
  SELECT DISTINCT ON (id, grp) id, term, points FROM matches ORDER BY id, grp, points DESC
), scored AS (
  SELECT id, sum(points) AS score, array_agg(term ORDER BY points DESC, term) AS matched_terms
  FROM best_of_group GROUP BY id HAVING sum(points) >= $11 - 1e-9
), top AS (
  -- $14: the share of its score a RECLAIMED item keeps (a "do we have this duty" question).
  SELECT s.id, s.score * CASE WHEN c.township_role = 'RECLAIMED' THEN $14::float8 ELSE 1 END AS score, s.matched_terms
  FROM scored s JOIN candidates c ON c.id = s.id
  ORDER BY 2 DESC, c.item_code LIMIT $12
)
SELECT t.id, t.score, t.matched_terms FROM top t`;

const create = (name: string, scope: { ctes: string; from: string }) => `
CREATE FUNCTION ${name}(uuid[], int[], text[], int[], text[], text[], text[], float8[], text[], float8[], float8, int, tsquery, float8)
RETURNS TABLE (item_id uuid, item_score float8, item_terms text[])
LANGUAGE plpgsql STABLE ROWS 20 SET plan_cache_mode = force_generic_plan SET enable_seqscan = off AS $fn$
BEGIN
  RETURN QUERY ${body(scope)};
END $fn$`;

export class ItemSearchFunctions1796313360000 implements MigrationInterface {
  name = 'ItemSearchFunctions1796313360000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(create('quanze_search_in_force', IN_FORCE_SCOPE));
    await q.query(create('quanze_search_removed', REMOVED_SCOPE));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP FUNCTION quanze_search_removed(uuid[], int[], text[], int[], text[], text[], text[], float8[], text[], float8[], float8, int, tsquery, float8)');
    await q.query('DROP FUNCTION quanze_search_in_force(uuid[], int[], text[], int[], text[], text[], text[], float8[], text[], float8[], float8, int, tsquery, float8)');
  }
}
