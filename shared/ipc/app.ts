import { z } from 'zod'
import { channel } from './define'

/** What the renderer needs to know about the station at start-up. */
export interface AppInfo {
  version: string
  /** No CM server configured: built-in simulator and virtual cards; no real certificates. */
  trainingMode: boolean
  /** Host of the configured CM server (never credentials), or null in training mode. */
  cmServer: string | null
  /** Which host runs the station: Electron, or the browser preview bridge. */
  host: 'electron' | 'preview'
}

/** App-level channels. */
export const appChannels = {
  'app:info': channel<z.ZodObject<{}>, AppInfo>(z.object({}).strict()),
}
