package org.shaosheng.bench.flowable;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HexFormat;

/**
 * The peer's read model, comparable to Shaosheng's mirror of a case change: the case row is upserted, one event row
 * is inserted, and one row is appended to a hash-chained audit log (a global chain serialised by a row lock on a
 * one-row head table, plus a per-case chain), all on the connection it is given.
 */
final class Projection {
  static final String GENESIS = "0".repeat(64);

  private Projection() {}

  /** Creates the projection tables if they are missing (idempotent). */
  static void migrate(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(
          """
          CREATE TABLE IF NOT EXISTS peer_case (
            case_id text PRIMARY KEY,
            case_no text NOT NULL,
            stage text NOT NULL,
            status text NOT NULL,
            rung text,
            version integer NOT NULL,
            created_at timestamptz NOT NULL,
            updated_at timestamptz NOT NULL)""");
      statement.execute(
          """
          CREATE TABLE IF NOT EXISTS peer_case_event (
            id bigserial PRIMARY KEY,
            case_id text NOT NULL,
            kind text NOT NULL,
            activity_id text NOT NULL,
            at timestamptz NOT NULL)""");
      statement.execute("CREATE INDEX IF NOT EXISTS peer_case_event_case ON peer_case_event (case_id, id)");
      statement.execute(
          """
          CREATE TABLE IF NOT EXISTS peer_audit_log (
            id bigserial PRIMARY KEY,
            case_id text NOT NULL,
            case_seq integer NOT NULL,
            action text NOT NULL,
            at timestamptz NOT NULL,
            prev_hash text NOT NULL,
            hash text NOT NULL,
            case_prev_hash text NOT NULL,
            case_hash text NOT NULL,
            UNIQUE (case_id, case_seq))""");
      statement.execute(
          "CREATE TABLE IF NOT EXISTS peer_audit_head (id integer PRIMARY KEY CHECK (id = 1), last_hash text NOT NULL)");
      statement.execute(
          "INSERT INTO peer_audit_head (id, last_hash) VALUES (1, '" + GENESIS + "') ON CONFLICT (id) DO NOTHING");
    }
  }

  /** Writes one change of a case: case row, event row, audit row. The caller owns the transaction. */
  static void write(Connection connection, Change change) throws SQLException {
    Timestamp at = Timestamp.from(change.at());
    try (PreparedStatement upsert =
        connection.prepareStatement(
            """
            INSERT INTO peer_case (case_id, case_no, stage, status, rung, version, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, 1, ?, ?)
            ON CONFLICT (case_id) DO UPDATE SET stage = COALESCE(EXCLUDED.stage, peer_case.stage), status = EXCLUDED.status,
              rung = COALESCE(EXCLUDED.rung, peer_case.rung), version = peer_case.version + 1,
              updated_at = EXCLUDED.updated_at""")) {
      upsert.setString(1, change.caseId());
      upsert.setString(2, change.caseNo());
      upsert.setString(3, change.stage());
      upsert.setString(4, change.status());
      upsert.setString(5, change.rung());
      upsert.setTimestamp(6, at);
      upsert.setTimestamp(7, at);
      upsert.executeUpdate();
    }
    try (PreparedStatement event =
        connection.prepareStatement(
            "INSERT INTO peer_case_event (case_id, kind, activity_id, at) VALUES (?, ?, ?, ?)")) {
      event.setString(1, change.caseId());
      event.setString(2, change.kind());
      event.setString(3, change.activityId());
      event.setTimestamp(4, at);
      event.executeUpdate();
    }
    String prevHash;
    try (Statement lock = connection.createStatement();
        ResultSet head = lock.executeQuery("SELECT last_hash FROM peer_audit_head WHERE id = 1 FOR UPDATE")) {
      if (!head.next()) throw new SQLException("peer_audit_head has no row");
      prevHash = head.getString(1);
    }
    int caseSeq = 1;
    String casePrevHash = GENESIS;
    try (PreparedStatement caseHead =
        connection.prepareStatement(
            "SELECT case_seq, case_hash FROM peer_audit_log WHERE case_id = ? ORDER BY case_seq DESC LIMIT 1")) {
      caseHead.setString(1, change.caseId());
      try (ResultSet row = caseHead.executeQuery()) {
        if (row.next()) {
          caseSeq = row.getInt(1) + 1;
          casePrevHash = row.getString(2);
        }
      }
    }
    String content =
        String.join("|", change.caseId(), Integer.toString(caseSeq), change.kind(), change.at().toString());
    String hash = sha256(prevHash + "|" + content);
    String caseHash = sha256(casePrevHash + "|" + content);
    try (PreparedStatement audit =
        connection.prepareStatement(
            """
            INSERT INTO peer_audit_log (case_id, case_seq, action, at, prev_hash, hash, case_prev_hash, case_hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)""")) {
      audit.setString(1, change.caseId());
      audit.setInt(2, caseSeq);
      audit.setString(3, change.kind());
      audit.setTimestamp(4, at);
      audit.setString(5, prevHash);
      audit.setString(6, hash);
      audit.setString(7, casePrevHash);
      audit.setString(8, caseHash);
      audit.executeUpdate();
    }
    try (PreparedStatement head = connection.prepareStatement("UPDATE peer_audit_head SET last_hash = ? WHERE id = 1")) {
      head.setString(1, hash);
      head.executeUpdate();
    }
  }

  static String sha256(String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** One change of a case, as the projection records it. */
  record Change(
      String caseId,
      String caseNo,
      String kind,
      String stage,
      String status,
      String rung,
      String activityId,
      Instant at) {}
}
