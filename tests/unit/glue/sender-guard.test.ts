import { describe, expect, it, vi } from 'vitest'

// The guard only uses Electron types; mock the module anyway so nothing can try to download Electron.
vi.mock('electron', () => ({}))

import { isTrustedSender, type TrustedRenderer } from '../../../electron/glue/sender-guard'

function frame(url: string, parent: unknown = null) {
  return { url, parent }
}

function eventFrom(senderId: number, senderFrame: unknown, mainFrame: unknown) {
  return { sender: { id: senderId, mainFrame }, senderFrame } as never
}

const trusted: TrustedRenderer = { webContentsId: () => 7, origin: 'app://station' }

describe('IPC sender guard (deny by default)', () => {
  it('accepts our window main frame on our origin', () => {
    const main = frame('app://station/index.html')
    expect(isTrustedSender(eventFrom(7, main, main), trusted)).toBe(true)
  })

  it('denies another WebContents', () => {
    const main = frame('app://station/index.html')
    expect(isTrustedSender(eventFrom(8, main, main), trusted)).toBe(false)
  })

  it('denies a subframe of our window, even on our origin', () => {
    const main = frame('app://station/index.html')
    const sub = frame('app://station/index.html', main)
    expect(isTrustedSender(eventFrom(7, sub, main), trusted)).toBe(false)
  })

  it('denies our main frame after it navigated to a foreign origin', () => {
    const main = frame('https://evil.example/')
    expect(isTrustedSender(eventFrom(7, main, main), trusted)).toBe(false)
  })

  it('denies when the frame is gone or before the window exists', () => {
    const main = frame('app://station/index.html')
    expect(isTrustedSender(eventFrom(7, null, main), trusted)).toBe(false)
    expect(isTrustedSender(eventFrom(7, main, main), { ...trusted, webContentsId: () => null })).toBe(false)
  })

  it('denies look-alike origins', () => {
    for (const url of ['app://station.evil/x', 'app://stationx/', 'http://station/', 'not a url']) {
      const main = frame(url)
      expect(isTrustedSender(eventFrom(7, main, main), trusted)).toBe(false)
    }
  })
})
