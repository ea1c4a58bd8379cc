import { createHash } from 'node:crypto'
import { homedir } from 'node:os'
import { join } from 'node:path'

/** Node default for `dataDir` (preview, CLI): `~/.cm-enrollment-station`. Electron passes userData instead. */
export function defaultDataDir(home: string = homedir()): string {
  return join(home, '.cm-enrollment-station')
}

/**
 * The journal file name for a CM server: `journal-<host>-<hash8>.json` (the hash tells two web
 * applications on one host apart), or `journal-training.json` for the built-in simulator. Separate files
 * keep training entries away from a real server and one server's entries away from another's.
 */
export function journalFileName(appRoot: string | null): string {
  if (appRoot === null) return 'journal-training.json'
  const url = new URL(appRoot)
  const host = url.host.toLowerCase().replace(/[^a-z0-9.-]/g, '_')
  const key = `${url.protocol}//${url.host}${url.pathname}`.toLowerCase().replace(/\/+$/, '')
  const hash = createHash('sha256').update(key).digest('hex').slice(0, 8)
  return `journal-${host}-${hash}.json`
}

/** Full path of the journal file in `dataDir` for a server (null = training). */
export function journalFilePath(dataDir: string, appRoot: string | null): string {
  return join(dataDir, journalFileName(appRoot))
}
