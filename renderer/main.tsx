import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { createRendererApp } from './boot'

const container = document.getElementById('root')
if (!container) throw new Error('index.html has no #root')
const app = createRendererApp(window)
createRoot(container).render(<StrictMode>{app.element}</StrictMode>)
