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
}

export class Api {
  readonly baseUrl: string;
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly options: ApiOptions) {
    this.baseUrl = options.baseUrl ?? "";
    this.fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  async request<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    const response = await this.fetchImpl(this.baseUrl + path, {
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
}
