import { userInfo } from 'node:os'

/** What `operatorAccount` reads (injectable for tests). */
export interface OperatorSource {
  platform: NodeJS.Platform
  env: NodeJS.ProcessEnv
  /** `os.userInfo().username`. */
  username: () => string
}

const defaultSource: OperatorSource = {
  platform: process.platform,
  env: process.env,
  username: () => userInfo().username,
}

/**
 * The Windows account running the station: `DOMAIN\\user` on Windows (USERDOMAIN, as Windows sets it at sign-in),
 * else the local user name. Against a real CM server this IS the operator: Electron's net.fetch answers CM's
 * Negotiate challenge with the signed-in account (Windows Integrated Authentication, field-notes §4), so CM records
 * the same account as the caller. An unreadable account (no passwd entry) is `unknown`.
 */
export function operatorAccount(source: OperatorSource = defaultSource): string {
  let user: string
  try {
    user = source.username()
  } catch {
    return 'unknown'
  }
  const domain = source.env.USERDOMAIN
  return source.platform === 'win32' && domain ? `${domain}\\${user}` : user
}
