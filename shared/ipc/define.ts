import type { z } from 'zod'

/** A request/response channel: a zod schema for the request and a phantom response type. */
export interface ChannelDef<Req extends z.ZodType = z.ZodType, Res = unknown> {
  request: Req
  /** Phantom: carries the response type only. Never read at run time. */
  response?: Res
}

/** A main→renderer event: a phantom payload type. */
export interface EventDef<P = unknown> {
  payload?: P
}

/** Declare a channel. `area:verb` naming is checked by the contract tests. */
export function channel<Req extends z.ZodType, Res>(request: Req): ChannelDef<Req, Res> {
  return { request }
}

/** Declare an event. */
export function event<P>(): EventDef<P> {
  return {}
}
