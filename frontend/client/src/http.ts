/** The gateway's HTTP API: bearer token, JSON in and out, RFC 9457 problems as errors. */

export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  [extension: string]: unknown;
}

export class ProblemError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title ?? `HTTP ${problem.status}`);
    this.name = "ProblemError";
  }
}

export interface ApiOptions {
  /** Where the api-gateway is; "" for the page's own origin. */
  baseUrl?: string;
  /** The access token (JWT) of the signed-in user; asked for on every call so it can be refreshed. */
  token: () => string | Promise<string>;
  fetch?: typeof fetch;
  /**
   * A 503 or 429 with `Retry-After` means the platform did nothing with the request (an instance at
   * capacity, a rate limit): it is sent again after that many seconds plus up to half as much again at
   * random, so clients refused together do not come back together. Default: 3 attempts in all, waits of
   * at most 30 s; `{ attempts: 1 }` turns it off.
   */
  retry?: RetryOptions;
  /**
   * The refresh hook: get a new access token from your identity provider, so that `token()` returns it.
   * Called when a stream's session expired (`session_expired`) or a stream's reconnection was refused; the
   * client then renews the session cookie ({@link Api.openSession}) and the stream resumes with its
   * Last-Event-ID, losing nothing. Without it such a stream ends and reports `session_expired`.
   */
  refreshToken?: () => Promise<void>;
}

export interface RetryOptions {
  /** Attempts in all, the first included. */
  attempts?: number;
  /** The longest wait between two attempts, in milliseconds. */
  maxDelayMs?: number;
  /** Waits (tests); defaults to setTimeout. */
  sleep?: (ms: number) => Promise<void>;
  /** [0, 1); defaults to Math.random. */
  random?: () => number;
}

/** The wait before retrying a refused request: `Retry-After` (seconds) plus up to half of it as jitter. */
export function retryDelayMs(retryAfter: string | null, random: () => number = Math.random, maxDelayMs = 30_000): number | undefined {
  if (retryAfter === null || !/^\d+$/.test(retryAfter.trim())) {
    return undefined;
  }
  const base = Number(retryAfter.trim()) * 1000;
  return Math.min(maxDelayMs, base + base * 0.5 * random());
}

/** What {@link Api.closeSession} ends: the streams opened with this API as their session. */
export interface SessionStream {
  close(): void;
}

export class Api {
  readonly baseUrl: string;
  private readonly fetchImpl: typeof fetch;
  private readonly streams = new Set<SessionStream>();

  constructor(private readonly options: ApiOptions) {
    this.baseUrl = options.baseUrl ?? "";
    this.fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  async request<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    const retry = this.options.retry ?? {};
    const attempts = Math.max(1, retry.attempts ?? 3);
    for (let attempt = 1; ; attempt++) {
      const response = await this.send(method, path, body, headers);
      const delay =
        (response.status === 503 || response.status === 429) && attempt < attempts
          ? retryDelayMs(response.headers.get("Retry-After"), retry.random, retry.maxDelayMs)
          : undefined;
      if (delay === undefined) {
        return this.read<T>(response);
      }
      await response.body?.cancel();
      await (retry.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))))(delay);
    }
  }

  private async send(method: string, path: string, body: unknown, headers: Record<string, string>): Promise<Response> {
    return this.fetchImpl(this.baseUrl + path, {
      method,
      credentials: "include",
      headers: {
        Accept: "application/json",
        Authorization: `Bearer ${await this.options.token()}`,
        ...(body === undefined ? {} : { "Content-Type": "application/json" }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  private async read<T>(response: Response): Promise<T> {
    const text = await response.text();
    const json = text ? JSON.parse(text) : undefined;
    if (!response.ok) {
      throw new ProblemError({ status: response.status, ...(json ?? {}) });
    }
    return json as T;
  }

  /**
   * EventSource cannot send an Authorization header: the gateway turns the bearer token into an
   * HttpOnly cookie that authenticates GET streams only.
   */
  async openSession(): Promise<void> {
    await this.request<unknown>("POST", "/api/v1/auth/session");
  }

  /** Whether a refresh hook ({@link ApiOptions.refreshToken}) was given. */
  get canRefresh(): boolean {
    return this.options.refreshToken !== undefined;
  }

  /** Runs the refresh hook, then renews the session cookie with the new token. */
  async refreshSession(): Promise<void> {
    if (!this.options.refreshToken) throw new Error("no refreshToken hook was given");
    await this.options.refreshToken();
    await this.openSession();
  }

  /** Counts a stream as one of this sign-in's, until the returned function is called. */
  track(stream: SessionStream): () => void {
    this.streams.add(stream);
    return () => this.streams.delete(stream);
  }

  /**
   * Signs out: closes every stream the session holds in this page, then asks the gateway to end the session
   * (`DELETE /api/v1/auth/session`): the token and the session cookie are refused from then on, the
   * session's streams in other tabs and on other instances end with `logged_out`, and the cookie is cleared.
   * A session already signed out (401) counts as done.
   */
  async closeSession(): Promise<void> {
    const open = [...this.streams];
    this.streams.clear();
    open.forEach((stream) => stream.close());
    try {
      await this.request<unknown>("DELETE", "/api/v1/auth/session");
    } catch (e) {
      if (!(e instanceof ProblemError && e.problem.status === 401)) throw e;
    }
  }
}
