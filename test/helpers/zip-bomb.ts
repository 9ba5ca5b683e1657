/**
 * Decompression bombs built at test time (never committed): a real workbook whose one sheet is
 * replaced by hundreds of MB of repeated cells, streamed through the zip writer so that the test
 * itself never holds them in memory.
 */
import { Readable } from 'node:stream';
import yauzl from 'yauzl';
import yazl from 'yazl';

const MB = 1024 * 1024;

/** The entries of a zip, inflated (the small, honest workbook the bomb starts from). */
async function entriesOf(zip: Buffer): Promise<Array<{ name: string; data: Buffer }>> {
  const file = await yauzl.fromBufferPromise(zip, { lazyEntries: true });
  const out: Array<{ name: string; data: Buffer }> = [];
  for await (const entry of file.eachEntry()) {
    const chunks: Buffer[] = [];
    for await (const chunk of await file.openReadStreamPromise(entry)) chunks.push(chunk as Buffer);
    out.push({ name: entry.fileName, data: Buffer.concat(chunks) });
  }
  return out;
}

/** `megabytes` of a worksheet: one inline-string cell per row, the same row over and over. */
function hugeSheet(megabytes: number): Readable {
  const head =
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>';
  const row = '<row><c t="inlineStr"><is><t>Titolo</t></is></c><c t="inlineStr"><is><t>x</t></is></c></row>';
  const chunk = row.repeat(Math.floor(MB / row.length));
  let sent = 0;
  return Readable.from(
    (function* () {
      yield head;
      for (; sent < megabytes; sent++) yield chunk;
      yield '</sheetData></worksheet>';
    })(),
  );
}

/**
 * `workbook` with its entry `sheet` (e.g. "xl/worksheets/sheet1.xml") replaced by `megabytes` of
 * rows. With `declaredBytes`, the central directory claims that size for the sheet instead of the
 * real one: what a bomb does to slip past a check of declared sizes alone.
 */
export async function workbookBomb(
  workbook: Buffer,
  sheet: string,
  megabytes: number,
  declaredBytes?: number,
): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const e of await entriesOf(workbook))
    if (e.name.endsWith('/')) zip.addEmptyDirectory(e.name);
    else if (e.name === sheet) zip.addReadStream(hugeSheet(megabytes), e.name, { compressionLevel: 9 });
    else zip.addBuffer(e.data, e.name);
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  const out = Buffer.concat(chunks);
  if (declaredBytes !== undefined) lieAbout(out, sheet, declaredBytes);
  return out;
}

/** Rewrites the uncompressed size of `name` in the central directory (offset 24 of its record). */
function lieAbout(zip: Buffer, name: string, bytes: number): void {
  const signature = Buffer.from([0x50, 0x4b, 0x01, 0x02]);
  for (let at = zip.indexOf(signature); at >= 0; at = zip.indexOf(signature, at + 4)) {
    const nameLength = zip.readUInt16LE(at + 28);
    if (zip.toString('utf8', at + 46, at + 46 + nameLength) === name) {
      zip.writeUInt32LE(bytes, at + 24);
      return;
    }
  }
  throw new Error(`${name} is not in the central directory`);
}
