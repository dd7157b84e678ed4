// A logger that records lines instead of printing them (for asserting rate-limited error logging).
import type { Logger } from '@smartsocket/logger';

export interface RecordingLogger extends Logger {
  readonly lines: Array<{ level: string; message: string }>;
}

export function recordingLogger(): RecordingLogger {
  const lines: Array<{ level: string; message: string }> = [];
  const record =
    (level: string) =>
    (message: string): void => {
      lines.push({ level, message });
    };
  return {
    lines,
    error: record('error'),
    warn: record('warn'),
    info: record('info'),
    debug: record('debug'),
    trace: record('trace'),
  } as unknown as RecordingLogger;
}
