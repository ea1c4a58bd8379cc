import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { contentType, CSP, resolveInside } from '../../../electron/services/static-files'

describe('renderer static files', () => {
  const root = '/app/out/renderer'

  it('resolves files inside the root and / to index.html', () => {
    expect(resolveInside(root, '/')).toBe(join(root, 'index.html'))
    expect(resolveInside(root, '/assets/index-abc.js')).toBe(join(root, 'assets/index-abc.js'))
  })

  it('never resolves outside the root, whatever the traversal', () => {
    for (const p of [
      '/../secret',
      '/assets/../../etc/passwd',
      '/%2e%2e/%2e%2e/etc/passwd',
      '/..%2f..%2fetc/passwd',
      '/..\\..\\x',
    ]) {
      const full = resolveInside(root, p)
      expect(full === null || full.startsWith(root + '/')).toBe(true)
      expect(full ?? '').not.toContain('/etc/passwd'.replace('/etc', '/app/etc'))
    }
    expect(resolveInside(root, '/../secret')).toBe(join(root, 'secret'))
  })

  it('refuses NUL bytes and malformed escapes', () => {
    expect(resolveInside(root, '/a%00.js')).toBeNull()
    expect(resolveInside(root, '/%E0%A4%A')).toBeNull()
  })

  it('serves scripts only from self and forbids objects, framing and base changes', () => {
    expect(CSP).toContain("script-src 'self'")
    expect(CSP).not.toMatch(/script-src[^;]*unsafe-(inline|eval)/)
    expect(CSP).toContain("object-src 'none'")
    expect(CSP).toContain("frame-ancestors 'none'")
    expect(contentType('x.js')).toMatch(/javascript/)
    expect(contentType('x.bin')).toBe('application/octet-stream')
  })
})
