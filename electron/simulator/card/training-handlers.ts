import { StationError } from '../../../shared/errors'
import { GidsCard } from './gids-card'
import type { MemoryReaderBackend } from './memory-backend'
import type { CardProcessor } from './vpcd-client'

/** Dependencies of the training handlers. */
export interface TrainingHandlerDeps {
  memory: MemoryReaderBackend
  /** Training mode (no CM server configured); otherwise every call fails with 'not-training-mode'. */
  trainingMode: boolean
  /**
   * Makes the card that lives with a reader the first time it is inserted (default: a personalised
   * card with a random cardid, the all-zero admin key and PIN 12345678). The same card object is
   * re-inserted afterwards, so its state (PIN, admin key, files) survives remove/insert like a badge.
   */
  makeCard?: (reader: string) => CardProcessor
  /** Makes a new blank badge for `training:new-card` (default: a personalised card with a random cardid). */
  makeBlankCard?: () => CardProcessor
}

/** Handlers for `training:insert-card`, `training:remove-card` and `training:new-card` (shared/ipc/training.ts). */
export function createTrainingHandlers(deps: TrainingHandlerDeps): {
  'training:insert-card': (req: { reader: string }) => Promise<null>
  'training:remove-card': (req: { reader: string }) => Promise<null>
  'training:new-card': (req: { reader: string }) => Promise<null>
} {
  const cards = new Map<string, CardProcessor>()
  const makeCard = deps.makeCard ?? (() => GidsCard.personalised())
  const makeBlankCard = deps.makeBlankCard ?? (() => GidsCard.personalised())
  const guard = (reader: string) => {
    if (!deps.trainingMode) throw new StationError('not-training-mode')
    if (!deps.memory.hasReader(reader)) throw new StationError('reader-not-found')
  }
  return {
    'training:insert-card': async ({ reader }) => {
      guard(reader)
      let card = cards.get(reader)
      if (!card) {
        card = makeCard(reader)
        cards.set(reader, card)
      }
      deps.memory.insert(reader, card)
      return null
    },
    'training:remove-card': async ({ reader }) => {
      guard(reader)
      deps.memory.remove(reader)
      return null
    },
    'training:new-card': async ({ reader }) => {
      guard(reader)
      // Like a desk: the old card comes out, a new one goes in (the reader sees a removal, then an insertion).
      deps.memory.remove(reader)
      const card = makeBlankCard()
      cards.set(reader, card)
      deps.memory.insert(reader, card)
      return null
    },
  }
}
