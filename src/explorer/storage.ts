// Where the explorer keeps what must survive a restart (the regions chosen per profile). The
// VS Code layer hands it the extension's global state (a vscode.Memento has this shape); unit
// tests hand it a Map.
export interface KeyValueStorage {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

/** A storage in memory (unit tests, and anything that needs no persistence). */
export class MemoryStorage implements KeyValueStorage {
  readonly values = new Map<string, unknown>();

  get<T>(key: string): T | undefined {
    return this.values.get(key) as T | undefined;
  }

  update(key: string, value: unknown): Promise<void> {
    if (value === undefined) this.values.delete(key);
    else this.values.set(key, value);
    return Promise.resolve();
  }
}
