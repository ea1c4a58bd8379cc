/** DOM events that count as someone using the station (keyboard, mouse, pen, touch, wheel). */
export const INPUT_EVENTS = ['keydown', 'pointerdown', 'pointermove', 'wheel', 'touchstart'] as const

/**
 * Kiosk guards in the page, document-wide (they work in the browser preview too): no context menu, nothing dragged
 * out of the station, nothing dropped into it — a file dropped on a page makes the browser open it in place of the
 * station (Electron's `will-navigate` guard refuses that navigation as well). Returns the function that removes them.
 */
export function installDocumentGuards(doc: Document): () => void {
  const refuse = (event: Event): void => event.preventDefault()
  const refuseDrag = (event: DragEvent): void => {
    event.preventDefault()
    // Shown as "no drop here" while a file hovers over the window.
    if (event.dataTransfer) event.dataTransfer.dropEffect = 'none'
  }
  doc.addEventListener('contextmenu', refuse, true)
  doc.addEventListener('dragstart', refuse, true)
  doc.addEventListener('dragover', refuseDrag, true)
  doc.addEventListener('dragenter', refuseDrag, true)
  doc.addEventListener('drop', refuse, true)
  return () => {
    doc.removeEventListener('contextmenu', refuse, true)
    doc.removeEventListener('dragstart', refuse, true)
    doc.removeEventListener('dragover', refuseDrag, true)
    doc.removeEventListener('dragenter', refuseDrag, true)
    doc.removeEventListener('drop', refuse, true)
  }
}

/**
 * Call `onInput` for every keyboard, pointer, touch or wheel input on the document. A pointer "move" that does not
 * move (Chromium re-sends the last position when the page changes under a still mouse) is not input.
 */
export function watchInput(doc: Document, onInput: () => void): () => void {
  let lastX: number | null = null
  let lastY: number | null = null
  const listener = (event: Event): void => {
    if (event.type === 'pointermove') {
      const { clientX, clientY } = event as PointerEvent
      if (clientX === lastX && clientY === lastY) return
      lastX = clientX
      lastY = clientY
    }
    onInput()
  }
  for (const name of INPUT_EVENTS) doc.addEventListener(name, listener, { capture: true, passive: true })
  return () => {
    for (const name of INPUT_EVENTS) doc.removeEventListener(name, listener, { capture: true })
  }
}
