import type { ReaderSnapshot } from '../../shared/domain/reader'
import type { StationApi } from '../../shared/ipc/api'
import { settle } from '../bridge/settle'
import type { CardView, IdentifiedCard } from './card-slice'
import type { StationStore } from './store'

/** Reader → ATR of every reader holding a card ('' when the ATR is unknown). */
function presentCards(snapshot: ReaderSnapshot | null): Map<string, string> {
  const present = new Map<string, string>()
  for (const reader of snapshot?.readers ?? []) if (reader.present) present.set(reader.name, reader.atr ?? '')
  return present
}

function writeView(store: StationStore, reader: string, view: CardView | null): void {
  store.setState((s) => {
    const { [reader]: _old, ...rest } = s.cards.byReader
    return { cards: { byReader: view ? { ...rest, [reader]: view } : rest } }
  })
}

/** The running sync's "look again" per store, for {@link refreshCards}. */
const refreshers = new WeakMap<StationStore, () => void>()

/**
 * Identify and look up every present card again, e.g. after the station retired or issued a card (its CM
 * status changed while it stayed in the reader, so no reader event says so).
 */
export function refreshCards(store: StationStore): void {
  refreshers.get(store)?.()
}

/**
 * Identify every card that appears in a reader, then look it up in CM: `card:identify`, and for a GIDS card
 * with a cardid `cm:find-card`. Driven by the reader snapshot in the store (the `reader:list` answer and
 * every `reader:changed`), so no polling. A card is new when its reader was empty (or its ATR changed);
 * its entry is dropped when it leaves. Each reader has a generation counter, bumped by every insert and
 * removal: an answer for an older generation (card removed or replaced meanwhile) is ignored.
 * After a lost bridge link every present card is identified again (it may have been swapped meanwhile).
 * Returns the stop function.
 */
export function startCardSync(station: StationApi, store: StationStore): () => void {
  let stopped = false
  const generations = new Map<string, number>()
  /** Reader → ATR of the card identified (or being identified) there. */
  let tracked = new Map<string, string>()

  const bump = (reader: string): number => {
    const generation = (generations.get(reader) ?? 0) + 1
    generations.set(reader, generation)
    return generation
  }

  async function identify(reader: string, generation: number): Promise<void> {
    const current = () => !stopped && generations.get(reader) === generation
    const identified = await settle(() => station.card.identify({ reader }))
    if (!current()) return
    if (!identified.ok) return writeView(store, reader, { phase: 'identify-failed', error: identified.error })
    const identity = identified.value
    if (!identity.isGids) return writeView(store, reader, { phase: 'not-gids', identity })
    if (identity.cardId === null) return writeView(store, reader, { phase: 'blank', identity })
    const card: IdentifiedCard = { ...identity, cardId: identity.cardId, isGids: true }
    writeView(store, reader, { phase: 'looking-up', identity: card })
    const found = await settle(() => station.cm.findCard({ cardId: card.cardId }))
    if (!current()) return
    if (!found.ok) writeView(store, reader, { phase: 'lookup-failed', identity: card, error: found.error })
    else if (found.value === null) writeView(store, reader, { phase: 'not-registered', identity: card })
    else writeView(store, reader, { phase: 'registered', identity: card, record: found.value })
  }

  function follow(snapshot: ReaderSnapshot | null): void {
    const present = presentCards(snapshot)
    for (const reader of Object.keys(store.getState().cards.byReader)) {
      if (present.has(reader)) continue
      bump(reader)
      writeView(store, reader, null)
    }
    for (const [reader, atr] of present) {
      if (tracked.get(reader) === atr) continue
      const generation = bump(reader)
      writeView(store, reader, { phase: 'identifying' })
      void identify(reader, generation)
    }
    tracked = present
  }

  const unsubscribe = store.subscribe((state, previous) => {
    if (stopped) return
    if (previous.connection.status === 'open' && state.connection.status !== 'open') {
      // Events are lost while the link is down: answers in flight are void, and the next snapshot
      // identifies every present card again.
      for (const reader of tracked.keys()) bump(reader)
      tracked = new Map()
    }
    if (state.readers.snapshot !== previous.readers.snapshot) follow(state.readers.snapshot)
  })
  follow(store.getState().readers.snapshot)
  refreshers.set(store, () => {
    if (stopped) return
    // Forget what was identified: follow() treats every present card as new (answers in flight are void).
    for (const reader of tracked.keys()) bump(reader)
    tracked = new Map()
    follow(store.getState().readers.snapshot)
  })

  return () => {
    stopped = true
    unsubscribe()
    refreshers.delete(store)
  }
}
