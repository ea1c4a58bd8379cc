import { z } from 'zod'
import type { CmConnectionStatus } from '../domain/cm-connection'
import { channel, event } from './define'

/** `cm:check-connection`: check now (joins a check already running) and answer its result. */
export const cmCheckConnectionRequest = z.object({}).strict()

/** `cm:connection-status`: the last known status, without a new check (a renderer that starts or reconnects). */
export const cmConnectionStatusRequest = z.object({}).strict()

/** The connection-check channels (area `cm`; joined into contract.ts). */
export const cmConnectionChannels = {
  /** Reach and sign in to CM now (one E01 read); the answer is the resulting status (also sent as an event). */
  'cm:check-connection': channel<typeof cmCheckConnectionRequest, CmConnectionStatus>(
    cmCheckConnectionRequest,
  ),
  /** The current status (the state `checking` while the first check runs). */
  'cm:connection-status': channel<typeof cmConnectionStatusRequest, CmConnectionStatus>(
    cmConnectionStatusRequest,
  ),
}

/** Connection-check events (joined into contract.ts). */
export const cmConnectionEvents = {
  /** Every change: `checking` when a check starts, then its result (at start, on demand, every `connectionCheckSec`). */
  'cm:connection-changed': event<CmConnectionStatus>(),
}
