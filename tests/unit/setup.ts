// Shared setup for unit and component tests.
import '@testing-library/jest-dom/vitest'
import { afterEach } from 'vitest'

// Fluent UI's MessageBar needs ResizeObserver, which jsdom lacks (toolchain.md §7).
if (typeof globalThis.ResizeObserver === 'undefined') {
  globalThis.ResizeObserver = class {
    observe(): void {}
    unobserve(): void {}
    disconnect(): void {}
  } as unknown as typeof ResizeObserver
}

// The renderer remembers the operator's language in localStorage: each test starts from the browser's language.
afterEach(() => {
  if (typeof globalThis.localStorage !== 'undefined') globalThis.localStorage.clear()
})
