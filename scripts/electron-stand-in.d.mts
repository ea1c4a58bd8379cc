// Types for scripts/electron-stand-in.mjs (used by the packaging check and its unit tests).

/** The sentinel that precedes the fuse wire in every Electron binary since Electron 12. */
export declare const FUSE_SENTINEL: string
/** Electron's V1 fuse wire at its defaults, one '0'/'1' per fuse in wire order. */
export declare const ELECTRON_DEFAULT_FUSES: string
/** Names of the wire positions newer than @electron/fuses 1.8.0's FuseV1Options. */
export declare const NEWER_FUSE_NAMES: Readonly<Record<number, string>>
/** The bytes of a V1 fuse wire: sentinel, version 1, length, one ASCII '0'/'1'/'r' byte per fuse. */
export declare function fuseWire(states?: string): Buffer
/** Writes a stand-in Linux Electron distribution into `dir`; returns the executable's path. */
export declare function writeLinuxStandIn(dir: string): string
/** Writes a stand-in Windows Electron distribution into `dir`; returns the executable's path. */
export declare function writeWindowsStandIn(dir: string, electronVersion: string, states?: string): string
