import type { Features } from '../types.js';

/**
 * Feature names to array positions, so the models' inner loops run over plain arrays instead of
 * hashing names per record. Records of one source list their names in the same order, so the
 * common case is one pass that only checks each name against the expected one; a record with a
 * new name, fewer names or another order takes the slow path through the name index.
 */
export class FeatureSlots {
  readonly names: string[];
  private readonly index = new Map<string, number>();

  constructor(names: readonly string[] = []) {
    this.names = [...names];
    this.names.forEach((name, slot) => {
      this.index.set(name, slot);
    });
  }

  get size(): number {
    return this.names.length;
  }

  slotOf(name: string): number | undefined {
    return this.index.get(name);
  }

  /**
   * Writes x's values into `out` by slot, 0 for names x lacks (a missing feature reads as 0), and
   * gives names never seen the next slots. Returns the number of slots now in use.
   */
  read(x: Features, out: number[]): number {
    const names = this.names;
    let i = 0;
    let inOrder = true;
    for (const name in x) {
      if (names[i] !== name) {
        inOrder = false;
        break;
      }
      out[i] = x[name] as number;
      i++;
    }
    if (!inOrder) {
      for (let j = 0; j < names.length; j++) out[j] = 0;
      for (const name in x) {
        let slot = this.index.get(name);
        if (slot === undefined) {
          slot = names.length;
          names.push(name);
          this.index.set(name, slot);
        }
        out[slot] = x[name] as number;
      }
      return names.length;
    }
    for (let j = i; j < names.length; j++) out[j] = 0;
    return names.length;
  }
}
