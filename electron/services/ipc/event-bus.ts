import type { EventName, EventPayloadOf } from '../../../shared/ipc/contract'

/** A listener that receives every main→renderer event (hosts forward them to their windows/sockets). */
export type BusListener = (event: EventName, payload: unknown) => void

/** Fan-out of main→renderer events. Secrets must never be emitted here (events are broadcast). */
export class EventBus {
  private readonly listeners = new Set<BusListener>()

  /** Emit one event to every host. */
  emit<E extends EventName>(event: E, payload: EventPayloadOf<E>): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event, payload)
      } catch {
        // A broken host must not stop the others.
      }
    }
  }

  /** Subscribe; returns the unsubscribe function. */
  subscribe(listener: BusListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }
}
