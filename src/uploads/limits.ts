import { DomainError } from '../http/errors.js';

/** Bytes as people read them in a message: "20 MB", "512 KB", "1,5 MB". */
export function formatBytes(bytes: number): string {
  const units: Array<[number, string]> = [
    [1024 * 1024 * 1024, 'GB'],
    [1024 * 1024, 'MB'],
    [1024, 'KB'],
  ];
  for (const [size, unit] of units)
    if (bytes >= size) {
      const n = Math.round((bytes / size) * 10) / 10;
      return `${String(n).replace('.', ',')} ${unit}`;
    }
  return `${bytes} byte`;
}

/** An upload beyond one of its limits: 413, with what was found and what is allowed. */
export function tooLarge(file: string, reason: string): DomainError {
  const detail = `${file}: ${reason}`;
  return new DomainError('TOO_LARGE', `${detail.charAt(0).toUpperCase()}${detail.slice(1)}`, [
    { field: 'file', reason },
  ]);
}

/** An upload that is not what it claims to be, or is damaged: 422. */
export function unreadable(file: string, reason: string): DomainError {
  const detail = `${file}: ${reason}`;
  return new DomainError('INVALID', `${detail.charAt(0).toUpperCase()}${detail.slice(1)}`, [
    { field: 'file', reason },
  ]);
}

/** Refuses a body over `max` bytes before anything reads it. */
export function assertSize(buf: Buffer, file: string, max: number): void {
  if (buf.length === 0) throw unreadable(file, 'il file è vuoto');
  if (buf.length > max)
    throw tooLarge(file, `il file occupa ${formatBytes(buf.length)}, il massimo è ${formatBytes(max)}`);
}
