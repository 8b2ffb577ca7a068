package org.shaosheng.bench.flowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.flowable.common.engine.api.FlowableObjectNotFoundException;
import org.flowable.common.engine.api.FlowableOptimisticLockingException;
import org.flowable.common.engine.impl.persistence.StrongUuidGenerator;
import org.flowable.engine.ProcessEngine;
import org.flowable.engine.ProcessEngineConfiguration;
import org.flowable.engine.RuntimeService;
import org.flowable.engine.TaskService;
import org.flowable.engine.impl.cfg.StandaloneProcessEngineConfiguration;
import org.flowable.task.api.Task;

/**
 * The Flowable peer of the lifecycle benchmark: an embedded Flowable engine (async executor on) on PostgreSQL, the
 * complaint-case process deployed, and a small HTTP server the Node driver talks to.
 *
 * <ul>
 *   <li>{@code POST /cases} body {@code {"i": n}} → 201 {@code {"caseId": "..."}} (starts a process instance)
 *   <li>{@code POST /cases/{id}/{step}}, step ∈ sign|contact|reply|review|callback → 200 once that user task is
 *       completed; 409 when the case has no open task of that step
 *   <li>{@code GET /health} → 200 when the engine is up
 * </ul>
 *
 * <p>Configuration (argument, else environment): {@code --port} / {@code PEER_PORT} (default 8090), {@code --jdbc} /
 * {@code PEER_JDBC_URL} (user and password as URL parameters), {@code --pool} / {@code PEER_POOL} (JDBC pool size,
 * default 24), {@code --threads} / {@code PEER_HTTP_THREADS} (HTTP worker threads, default 16: fewer than the pool,
 * which the async executor shares);
 * {@code PEER_PROJECTION_TX=own} makes the projection commit in its own transaction (see {@link ProjectionDelegate}).
 */
public final class PeerServer {
  static final Set<String> STEPS = Set.of("sign", "contact", "reply", "review", "callback");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ProcessEngine engine;
  private final RuntimeService runtime;
  private final TaskService tasks;

  private PeerServer(ProcessEngine engine) {
    this.engine = engine;
    this.runtime = engine.getRuntimeService();
    this.tasks = engine.getTaskService();
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = options(args);
    int port = Integer.parseInt(option(options, "port", "PEER_PORT", "8090"));
    String jdbc = option(options, "jdbc", "PEER_JDBC_URL", null);
    if (jdbc == null) {
      System.err.println("missing JDBC URL: --jdbc jdbc:postgresql://host:port/db?user=..&password=.. or PEER_JDBC_URL");
      System.exit(2);
    }
    int pool = Integer.parseInt(option(options, "pool", "PEER_POOL", "24"));
    int threads = Integer.parseInt(option(options, "threads", "PEER_HTTP_THREADS", "16"));

    HikariConfig hikari = new HikariConfig();
    hikari.setJdbcUrl(jdbc);
    hikari.setMaximumPoolSize(pool);
    hikari.setPoolName("flowable-peer");
    HikariDataSource dataSource = new HikariDataSource(hikari);
    try (Connection connection = dataSource.getConnection()) {
      Projection.migrate(connection);
    }
    if ("own".equals(System.getenv("PEER_PROJECTION_TX"))) ProjectionDelegate.ownDataSource = dataSource;

    StandaloneProcessEngineConfiguration configuration = new StandaloneProcessEngineConfiguration();
    configuration.setDataSource(dataSource);
    configuration.setDatabaseSchemaUpdate(ProcessEngineConfiguration.DB_SCHEMA_UPDATE_TRUE);
    configuration.setAsyncExecutorActivate(true);
    // UUIDs, as Flowable advises for production: the default id generator fetches id blocks in a transaction and
    // connection of their own, which starves the pool when every connection waits on the audit chain's lock.
    configuration.setIdGenerator(new StrongUuidGenerator());
    ProcessEngine engine = configuration.buildProcessEngine();
    engine
        .getRepositoryService()
        .createDeployment()
        .name("complaint-case")
        .addClasspathResource("processes/complaint-case.bpmn20.xml")
        .enableDuplicateFiltering()
        .deploy();

    PeerServer peer = new PeerServer(engine);
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 256);
    ExecutorService executor = Executors.newFixedThreadPool(threads);
    server.setExecutor(executor);
    server.createContext("/", peer::handle);
    server.start();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.stop(0);
                  executor.shutdownNow();
                  engine.close();
                  dataSource.close();
                }));
    System.out.println("flowable peer listening on http://127.0.0.1:" + port);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try {
      String method = exchange.getRequestMethod();
      String[] parts = exchange.getRequestURI().getPath().replaceAll("^/+|/+$", "").split("/");
      if ("GET".equals(method) && parts.length == 1 && "health".equals(parts[0])) {
        send(exchange, 200, Map.of("status", "up", "engine", engine.getName()));
      } else if ("POST".equals(method) && parts.length == 1 && "cases".equals(parts[0])) {
        create(exchange);
      } else if ("POST".equals(method) && parts.length == 3 && "cases".equals(parts[0])) {
        act(exchange, parts[1], parts[2]);
      } else {
        send(exchange, 404, Map.of("error", "not found"));
      }
    } catch (RuntimeException e) {
      send(exchange, 500, Map.of("error", String.valueOf(e.getMessage())));
    } finally {
      exchange.close();
    }
  }

  private void create(HttpExchange exchange) throws IOException {
    JsonNode body = body(exchange);
    if (body == null || !body.path("i").isNumber()) {
      send(exchange, 400, Map.of("error", "body field 'i' must be a number"));
      return;
    }
    String caseNo = "case-" + body.get("i").asLong();
    String caseId = runtime.startProcessInstanceByKey("complaintCase", caseNo).getProcessInstanceId();
    send(exchange, 201, Map.of("caseId", caseId));
  }

  private void act(HttpExchange exchange, String caseId, String step) throws IOException {
    if (!STEPS.contains(step)) {
      send(exchange, 400, Map.of("error", "step must be one of " + List.of("sign", "contact", "reply", "review", "callback")));
      return;
    }
    List<Task> open = tasks.createTaskQuery().processInstanceId(caseId).taskDefinitionKey(step).list();
    if (open.isEmpty()) {
      send(exchange, 409, Map.of("error", "case " + caseId + " has no open " + step + " task"));
      return;
    }
    try {
      tasks.complete(open.get(0).getId(), variables(step));
    } catch (FlowableObjectNotFoundException | FlowableOptimisticLockingException e) {
      send(exchange, 409, Map.of("error", "the " + step + " task of case " + caseId + " is gone: " + e.getMessage()));
      return;
    }
    send(exchange, 200, Map.of("caseId", caseId, "step", step));
  }

  /** What each step submits, as the corresponding Shaosheng action does. */
  private static Map<String, Object> variables(String step) {
    Map<String, Object> variables = new HashMap<>();
    switch (step) {
      case "reply" -> variables.put("result", "solved");
      case "review" -> variables.put("approved", true);
      case "callback" -> {
        variables.put("solved", true);
        variables.put("satisfaction", "satisfied");
      }
      default -> {}
    }
    return variables;
  }

  private static JsonNode body(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      byte[] bytes = in.readAllBytes();
      if (bytes.length == 0) return null;
      try {
        return JSON.readTree(bytes);
      } catch (IOException e) {
        return null;
      }
    }
  }

  private static void send(HttpExchange exchange, int status, Object body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--")) continue;
      int eq = arg.indexOf('=');
      if (eq > 0) options.put(arg.substring(2, eq), arg.substring(eq + 1));
      else if (i + 1 < args.length) options.put(arg.substring(2), args[++i]);
    }
    return options;
  }

  private static String option(Map<String, String> options, String name, String env, String fallback) {
    String value = options.get(name);
    if (value == null) value = System.getenv(env);
    return value == null || value.isEmpty() ? fallback : value;
  }
}
