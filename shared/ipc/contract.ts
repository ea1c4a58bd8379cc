import type { z } from 'zod'
import { appChannels } from './app'
import { cardChannels } from './card'
import { cmChannels, cmEvents } from './cm'
import { cmConnectionChannels, cmConnectionEvents } from './cm-connection'
import type { ChannelDef, EventDef } from './define'
import { directoryChannels } from './directory'
import { enrollmentChannels, enrollmentEvents } from './enrollment'
import { readerChannels, readerEvents } from './reader'
import { trainingChannels } from './training'

/**
 * The whole IPC contract: every channel and event, declared once.
 * Feature files declare their slice; this file only joins them (add yours here).
 */
export const channels = {
  ...appChannels,
  ...readerChannels,
  ...cardChannels,
  ...cmChannels,
  ...cmConnectionChannels,
  ...trainingChannels,
  ...enrollmentChannels,
  ...directoryChannels,
} as const

/** Every main→renderer event. */
export const events = {
  ...readerEvents,
  ...cmEvents,
  ...cmConnectionEvents,
  ...enrollmentEvents,
} as const

export type Channels = typeof channels
export type Events = typeof events
export type ChannelName = keyof Channels
export type EventName = keyof Events

/** Parsed request type of a channel. */
export type RequestOf<C extends ChannelName> =
  Channels[C] extends ChannelDef<infer R, unknown> ? z.output<R> : never
/** Input (pre-parse) request type of a channel, as the renderer sends it. */
export type RequestInputOf<C extends ChannelName> =
  Channels[C] extends ChannelDef<infer R, unknown> ? z.input<R> : never
/** Response type of a channel. */
export type ResponseOf<C extends ChannelName> = Channels[C] extends ChannelDef<z.ZodType, infer R> ? R : never
/** Payload type of an event. */
export type EventPayloadOf<E extends EventName> = Events[E] extends EventDef<infer P> ? P : never

/** All channel names (run-time list, for hosts and tests). */
export const CHANNEL_NAMES = Object.keys(channels) as ChannelName[]
/** All event names. */
export const EVENT_NAMES = Object.keys(events) as EventName[]

/** True if `name` is a declared channel. */
export function isChannelName(name: unknown): name is ChannelName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(channels, name)
}

/** True if `name` is a declared event. */
export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(events, name)
}
