import { tokenStore } from '../../api/client';
import { toApiProblem } from '../../lib/errors';

/**
 * Downloads an API file (CSV) with the session's token: a plain link would carry no Authorization header. The answer
 * becomes a Blob saved under `filename` (the browser's ordinary download). A refusal throws as an ApiProblem.
 */
export async function downloadFile(path: string, filename: string): Promise<void> {
  const token = tokenStore.get();
  const response = await fetch(path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (!response.ok) {
    const body: unknown = await response.json().catch(() => null);
    throw toApiProblem(response.status, body);
  }
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
