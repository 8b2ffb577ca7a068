import createClient, { type Middleware } from 'openapi-fetch';
import { toApiProblem } from '../lib/errors';
import type { components, paths } from './schema';

/** Request bodies of the API, as its OpenAPI document declares them (generated at build). */
export type Schemas = components['schemas'];
export type TaskView = Schemas['TaskView'];
export type InboxView = Schemas['InboxView'];

const TOKEN_KEY = 'shaosheng.token';

/** The session's bearer token (localStorage: a reload keeps the session until the token expires). */
export const tokenStore = {
  get: (): string | null => localStorage.getItem(TOKEN_KEY),
  set: (token: string) => localStorage.setItem(TOKEN_KEY, token),
  clear: () => localStorage.removeItem(TOKEN_KEY),
};

/** Called when the API answers 401 to a request that carried a token: the session expired or was revoked. */
let onExpired: () => void = () => undefined;
export function setSessionExpiredHandler(handler: () => void): void {
  onExpired = handler;
}

const auth: Middleware = {
  onRequest({ request }) {
    // Public pages pass an empty authorization header: they never send the session's token.
    if (request.headers.get('authorization') === '') request.headers.delete('authorization');
    else {
      const token = tokenStore.get();
      if (token) request.headers.set('authorization', `Bearer ${token}`);
    }
    return request;
  },
  async onResponse({ request, response }) {
    if (response.ok) return response;
    const body: unknown = await response
      .clone()
      .json()
      .catch(() => null);
    if (response.status === 401 && request.headers.has('authorization')) onExpired();
    throw toApiProblem(response.status, body);
  },
};

/** The typed API client: paths, parameters and bodies checked against the OpenAPI document at build. */
export const api = createClient<paths>({ baseUrl: '/' });
api.use(auth);

/** The data of an answer that did not throw (the middleware throws every refusal as an ApiProblem). */
export function data<T>(result: { data?: unknown }): T {
  return result.data as T;
}
