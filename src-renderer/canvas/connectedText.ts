// A node's connected clients in words for the graph, against how many it takes (its capacity); pure.
import { count } from '../../src-shared/text/count.ts';

/** "12 of 400 clients connected". */
export function connectedText(connected: number, capacity: number): string {
  return `${connected} of ${count(capacity, 'client')} connected`;
}
