// How a leaf answers a route only roots serve (the administrator lock, enrollment tokens): with why, not "no endpoint".
import type { NotServed } from './route.ts';

export function rootsOnly(self: string): NotServed {
  return { notServed: `${self} is a leaf: only roots serve this; ask its root` };
}
