// How a leaf answers a route only roots serve (the administrator lock, enrollment tokens): with why, not "no endpoint".
import { Refusal } from './refusal.ts';
import type { JsonHandler } from './route.ts';

export function rootsOnly(self: string): JsonHandler<never> {
  return {
    handle() {
      throw new Refusal('not_found', `${self} is a leaf: only roots serve this; ask its root`);
    },
  };
}
