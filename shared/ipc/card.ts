import { z } from 'zod'
import { channel } from './define'

/** What the renderer may know about a card (no secrets: no keys, PINs, challenges or responses). */
export interface CardIdentityView {
  /** ATR, lower-case hex. */
  atr: string
  /** cardid as CM's GUID text (lower case, no braces); null on a blank or non-GIDS card. */
  cardId: string | null
  /** The card answered SELECT of the GIDS application. */
  isGids: boolean
}

/** User PIN retry counters (GIDS DO 7F71). */
export interface PinStatusView {
  triesLeft: number
  limit: number
}

/** A PC/SC reader name: bounded, as every IPC string (conventions §2). */
const readerRequest = z.object({ reader: z.string().min(1).max(256) }).strict()

/**
 * Card channels. Read-only by design: setting PINs and admin keys is driven by the enrollment flow
 * in main (keys come from CM, never from the renderer).
 */
export const cardChannels = {
  /** ATR, cardid and GIDS-ness of the card in `reader`. */
  'card:identify': channel<typeof readerRequest, CardIdentityView>(readerRequest),
  /** PIN tries left / limit of the card in `reader`. */
  'card:pin-status': channel<typeof readerRequest, PinStatusView>(readerRequest),
}

/** Names of the card channels. */
export type CardChannelName = keyof typeof cardChannels
