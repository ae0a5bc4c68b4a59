/**
 * The OAuth endpoints answer in the shapes their RFCs define (RFC 6749 §5.2, RFC 7591 §3.2.2,
 * RFC 7009), not in the CRM envelope: `{"error", "error_description"}`, plus our `hint`. The codes
 * are the RFCs' own, a closed list with their HTTP status.
 */
export const OAUTH_ERRORS = {
  invalid_request: 400,
  invalid_client: 401,
  invalid_grant: 400,
  unauthorized_client: 400,
  unsupported_grant_type: 400,
  unsupported_response_type: 400,
  invalid_scope: 400,
  invalid_target: 400,
  access_denied: 400,
  invalid_redirect_uri: 400,
  invalid_client_metadata: 400,
  unsupported_token_type: 400,
  rate_limited: 429,
  temporarily_unavailable: 503,
  server_error: 500,
} as const;

export type OAuthErrorCode = keyof typeof OAUTH_ERRORS;

export class OAuthError extends Error {
  readonly code: OAuthErrorCode;
  readonly hint: string;
  readonly headers: Record<string, string>;

  constructor(code: OAuthErrorCode, description: string, hint: string, headers: Record<string, string> = {}) {
    super(description);
    this.name = 'OAuthError';
    this.code = code;
    this.hint = hint;
    this.headers = headers;
  }

  get status(): number {
    return OAUTH_ERRORS[this.code];
  }

  toJSON() {
    return { error: this.code, error_description: this.message, hint: this.hint };
  }
}

export const isOAuthError = (value: unknown): value is OAuthError => value instanceof OAuthError;
