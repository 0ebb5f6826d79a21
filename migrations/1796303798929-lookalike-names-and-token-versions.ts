import type { MigrationInterface, QueryRunner } from 'typeorm';

// Invisible characters and direction marks (as src/common/text-input.ts strips them from names).
const INVISIBLE = `'[\\u00AD\\u034F\\u061C\\u115F\\u1160\\u180E\\u200B-\\u200F\\u202A-\\u202E\\u2060-\\u2064\\u2066-\\u2069\\u3164\\uFEFF\\uFFA0]'`;
const BODY_KEY = `normalize(regexp_replace(name, ${INVISIBLE}, '', 'g'), NFKC)`;

/**
 * Look-alike names and token revocation.
 *
 * - Usernames are one whatever their letter case: a unique index on lower(username) replaces the
 *   index on username (the application stores them NFKC-normalised, without invisible characters).
 * - Body names lose invisible characters (zero-width spaces, direction marks…), and are unique
 *   within a county in their NFKC form (full-width letters and digits, compatibility ideographs and
 *   Kangxi radicals read as the ordinary characters).
 * - Every user gets a token version, raised whenever a token must stop working (disabled, password
 *   changed or reset, role or region changed), and the moment it was disabled, if it was.
 *
 * Existing rows that would collide are not merged or renamed here: which account or body is the
 * real one is for a person to decide. The migration stops, names them, and changes nothing; rename
 * or remove all but one of each (SQL below), then start again.
 */
export class LookalikeNamesAndTokenVersions1796303798929 implements MigrationInterface {
  name = 'LookalikeNamesAndTokenVersions1796303798929';

  async up(q: QueryRunner): Promise<void> {
    const users: { names: string }[] = await q.query(
      `SELECT string_agg(username, ' / ' ORDER BY created_at) AS names FROM app_user GROUP BY lower(username) HAVING count(*) > 1`,
    );
    if (users.length)
      throw new Error(
        `usernames that differ only in letter case: ${users.map((u) => u.names).join('; ')}. ` +
          `Keep one of each: UPDATE app_user SET username = '<another name>' WHERE username = '<the look-alike>' (or DELETE it); then start again.`,
      );
    const bodies: { county: string; names: string }[] = await q.query(
      `SELECT county_code AS county, string_agg(name, ' / ' ORDER BY created_at) AS names FROM body GROUP BY county_code, ${BODY_KEY} HAVING count(*) > 1`,
    );
    if (bodies.length)
      throw new Error(
        `bodies whose names look the same (invisible characters, full-width or compatibility forms): ${bodies.map((b) => `county ${b.county}: ${JSON.stringify(b.names)}`).join('; ')}. ` +
          `Rename all but one of each: UPDATE body SET name = '<another name>' WHERE id = '<its id>'; then start again.`,
      );

    await q.query(`DROP INDEX app_user_username_uq`);
    await q.query(`CREATE UNIQUE INDEX app_user_username_lower_uq ON app_user (lower(username))`);
    await q.query(`ALTER TABLE app_user ADD COLUMN token_version integer NOT NULL DEFAULT 0, ADD COLUMN disabled_at timestamptz`);
    await q.query(`UPDATE body SET name = regexp_replace(name, ${INVISIBLE}, '', 'g') WHERE name ~ ${INVISIBLE}`);
    await q.query(`CREATE UNIQUE INDEX body_county_name_key_uq ON body (county_code, normalize(name, NFKC))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX body_county_name_key_uq`);
    await q.query(`ALTER TABLE app_user DROP COLUMN disabled_at, DROP COLUMN token_version`);
    await q.query(`DROP INDEX app_user_username_lower_uq`);
    await q.query(`CREATE UNIQUE INDEX app_user_username_uq ON app_user (username)`);
  }
}
