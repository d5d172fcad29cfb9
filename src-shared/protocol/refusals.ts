// Why the agent turned a request away: a short code (counted, and what a client branches on) and its HTTP status.

export const REFUSAL_CODES = [
  'malformed',
  'too_large',
  'unsupported_media_type',
  'unauthenticated',
  'unknown_peer',
  'forbidden',
  'bad_signature',
  'unknown_origin',
  'duplicate',
  'too_old',
  'from_future',
  'not_found',
  'method_not_allowed',
  'conflict',
  'rate_limited',
  'timeout',
  'unavailable',
] as const;
export type RefusalCode = (typeof REFUSAL_CODES)[number];

const STATUS: Record<RefusalCode, number> = {
  malformed: 400,
  too_large: 413,
  unsupported_media_type: 415,
  unauthenticated: 401,
  unknown_peer: 403,
  forbidden: 403,
  bad_signature: 403,
  unknown_origin: 403,
  // Flooding delivers most messages more than once; a replay looks the same and gets the same answer.
  duplicate: 409,
  too_old: 409,
  from_future: 409,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  rate_limited: 429,
  timeout: 408,
  // Not the caller's fault: something this node depends on (its root, say) cannot be reached now.
  unavailable: 503,
};

/** The HTTP status a refusal is answered with. */
export function refusalStatus(code: RefusalCode): number {
  return STATUS[code];
}

export function isRefusalCode(value: unknown): value is RefusalCode {
  return typeof value === 'string' && (REFUSAL_CODES as readonly string[]).includes(value);
}
