// The order a BulkRequest's operations run in: Kahn's algorithm over "needs the bulkId this POST defines",
// taking the earliest ready operation in the request each time. Operations that wait on nothing therefore
// keep request order exactly, and one that waits runs as soon as what it needs has. O((n + edges) log n).

/**
 * `needs[i]`: positions of the operations operation i waits on. Returns the positions in the order to run
 * them; `stuck` holds those that can never run: they are in, or wait on, a cycle (RFC 7644 §3.7.1).
 */
export function executionOrder(needs: number[][]): { order: number[]; stuck: number[] } {
  const waitingOn = needs.map((n) => n.length);
  const neededBy: number[][] = needs.map(() => []);
  needs.forEach((n, i) => n.forEach((dep) => neededBy[dep].push(i)));
  const ready = new MinHeap();
  waitingOn.forEach((w, i) => w === 0 && ready.push(i));
  const order: number[] = [];
  while (ready.size > 0) {
    const i = ready.pop();
    order.push(i);
    for (const next of neededBy[i]) if (--waitingOn[next] === 0) ready.push(next);
  }
  const stuck = waitingOn.flatMap((w, i) => (w > 0 ? [i] : []));
  return { order, stuck };
}

/** A binary min-heap of positions. */
class MinHeap {
  private items: number[] = [];

  get size() {
    return this.items.length;
  }

  push(value: number) {
    const a = this.items;
    a.push(value);
    for (let i = a.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (a[parent] <= a[i]) break;
      [a[parent], a[i]] = [a[i], a[parent]];
      i = parent;
    }
  }

  pop(): number {
    const a = this.items;
    const top = a[0];
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let min = i;
        if (l < a.length && a[l] < a[min]) min = l;
        if (r < a.length && a[r] < a[min]) min = r;
        if (min === i) break;
        [a[min], a[i]] = [a[i], a[min]];
        i = min;
      }
    }
    return top;
  }
}
