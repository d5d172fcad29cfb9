// Canonical JSON (sorted keys, no whitespace) so a digest or signature survives re-serialisation between nodes.

/** Throws on values JSON cannot carry faithfully: non-finite numbers, bigint, functions, undefined outside an object. */
export function canonicalJson(value: unknown): string {
  // One string built by appending, rather than arrays of parts joined at every level: every flooded message is
  // encoded this way on receipt, and a root's heartbeat with a hundred leaf summaries is the largest of them.
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: ${value} is not a finite number`);
      return JSON.stringify(value);
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) {
        let text = '[';
        for (let i = 0; i < value.length; i++) text += (i === 0 ? '' : ',') + canonicalJson(value[i]);
        return `${text}]`;
      }
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record).sort();
      let text = '{';
      for (const key of keys) {
        const member = record[key];
        if (member === undefined) continue;
        text += `${text.length === 1 ? '' : ','}${JSON.stringify(key)}:${canonicalJson(member)}`;
      }
      return `${text}}`;
    }
    default:
      throw new TypeError(`canonicalJson: cannot encode a ${typeof value}`);
  }
}
