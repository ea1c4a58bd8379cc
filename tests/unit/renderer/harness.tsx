import { act, cleanup, render, screen, waitFor } from '@testing-library/react'
import { StrictMode } from 'react'
import type { EnrollmentView } from '../../../shared/domain/enrollment'
import type { RendererApp } from '../../../renderer/boot'
import { navigate } from '../../../renderer/store/enrollment-actions'
import type { Screen } from '../../../renderer/store/navigation-slice'
import {
  bootWithFakeStation,
  createFakeStation,
  removeFakeStation,
  type FakeStation,
  type FakeStationOptions,
} from './fake-station'

let current: RendererApp | null = null

/**
 * Boot the real renderer on a fake station and render it (call {@link stopApp} in afterEach). `setup` scripts the
 * fake before the first call reaches it.
 */
export function startApp(
  options: FakeStationOptions = {},
  setup?: (fake: FakeStation) => void,
  languages?: readonly string[],
  strict = false,
) {
  const fake = createFakeStation(options)
  setup?.(fake)
  const app = bootWithFakeStation(fake, languages)
  current = app
  // StrictMode as main.tsx renders it: effects run twice in development, which must not repeat IPC intents.
  render(strict ? <StrictMode>{app.element}</StrictMode> : app.element)
  return { fake, app }
}

/** Unmount, stop the syncs, remove window.station. */
export function stopApp(): void {
  cleanup()
  current?.dispose()
  current = null
  removeFakeStation()
}

/** Boot with `view` in `enrollment:list` and open its flow page (as Resume does). */
export async function openEnrollment(
  view: EnrollmentView,
  options: FakeStationOptions = {},
  setup?: (fake: FakeStation) => void,
  strict = false,
) {
  const started = startApp(
    { ...options, enrollments: [view, ...(options.enrollments ?? [])] },
    setup,
    undefined,
    strict,
  )
  await screen.findByTestId('in-progress-item')
  goTo(started.app, { name: 'issue', requestId: view.requestId })
  return started
}

/** Go to a page the way the operator's buttons do. */
export function goTo(app: RendererApp, screenTo: Screen): void {
  act(() => navigate(app.store, screenTo))
}

/** The flow container. */
export const flow = (): HTMLElement => screen.getByTestId('enrollment')

/** Let pending promise callbacks (fake IPC answers) run inside act. */
export async function settleAll(): Promise<void> {
  await act(async () => {
    for (let i = 0; i < 5; i++) await Promise.resolve()
  })
}

/** A promise with its resolver, to hold an IPC answer back. */
export function deferred<T>() {
  let resolve!: (value: T) => void
  const promise = new Promise<T>((r) => (resolve = r))
  return { promise, resolve }
}

/**
 * The open dialog. Looked up by its role attribute, not through the accessibility tree: in jsdom, tabster (Fluent's
 * focus manager) sometimes leaves `aria-hidden` on a freshly opened dialog surface, because jsdom lays nothing out.
 * The e2e tests in Chromium check the real dialog's accessibility.
 */
export async function findDialog(): Promise<HTMLElement> {
  return waitFor(() => {
    const dialog = document.querySelector<HTMLElement>('[role="dialog"]')
    if (!dialog) throw new Error('no dialog')
    return dialog
  })
}
