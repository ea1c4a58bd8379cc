import { StationError } from '../../../shared/errors'
import type { Logger } from '../log'
import {
  nodeJournalFs,
  readIfExists,
  removeIfExists,
  tempPathOf,
  writeFileAtomic,
  type JournalFs,
} from './atomic-file'
import { isFinished, JOURNAL_VERSION, parseJournal, type JournalEntry, type JournalFile } from './entry'

/** Options of a WriteJournal (conventions §7: clock and file system injected). */
export interface WriteJournalOptions {
  /** The journal file (one per CM server, see paths.ts). */
  file: string
  log: Logger
  /** Milliseconds since the epoch (default Date.now). */
  now?: () => number
  fs?: JournalFs
  /** Start empty and delete any existing file (training mode: the simulator starts fresh each run). */
  reset?: boolean
  /** Done entries kept for audit, newest first (default 50). */
  keepDone?: number
}

/** Called with a copy of every entry after each change. */
export type JournalListener = (entries: JournalEntry[]) => void

/** A new entry: the journal stamps `createdAt`/`updatedAt`. */
export type NewJournalEntry = Omit<JournalEntry, 'createdAt' | 'updatedAt'>

function copy(entry: JournalEntry): JournalEntry {
  return structuredClone(entry)
}

/**
 * The durable journal of operator-requested CM writes: a small JSON file rewritten whole and atomically
 * (temp + fsync + rename) on every change. Synchronous on purpose: a change is on disk before the caller
 * sends the server write it describes, and there is no interleaving to reason about. One process per file.
 */
export class WriteJournal {
  readonly file: string
  private entries: JournalEntry[]
  private readonly listeners = new Set<JournalListener>()
  private readonly fs: JournalFs
  private readonly log: Logger
  private readonly now: () => number
  private readonly keepDone: number

  private constructor(opts: WriteJournalOptions, entries: JournalEntry[]) {
    this.file = opts.file
    this.entries = entries
    this.fs = opts.fs ?? nodeJournalFs
    this.log = opts.log
    this.now = opts.now ?? Date.now
    this.keepDone = opts.keepDone ?? 50
  }

  /**
   * Load the journal. A leftover temp file (a write torn by a crash) is deleted unread; a file that is not
   * a valid journal is renamed aside (`<file>.corrupt-<time>`) and the journal starts empty.
   */
  static open(opts: WriteJournalOptions): WriteJournal {
    const fsx = opts.fs ?? nodeJournalFs
    const now = opts.now ?? Date.now
    if (removeIfExists(fsx, tempPathOf(opts.file))) {
      opts.log.warn('journal: removed a torn temp file from an interrupted write', { file: opts.file })
    }
    if (opts.reset) {
      removeIfExists(fsx, opts.file)
      return new WriteJournal(opts, [])
    }
    const text = readIfExists(fsx, opts.file)
    if (text === null) return new WriteJournal(opts, [])
    const parsed = parseJournal(text)
    if (parsed) return new WriteJournal(opts, parsed.entries)
    const aside = `${opts.file}.corrupt-${new Date(now()).toISOString().replace(/[:.]/g, '-')}`
    // Keep the bytes for a human: a rename, never a delete. If even that fails, refuse to start over it.
    fsx.renameSync(opts.file, aside)
    opts.log.error('journal: unreadable journal moved aside; starting empty', { file: opts.file, aside })
    return new WriteJournal(opts, [])
  }

  /** Every entry (copies), oldest first. */
  list(): JournalEntry[] {
    return this.entries.map(copy)
  }

  /** One entry (a copy), or undefined. */
  get(id: string): JournalEntry | undefined {
    const e = this.entries.find((x) => x.id === id)
    return e && copy(e)
  }

  /** Add an entry and persist it. Throws StationError('internal') — and keeps nothing — if it cannot be saved. */
  add(entry: NewJournalEntry): JournalEntry {
    const at = this.stamp()
    const full = { ...structuredClone(entry), createdAt: at, updatedAt: at } as JournalEntry
    this.entries.push(full)
    try {
      this.persist()
    } catch (error) {
      this.entries = this.entries.filter((e) => e !== full)
      throw this.saveFailed(error)
    }
    this.notify()
    return copy(full)
  }

  /**
   * Change an entry (the callback mutates a draft) and persist. If saving fails the change stays in memory
   * (it is saved with the next change) and StationError('internal') is thrown: callers about to send a
   * server write must not send it.
   */
  update(id: string, change: (draft: JournalEntry) => void): JournalEntry {
    const index = this.entries.findIndex((e) => e.id === id)
    const current = this.entries[index]
    if (!current) throw new StationError('internal', {}, `journal: no entry ${id}`)
    const draft = copy(current)
    change(draft)
    draft.updatedAt = this.stamp()
    this.entries[index] = draft
    try {
      this.persist()
    } catch (error) {
      throw this.saveFailed(error)
    } finally {
      this.notify()
    }
    return copy(draft)
  }

  /**
   * `update` for an entry known to be of `kind` (a runner of that kind records its progress). Throws
   * StationError('internal') when the entry is of another kind (a wiring bug), before changing anything.
   */
  updateKind<K extends JournalEntry['kind']>(
    id: string,
    kind: K,
    change: (draft: Extract<JournalEntry, { kind: K }>) => void,
  ): Extract<JournalEntry, { kind: K }> {
    const current = this.entries.find((e) => e.id === id)
    if (current && current.kind !== kind) {
      throw new StationError('internal', {}, `journal: entry ${id} is a ${current.kind}, not a ${kind}`)
    }
    return this.update(id, (d) => change(d as Extract<JournalEntry, { kind: K }>)) as Extract<
      JournalEntry,
      { kind: K }
    >
  }

  /** Drop an entry (nothing of it exists on the server). Same failure rule as `update`. */
  remove(id: string): void {
    const before = this.entries.length
    this.entries = this.entries.filter((e) => e.id !== id)
    if (this.entries.length === before) return
    try {
      this.persist()
    } catch (error) {
      throw this.saveFailed(error)
    } finally {
      this.notify()
    }
  }

  /** Subscribe to changes; returns the unsubscribe function. */
  onChange(listener: JournalListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  private stamp(): string {
    return new Date(this.now()).toISOString()
  }

  /** Bounded audit window: only the newest `keepDone` finished (done or dismissed) entries stay. */
  private prune(): void {
    const done = this.entries
      .filter((e) => isFinished(e))
      .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))
    if (done.length <= this.keepDone) return
    const drop = new Set(done.slice(this.keepDone))
    this.entries = this.entries.filter((e) => !drop.has(e))
  }

  private persist(): void {
    this.prune()
    const file: JournalFile = { version: JOURNAL_VERSION, entries: this.entries }
    writeFileAtomic(this.fs, this.file, `${JSON.stringify(file, null, 1)}\n`)
  }

  private saveFailed(error: unknown): StationError {
    const code = (error as NodeJS.ErrnoException | null)?.code ?? 'error'
    this.log.error('journal: cannot save', { file: this.file, code })
    return new StationError('internal', {}, `journal: cannot save (${code})`)
  }

  private notify(): void {
    if (this.listeners.size === 0) return
    const snapshot = this.list()
    for (const listener of [...this.listeners]) {
      try {
        listener(snapshot)
      } catch (error) {
        this.log.error('journal: listener failed', { error })
      }
    }
  }
}
