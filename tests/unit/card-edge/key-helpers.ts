import { createPublicKey, verify } from 'node:crypto'
import { nodeHashName, type DigestAlgorithm } from '../../../electron/services/pki/digest-info'
import type { GidsCard } from '../../../electron/simulator/card/gids-card'
import type { CardProcessor } from '../../../electron/simulator/card/vpcd-client'

/** The test PIN of edge-helpers' setup(). */
export const PIN = '12345678'

/** A DO of the card's persistent state (EF and DO as numbers), or undefined. */
export function cardDo(card: GidsCard, ef: number, tag: number): Buffer | undefined {
  const v = card.snapshot().files[ef.toString(16).padStart(4, '0')]?.dos[tag.toString(16)]
  return v === undefined ? undefined : Buffer.from(v, 'hex')
}

/** cardcf counters: containers and files freshness (u16 LE at 2 and 4, gids-card-edge.md §4.5). */
export function cardcf(card: GidsCard): { containers: number; files: number } {
  const b = cardDo(card, 0xa010, 0xdf22)!
  return { containers: b.readUInt16LE(2), files: b.readUInt16LE(4) }
}

/** True when node:crypto verifies `signature` (PKCS#1 v1.5) over `message` with the DER SPKI. */
export function verifies(
  spki: Buffer,
  algorithm: DigestAlgorithm,
  message: Buffer,
  signature: Buffer,
): boolean {
  const key = createPublicKey({ key: spki, format: 'der', type: 'spki' })
  return verify(nodeHashName(algorithm), message, key, signature)
}

/** RSA modulus size of a DER SPKI. */
export function modulusBits(spki: Buffer): number | undefined {
  return createPublicKey({ key: spki, format: 'der', type: 'spki' }).asymmetricKeyDetails?.modulusLength
}

/**
 * A card that answers `sw` instead of the real card to APDUs whose hex starts with `prefix` (fault
 * injection for status words the virtual card has no natural reason to give: 6A84 on CREATE FILE,
 * 6A81 on MSE, 6982 on GENERATE). Everything else goes to the real card.
 */
export function answering(card: GidsCard, prefix: string, sw: string): CardProcessor {
  return {
    get atr() {
      return card.atr
    },
    process: (apdu) =>
      Buffer.from(apdu).toString('hex').startsWith(prefix) ? Buffer.from(sw, 'hex') : card.process(apdu),
    powerOn: () => card.powerOn(),
    reset: () => card.reset(),
    powerOff: () => card.powerOff(),
  }
}
