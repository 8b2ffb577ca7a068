import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `audit_append(entries jsonb, stamp text)`: the audit chain append as one statement (`appendAudit` in
 * `libs/persistence/src/audit/audit.writer.ts`), so the chain lock is held for one round trip instead of seven.
 *
 * It does what the TypeScript writer does, row by row, under the lock on `audit_chain_head`: skips entries whose
 * `eventRef` is logged already (or repeated in the batch), fills a case entry's `before` from the case's newest
 * recorded values of the state fields (dropping fields that did not change), numbers the case's rows, and seals each
 * row onto both chains with the same SHA-256 over the same canonical JSON (`audit_canonical`, the text
 * `canonicalJson` writes), then moves the chain head. `npm run audit:verify` checks its rows like any other.
 *
 * `audit_canonical` refuses (SQLSTATE 22023) what it cannot write as `JSON.stringify` would: numbers from 1e21 up
 * or below 1e-6 (JavaScript writes them with an exponent) and object keys outside the Basic Multilingual Plane's
 * first part (JavaScript sorts keys by UTF-16 code unit, PostgreSQL's "C" collation by code point). The writer sends
 * such entries through its TypeScript path instead.
 */
export class AuditAppendFunction1700000000017 implements MigrationInterface {
  name = 'AuditAppendFunction1700000000017';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION audit_canonical(value jsonb) RETURNS text LANGUAGE plpgsql IMMUTABLE STRICT AS $$
      DECLARE
        n numeric;
      BEGIN
        CASE jsonb_typeof(value)
          WHEN 'object' THEN
            IF EXISTS (SELECT 1 FROM jsonb_object_keys(value) AS k (key), regexp_split_to_table(k.key, '') AS c (ch)
                        WHERE k.key ~ '[^\\x01-\\x7f]' AND ascii(c.ch) >= 55296) THEN
              RAISE EXCEPTION 'audit_canonical: a key outside U+0000-U+D7FF has no canonical order here'
                USING ERRCODE = 'invalid_parameter_value';
            END IF;
            RETURN '{' || COALESCE((SELECT string_agg(to_jsonb(e.key)::text || ':' || audit_canonical(e.value), ','
                                                      ORDER BY e.key COLLATE "C")
                                      FROM jsonb_each(value) AS e), '') || '}';
          WHEN 'array' THEN
            RETURN '[' || COALESCE((SELECT string_agg(audit_canonical(e.value), ',' ORDER BY e.ord)
                                      FROM jsonb_array_elements(value) WITH ORDINALITY AS e (value, ord)), '') || ']';
          WHEN 'number' THEN
            n := value::numeric;
            IF abs(n) >= 1e21 OR (n <> 0 AND abs(n) < 1e-6) THEN
              RAISE EXCEPTION 'audit_canonical: % is written with an exponent in JSON', n
                USING ERRCODE = 'invalid_parameter_value';
            END IF;
            RETURN n::text;
          ELSE
            RETURN value::text;
        END CASE;
      END $$`);
    await queryRunner.query(`
      CREATE FUNCTION audit_hash(chain text, prev text, content jsonb) RETURNS text LANGUAGE sql IMMUTABLE AS $$
        SELECT encode(sha256(convert_to(
          audit_canonical(jsonb_build_object('v', 1, 'chain', chain, 'prev', prev, 'row', content)), 'UTF8')), 'hex')
      $$`);
    await queryRunner.query(`
      CREATE FUNCTION audit_append(entries jsonb, stamp text) RETURNS SETOF bigint LANGUAGE plpgsql AS $$
      DECLARE
        state_fields CONSTANT text[] := ARRAY['phase', 'leadUnitId', 'responsibleUnitId', 'escalationLevel',
          'supervision', 'overdue', 'suspended', 'extensionPending', 'rulesVersion', 'priority', 'repeatCount',
          'outcome', 'contacted'];
        global_hash text;
        v_last_id bigint;
        entry jsonb;
        seen text[] := '{}';
        ref text;
        v_case text;
        heads jsonb := '{}';
        states jsonb := '{}';
        head jsonb;
        known jsonb;
        before_value jsonb;
        after_value jsonb;
        field text;
        found_value jsonb;
        row_id bigint;
        seq integer;
        content jsonb;
        row_hash text;
        case_prev text;
        case_row_hash text;
      BEGIN
        SELECT h.last_hash INTO global_hash FROM audit_chain_head h FOR UPDATE;
        IF NOT FOUND THEN
          RAISE EXCEPTION 'audit_chain_head has no row: run the migrations';
        END IF;
        FOR entry IN SELECT e.value FROM jsonb_array_elements(entries) WITH ORDINALITY AS e (value, ord) ORDER BY e.ord
        LOOP
          ref := entry ->> 'eventRef';
          IF ref IS NOT NULL THEN
            CONTINUE WHEN ref = ANY (seen) OR EXISTS (SELECT 1 FROM audit_log a WHERE a.event_ref = ref);
            seen := seen || ref;
          END IF;
          v_case := entry ->> 'caseNo';
          before_value := NULLIF(NULLIF(entry -> 'before', '{}'), 'null');
          after_value := NULLIF(NULLIF(entry -> 'after', '{}'), 'null');
          seq := NULL;
          IF v_case IS NOT NULL THEN
            head := heads -> v_case;
            IF head IS NULL THEN
              SELECT jsonb_build_object('seq', a.case_seq, 'hash', a.case_hash) INTO head
                FROM audit_log a WHERE a.case_no = v_case ORDER BY a.case_seq DESC LIMIT 1;
              head := COALESCE(head, jsonb_build_object('seq', 0, 'hash', repeat('0', 64)));
            END IF;
            known := COALESCE(states -> v_case, '{}');
            IF NOT (entry ? 'before') AND after_value IS NOT NULL THEN
              before_value := '{}';
              FOREACH field IN ARRAY state_fields LOOP
                CONTINUE WHEN NOT (after_value ? field);
                IF NOT (known ? field) THEN
                  SELECT jsonb_build_array(a.after -> field) INTO found_value FROM audit_log a
                   WHERE a.case_no = v_case AND a.after ? field ORDER BY a.case_seq DESC LIMIT 1;
                  IF found_value IS NOT NULL THEN
                    known := known || jsonb_build_object(field, found_value -> 0);
                  END IF;
                END IF;
                CONTINUE WHEN NOT (known ? field);
                IF known -> field = after_value -> field THEN
                  after_value := after_value - field;
                ELSE
                  before_value := before_value || jsonb_build_object(field, known -> field);
                END IF;
              END LOOP;
              IF before_value = '{}' THEN before_value := NULL; END IF;
              IF after_value = '{}' THEN after_value := NULL; END IF;
            END IF;
            IF after_value IS NOT NULL THEN
              FOREACH field IN ARRAY state_fields LOOP
                IF after_value ? field THEN
                  known := known || jsonb_build_object(field, after_value -> field);
                END IF;
              END LOOP;
            END IF;
            states := states || jsonb_build_object(v_case, known);
            seq := (head ->> 'seq')::integer + 1;
          END IF;
          row_id := nextval(pg_get_serial_sequence('audit_log', 'id'));
          content := jsonb_build_object(
            'id', row_id::text,
            'at', entry ->> 'at',
            'recordedAt', stamp,
            'actor', jsonb_build_object('userId', entry -> 'actor' -> 'userId', 'role', entry -> 'actor' -> 'role',
                                        'unitId', COALESCE(entry -> 'actor' -> 'unitId', 'null')),
            'action', entry -> 'action',
            'subjectKind', entry -> 'subject' -> 'kind',
            'subjectId', entry -> 'subject' -> 'id',
            'caseNo', COALESCE(to_jsonb(v_case), 'null'),
            'caseSeq', COALESCE(to_jsonb(seq), 'null'),
            'before', COALESCE(before_value, 'null'),
            'after', COALESCE(after_value, 'null'),
            'reason', COALESCE(entry -> 'reason', 'null'),
            'source', entry -> 'source',
            'eventRef', COALESCE(to_jsonb(ref), 'null'),
            'updateId', COALESCE(entry -> 'updateId', 'null'));
          row_hash := audit_hash('global', global_hash, content);
          case_prev := NULL;
          case_row_hash := NULL;
          IF v_case IS NOT NULL THEN
            case_prev := head ->> 'hash';
            case_row_hash := audit_hash('case', case_prev, content);
            heads := heads || jsonb_build_object(v_case, jsonb_build_object('seq', seq, 'hash', case_row_hash));
          END IF;
          INSERT INTO audit_log (id, at, recorded_at, actor, action, subject_kind, subject_id, case_no, case_seq,
                                 before, after, reason, source, event_ref, update_id, prev_hash, hash, case_prev_hash,
                                 case_hash)
          VALUES (row_id, (content ->> 'at')::timestamptz, stamp::timestamptz, content -> 'actor',
                  content ->> 'action', content ->> 'subjectKind', content ->> 'subjectId', v_case, seq,
                  before_value, after_value, content ->> 'reason', content ->> 'source', ref,
                  content ->> 'updateId', global_hash, row_hash, case_prev, case_row_hash);
          global_hash := row_hash;
          v_last_id := row_id;
          RETURN NEXT row_id;
        END LOOP;
        IF v_last_id IS NOT NULL THEN
          UPDATE audit_chain_head SET last_id = v_last_id, last_hash = global_hash, updated_at = now();
        END IF;
      END $$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION audit_append(jsonb, text)`);
    await queryRunner.query(`DROP FUNCTION audit_hash(text, text, jsonb)`);
    await queryRunner.query(`DROP FUNCTION audit_canonical(jsonb)`);
  }
}
