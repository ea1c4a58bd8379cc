import type { IpcMainInvokeEvent, WebFrameMain } from 'electron'

/** What identifies our own window: its WebContents id and the origin its page is served from. */
export interface TrustedRenderer {
  /** id of the main window's WebContents (null before it exists: then nothing is trusted). */
  webContentsId(): number | null
  /** Origin the station page is loaded from, e.g. `app://station`. */
  origin: string
}

function originOf(url: string): string | null {
  try {
    const u = new URL(url)
    // Custom standard schemes report origin "null" in Node's URL; compare scheme + host instead.
    return u.origin !== 'null' ? u.origin : `${u.protocol}//${u.host}`
  } catch {
    return null
  }
}

/**
 * Deny by default: accept an IPC message only from our window's WebContents, from its MAIN frame
 * (never a subframe), and only while that frame shows our origin (conventions §3, Electron security #17).
 */
export function isTrustedSender(
  event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>,
  trusted: TrustedRenderer,
): boolean {
  const id = trusted.webContentsId()
  if (id === null || event.sender?.id !== id) return false
  const frame: WebFrameMain | null | undefined = event.senderFrame
  if (!frame) return false // frame navigated or destroyed while the message was in flight
  if (frame !== event.sender.mainFrame || frame.parent !== null) return false
  return originOf(frame.url) === trusted.origin
}
