/**
 * The station's process exit codes. A shell manager acts on them: under Windows Shell Launcher v2 each one is mapped
 * to a `ReturnCodeAction` (README "Kiosk mode"); anything else (a crash of the main process itself) falls to the
 * profile's `DefaultAction`.
 */
export const STATION_EXIT_CODES = {
  /** The station quit normally: the operator closed it (outside kiosk mode), the session ended. */
  quit: 0,
  /** The configuration is invalid: the station named the offending fields and stopped. Restarting cannot help. */
  badConfiguration: 2,
  /**
   * The window's renderer (or the GPU / a utility process) crashed again and again: reloading did not help, the
   * station relaunches as a whole (by itself, or — with {@link SHELL_RESTARTS_SWITCH} — by the shell manager).
   */
  crashLoop: 3,
} as const

/** One of {@link STATION_EXIT_CODES}. */
export type StationExitCode = (typeof STATION_EXIT_CODES)[keyof typeof STATION_EXIT_CODES]

/**
 * Command-line switch: a shell manager (Windows Shell Launcher) restarts the station when it exits, so after repeated
 * crashes it only exits with `crashLoop` and does not start a copy of itself (Shell Launcher follows the process it
 * started; a process that starts another and exits is a "stub launcher" it cannot follow).
 */
export const SHELL_RESTARTS_SWITCH = '--shell-restarts'
