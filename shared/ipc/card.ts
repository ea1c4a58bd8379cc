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

/** One key container on a card (cmapfile record, gids-card-edge.md §9.4) and the certificate stored for it. */
export interface CardContainerView {
  /** Record index: key `81+index`, certificate `kxcNN` / `kscNN` (§9.4). */
  index: number
  /** Container name (`wszGuid`). */
  name: string
  /** The minidriver's default container (bFlags bit 1). */
  isDefault: boolean
  /** `key-exchange` (may decrypt and sign) or `signature` (sign only), from which key size field is set. */
  keyUsage: 'key-exchange' | 'signature'
  /** RSA modulus size in bits. */
  keyBits: number
  /** The certificate file for this container, or null when none is stored. */
  certificate: CardCertificateView | null
}

/** A certificate read from a card (parsed from the DER; nothing secret). */
export interface CardCertificateView {
  subject: string
  issuer: string
  /** ISO instants. */
  notBefore: string
  notAfter: string
  /** Upper-case hex. */
  serialNumber: string
  /** Upper-case hex SHA-1 of the DER (what CM shows as Thumbprint). */
  thumbprint: string
  /** Microsoft certificate template name or OID (extension 1.3.6.1.4.1.311.20.2 / .21.7), when present. */
  templateName: string | null
  /** The certificate's public key matches the container's key on the card. */
  matchesKey: boolean
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
  /** Key containers and certificates on the card in `reader` (read without PIN: all public, §4.3). */
  'card:list-certificates': channel<typeof readerRequest, CardContainerView[]>(readerRequest),
}

/** Names of the card channels. */
export type CardChannelName = keyof typeof cardChannels
