import type { SendResult } from './notifier.js';

/** Statuses worth another try: the receiver is busy, restarting or rate limiting. */
const RETRYABLE = new Set([408, 425, 429]);

/**
 * POSTs a body and classifies the outcome: 2xx delivered; 5xx, 408, 429,
 * timeouts and network errors retried; any other status refused for good.
 * Redirects are not followed (a POST would turn into a GET). Reasons name the
 * status or the network error, never the URL.
 */
export async function postBody(
  fetchFn: typeof fetch, url: string, body: string, headers: Record<string, string>, timeoutMs: number,
): Promise<SendResult> {
  let response: Response;
  try {
    response = await fetchFn(url, { method: 'POST', body, headers, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const reason = networkReason(error, timeoutMs);
    // fetch refuses some ports outright (6000, 6667, ...): no retry will change that.
    return reason === 'network error (bad port)' ? { ok: false, retry: false, reason: `${reason}: fetch never connects to this port; use another` } : { ok: false, retry: true, reason };
  }
  const text = await response.text().catch(() => '');
  if (response.status >= 200 && response.status < 300) return { ok: true };
  const said = text.replace(/[\x00-\x1f\x7f]+/g, ' ').trim().slice(0, 200);
  const retry = response.status >= 500 || RETRYABLE.has(response.status);
  return { ok: false, retry, reason: `HTTP ${response.status}${said ? `: ${said}` : ''}${retry ? '' : ' (not retried)'}` };
}

function networkReason(error: unknown, timeoutMs: number): string {
  const name = (error as { name?: string } | null)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') return `timed out after ${timeoutMs / 1000}s`;
  const cause = (error as { cause?: { code?: string; message?: string } } | null)?.cause;
  const code = cause?.code ?? (error as { code?: string } | null)?.code;
  if (code === undefined && cause?.message) return `network error (${cause.message.slice(0, 100)})`;
  switch (code) {
    case 'ECONNREFUSED': return 'connection refused';
    case 'ECONNRESET': return 'connection reset';
    case 'ENOTFOUND': case 'EAI_AGAIN': return 'host not found';
    case 'UND_ERR_SOCKET': return 'connection closed';
    default: return `network error${code ? ` (${code})` : ''}`;
  }
}

/** The URL of a receiver: written in the file, or read from the environment when the delivery is made. */
export function readUrl(ref: { url: string } | { env: string }, env: NodeJS.ProcessEnv): string | undefined {
  return 'url' in ref ? ref.url : env[ref.env] || undefined;
}
