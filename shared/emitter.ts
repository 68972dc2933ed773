// A typed set of listeners: `on` returns the way to stop listening. The data service's
// parts (workspace, conflict inbox, sync client) announce through these, and the data
// service passes them on to every connection.
export class Emitter<Args extends unknown[]> {
  private readonly listeners = new Set<(...args: Args) => void>();

  on(listener: (...args: Args) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  emit(...args: Args): void {
    for (const listener of this.listeners) listener(...args);
  }

  get size(): number {
    return this.listeners.size;
  }
}
