// Brings jest-dom's matcher types to tsconfig.web.json (the runtime import is in tests/unit/setup.ts).
import '@testing-library/jest-dom/vitest'
