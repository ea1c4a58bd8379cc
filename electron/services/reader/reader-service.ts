import type { PcscServiceState, ReaderInfo, ReaderSnapshot } from '../../../shared/domain/reader'
import { StationError } from '../../../shared/errors'
import type { Logger } from '../log'
import type { BackendListener, CardAccess, CardChannel, ReaderBackend } from './types'

/** Case-insensitive substring allow/deny lists from the configuration (field-notes §3.5). */
export interface ReaderFilter {
  allow: string[]
  deny: string[]
}

/** Options of the reader service. */
export interface ReaderServiceOptions {
  backends: ReaderBackend[]
  log: Logger
  filter?: ReaderFilter
}

interface Entry {
  info: ReaderInfo
  backend: ReaderBackend
}

/** True if the reader passes the configured allow/deny lists. */
export function readerAllowed(name: string, filter: ReaderFilter | undefined): boolean {
  if (!filter) return true
  const n = name.toLowerCase()
  if (filter.deny.some((d) => n.includes(d.toLowerCase()))) return false
  return filter.allow.length === 0 || filter.allow.some((a) => n.includes(a.toLowerCase()))
}

/**
 * Live state of every reader, keyed by name, from one or more backends (real PC/SC, in-memory
 * virtual readers), plus serialized card access: one job at a time per reader.
 */
export class ReaderService implements CardAccess {
  private readonly entries = new Map<string, Entry>()
  private readonly listeners = new Set<(snapshot: ReaderSnapshot) => void>()
  private readonly queues = new Map<string, Promise<unknown>>()
  private service: PcscServiceState
  private started = false

  constructor(private readonly options: ReaderServiceOptions) {
    // Without a PC/SC backend (virtual readers only) the "service" is always there.
    this.service = options.backends.some((b) => b.kind === 'pcsc') ? 'starting' : 'available'
  }

  /** Start every backend. Never throws: an absent service is reported and retried. */
  start(): void {
    if (this.started) return
    this.started = true
    for (const backend of this.options.backends) backend.start(this.listenerFor(backend))
  }

  private listenerFor(backend: ReaderBackend): BackendListener {
    return {
      readerAdded: (name) => {
        if (!readerAllowed(name, this.options.filter)) return
        const known = this.entries.get(name)
        // Back after a re-list: keep the last known card state (the first status event re-reads it), so a reader
        // that never went away does not flicker.
        const info = known
          ? { ...known.info, reconnecting: false }
          : { name, kind: backend.kind, present: false, atr: null, reconnecting: false }
        this.entries.set(name, { backend, info })
        this.changed()
      },
      readerReconnecting: (name) => {
        const entry = this.entries.get(name)
        if (entry?.backend !== backend || entry.info.reconnecting) return
        entry.info = { ...entry.info, reconnecting: true }
        this.options.log.warn('reader: monitor lost; reconnecting', { reader: name })
        this.changed()
      },
      readerRemoved: (name) => {
        const entry = this.entries.get(name)
        if (entry?.backend !== backend) return
        this.entries.delete(name)
        this.changed()
      },
      cardStatus: (name, present, atr) => {
        const entry = this.entries.get(name)
        if (entry?.backend !== backend) return
        entry.info = { ...entry.info, present, atr: present ? atr : null }
        this.options.log.info(present ? 'reader: card inserted' : 'reader: card removed', { reader: name })
        this.changed()
      },
      serviceState: (state) => {
        if (backend.kind !== 'pcsc' || this.service === state) return
        this.service = state
        this.changed()
      },
    }
  }

  /** The current snapshot (readers sorted by name for a stable display). */
  snapshot(): ReaderSnapshot {
    const readers = [...this.entries.values()].map((e) => ({ ...e.info }))
    readers.sort((a, b) => a.name.localeCompare(b.name))
    return { service: this.service, readers }
  }

  /** Subscribe to snapshots; returns the unsubscribe function. */
  onChange(listener: (snapshot: ReaderSnapshot) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  private changed(): void {
    const snapshot = this.snapshot()
    for (const listener of [...this.listeners]) listener(snapshot)
  }

  withCard<T>(reader: string, job: (card: CardChannel) => Promise<T>): Promise<T> {
    const previous = this.queues.get(reader) ?? Promise.resolve()
    const run = previous.catch(() => undefined).then(() => this.runJob(reader, job))
    const tail = run.catch(() => undefined)
    this.queues.set(reader, tail)
    void tail.then(() => {
      if (this.queues.get(reader) === tail) this.queues.delete(reader)
    })
    return run
  }

  private async runJob<T>(reader: string, job: (card: CardChannel) => Promise<T>): Promise<T> {
    const entry = this.entries.get(reader)
    if (!entry) throw new StationError('reader-not-found', {}, reader)
    if (entry.info.reconnecting) throw new StationError('reader-unavailable', {}, `${reader} is reconnecting`)
    if (!entry.info.present) throw new StationError('no-card', {}, reader)
    const connection = await entry.backend.connect(reader)
    const channel: CardChannel = {
      reader,
      atr: entry.info.atr ?? '',
      transmit: (apdu) => connection.transmit(apdu),
    }
    try {
      return await job(channel)
    } finally {
      await connection.disconnect()
    }
  }

  /** Stop every backend and release PC/SC so the process can exit. */
  async close(): Promise<void> {
    this.listeners.clear()
    await Promise.all(this.options.backends.map((b) => b.close()))
  }
}
