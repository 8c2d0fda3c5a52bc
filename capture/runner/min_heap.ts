/** A binary min-heap of timed actions (the runner's timeline). */
export class MinHeap<T> {
  private readonly items: { t: number; v: T }[] = [];

  get size(): number {
    return this.items.length;
  }

  peek_t(): number {
    return this.items.length === 0 ? Infinity : this.items[0].t;
  }

  push(t: number, v: T): void {
    const a = this.items;
    a.push({ t, v });
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (a[p].t <= a[i].t) break;
      [a[p], a[i]] = [a[i], a[p]];
      i = p;
    }
  }

  pop(): { t: number; v: T } | undefined {
    const a = this.items;
    if (a.length === 0) return undefined;
    const top = a[0];
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && a[l].t < a[m].t) m = l;
        if (r < a.length && a[r].t < a[m].t) m = r;
        if (m === i) break;
        [a[m], a[i]] = [a[i], a[m]];
        i = m;
      }
    }
    return top;
  }
}
