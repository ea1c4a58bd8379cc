import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import type { GidsCardState } from './gids-state'
import { parseState } from './gids-state'

/**
 * `--state file.json`: the virtual card's non-volatile memory on disk. It contains the card's PIN and
 * admin key by design (it *is* the card); it is a simulator/test artefact, never written by the station.
 */

/** Read and validate a state file; null when it does not exist. Throws on a corrupt file. */
export function loadStateFile(path: string): GidsCardState | null {
  if (!existsSync(path)) return null
  return parseState(JSON.parse(readFileSync(path, 'utf8')) as unknown)
}

/** Write the state atomically (temp file + rename), readable by the owner only. */
export function saveStateFile(path: string, state: GidsCardState): void {
  const tmp = `${path}.${process.pid}.tmp`
  writeFileSync(tmp, JSON.stringify(state, null, 2) + '\n', { mode: 0o600 })
  renameSync(tmp, path)
}
