// The change between two texts as unified-diff hunks (`@@ -a,b +c,d @@`, then ` `, `-`, `+` lines): what a deploy's plan
// shows of each changed file.

type Op = { kind: ' ' | '-' | '+'; line: string };

/** Lines of `text`, without the empty one a final line end leaves. */
function linesOf(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/**
 * Myers' shortest edit script between `a` and `b` (O((N+M)·D): fast when few lines differ, as between two renders of one
 * node). The common head and tail are matched first, so only the part that differs is searched.
 */
function editScript(a: readonly string[], b: readonly string[]): Op[] {
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const x = a.slice(head, a.length - tail);
  const y = b.slice(head, b.length - tail);
  const same = (lines: readonly string[]): Op[] => lines.map((line) => ({ kind: ' ', line }));
  return [...same(a.slice(0, head)), ...middle(x, y), ...same(a.slice(a.length - tail))];
}

function middle(a: readonly string[], b: readonly string[]): Op[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = false;
  for (let d = 0; d <= max && !found; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let px = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let py = px - k;
      while (px < n && py < m && a[px] === b[py]) {
        px++;
        py++;
      }
      v[offset + k] = px;
      if (px >= n && py >= m) {
        found = true;
        break;
      }
    }
  }
  // Walk back through the saved frontiers, from the end to the start.
  const ops: Op[] = [];
  let px = n;
  let py = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const frontier = trace[d]!;
    const k = px - py;
    const down = k === -d || (k !== d && frontier[offset + k - 1]! < frontier[offset + k + 1]!);
    const prevK = down ? k + 1 : k - 1;
    const prevX = frontier[offset + prevK]!;
    const prevY = prevX - prevK;
    while (px > prevX && py > prevY) {
      px--;
      py--;
      ops.push({ kind: ' ', line: a[px]! });
    }
    if (d > 0) {
      if (down) ops.push({ kind: '+', line: b[--py]! });
      else ops.push({ kind: '-', line: a[--px]! });
    }
  }
  return ops.reverse();
}

/** Unified hunks with `context` unchanged lines around each change; [] when the texts have the same lines. */
export function lineDiff(before: string, after: string, context = 3): string[] {
  const ops = editScript(linesOf(before), linesOf(after));
  const changes = ops.flatMap((op, i) => (op.kind === ' ' ? [] : [i]));
  if (changes.length === 0) return [];
  // Group changes whose context would touch or overlap into one hunk.
  const hunks: Array<[number, number]> = [];
  for (const i of changes) {
    const last = hunks.at(-1);
    if (last && i - last[1] - 1 <= 2 * context) last[1] = i;
    else hunks.push([i, i]);
  }
  // Line numbers in `before` and `after` at the start of each op.
  const oldAt: number[] = [];
  const newAt: number[] = [];
  let o = 1;
  let w = 1;
  for (const op of ops) {
    oldAt.push(o);
    newAt.push(w);
    if (op.kind !== '+') o++;
    if (op.kind !== '-') w++;
  }
  const out: string[] = [];
  for (const [first, last] of hunks) {
    const from = Math.max(0, first - context);
    const to = Math.min(ops.length - 1, last + context);
    const slice = ops.slice(from, to + 1);
    const oldCount = slice.filter((op) => op.kind !== '+').length;
    const newCount = slice.filter((op) => op.kind !== '-').length;
    // As diff -u: a side with no lines names the line before the hunk.
    const oldStart = oldCount === 0 ? oldAt[from]! - 1 : oldAt[from]!;
    const newStart = newCount === 0 ? newAt[from]! - 1 : newAt[from]!;
    out.push(`@@ -${oldStart},${oldCount} +${newStart},${newCount} @@`);
    for (const op of slice) out.push(`${op.kind}${op.line}`);
  }
  return out;
}
