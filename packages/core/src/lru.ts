/**
 * A bounded map with CLOCK ("second chance") eviction: a hit sets one flag instead of
 * re-inserting the entry, so reads stay as cheap as a plain `Map.get` while eviction still
 * spares recently used entries.
 */
export interface LruEntry {
  referenced: boolean;
}

export class BoundedMap<V extends LruEntry> {
  readonly #map = new Map<string, V>();
  readonly #max: number;

  constructor(maxEntries: number) {
    this.#max = maxEntries;
  }

  get size(): number {
    return this.#map.size;
  }

  get(key: string): V | undefined {
    return this.#map.get(key);
  }

  set(key: string, value: V): void {
    if (!this.#map.has(key) && this.#map.size >= this.#max) this.#evictOne();
    this.#map.set(key, value);
  }

  delete(key: string): boolean {
    return this.#map.delete(key);
  }

  clear(): void {
    this.#map.clear();
  }

  keys(): IterableIterator<string> {
    return this.#map.keys();
  }

  #evictOne(): void {
    // Each pass clears at most every flag once, so this ends within two sweeps.
    for (;;) {
      for (const [key, entry] of this.#map) {
        if (!entry.referenced) {
          this.#map.delete(key);
          return;
        }
        entry.referenced = false;
        this.#map.delete(key);
        this.#map.set(key, entry);
        break;
      }
    }
  }
}
