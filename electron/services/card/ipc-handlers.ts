import type { z } from 'zod'
import type { ChannelDef } from '../../../shared/ipc/define'
import { cardChannels, type CardChannelName, type CardContainerView } from '../../../shared/ipc/card'
import { describeCertificate, samePublicKey } from '../pki/certificate-info'
import type { CallContext } from '../ipc/router'
import type { GidsCardEdge } from './gids-card-edge'
import type { CardContainer } from './types'

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
  edge: Pick<GidsCardEdge, 'identify' | 'pinStatus' | 'listContainers'>
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
    'card:list-certificates': async ({ reader }) =>
      (await deps.edge.listContainers(reader)).map(containerView),
  }
}

/** Channel names this module serves (for the lead to join into contract.ts and the router table). */
export const CARD_CHANNEL_NAMES = Object.keys(cardChannels) as CardChannelName[]

/**
 * The JSON-plain view of a container (shared/ipc/card.ts): certificate fields from describeCertificate,
 * `matchesKey` from samePublicKey against the key on the card. A stored file that is not a readable
 * certificate shows as no certificate rather than failing the whole list.
 */
export function containerView(c: CardContainer): CardContainerView {
  let certificate: CardContainerView['certificate'] = null
  if (c.certificate) {
    try {
      const info = describeCertificate(c.certificate)
      certificate = {
        subject: info.subject,
        issuer: info.issuer,
        notBefore: info.notBefore,
        notAfter: info.notAfter,
        serialNumber: info.serialNumber,
        thumbprint: info.thumbprint,
        templateName: info.templateName,
        matchesKey: c.publicKey !== null && samePublicKey(c.publicKey, info.publicKey),
      }
    } catch {
      certificate = null
    }
  }
  return {
    index: c.index,
    name: c.name,
    isDefault: c.isDefault,
    keyUsage: c.usage,
    keyBits: c.bits,
    certificate,
  }
}
