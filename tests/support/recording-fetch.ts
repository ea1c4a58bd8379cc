import type { CmFetch } from '../../electron/services/cm/http'

/**
 * A fetch for the station that also records the secret values crossing the CM wire — E14 keys, E15 challenges and
 * responses, E16 PINs — in every encoding the station could leak them in (base64, hex), so a test can prove that
 * none of them reached a log, a file, an audit record or an event. Shared by the lab e2e and the unit audit tests.
 */
export function recordingFetch(secrets: string[]): CmFetch {
  return async (url, init) => {
    const u = new URL(url)
    const challenge = u.searchParams.get('challenge')
    if (challenge) secrets.push(challenge, Buffer.from(challenge, 'base64').toString('hex'))
    const response = await fetch(url, init as RequestInit)
    const text = await response.text()
    if (
      /\/(diversifiedkey|authenticationresponse|serverproposedpin)$/i.test(u.pathname) &&
      response.status === 200
    ) {
      const value = JSON.parse(text) as string
      secrets.push(value, Buffer.from(value, 'base64').toString('hex'))
    }
    return { status: response.status, headers: response.headers, text: async () => text }
  }
}
