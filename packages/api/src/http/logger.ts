/** The few logging calls the app makes; satisfied by Powertools' Logger and by a silent or capturing test double. */
export interface Logger {
  info(message: string, extra?: Record<string, unknown>): void;
  error(message: string, extra?: Record<string, unknown>): void;
}

export const silentLogger: Logger = { info() {}, error() {} };
