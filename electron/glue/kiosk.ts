import type { Input, WebContents } from 'electron'

/** Shortcuts a kiosk operator must not use: reload, devtools, zoom, print, new window, close. */
export function isBlockedKioskInput(
  input: Pick<Input, 'type' | 'key' | 'control' | 'meta' | 'alt' | 'shift'>,
): boolean {
  if (input.type !== 'keyDown') return false
  const key = input.key.toLowerCase()
  const mod = input.control || input.meta
  if (key === 'f5' || key === 'f11' || key === 'f12') return true
  if (input.alt && key === 'f4') return true
  if (mod && ['r', 'w', 'n', 'p', 'o', 's', '+', '-', '=', '0'].includes(key)) return true
  if (mod && input.shift && ['i', 'j', 'c'].includes(key)) return true
  return false
}

/**
 * In-app kiosk guards. Real lock-down is Windows Assigned Access / Shell Launcher (field-notes §4):
 * Alt+Tab, Win keys and Ctrl+Alt+Del cannot be blocked from inside the app.
 */
export function installKioskGuards(webContents: Pick<WebContents, 'on'>): void {
  webContents.on('before-input-event', (event, input) => {
    if (isBlockedKioskInput(input)) event.preventDefault()
  })
}
