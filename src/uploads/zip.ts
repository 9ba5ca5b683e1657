/**
 * Zip-based uploads (XLSX) are checked before any library inflates them: a 766 KB workbook can
 * hold 250 MB of sheet XML, which exceljs reads whole into memory. First the central directory
 * (what each entry says it holds, read by yauzl without inflating anything), then, off the main
 * thread, every entry inflated for real with a byte counter, since the declared sizes can lie.
 */
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { DomainError } from '../http/errors.js';
import { formatBytes, tooLarge, unreadable } from './limits.js';

export interface ZipLimits {
  maxEntries: number;
  /** Uncompressed bytes of any one entry. */
  maxEntryBytes: number;
  /** Uncompressed bytes of all the entries together. */
  maxTotalBytes: number;
  /** Uncompressed over compressed size of one entry, counted on entries past RATIO_FLOOR bytes. */
  maxRatio: number;
}

/** Small entries (an empty styles part) compress at any ratio without harm. */
const RATIO_FLOOR = 1024 * 1024;

async function open(buf: Buffer, file: string): Promise<ZipFile> {
  try {
    return await yauzl.fromBufferPromise(buf, {
      lazyEntries: true,
      validateEntrySizes: true,
      strictFileNames: false,
    });
  } catch {
    throw unreadable(file, 'il file è danneggiato o non è nel formato atteso');
  }
}

function checkDeclared(entry: Entry, file: string, limits: ZipLimits, total: number): void {
  if (entry.isEncrypted()) throw unreadable(file, 'il file è protetto da password');
  if (entry.uncompressedSize > limits.maxEntryBytes)
    throw tooLarge(
      file,
      `una sua parte occupa ${formatBytes(entry.uncompressedSize)} una volta decompressa, il massimo è ${formatBytes(limits.maxEntryBytes)}`,
    );
  if (total > limits.maxTotalBytes)
    throw tooLarge(
      file,
      `il contenuto decompresso supera ${formatBytes(limits.maxTotalBytes)}, il massimo consentito`,
    );
  if (
    entry.uncompressedSize > RATIO_FLOOR &&
    entry.uncompressedSize / Math.max(entry.compressedSize, 1) > limits.maxRatio
  )
    throw tooLarge(
      file,
      `una sua parte è compressa oltre ${limits.maxRatio} volte (${formatBytes(entry.compressedSize)} che diventano ${formatBytes(entry.uncompressedSize)}): il file non sembra un documento ordinario`,
    );
}

/**
 * Reads the central directory only: the entry count and every entry's declared sizes against the
 * limits. Cheap (no inflating), so it runs on the request's own thread before any worker starts.
 */
export async function checkZipDirectory(buf: Buffer, file: string, limits: ZipLimits): Promise<void> {
  const zip = await open(buf, file);
  try {
    if (zip.entryCount > limits.maxEntries)
      throw tooLarge(file, `contiene ${zip.entryCount} parti, il massimo è ${limits.maxEntries}`);
    let total = 0;
    for await (const entry of zip.eachEntry()) {
      total += entry.uncompressedSize;
      checkDeclared(entry, file, limits, total);
    }
  } catch (error) {
    if (error instanceof DomainError) throw error;
    // yauzl's own complaints (bad signatures, overlapping entries) are a damaged file.
    throw unreadable(file, 'il file è danneggiato o non è nel formato atteso');
  } finally {
    zip.close();
  }
}

/**
 * Inflates every entry, discarding the bytes and counting them: stops at the first entry that
 * inflates past its declared size (yauzl) or past the limits (the counter), so a lying directory
 * costs at most the limits. Meant for a worker thread, just before the real parse.
 */
export async function checkZipInflation(buf: Buffer, file: string, limits: ZipLimits): Promise<void> {
  const zip = await open(buf, file);
  let total = 0;
  try {
    if (zip.entryCount > limits.maxEntries)
      throw tooLarge(file, `contiene ${zip.entryCount} parti, il massimo è ${limits.maxEntries}`);
    for await (const entry of zip.eachEntry()) {
      checkDeclared(entry, file, limits, total + entry.uncompressedSize);
      const stream = await zip.openReadStreamPromise(entry).catch(() => {
        throw unreadable(file, 'il file è danneggiato o non è nel formato atteso');
      });
      let bytes = 0;
      try {
        for await (const chunk of stream) {
          bytes += (chunk as Buffer).length;
          total += (chunk as Buffer).length;
          if (bytes > limits.maxEntryBytes || total > limits.maxTotalBytes)
            throw tooLarge(
              file,
              `una volta decompresso supera i limiti (al massimo ${formatBytes(limits.maxEntryBytes)} per parte e ${formatBytes(limits.maxTotalBytes)} in tutto) e dichiara dimensioni false`,
            );
        }
      } catch (error) {
        stream.destroy();
        if (error instanceof DomainError) throw error;
        // Inflating more or fewer bytes than declared, a bad CRC, a broken deflate stream.
        throw unreadable(file, 'il file è danneggiato o dichiara dimensioni false');
      }
    }
  } catch (error) {
    if (error instanceof DomainError) throw error;
    throw unreadable(file, 'il file è danneggiato o non è nel formato atteso');
  } finally {
    zip.close();
  }
}
