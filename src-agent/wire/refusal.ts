// Why a request was turned away: an HTTP status, a short code that is counted, and a reason the caller is told.

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

/** Thrown by routes and the server alike; the server answers `{error: code, reason}` with its status and counts it. */
export class Refusal extends Error {
  readonly code: RefusalCode;
  readonly status: number;
  constructor(code: RefusalCode, reason: string) {
    super(reason);
    this.code = code;
    this.status = STATUS[code];
  }
}

/** Counts refusals by code, for the status and metrics endpoints. */
export class RefusalCounter {
  readonly #counts = new Map<RefusalCode, number>();

  count(code: RefusalCode): void {
    this.#counts.set(code, (this.#counts.get(code) ?? 0) + 1);
  }

  snapshot(): Partial<Record<RefusalCode, number>> {
    return Object.fromEntries(this.#counts);
  }
}
