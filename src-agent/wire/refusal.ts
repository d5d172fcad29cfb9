// Why a request was turned away, as the agent throws and counts it (the codes and their statuses: src-shared/protocol/refusals.ts).
import { refusalStatus } from '../../src-shared/protocol/refusals.ts';
import type { RefusalCode } from '../../src-shared/protocol/refusals.ts';

/** Thrown by routes and the server alike; the server answers `{error: code, reason}` with its status and counts it. */
export class Refusal extends Error {
  readonly code: RefusalCode;
  readonly status: number;
  constructor(code: RefusalCode, reason: string) {
    super(reason);
    this.code = code;
    this.status = refusalStatus(code);
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
