import { createRequire } from 'node:module';
import path from 'node:path';
import pdfmake from 'pdfmake';
import type { TDocumentDefinitions } from 'pdfmake/interfaces.js';

// The Roboto fonts ship with pdfmake; nothing else is read from disk, nothing from the network.
const FONT_DIR = path.join(
  path.dirname(createRequire(import.meta.url).resolve('pdfmake/package.json')),
  'fonts',
  'Roboto',
);
const FONTS = {
  Roboto: {
    normal: path.join(FONT_DIR, 'Roboto-Regular.ttf'),
    bold: path.join(FONT_DIR, 'Roboto-Medium.ttf'),
    italics: path.join(FONT_DIR, 'Roboto-Italic.ttf'),
    bolditalics: path.join(FONT_DIR, 'Roboto-MediumItalic.ttf'),
  },
};
const FONT_FILES = new Set(Object.values(FONTS.Roboto).map((f) => path.resolve(f)));
let configured = false;

/** Every PDF the platform writes goes through here: pdfmake's settings are global. */
export function renderPdf(doc: TDocumentDefinitions): Promise<Buffer> {
  if (!configured) {
    pdfmake.setFonts(FONTS);
    pdfmake.setUrlAccessPolicy(() => false);
    pdfmake.setLocalAccessPolicy((p) => FONT_FILES.has(path.resolve(p)));
    configured = true;
  }
  return pdfmake.createPdf(doc).getBuffer();
}
