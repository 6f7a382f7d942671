import { PDFDocument, StandardFonts } from 'pdf-lib';

/** A real PDF with a text layer: one page per entry (an empty entry gives a page without text). */
export async function pdfBytes(pages: readonly string[][], info: { title?: string; author?: string } = {}) {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  if (info.title) pdf.setTitle(info.title);
  if (info.author) pdf.setAuthor(info.author);
  for (const lines of pages) {
    const page = pdf.addPage();
    for (const [index, line] of lines.entries()) {
      page.drawText(line, { x: 50, y: 720 - index * 18, size: 12, font });
    }
  }
  return pdf.save();
}
