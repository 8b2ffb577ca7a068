/** What the audit module runs with, resolved once at boot; also its injection token. */
export class AuditSettings {
  /** Base URL of the Temporal Web UI (`TEMPORAL_UI_URL`), without a trailing slash. */
  readonly temporalUiUrl: string;
}

/** Default Temporal UI: the dev server's under `npm start` (port `TEMPORAL_UI_PORT`, 8233). */
export const DEFAULT_TEMPORAL_UI_URL = 'http://localhost:8233';

/**
 * The settings from the environment: `TEMPORAL_UI_URL` (an http or https URL; default {@link DEFAULT_TEMPORAL_UI_URL}).
 * A bad value stops the boot with a message naming the variable and the rule.
 */
export function resolveAuditSettings(env: NodeJS.ProcessEnv = process.env): AuditSettings {
  const raw = env.TEMPORAL_UI_URL?.trim() || DEFAULT_TEMPORAL_UI_URL;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`TEMPORAL_UI_URL=${JSON.stringify(raw)}: TEMPORAL_UI_URL must be an http(s) URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`TEMPORAL_UI_URL=${JSON.stringify(raw)}: TEMPORAL_UI_URL must be an http(s) URL`);
  }
  return { temporalUiUrl: url.toString().replace(/\/+$/, '') };
}

/** The Temporal UI page of a workflow: `<base>/namespaces/<namespace>/workflows/<workflowId>`. */
export function temporalUiUrl(base: string, namespace: string, workflowId: string): string {
  return `${base}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)}`;
}
