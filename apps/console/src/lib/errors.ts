import type { TFunction } from 'i18next';

/** One broken rule of a refused request, as the API names it. */
export interface FieldProblem {
  field: string;
  rule: string;
  message: string;
}

/** The API's one error shape (apps/api/src/common/api-error.ts): a stable code, a message, field problems. */
export interface ApiErrorBody {
  error: string;
  message: string;
  details: FieldProblem[];
}

/** A refusal from the API, carried to the page that shows it. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody,
  ) {
    super(body.message);
    this.name = 'ApiProblem';
  }

  get code(): string {
    return this.body.error;
  }

  /** The domain refusal a case action starts its message with (`WrongState: …`), if any. */
  get refusal(): string | undefined {
    return /^([A-Z][A-Za-z]+):/.exec(this.body.message)?.[1];
  }
}

/** Reads any error body into the API's shape; a body that is not one (a proxy's page) becomes `Internal`. */
export function toApiProblem(status: number, body: unknown): ApiProblem {
  const candidate = body as Partial<ApiErrorBody> | null;
  if (candidate && typeof candidate.error === 'string') {
    return new ApiProblem(status, {
      error: candidate.error,
      message: String(candidate.message ?? ''),
      details: Array.isArray(candidate.details) ? candidate.details : [],
    });
  }
  return new ApiProblem(status, { error: status === 0 ? 'NetworkError' : 'Internal', message: '', details: [] });
}

/** The lines that explain a refusal in the user's language: what was refused, why, and each field and rule. */
export function describeProblem(t: TFunction, error: unknown): { title: string; lines: string[] } {
  if (!(error instanceof ApiProblem)) return { title: t('errors.Internal'), lines: [] };
  const title = t(`errors.${error.code}`, { defaultValue: t('errors.unknown', { code: error.code }) });
  const lines: string[] = [];
  const refusal = error.refusal;
  if (refusal) lines.push(t(`refusals.${refusal}`, { defaultValue: refusal }));
  for (const problem of error.body.details) {
    const field = t(`fields.${problem.field}`, { defaultValue: problem.field });
    const rule = t(`rules.${problem.rule}`, { defaultValue: problem.message });
    lines.push(`${field}: ${rule}`);
  }
  if (!error.body.details.length && error.body.message) lines.push(error.body.message);
  return { title, lines };
}
