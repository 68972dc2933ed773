// The subject access document as a PDF (pdfkit): A4, the same outline as the HTML, long
// notes wrapped across pages, "Page n of m" at the foot of each page. PDF's built-in fonts
// cover Latin-1 only, so DejaVu Sans is embedded (subset to the glyphs used): names such as
// Łukasz, Zoë, Ἀλέξανδρος or Анна print as written.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import PDFDocument from 'pdfkit';
import type { AccessOutline } from './access-document';

/** resources/fonts under tsx; beside the bundled data service in the app, where import.meta.url is empty (scripts/build-main.mjs copies them). */
const FONT_DIR = import.meta.url ? fileURLToPath(new URL('../../../resources/fonts/', import.meta.url)) : join(__dirname, 'fonts');

const FONT = { regular: join(FONT_DIR, 'DejaVuSans.ttf'), bold: join(FONT_DIR, 'DejaVuSans-Bold.ttf') };

const MARGIN = 56;
const BULLET_INDENT = 12;
const COLOUR = { text: '#1b1b1b', muted: '#555555', rule: '#2d6a4f', notice: '#b45309' };

export function accessPdf(outline: AccessOutline): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN },
    bufferPages: true,
    font: FONT.regular,
    info: { Title: outline.title, Creator: 'Community Fieldbook' },
    lang: 'en-GB',
    displayTitle: true,
  });
  doc.registerFont('body', FONT.regular);
  doc.registerFont('bold', FONT.bold);
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const width = doc.page.width - 2 * MARGIN;
  /** A heading must not be the last line of a page: start a new one if fewer than `room` points are left. */
  const keepWithNext = (room: number) => {
    if (doc.y + room > doc.page.height - MARGIN) doc.addPage();
  };

  doc.font('bold').fontSize(20).fillColor(COLOUR.text).text(outline.title, { width });
  doc.moveDown(0.5);
  doc.font('body').fontSize(10).fillColor(COLOUR.muted);
  for (const line of outline.about) doc.text(line, { width }).moveDown(0.2);
  doc.moveDown(0.5);
  const noticeTop = doc.y;
  doc.font('bold').fontSize(10).fillColor(COLOUR.notice).text(outline.notice, MARGIN + 10, noticeTop + 8, { width: width - 20 });
  const noticeBottom = doc.y + 8;
  doc.rect(MARGIN, noticeTop, width, noticeBottom - noticeTop).lineWidth(1.5).strokeColor(COLOUR.notice).stroke();
  doc.x = MARGIN;
  doc.y = noticeBottom + 12;

  for (const section of outline.sections) {
    keepWithNext(90);
    doc.moveDown(0.8);
    doc.font('bold').fontSize(15).fillColor(COLOUR.text).text(section.heading, MARGIN, doc.y, { width });
    doc.moveTo(MARGIN, doc.y + 2).lineTo(MARGIN + width, doc.y + 2).lineWidth(1).strokeColor(COLOUR.rule).stroke();
    doc.moveDown(0.6);
    if (section.intro) doc.font('body').fontSize(10).fillColor(COLOUR.muted).text(section.intro, { width }).moveDown(0.4);
    if (section.blocks.length === 0) doc.font('body').fontSize(10.5).fillColor(COLOUR.muted).text(section.empty, { width });
    for (const block of section.blocks) {
      if (block.heading) {
        keepWithNext(60);
        doc.moveDown(0.6).font('bold').fontSize(11.5).fillColor(COLOUR.text).text(block.heading, { width }).moveDown(0.2);
      }
      doc.font('body').fontSize(10.5).fillColor(COLOUR.text);
      for (const line of block.lines) {
        // The bullet hangs: a wrapped line starts under the text, not under the bullet.
        keepWithNext(16);
        const top = doc.y;
        doc.text('•', MARGIN, top);
        doc.text(line, MARGIN + BULLET_INDENT, top, { width: width - BULLET_INDENT }).moveDown(0.15);
      }
      doc.x = MARGIN;
      if (block.text) {
        keepWithNext(48);
        doc.moveDown(0.3).font('bold').text(`${block.text.label}:`, { width }).font('body');
        doc.text(block.text.body, MARGIN + 12, doc.y, { width: width - 12 });
        doc.x = MARGIN;
      }
    }
  }

  // Page numbers, once the number of pages is known; the bottom margin is lifted meanwhile
  // or writing into it would start another page.
  const { start, count } = doc.bufferedPageRange();
  for (let i = start; i < start + count; i++) {
    doc.switchToPage(i);
    doc.page.margins.bottom = 0;
    doc.font('body').fontSize(9).fillColor(COLOUR.muted).text(`Page ${i - start + 1} of ${count}`, MARGIN, doc.page.height - MARGIN / 2 - 4, { width, align: 'center' });
    doc.page.margins.bottom = MARGIN;
  }
  doc.end();
  return finished;
}
