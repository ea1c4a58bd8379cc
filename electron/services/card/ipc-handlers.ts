import type { z } from 'zod'
import { StationError } from '../../../shared/errors'
import type { ChannelDef } from '../../../shared/ipc/define'
import { cardChannels, type CardChannelName } from '../../../shared/ipc/card'
import type { CallContext } from '../ipc/router'
import type { GidsCardEdge } from './gids-card-edge'

type Req<C extends CardChannelName> =
  (typeof cardChannels)[C] extends ChannelDef<infer R, unknown> ? z.output<R> : never
type Res<C extends CardChannelName> =
  (typeof cardChannels)[C] extends ChannelDef<z.ZodType, infer R> ? R : never

/** The card slice of the router's handler table (same shape as `Handlers` once joined in contract.ts). */
export type CardHandlers = {
  [C in CardChannelName]: (request: Req<C>, ctx: CallContext) => Promise<Res<C>>
}

/** Handlers for the card channels over the card edge. Failures are StationErrors the router maps. */
export function createCardHandlers(deps: {
  edge: Pick<GidsCardEdge, 'identify' | 'pinStatus'>
}): CardHandlers {
  return {
    'card:identify': async ({ reader }) => {
      const { atr, cardId, isGids } = await deps.edge.identify(reader)
      return { atr, cardId, isGids }
    },
    'card:pin-status': async ({ reader }) => {
      const { triesLeft, limit } = await deps.edge.pinStatus(reader)
      return { triesLeft, limit }
    },
    // TODO(integration): the card-keys work replaces this before landing.
    'card:list-certificates': async () => {
      throw new StationError('internal', {}, 'card:list-certificates: not wired yet')
    },
  }
}

/** Channel names this module serves (for the lead to join into contract.ts and the router table). */
export const CARD_CHANNEL_NAMES = Object.keys(cardChannels) as CardChannelName[]
