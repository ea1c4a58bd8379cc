import type { App, BrowserWindow, Input, Menu, WebContents } from 'electron'

/** Keys blocked with Ctrl (or ⌘): reload, close, new window, print, open, save, zoom in/out/reset. */
const BLOCKED_WITH_MOD = new Set(['r', 'w', 'n', 'p', 'o', 's', 't', '+', '-', '=', '0', 'f4', 'f5'])
/** Keys blocked with Ctrl+Shift: devtools (I, J, C), hard reload. */
const BLOCKED_WITH_MOD_SHIFT = new Set(['i', 'j', 'c', 'r'])
/** Keys blocked on their own: reload, full screen, devtools, the browser keys of multimedia keyboards. */
const BLOCKED_ALONE = new Set([
  'f5',
  'f11',
  'f12',
  'browserback',
  'browserforward',
  'browserrefresh',
  'browserhome',
  'browsersearch',
  'browserfavorites',
])

/**
 * Shortcuts a kiosk operator must not use: reload, devtools, zoom, print, new window, close (Alt+F4, Ctrl+W, Ctrl+F4),
 * full screen (F11), history (Alt+←/→) and the browser keys. Escape is NOT blocked: the page's dialogs need it, and
 * it does not leave a kiosk window's full screen (only the HTML Fullscreen API's, which the station never uses).
 */
export function isBlockedKioskInput(
  input: Pick<Input, 'type' | 'key' | 'control' | 'meta' | 'alt' | 'shift'>,
): boolean {
  if (input.type !== 'keyDown') return false
  const key = input.key.toLowerCase()
  const mod = input.control || input.meta
  if (BLOCKED_ALONE.has(key)) return true
  if (input.alt && (key === 'f4' || key === 'arrowleft' || key === 'arrowright')) return true
  if (mod && input.shift && BLOCKED_WITH_MOD_SHIFT.has(key)) return true
  if (mod && BLOCKED_WITH_MOD.has(key)) return true
  return false
}

/**
 * In-app kiosk guards on the window's contents: blocked shortcuts (before they reach the page or a menu accelerator),
 * no context menu (right click, Shift+F10, the Menu key), no pinch zoom. File drops are refused by the window's
 * `will-navigate` guard (a dropped file makes Chromium navigate to its file:// URL, window.ts) and by the renderer.
 * Real lock-down is Windows Assigned Access / Shell Launcher (field-notes §4): Alt+Tab, the Windows key and
 * Ctrl+Alt+Del cannot be blocked from inside the app.
 */
export function installKioskGuards(
  webContents: Pick<WebContents, 'on'> & Partial<Pick<WebContents, 'setVisualZoomLevelLimits'>>,
): void {
  webContents.on('before-input-event', (event, input) => {
    if (isBlockedKioskInput(input)) event.preventDefault()
  })
  webContents.on('context-menu', (event) => event.preventDefault())
  void webContents.setVisualZoomLevelLimits?.(1, 1)
}

/** What {@link lockKioskWindow} needs. */
export interface KioskWindowParts {
  window: Pick<BrowserWindow, 'on' | 'isKiosk' | 'setKiosk' | 'isDestroyed'>
  app: Pick<App, 'on'>
  menu: Pick<typeof Menu, 'setApplicationMenu'>
}

/**
 * Lock the kiosk window: no application menu (so no menu accelerator such as the default View ▸ Reload or Toggle Full
 * Screen), the window cannot be closed while the station runs (Alt+F4 through the system menu, a stray close
 * request) — only quitting the app (sign-out, shutdown, the shell manager) closes it — and it goes back to kiosk full
 * screen whenever something took it out.
 */
export function lockKioskWindow({ window, app, menu }: KioskWindowParts): void {
  menu.setApplicationMenu(null)
  let quitting = false
  const allowClose = (): void => {
    quitting = true
  }
  app.on('before-quit', allowClose)
  // Windows is ending the session (sign-out, restart): never stand in its way (Shell Launcher cannot block it anyway).
  window.on('query-session-end', allowClose)
  window.on('session-end', allowClose)
  window.on('close', (event) => {
    if (!quitting) event.preventDefault()
  })
  window.on('leave-full-screen', () => {
    if (!quitting && !window.isDestroyed() && !window.isKiosk()) window.setKiosk(true)
  })
}
