import type { App, BrowserWindow, Details, RenderProcessGoneDetails } from 'electron'
import type { Logger } from '../services/log'
import type { CrashRecoveryPolicy } from '../services/kiosk/crash-recovery'
import { STATION_EXIT_CODES } from '../services/kiosk/exit-codes'

/** Child processes whose death leaves the window blank or frozen: the GPU process, utility processes (network…). */
const WATCHED_CHILDREN: ReadonlySet<Details['type']> = new Set(['GPU', 'Utility'])
/**
 * How a child process dies by accident. Not `clean-exit` and not `killed`: Chromium ends idle utility services itself
 * (and kills children while it quits).
 */
const CHILD_CRASHES: ReadonlySet<Details['reason']> = new Set([
  'abnormal-exit',
  'crashed',
  'oom',
  'launch-failed',
  'integrity-failure',
])

/** What {@link installCrashRecovery} needs. */
export interface CrashRecoveryParts {
  app: Pick<App, 'on' | 'relaunch' | 'exit'>
  window: Pick<BrowserWindow, 'isDestroyed' | 'loadURL'> & {
    webContents: Pick<BrowserWindow['webContents'], 'on'>
  }
  /** The station's start page: a reload always lands on Home (the renderer keeps no route in the URL). */
  url: string
  policy: CrashRecoveryPolicy
  /**
   * True: after repeated crashes the station starts a new copy of itself, then exits. False (`--shell-restarts`):
   * it only exits with `crashLoop`, and the shell manager (Windows Shell Launcher) starts it again.
   */
  relaunch: boolean
  log: Logger
  setTimer?: (run: () => void, ms: number) => unknown
  clearTimer?: (handle: unknown) => void
}

/**
 * Recover the kiosk window from crashes (field-notes §4): when its renderer dies (`render-process-gone`, any reason
 * but a clean exit) or the GPU / a utility process dies (`child-process-gone`), load the start page again after the
 * policy's backoff; when the policy says the crashes repeat, relaunch the station and exit with
 * `STATION_EXIT_CODES.crashLoop`. Enrollments are checkpointed in main, so Home lists any one in progress with Resume
 * after the reload; PINs held in main stay there until the certificate step or their expiry. Returns a dispose
 * function that cancels a pending reload.
 */
export function installCrashRecovery(parts: CrashRecoveryParts): () => void {
  const setTimer = parts.setTimer ?? ((run, ms) => setTimeout(run, ms))
  const clearTimer = parts.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>))
  let pending: unknown = null
  let exiting = false

  const crashed = (what: string, reason: string, exitCode: number): void => {
    if (exiting) return
    const decision = parts.policy.crashed()
    if (decision.action === 'relaunch') {
      exiting = true
      if (pending !== null) clearTimer(pending)
      pending = null
      parts.log.error('kiosk: crashes keep coming, the station restarts', {
        what,
        reason,
        exitCode,
        crashes: decision.crashes,
        relaunch: parts.relaunch,
      })
      if (parts.relaunch) parts.app.relaunch()
      parts.app.exit(STATION_EXIT_CODES.crashLoop)
      return
    }
    parts.log.warn('kiosk: a process crashed, the window reloads', {
      what,
      reason,
      exitCode,
      attempt: decision.attempt,
      delayMs: decision.delayMs,
    })
    // A crash while a reload waits moves the reload to the new (longer) delay.
    if (pending !== null) clearTimer(pending)
    pending = setTimer(() => {
      pending = null
      if (parts.window.isDestroyed()) return
      parts.window
        .loadURL(parts.url)
        .catch((error: unknown) => parts.log.error('kiosk: reloading the window failed', { error }))
    }, decision.delayMs)
  }

  // Quitting ends the children and the renderer: not a crash.
  parts.app.on('before-quit', () => {
    exiting = true
  })
  parts.window.webContents.on('render-process-gone', (_event, details: RenderProcessGoneDetails) => {
    if (details.reason !== 'clean-exit') crashed('renderer', details.reason, details.exitCode)
  })
  parts.app.on('child-process-gone', (_event, details: Details) => {
    if (WATCHED_CHILDREN.has(details.type) && CHILD_CRASHES.has(details.reason)) {
      crashed(details.type, details.reason, details.exitCode)
    }
  })
  return () => {
    if (pending !== null) clearTimer(pending)
    pending = null
  }
}
