import type { BackendListener, CardConnection, ReaderBackend } from '../../services/reader/types'
import { StationError } from '../../../shared/errors'
import type { CardProcessor } from './vpcd-client'

/**
 * In-memory virtual readers for training mode without PC/SC: each reader can hold one virtual card,
 * inserted and removed programmatically (the training IPC handlers, tests). Transmit runs the card's
 * processor asynchronously, so a removal while a job is running makes the next (or in-flight)
 * transmit reject with 'card-removed', as with a real reader.
 */

/** Default reader names (kind 'virtual'). */
export const DEFAULT_VIRTUAL_READERS = ['Station Virtual Reader 0', 'Station Virtual Reader 1'] as const

/** Options of the in-memory backend. */
export interface MemoryReaderBackendOptions {
  readers?: readonly string[]
  /** Simulated APDU latency in ms (0 = next macrotask); a removal inside it fails the transmit. */
  latencyMs?: number
}

interface Slot {
  card: CardProcessor | null
  /** Incremented on every insert/remove: connections from an older generation are dead. */
  generation: number
}

/** A ReaderBackend of in-memory virtual readers. */
export class MemoryReaderBackend implements ReaderBackend {
  readonly kind = 'virtual' as const
  private readonly slots = new Map<string, Slot>()
  private listener: BackendListener | null = null
  private readonly latencyMs: number

  constructor(opts: MemoryReaderBackendOptions = {}) {
    for (const name of opts.readers ?? DEFAULT_VIRTUAL_READERS)
      this.slots.set(name, { card: null, generation: 0 })
    this.latencyMs = opts.latencyMs ?? 0
  }

  /** Names of the virtual readers. */
  readers(): string[] {
    return [...this.slots.keys()]
  }

  /** True if `reader` is one of ours. */
  hasReader(reader: string): boolean {
    return this.slots.has(reader)
  }

  /** The card in `reader`, or null. Throws StationError('reader-not-found') for an unknown reader. */
  card(reader: string): CardProcessor | null {
    return this.slot(reader).card
  }

  /** Report all readers and their cards; later changes are reported as they happen. */
  start(listener: BackendListener): void {
    this.listener = listener
    for (const [name, slot] of this.slots) {
      listener.readerAdded(name)
      listener.cardStatus(name, slot.card !== null, slot.card ? atrHex(slot.card) : null)
    }
  }

  /** Put `card` into `reader` (a card already there is taken out first, with its removal reported). */
  insert(reader: string, card: CardProcessor): void {
    const slot = this.slot(reader)
    if (slot.card === card) return
    if (slot.card) this.remove(reader)
    slot.card = card
    slot.generation++
    card.powerOn()
    this.listener?.cardStatus(reader, true, atrHex(card))
  }

  /** Take the card out of `reader` (no-op when empty). Open connections die with 'card-removed'. */
  remove(reader: string): void {
    const slot = this.slot(reader)
    if (!slot.card) return
    slot.card.powerOff()
    slot.card = null
    slot.generation++
    this.listener?.cardStatus(reader, false, null)
  }

  /** Connect SHARED to the card in `reader`: a cold start of the card, like pcscd after its idle power-off. */
  async connect(reader: string): Promise<CardConnection> {
    const slot = this.slots.get(reader)
    if (!slot) throw new StationError('reader-unavailable', {}, `no virtual reader ${reader}`)
    const card = slot.card
    if (!card) throw new StationError('no-card', {}, reader)
    const generation = slot.generation
    // pcscd powers idle cards down after ~0.5 s (pcsc-lab.md §2b), so volatile card state never
    // survives from one job to the next; mimic the strict case on every connect.
    card.powerOn()
    let open = true
    const alive = () => slot.generation === generation && slot.card === card
    return {
      protocol: 2, // T=1, like the GIDS ATR under pcsclite
      transmit: async (apdu: Uint8Array): Promise<Buffer> => {
        if (!open) throw new StationError('reader-unavailable', {}, 'connection closed')
        if (!alive()) throw new StationError('card-removed', {}, reader)
        await new Promise<void>((resolve) => setTimeout(resolve, this.latencyMs))
        if (!alive()) throw new StationError('card-removed', {}, reader)
        return card.process(apdu)
      },
      disconnect: async (): Promise<void> => {
        open = false
      },
    }
  }

  /** Stop reporting; the cards stay where they are. */
  async close(): Promise<void> {
    this.listener = null
  }

  private slot(reader: string): Slot {
    const slot = this.slots.get(reader)
    if (!slot) throw new StationError('reader-not-found', {}, `no virtual reader ${reader}`)
    return slot
  }
}

function atrHex(card: CardProcessor): string {
  return card.atr.toString('hex')
}
