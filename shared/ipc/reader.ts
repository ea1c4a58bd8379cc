import { z } from 'zod'
import type { ReaderSnapshot } from '../domain/reader'
import { channel, event } from './define'

/** Reader channels: the live reader panel. */
export const readerChannels = {
  /** Current snapshot (the renderer then follows `reader:changed`). */
  'reader:list': channel<z.ZodObject<{}>, ReaderSnapshot>(z.object({}).strict()),
}

/** Reader events. */
export const readerEvents = {
  /** Whole snapshot after any reader, card or service change. */
  'reader:changed': event<ReaderSnapshot>(),
}
