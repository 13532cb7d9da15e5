// The active filters of the view: one object the tree listens to. A change fires `onChange`;
// every request built afterwards carries the new filters to EC2. Persisted through a small
// key-value interface (VS Code's workspaceState in the extension, a Map in tests).
import { deserialize, EMPTY_FILTER_SET, equals, FilterSet, serialize } from './filterSet';

export interface KeyValueStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void> | Promise<void>;
}

const STATE_KEY = 'flowLogs.activeFilters';

export class FilterStore {
  private current: FilterSet;
  private readonly listeners = new Set<(set: FilterSet) => void>();
  /** Set when the stored filters could not be read back (shown once, then replaced). */
  readonly restoreProblem: string | undefined;

  constructor(private readonly storage: KeyValueStore) {
    const saved = storage.get<string>(STATE_KEY);
    if (typeof saved === 'string') {
      const parsed = deserialize(saved);
      this.current = parsed.ok ? parsed.value : EMPTY_FILTER_SET;
      this.restoreProblem = parsed.ok ? undefined : `The saved filters could not be restored: ${parsed.error}`;
    } else {
      this.current = EMPTY_FILTER_SET;
    }
  }

  get filters(): FilterSet {
    return this.current;
  }

  async set(next: FilterSet): Promise<void> {
    if (equals(next, this.current)) return;
    this.current = next;
    await this.storage.update(STATE_KEY, serialize(next));
    for (const l of [...this.listeners]) l(next);
  }

  onChange(listener: (set: FilterSet) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }
}
