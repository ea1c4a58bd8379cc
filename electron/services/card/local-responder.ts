import { adminResponse, zeroize } from '../crypto/des'
import type { AdminResponder } from './types'

/** A responder that holds an admin key locally (training mode, tests, the bench). */
export interface LocalResponder {
  /** E(K, challenge), the CM `authenticationresponse` computed here (cm-rest-api.md §5.2). */
  respond: AdminResponder
  /** Zero the held key copy; respond() fails afterwards. */
  dispose(): void
}

/**
 * Training/test stand-in for CM's authenticationresponse: 3DES-ECB of the challenge under a copy of
 * `key` (the caller keeps and zeroes its own buffer). Production uses the CM server, never this.
 */
export function createLocalResponder(key: Uint8Array): LocalResponder {
  if (key.length !== 24) throw new RangeError('admin key must be 24 bytes')
  let held: Buffer | null = Buffer.from(key)
  return {
    respond: async (challenge) => {
      if (!held) throw new Error('local responder disposed')
      return adminResponse(held, challenge)
    },
    dispose: () => {
      zeroize(held)
      held = null
    },
  }
}
