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
  /** A directory is configured (training: the simulator's users): show names and the holder search box. */
  directory: boolean
  /**
   * PIN display policy for a server-proposed PIN (configuration `pinDisplay`): `show` until the step is left,
   * `reveal` masked with press-to-reveal (hidden again after 10 s), `never` shown only on a holder-facing
   * confirmation the operator dismisses without seeing it.
   */
  pinDisplay: PinDisplayPolicy
  /**
   * The readers configuration (case-insensitive name substrings): `allow` empty = every reader; `deny` holds by
   * default the platform authenticators ("Windows Hello", "Microsoft Passport"). Shown so the desk can see why a
   * reader is missing.
   */
  readerFilter: { allow: string[]; deny: string[] }
  /** Kiosk mode: idle reset after `idleTimeoutSec` and a reset when the holder takes the new badge on the summary. */
  kiosk: boolean
  /** Kiosk: seconds without input before the station returns to Home (countdown in the last 30 s). */
  idleTimeoutSec: number
  /** The configured start language, or null (the operator's remembered choice, else the system's). */
  language: 'en' | 'pt-BR' | 'nl-NL' | null
}

/** See AppInfo.pinDisplay. */
export type PinDisplayPolicy = 'show' | 'reveal' | 'never'

/**
 * `app:export-diagnostics`: where the zip of logs, audit log and `about.json` went — the path and file name only,
 * never its contents — or `canceled` (the operator closed the save dialog). Failure: `export-failed`.
 */
export type DiagnosticsExportResult =
  { status: 'saved'; path: string; fileName: string } | { status: 'canceled' }

/** App-level channels. */
export const appChannels = {
  'app:info': channel<z.ZodObject<{}>, AppInfo>(z.object({}).strict()),
  /** Write the diagnostics zip for the help desk (Electron: a save dialog; the preview: `<dataDir>/exports/`). */
  'app:export-diagnostics': channel<z.ZodObject<{}>, DiagnosticsExportResult>(z.object({}).strict()),
}
