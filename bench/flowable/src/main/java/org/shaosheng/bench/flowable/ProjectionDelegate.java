package org.shaosheng.bench.flowable;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import javax.sql.DataSource;
import org.flowable.common.engine.api.FlowableException;
import org.flowable.common.engine.api.delegate.Expression;
import org.flowable.engine.delegate.DelegateExecution;
import org.flowable.engine.delegate.JavaDelegate;
import org.flowable.engine.impl.util.CommandContextUtil;

/**
 * The service task behind every projection write of the process (complaint-case.bpmn20.xml): records the change
 * named by its injected fields: {@code kind}, {@code status}, and optionally {@code stage} (escalations keep the
 * case's stage) and {@code rung}.
 *
 * <p>By default the write joins the engine's own transaction (the connection of the current command), so the
 * projection commits atomically with the engine state, as a Spring-managed Flowable application would do. With
 * {@code PEER_PROJECTION_TX=own} it uses a connection of its own and commits separately.
 */
public class ProjectionDelegate implements JavaDelegate {
  static volatile DataSource ownDataSource;

  private Expression kind;
  private Expression stage;
  private Expression status;
  private Expression rung;

  @Override
  public void execute(DelegateExecution execution) {
    Projection.Change change =
        new Projection.Change(
            execution.getProcessInstanceId(),
            execution.getProcessInstanceBusinessKey(),
            text(kind, execution),
            text(stage, execution),
            text(status, execution),
            text(rung, execution),
            execution.getCurrentActivityId(),
            Instant.now());
    try {
      DataSource own = ownDataSource;
      if (own == null) {
        Connection connection = CommandContextUtil.getDbSqlSession().getSqlSession().getConnection();
        Projection.write(connection, change);
      } else {
        try (Connection connection = own.getConnection()) {
          connection.setAutoCommit(false);
          try {
            Projection.write(connection, change);
            connection.commit();
          } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
          }
        }
      }
    } catch (SQLException e) {
      throw new FlowableException("projection write failed for " + change.caseId() + ": " + e.getMessage(), e);
    }
  }

  private static String text(Expression expression, DelegateExecution execution) {
    if (expression == null) return null;
    Object value = expression.getValue(execution);
    return value == null ? null : value.toString();
  }
}
